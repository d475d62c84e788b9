"""The deadline board and its workbook: the same rows, on screen and in .xlsx."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import audit
from core.http import XLSX, attachment, export_or_job
from core.models import AuditLog
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from reports import jobs
from reports.exports import deadlines_workbook
from reports.selectors.deadlines import DeadlineBoard, DeadlineFilters, deadlines_for, may_see_board

# As the registry's pages: at 100 rows, reading and rendering the rows was two thirds of the
# office head's board at a million clues (issue 16: 79 ms p50, 114 ms p95 in one run).
PAGE_SIZE = 50


@login_required
def deadline_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_see_board(request.user):
        raise Http404
    filters = DeadlineFilters.from_query(request.GET, request=request)
    board = DeadlineBoard(request.user, filters)
    # A board of thousands of open items is read a page at a time; the counts (in SQL) and the export cover all.
    page = Paginator(board, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/deadlines.html",
        {
            "rows": page.object_list,
            "page_obj": page,
            "counts": board.counts(),
            "filters": filters,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])  # POST starts a large export's background job
def deadline_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the board shows under the same filters, as a workbook (a large one made in the worker)."""
    if not may_see_board(request.user):
        raise Http404
    filters = DeadlineFilters.from_query(request.GET, request=request)
    rows = deadlines_for(request.user, filters)

    def inline() -> HttpResponse:
        data, count = deadlines_workbook(rows, watermark=watermark_for(request), filters=filters.describe())
        audit.log_action(
            user=request.user,
            action=AuditLog.Action.EXPORT,
            obj=request.user,
            request=request,
            note=_("%(count)s deadlines") % {"count": count},
        )
        return attachment(data, _("deadlines.xlsx"), XLSX)

    return export_or_job(
        request, kind=jobs.EXPORT_DEADLINES, rows=len(rows), args={"query": filters.as_query()}, inline=inline
    )
