from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme

from clues.models import InfoRequestLetter
from core.files import FileRejected
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest


def letter_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> InfoRequestLetter:
    return get_for_user_or_404(
        InfoRequestLetter.objects.select_related("partner__org_unit", "inspection_round"), request.user, action, pk=pk
    )


def service_errors_to_messages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A refused action (stale page, double click, bad file) becomes a message on the letter page.

    Services raise ValidationError before writing anything, and their transactions roll back,
    so the data is as it was.
    """

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (ValidationError, FileRejected) as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_back_to(request))

    return wrapper


def _back_to(request: AuthenticatedHttpRequest) -> str:
    """The page the user came from, if it is ours; the letter list otherwise."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse("clues:letter-list")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
