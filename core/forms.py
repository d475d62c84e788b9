from django import forms
from django.utils.translation import gettext_lazy as _

from core.services.stuck import REASON_MAX


class CancelStuckForm(forms.Form):
    """Why a stuck reminder or delivery is given up: kept on the row and in the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the partner received the letter on paper on 3 August."),
    )


class DocumentTemplateForm(forms.Form):
    """A replacement Word template for one kind of document; checked by the service."""

    file = forms.FileField(label=_("Word template (.docx)"))
