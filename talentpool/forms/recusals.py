from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentpool.models import RecusalDeclaration


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a tie to this unit?"),
        choices=[("0", _("No")), ("1", _("Yes"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    relationship = forms.ChoiceField(
        label=_("Kind of tie"), choices=[("", "—"), *RecusalDeclaration.Relationship.choices], required=False
    )
    related_name = forms.CharField(label=_("Name of the related person"), max_length=50, required=False)
    related_position = forms.CharField(label=_("Their position"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def relationships(self) -> list[dict]:
        data = self.cleaned_data
        if not data["has_conflict"] or not data["relationship"]:
            return []
        return [
            {
                "type": data["relationship"],
                "related_name": data["related_name"],
                "related_position": data["related_position"],
            }
        ]


class OnBehalfDeclarationForm(DeclarationForm):
    """代为登记: the office enters a cadre's signed paper form; the scan is required."""

    signed_form = forms.FileField(
        label=_("Signed declaration form (PDF, image or Word)"),
        help_text=_("The form the cadre signed; it is kept with the declaration."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["has_conflict"].label = _("Does the cadre declare a tie to this unit?")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=RecusalDeclaration.Decision.choices)
    note = forms.CharField(label=_("Note on the decision"), max_length=500, required=False)
