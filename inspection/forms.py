from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Person
from inspection.models import GroupMembership, InspectionGroup, InspectionRound

_DATES = (
    "kickoff_date", "letters_due_date", "planned_entry_date", "planned_exit_date",
    "actual_entry_date", "actual_exit_date", "upward_filed_at",
)  # fmt: skip


class RoundForm(forms.ModelForm):
    class Meta:
        model = InspectionRound
        fields = [
            "committee_term", "year", "round_no", "round_type", "title", *_DATES, "approved_by_text",
        ]  # fmt: skip
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in _DATES}


class RoundEditForm(RoundForm):
    class Meta(RoundForm.Meta):
        fields = ["round_type", "title", *_DATES, "approved_by_text"]


class WorkPlanForm(forms.Form):
    file = forms.FileField(label=_("Work plan (PDF or Word)"))


class GroupForm(forms.Form):
    number = forms.IntegerField(label=_("Group number"), min_value=1, max_value=99)


class UnitForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.all())
    group = forms.ModelChoiceField(label=_("Group"), queryset=InspectionGroup.objects.none())

    def __init__(self, *args, inspection_round: InspectionRound, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = inspection_round.groups.order_by("number")
        cast(forms.ModelChoiceField, self.fields["org_unit"]).queryset = Organisation.objects.exclude(
            pk__in=inspection_round.inspected_units.values("org_unit")
        )


class MemberForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=InspectionGroup.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.select_related("home_unit"))
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices)
    is_seconded = forms.BooleanField(label=_("Seconded"), required=False)
    is_group_liaison = forms.BooleanField(label=_("Group liaison"), required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, inspection_round: InspectionRound, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = inspection_round.groups.order_by("number")
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.exclude(
            pk__in=inspection_round.memberships.values("person")
        ).select_related("home_unit")


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=InspectionRound.Status.choices)
    # The stage the confirmation page showed (core.transitions refuses a page drawn before a move).
    seen = forms.ChoiceField(choices=InspectionRound.Status.choices, required=False)
