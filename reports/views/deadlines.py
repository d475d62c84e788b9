"""The deadline board and its workbook: the same rows, on screen and in .xlsx."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.excel.export import write_table
from core.http import XLSX, attachment
from core.models import AuditLog
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from reports.selectors.deadlines import (
    EXPORT_HEADERS,
    DeadlineFilters,
    deadline_counts,
    deadlines_for,
    export_rows,
    may_see_board,
)

PAGE_SIZE = 100


@login_required
def deadline_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_see_board(request.user):
        raise Http404
    filters = DeadlineFilters.from_query(request.GET, request=request)
    rows = deadlines_for(request.user, filters)
    # A board of thousands of open items is read a page at a time; the counts and the export cover all.
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/deadlines.html",
        {
            "rows": page.object_list,
            "page_obj": page,
            "counts": deadline_counts(rows),
            "filters": filters,
            "today": timezone.localdate(),
        },
    )


@login_required
def deadline_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the board shows under the same filters, as a workbook."""
    if not may_see_board(request.user):
        raise Http404
    filters = DeadlineFilters.from_query(request.GET)
    rows = deadlines_for(request.user, filters)
    data, count = write_table(
        str(_("Deadlines")), [str(h) for h in EXPORT_HEADERS], export_rows(rows), watermark=watermark_for(request)
    )
    audit.log_action(
        user=request.user,
        action=AuditLog.Action.EXPORT,
        obj=request.user,
        request=request,
        note=_("%(count)s deadlines") % {"count": count},
    )
    return attachment(data, _("deadlines.xlsx"), XLSX)
