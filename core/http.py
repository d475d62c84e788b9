"""HTTP helpers every app's views share: refused actions as messages, file responses."""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.files import FileRejected
from core.forms import PaperDeliveryForm
from core.jobs import label_of, start_job
from core.services.paper import paper_delivery_of, record_paper_delivery

View = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)


def service_errors_to_messages(view: View | None = None, *, fallback: str = "core:home") -> Any:
    """A refused action (stale page, double click, bad file) becomes a message on the page the user came from.

    Services raise ValidationError before writing anything, and their transactions roll back,
    so the data is as it was. Without a safe `next` or referrer the user lands on `fallback`
    (a URL name; the workbench unless the app names its own). Use bare or with fallback=.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except (ValidationError, FileRejected) as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(_back_to(request, fallback))

        return wrapper

    return decorator(view) if view is not None else decorator


def _back_to(request: HttpRequest, fallback: str) -> str:
    """The page the user came from, if it is ours; the fallback page otherwise."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse(fallback)


def form_errors(form: Any) -> ValidationError:
    """A bound form's errors as one ValidationError: raised inside service_errors_to_messages they
    become messages on the page the user came from, like a service's refusal."""
    return ValidationError([message for errors in form.errors.values() for message in errors])


def form_errors_to_messages(request: HttpRequest, form: Any) -> None:
    """Show a bound form's errors as messages, for a view that redirects on its own."""
    for message in form_errors(form).messages:
        messages.error(request, message)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = content_disposition_header(True, filename)
    if disposition is not None:  # always, for an attachment; None is for inline without a name
        response["Content-Disposition"] = disposition
    return response


def file_unavailable(request: HttpRequest, *, sealed_broken: bool) -> HttpResponse:
    """The page a download answers when its file cannot be served, instead of a 500: a sealed
    file that the configured keys do not open (core.sealing.SealBroken: a server fault, 503),
    or a workbook that cannot be read, so that no copy with the reporter sealed can be made
    (its original is never served instead)."""
    if sealed_broken:
        # A configuration fault (a wrong or missing key): said plainly here, loudly in the log.
        logger.error("A sealed file does not open with the seal keys (XC_SEAL_KEYS): %s", request.path)
        # Fernet cannot tell a wrong key from a changed ciphertext; verify_files can (a wrong key
        # leaves every sealed file unopened, a changed file only itself).
        message = _(
            "This file is stored sealed and does not open with the system's seal key. Nothing was "
            "downloaded. Please tell the system administrator: the seal key configured on the server "
            "is wrong or incomplete, or the stored file has been changed (verify_files tells which)."
        )
        return render(request, "core/file_unavailable.html", {"message": message}, status=503)
    message = _(
        "This workbook cannot be read, so no copy with the reporter sealed can be made, and the "
        "original is never downloaded. Nothing was downloaded."
    )
    return render(request, "core/file_unavailable.html", {"message": message}, status=422)


def file_changed(request: HttpRequest, stored: Any) -> HttpResponse:
    """The page a download answers when the stored file no longer matches the SHA-256 recorded
    when it was kept (core.files.FileChanged): nothing is served, and the log says which file.

    409, not 500: the request was fine and the server did not fail; the stored state conflicts
    with its record. Not audited: the audit trail has no action for a refused read, and a
    "download" entry would say that the reader got the file. The nightly `verify_files`
    reports the same file to the office heads and administrators."""
    logger.error(
        "Stored file %s no longer matches its SHA-256; its download by user %s was refused",
        stored.pk,
        getattr(request.user, "pk", None),
    )
    message = _(
        "This file has been changed since it was stored: its content no longer matches the "
        "fingerprint (SHA-256) recorded at upload, so it was not downloaded. Please tell the "
        "system administrator, who can restore it from a backup."
    )
    return render(request, "core/file_unavailable.html", {"message": message}, status=409)


def export_or_job(
    request: HttpRequest,
    *,
    kind: str,
    rows: int | None,
    args: dict[str, Any],
    inline: Callable[[], HttpResponse] | None,
) -> HttpResponse:
    """An export made in the request up to EXPORT_INLINE_MAX_ROWS rows, by a background job
    (core.jobs) above that, or always when there is no `inline` (the report workbook).

    A link must not start work: a GET of a large export answers a page offering to prepare it,
    whose button POSTs to the same address (the filters kept in its query); the POST starts the
    job and goes to the job's page. The view checks who may export before calling this.
    """
    if request.method == "GET" and inline is not None and rows is not None and rows <= settings.EXPORT_INLINE_MAX_ROWS:
        return inline()
    if request.method != "POST":
        return render(request, "core/job_start.html", {"label": label_of(kind), "rows": rows})
    job = start_job(kind, by=request.user, total=rows, **args)  # type: ignore[arg-type]  # login_required views
    return redirect("core:job", pk=job.pk)


def recipients_panel(
    record: Any, recipients: list[Any], *, sent: bool, paper_url: str = "", may_record: bool = False
) -> dict[str, Any]:
    """The context of includes/_recipients.html: who a record sent to a unit reaches, or 线下送达
    (issue 13 item 5) with the office's paper delivery record and, for the office, its form."""
    paper = paper_delivery_of(record) if sent else None
    initial = (
        {"delivered_on": paper.delivered_on, "method": paper.method, "receiver_name": paper.receiver_name}
        if paper
        else {}
    )
    return {
        "recipients": recipients,
        "sent": sent,
        "paper": paper,
        "paper_form": PaperDeliveryForm(initial=initial),
        "paper_url": paper_url if may_record else "",
    }


def record_paper_delivery_from(request: Any, record: Any) -> None:
    """The office's POST of the paper delivery form: recorded, or the form's problems as messages."""
    form = PaperDeliveryForm(request.POST)
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    record_paper_delivery(record=record, by=request.user, **form.cleaned_data)
    messages.success(request, _("Paper delivery recorded."))
