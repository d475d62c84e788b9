from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Person

_DATE = forms.DateInput(attrs={"type": "date"})


class CaseWorkForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.select_related("home_unit"))
    batch_label = forms.CharField(label=_("Batch"), max_length=50)
    start_date = forms.DateField(label=_("Start date"), widget=_DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=_DATE)
    handling_office = forms.ModelChoiceField(label=_("Handling office"), queryset=Organisation.objects.none())
    role = forms.CharField(label=_("Role"), max_length=100, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["handling_office"]).queryset = Organisation.objects.filter(
            unit_type__in=(
                Organisation.UnitType.COMMISSION_INTERNAL_OFFICE,
                Organisation.UnitType.DISCIPLINE_COMMISSION,
            )
        )


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    supervision_office = forms.ModelChoiceField(label=_("Supervision office"), queryset=Organisation.objects.all())
    investigation_office = forms.ModelChoiceField(label=_("Investigation office"), queryset=Organisation.objects.all())
    linked_group_number = forms.IntegerField(label=_("Linked group number"), min_value=1, required=False)
    townships = forms.ModelMultipleChoiceField(
        label=_("Townships"),
        queryset=Organisation.objects.filter(
            unit_type__in=(Organisation.UnitType.TOWNSHIP, Organisation.UnitType.TOWNSHIP_DISCIPLINE_COMMITTEE)
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    lead_leader = forms.CharField(label=_("Lead leader"), max_length=100, required=False)
