from datetime import datetime

from django import forms
from django.utils import timezone
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
