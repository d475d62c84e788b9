from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
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


# A browser's <input type="datetime-local"> checks its value against `step` counted from the
# initial value: an initial value with seconds (Django's default rendering of now()) made every
# whole minute but "now" invalid (issue 13). Rendered to the minute with a step of 60 seconds,
# any minute can be typed.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class MinuteDateTimeInput(forms.DateTimeInput):
    """An editable date and time, to the minute."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"step": "60", **(attrs or {})}, format=DATETIME_LOCAL_FORMAT)


def now_to_the_minute() -> datetime:
    """The current local time without seconds: the initial value of a MinuteDateTimeInput."""
    return timezone.localtime().replace(second=0, microsecond=0)


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
