"""Forms of the liaison office pages; they validate, the services write."""

from datetime import date
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MinuteDateTimeInput, now_to_the_minute
from core.models import Person
from inspection.models import InspectedUnit
from liaison.models import ContactLogEntry, HandoverRecord

_DATE = forms.DateInput(attrs={"type": "date"})


class OfficeForm(forms.Form):
    established_at = forms.DateField(label=_("Set up on"), required=False, widget=_DATE)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class AppointOfficerForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Liaison officer"), queryset=Person.objects.none())
    start_date = forms.DateField(label=_("From"), initial=timezone.localdate, widget=_DATE)

    def __init__(self, *args, inspected_unit: InspectedUnit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The officer belongs to the unit (docs/domain.md §2.3): only its people are offered.
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.filter(
            home_unit=inspected_unit.org_unit
        ).order_by("name")


class ContactEntryForm(forms.Form):
    at = forms.DateTimeField(label=_("Time"), initial=now_to_the_minute, widget=MinuteDateTimeInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactLogEntry.Channel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HandoverRequestForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=HandoverRecord.Category.choices)
    due_at = forms.DateField(label=_("Due on"), required=False, widget=_DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_due_at(self) -> date | None:
        due = self.cleaned_data["due_at"]
        if due is not None and due < timezone.localdate():
            # Asked today with a day already past, the unit would be overdue before it could act.
            raise forms.ValidationError(_("The due day has passed; choose today or a later day."))
        return due
