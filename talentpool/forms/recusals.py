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


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=RecusalDeclaration.Decision.choices)
