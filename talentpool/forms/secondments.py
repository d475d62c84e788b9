"""Input for the draw and the secondment requests; the services do the writing."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from talentpool.models import SecondmentEvaluation, SecondmentRequest, Specialty, TalentPoolEntry

MIX_PREFIX = "mix_"


class DrawForm(forms.Form):
    """The skill mix (people per specialty), the yearly cap and, to repeat a draw, its seed."""

    yearly_cap = forms.IntegerField(label=_("Secondments per person per year at most"), min_value=1, max_value=12)
    seed = forms.IntegerField(
        label=_("Seed"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for a new draw; enter a recorded seed to repeat one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"yearly_cap": 2})
        super().__init__(*args, **kwargs)
        for code, label in Specialty.choices:
            self.fields[MIX_PREFIX + code] = forms.IntegerField(
                label=label, min_value=0, max_value=20, required=False, initial=0
            )

    def mix_fields(self) -> list:
        return [self[MIX_PREFIX + code] for code in Specialty.values]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["skill_mix"] = {
            code: data.get(MIX_PREFIX + code) or 0 for code in Specialty.values if data.get(MIX_PREFIX + code)
        }
        if not data["skill_mix"]:
            raise forms.ValidationError(_("Ask for at least one person."))
        return data


def active_inspection_entries() -> Any:
    return TalentPoolEntry.objects.filter(
        pool_type=TalentPoolEntry.PoolType.INSPECTION, status=TalentPoolEntry.Status.ACTIVE
    ).select_related("person__home_unit")


class PoolEntryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TalentPoolEntry) -> str:
        return f"{obj.person.name} · {obj.person.home_unit.name} · {obj.get_specialty_display()}"


class ReplaceCandidateForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    """A person chosen by the office; the reason is recorded with the draw."""

    entry = PoolEntryField(label=_("Person"), queryset=TalentPoolEntry.objects.none())
    replaces = forms.TypedChoiceField(label=_("In place of"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(label=_("Reason for the override"), max_length=200)

    def __init__(self, *args: Any, candidates: list[dict] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["entry"]).queryset = active_inspection_entries()
        cast(forms.TypedChoiceField, self.fields["replaces"]).choices = [("", _("(add to the proposal)"))] + [
            (row["entry"], row["name"]) for row in candidates or [] if row["state"] == "proposed"
        ]


class AcceptProposalForm(forms.Form):
    period_from = forms.DateField(label=_("From"), required=False)
    period_to = forms.DateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("period_from") and data.get("period_to") and data["period_to"] < data["period_from"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class DeclineForm(forms.Form):
    """A refusal is recorded with a coded reason and the unit's words (docs/domain.md §2.7)."""

    decline_code = forms.ChoiceField(label=_("Reason"), choices=SecondmentRequest.DeclineReason.choices)
    decline_reason = forms.CharField(label=_("Explanation"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    escalated_to = forms.ChoiceField(label=_("Escalate to"), choices=SecondmentRequest.EscalatedTo.choices)


class ReplacePersonForm(forms.Form):
    entry = PoolEntryField(label=_("Substitute"), queryset=TalentPoolEntry.objects.none())

    def __init__(self, *args: Any, refused: SecondmentRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = active_inspection_entries()
        # The substitute is someone else than the person the unit refused to release.
        cast(forms.ModelChoiceField, self.fields["entry"]).queryset = (
            entries.exclude(person_id=refused.person_id) if refused else entries
        )


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=SecondmentEvaluation.Rating.choices)
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ConfirmForm(forms.Form):
    """Confirmation, and whether the cadre gets a login for the group's pages (docs/domain.md §3.5)."""

    account = forms.BooleanField(
        label=_("Give the cadre an account (link the existing one, or create one)"),
        required=False,
        help_text=_(
            "A new account has no password: a superuser sets the first one in the administration and "
            "hands it to the cadre in person, who then changes it."
        ),
    )
    username = forms.CharField(
        label=_("User name of a new account"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for secondee followed by the person's number."),
    )
