from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Notification, PaperDelivery, User
from core.models.accounts import INBOX_ONLY
from core.services.stuck import REASON_MAX


class CancelStuckForm(forms.Form):
    """Why a stuck reminder or delivery is given up: kept on the row and in the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the partner received the letter on paper on 3 August."),
    )


class PaperDeliveryForm(forms.Form):
    """How a record reached a unit without a reachable user (线下送达)."""

    delivered_on = forms.DateField(label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=PaperDelivery.Method.choices)
    receiver_name = forms.CharField(label=_("Received by"), max_length=100)


class ProfileForm(forms.Form):
    """The user's own name, e-mail, phone and, per notification kind, inbox only or inbox and e-mail."""

    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    CHOICES = [("email", _("Inbox and e-mail")), (INBOX_ONLY, _("Inbox only"))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[f"pref_{kind}"] = forms.ChoiceField(
                label=label, choices=self.CHOICES, widget=forms.RadioSelect, initial="email"
            )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, str]:
        initial = {name: getattr(user, name) for name in ("last_name", "first_name", "email", "phone")}
        for kind in Notification.Kind.values:
            initial[f"pref_{kind}"] = "email" if user.wants_email(kind) else INBOX_ONLY
        return initial

    def preference_fields(self) -> list[Any]:
        return [self[f"pref_{kind}"] for kind in Notification.Kind.values]

    def prefs(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"pref_{kind}"] for kind in Notification.Kind.values}
