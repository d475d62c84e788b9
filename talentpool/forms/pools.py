"""Forms of the pool pages: input and widgets only; the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Person
from talentpool.models import Specialty, TalentPoolEntry


class NominateForm(forms.Form):
    """A nomination names a person from the directory, or enters a new one (name and home unit)."""

    pool_type = forms.ChoiceField(label=_("Pool"), choices=TalentPoolEntry.PoolType.choices)
    specialty = forms.ChoiceField(label=_("Specialty"), choices=Specialty.choices)
    nominated_by_unit = forms.ModelChoiceField(
        label=_("Nominated by"), queryset=Organisation.objects.all(), required=False
    )
    person = forms.ModelChoiceField(
        label=_("Person in the directory"),
        queryset=Person.objects.select_related("home_unit"),
        required=False,
        help_text=_("Leave empty to enter a new person below."),
    )
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1940, max_value=2010, required=False)
    home_unit = forms.ModelChoiceField(label=_("Home unit"), queryset=Organisation.objects.all(), required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    rank = forms.ChoiceField(label=_("Rank"), choices=[("", "—"), *Person.Rank.choices], required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    _PERSON_FIELDS = ("name", "gender", "birth_year", "home_unit", "position", "rank", "phone")

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("person") is None and not (data.get("name") and data.get("home_unit")):
            raise forms.ValidationError(_("Choose a person from the directory, or enter a name and home unit."))
        return data

    def new_person(self) -> dict | None:
        """The fields of the person to create, or None when one was chosen from the directory."""
        data = self.cleaned_data
        if data["person"] is not None:
            return None
        fields = {name: data[name] for name in self._PERSON_FIELDS}
        fields["specialties"] = [data["specialty"]]
        return fields


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster workbook (.xlsx)"))
