"""Login lockout with django-axes: failures count per username and address together, and per address.

Keyed on the username alone, anyone on the internet could lock the office head out by typing
wrong passwords under that name; keyed on the pair, only the address that guesses is locked
out of that account (AXES_FAILURE_LIMIT). Guessing across many usernames from one address is
stopped by a second, larger limit on the address alone (AXES_IP_FAILURE_LIMIT), which is
larger because an office's users share one NAT address.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from core.types import AxesHttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The browser's address: behind TRUSTED_PROXY_COUNT reverse proxies, the one the outermost saw.

    Each proxy appends the address it was called from to X-Forwarded-For, so the client's is
    that many places from the right; anything further left was written by the client itself.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit."""

    def address_failures(self, request: AxesHttpRequest) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request: AxesHttpRequest, credentials: dict | None) -> bool:
        return (
            not self.is_whitelisted(request, credentials)
            and self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT
        )

    def is_locked(self, request: AxesHttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request, credentials)

    def user_login_failed(
        self, sender: Any, credentials: dict, request: AxesHttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The parent locks on the username-and-address count only; the address count is ours.
        if request is not None and not request.axes_locked_out and self.address_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
