import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import audit, jobs
from core.decorators import role_required
from core.excel.reader import UnreadableWorkbook
from core.files import open_stored, rendition_for, visible_to
from core.home import home_sections_for
from core.http import attachment, file_unavailable
from core.models import AuditLog, Job, StoredFile
from core.roles import STAFF_PAGE_ROLES
from core.sealing import SealBroken
from core.selectors import inbox_for
from core.services import health
from core.services.notifications import mark_read
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
    page = Paginator(inbox_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page_obj": page})


@login_required
@require_POST
def inbox_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    count = mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("core:inbox")


@role_required(*STAFF_PAGE_ROLES)
def health_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    checks = [health.check_database(), health.check_broker(), *health.check_heartbeats()]
    stuck = stuck_reminders().select_related("target_type")[:50]
    return render(request, "core/health.html", {"checks": checks, "stuck": stuck})


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
        rendition = rendition_for(stored, watermark=watermark_for(request))
        handle = open_stored(stored) if rendition is None else None
    except FileNotFoundError as exc:
        logger.error("Stored file %s is missing from private storage", stored.pk)
        raise Http404 from exc
    except SealBroken:
        return file_unavailable(request, sealed_broken=True)
    except UnreadableWorkbook:
        return file_unavailable(request, sealed_broken=False)
    audit.log_action(user=request.user, action=AuditLog.Action.DOWNLOAD, obj=stored, request=request)
    if rendition is not None:
        return attachment(rendition.content, rendition.filename, rendition.content_type)
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name)
    response["Content-Type"] = stored.content_type
    return response
