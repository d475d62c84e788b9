import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit, documents, jobs, outbox
from core.decorators import role_required
from core.excel.reader import UnreadableWorkbook
from core.files import FileChanged, FileRejected, open_verified, rendition_for, visible_to
from core.forms import CancelStuckForm, DocumentTemplateForm, ProfileForm
from core.home import home_sections_for
from core.http import (
    DOCX,
    attachment,
    file_changed,
    file_unavailable,
    form_errors_to_messages,
    service_errors_to_messages,
)
from core.models import AuditLog, Delivery, DocumentTemplate, Job, Reminder, StoredFile
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404
from core.roles import STAFF_PAGE_ROLES, Role
from core.sealing import SealBroken
from core.selectors import INBOX_ORDER, inbox_for
from core.services import documents as document_services
from core.services import health
from core.services import stuck as stuck_work_services
from core.services.notifications import mark_read, open_notification, update_profile
from core.services.reminders import stuck_reminders
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for

logger = logging.getLogger(__name__)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    notes = inbox_for(request.user)[:5]
    return render(request, "core/home.html", {"sections": home_sections_for(request.user), "notes": notes})


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = keyset_page(inbox_for(request.user), request, INBOX_ORDER, 20)
    return render(request, "core/inbox.html", {"page_obj": page})


@login_required
@require_POST
def inbox_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    count = mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("core:inbox")


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The inbox's link: the recipient's own notification is marked read, then its page opens."""
    note = open_notification(user=request.user, notification_id=pk)
    allowed = url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}, require_https=False)
    return redirect(note.url if note.url and allowed else "core:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own name, e-mail, phone and notification preference per kind."""
    user = request.user
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update_profile(
            user=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            prefs=form.prefs(),
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("core:profile")
    return render(request, "core/profile.html", {"form": form})


@role_required(*STAFF_PAGE_ROLES)
def health_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    checks = [
        health.check_database(),
        health.check_broker(),
        *health.check_heartbeats(),
        health.check_files(),
        health.check_calendar(),
        health.check_outbox(),
    ]
    stuck = stuck_reminders().select_related("target_type")[:50]
    failed_emails = outbox.failed()[:50]
    return render(
        request,
        "core/health.html",
        {
            "checks": checks,
            "stuck": stuck,
            "failed_emails": failed_emails,
            "may_resolve_stuck": may_resolve_stuck_work(request.user),
        },
    )


# ---------------------------------------------------------------- stuck work (issue 12 item 5)


def may_resolve_stuck_work(user: Any) -> bool:
    return bool(user.has_perm("core.resolve_reminder") or user.has_perm("core.resolve_delivery"))


@login_required
@require_GET
def stuck_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Stuck reminders and failed or overdue deliveries, each with re-queue and cancel."""
    if not may_resolve_stuck_work(request.user):
        raise Http404
    return render(
        request,
        "core/stuck_work.html",
        {
            "reminders": stuck_work_services.stuck_reminder_rows(request.user),
            "deliveries": stuck_work_services.stuck_delivery_rows(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors_to_messages(fallback="core:stuck-work")
def stuck_resolve(request: AuthenticatedHttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """GET: what re-queueing or cancelling this row does, to confirm (with the reason to cancel); POST: do it."""
    if action not in ("requeue", "cancel"):
        raise Http404
    row: Reminder | Delivery
    if kind == "reminder":
        row = get_for_user_or_404(Reminder.objects.select_related("target_type"), request.user, "resolve", pk=pk)
    else:
        row = get_for_user_or_404(Delivery.objects.select_related("target_type"), request.user, "resolve", pk=pk)
    refusal = stuck_work_services.refusal(row, action)
    if refusal:
        # Resolved meanwhile (by someone else, or sent by a worker): say so instead of offering it.
        messages.info(request, refusal)
        return redirect("core:stuck-work")
    form = CancelStuckForm(request.POST or None) if action == "cancel" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        about = stuck_work_services.about(row)
        if action == "requeue":
            if isinstance(row, Reminder):
                stuck_work_services.requeue_reminder(reminder=row, by=request.user)
            else:
                stuck_work_services.requeue_delivery(row=row, by=request.user)
            messages.success(request, _("Re-queued: %(record)s.") % {"record": about})
        elif form is not None:  # cancel: its form holds the reason
            reason = form.cleaned_data["reason"]
            if isinstance(row, Reminder):
                stuck_work_services.cancel_reminder(reminder=row, by=request.user, reason=reason)
                messages.success(
                    request, _("Cancelled: %(record)s. The reminder will not be sent.") % {"record": about}
                )
            else:
                stuck_work_services.cancel_delivery(row=row, by=request.user, reason=reason)
                messages.success(
                    request,
                    _("Cancelled: %(record)s. It will not be delivered; its owners and the office heads were told.")
                    % {"record": about},
                )
        return redirect("core:stuck-work")
    return render(
        request,
        "core/stuck_confirm.html",
        {"kind": kind, "row": row, "about": stuck_work_services.about(row), "action": action, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stuck_requeue_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: how many rows a bulk re-queue would take, to confirm; POST: re-queue them all."""
    if not may_resolve_stuck_work(request.user):
        raise Http404
    if request.method == "POST":
        done = stuck_work_services.requeue_all(by=request.user)
        messages.success(
            request,
            _("Re-queued %(reminders)s reminders and %(deliveries)s deliveries.")
            % {"reminders": done.reminders, "deliveries": done.deliveries},
        )
        if done.skipped:
            messages.info(request, _("%(count)s were resolved meanwhile and left alone.") % {"count": done.skipped})
        return redirect("core:stuck-work")
    return render(
        request, "core/stuck_confirm.html", {"action": "requeue-all", **stuck_work_services.counts(request.user)}
    )


@login_required
@require_GET
def job_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A background job's progress and result: its owner's alone, anyone else gets a 404."""
    job = get_object_or_404(Job.objects.for_user(request.user).select_related("result"), pk=pk)
    recent = [(other, jobs.label_of(other.kind)) for other in jobs.recent_for(request.user) if other.pk != job.pk]
    return render(request, "core/job_detail.html", {"job": job, "label": jobs.label_of(job.kind), "recent": recent})


@login_required
@require_GET
def job_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The part of the job page that htmx polls while the job is queued or running."""
    job = get_object_or_404(Job.objects.for_user(request.user).select_related("result"), pk=pk)
    return render(request, "core/partials/_job_status.html", {"job": job})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and compose: the process answers and the database is there."""
    check = health.check_database()
    return HttpResponse(
        "ok" if check.ok else "database unavailable", status=200 if check.ok else 503, content_type="text/plain"
    )


@login_required
@require_GET
def file_download(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponseBase:
    """A stored file, or the rendition its app registered for it (a partner's workbook: its
    sealed copy, watermarked), logged as a download either way."""
    stored = get_object_or_404(StoredFile.objects.select_related("owner_type"), pk=file_id)
    if not visible_to(stored, request.user):
        raise Http404
    try:
        # Checked first: a changed file is refused, and so is anything made from it (a rendition).
        handle = open_verified(stored)
    except FileNotFoundError as exc:
        logger.error("Stored file %s is missing from private storage", stored.pk)
        raise Http404 from exc
    except FileChanged:
        return file_changed(request, stored)
    except SealBroken:
        return file_unavailable(request, sealed_broken=True)
    try:
        rendition = rendition_for(stored, watermark=watermark_for(request))
    except (SealBroken, UnreadableWorkbook) as exc:
        handle.close()
        return file_unavailable(request, sealed_broken=isinstance(exc, SealBroken))
    audit.log_action(user=request.user, action=AuditLog.Action.DOWNLOAD, obj=stored, request=request)
    if rendition is not None:
        handle.close()
        return attachment(rendition.content, rendition.filename, rendition.content_type)
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name)
    response["Content-Type"] = stored.content_type
    return response


def _document_kind(code: str) -> documents.DocumentKind:
    kind = documents.kind_named(code)
    if kind is None:
        raise Http404
    return kind


@role_required(Role.OFFICE_HEAD)
@require_GET
def document_templates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's settings for its documents: per kind, the template in use (its own or the
    default), a sample, an upload of a replacement and the way back to the default."""
    own = {t.kind: t for t in DocumentTemplate.objects.select_related("file", "uploaded_by")}
    rows = [
        {
            "kind": kind,
            "own": own.get(kind.code),
            "names": documents.context_names(kind.code),
            "form": DocumentTemplateForm(prefix=kind.code),
        }
        for kind in documents.kinds()
    ]
    return render(request, "core/document_templates.html", {"rows": rows})


@role_required(Role.OFFICE_HEAD)
@require_POST
def document_template_upload(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    code = _document_kind(kind).code
    form = DocumentTemplateForm(request.POST, request.FILES, prefix=code)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("core:document-templates")
    upload = form.cleaned_data["file"]
    try:
        document_services.upload_template(by=request.user, kind=code, upload=upload, name=upload.name)
    except FileRejected as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The new template is in use."))
    return redirect("core:document-templates")


@role_required(Role.OFFICE_HEAD)
@require_POST
def document_template_revert(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if document_services.revert_template(by=request.user, kind=_document_kind(kind).code):
        messages.success(request, _("The default template is in use again."))
    return redirect("core:document-templates")


@role_required(Role.OFFICE_HEAD)
@require_GET
def document_template_file(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """The template in use, as it is (to restyle in Word): a template holds no record's content,
    and a watermark written into it would be uploaded back into every document."""
    code = _document_kind(kind).code
    return attachment(documents.template_bytes(code), f"{code}.docx", DOCX)


@role_required(Role.OFFICE_HEAD)
@require_GET
def document_template_sample(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """The template in use filled with the sample context: how a document will look."""
    code = _document_kind(kind).code
    return attachment(documents.render_sample(code, watermark=watermark_for(request)), f"{code}-sample.docx", DOCX)
