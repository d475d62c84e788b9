"""The two talent pools: list and export, one entry with its history and moves, nomination,
roster import. Only holders of the pool permissions (office head, office staff, pool manager)
reach these pages; everyone else gets a 404."""

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.excel.export import write_table
from core.files import FileRejected, checked_upload
from core.models import AuditLog, Organisation
from core.permissions import get_for_user_or_404
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from talentpool.forms.pools import NominateForm, ReasonForm, RosterUploadForm
from talentpool.importing.parser import build_roster_error_workbook, parse_roster
from talentpool.importing.template import build_roster_template
from talentpool.models import TalentPoolEntry
from talentpool.selectors import pools as selectors
from talentpool.services import pools

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The marked workbook of the last failed import waits in the session (rosters are small).
ERRORS_SESSION_KEY = "talentpool_roster_errors"
MAX_SESSION_WORKBOOK = 2 * 1024 * 1024


def pool_permission(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only users holding `talentpool.<perm>` get through; everyone else sees a 404, not a hint."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(f"talentpool.{perm}"):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _attachment(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    disposition = content_disposition_header(True, filename)
    if disposition is not None:  # always, for an attachment; None is for inline without a name
        response["Content-Disposition"] = disposition
    return response


@pool_permission("view_talentpoolentry")
def pool_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = selectors.PoolFilters.from_query(request.GET, request=request)
    page = Paginator(selectors.pool_entries(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "talentpool/pools/pool_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "query": filters.as_query(),
            "can_change": request.user.has_perm("talentpool.add_talentpoolentry"),
        },
    )


@pool_permission("view_talentpoolentry")
def pool_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The filtered list as a workbook; logged with its filters."""
    filters = selectors.PoolFilters.from_query(request.GET, request=request)
    headers = [
        _("Name"), _("Gender"), _("Birth year"), _("Home unit"), _("Position"), _("Rank"), _("Specialty"),
        _("Pool"), _("Status"), _("Nominated by"), _("Nominated on"), _("Approved on"), _("Phone"),
    ]  # fmt: skip
    rows = (_export_row(e) for e in selectors.pool_entries(request.user, filters).iterator(chunk_size=500))
    data, count = write_table(
        _("Talent pools"), headers, rows, watermark=watermark_for(request), filters=filters.describe()
    )
    audit.log_action(
        user=request.user,
        action=AuditLog.Action.EXPORT,
        obj=request.user,
        request=request,
        note=_("%(count)s pool entries %(filters)s") % {"count": count, "filters": filters.as_query()},
    )
    return _attachment(data, _("talent-pools.xlsx"))


def _export_row(entry: TalentPoolEntry) -> list[Any]:
    person = entry.person
    return [
        person.name,
        person.get_gender_display(),
        person.birth_year,
        person.home_unit.name,
        person.position,
        person.get_rank_display(),
        entry.get_specialty_display(),
        entry.get_pool_type_display(),
        entry.get_status_display(),
        entry.nominated_by_unit.name if entry.nominated_by_unit else "",
        entry.nominated_at,
        entry.approved_at,
        person.phone,
    ]


def _entry_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> TalentPoolEntry:
    return get_for_user_or_404(
        TalentPoolEntry.objects.select_related("person__home_unit", "nominated_by_unit"), request.user, action, pk=pk
    )


@pool_permission("view_talentpoolentry")
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    can_change = request.user.has_perm("talentpool.change_talentpoolentry")
    moves = pools.available_moves(entry) if can_change else []
    return render(
        request,
        "talentpool/pools/entry_detail.html",
        {
            "entry": entry,
            "history": _history(entry),
            "moves": [move for move in moves if move not in pools.NEEDS_REASON],
            "reason_moves": [move for move in moves if move in pools.NEEDS_REASON],
            "reason_form": ReasonForm(),
            "other_entries": entry.person.pool_entries.exclude(pk=entry.pk),
        },
    )


def _history(entry: TalentPoolEntry) -> list[dict[str, Any]]:
    """The entry's audit rows, with status moves in words rather than codes."""
    labels = dict(TalentPoolEntry.Status.choices)
    rows = []
    for log in audit.history(entry):
        before, after = log.changes.get("status", [None, None])
        if log.action != AuditLog.Action.TRANSITION:
            before = after = None
        rows.append({"log": log, "status_from": labels.get(before), "status_to": labels.get(after)})
    return rows


_MOVES: dict[str, Callable[..., TalentPoolEntry]] = {
    "vet": pools.vet,
    "activate": pools.activate,
    "suspend": pools.suspend,
    "reinstate": pools.reinstate,
    "remove": pools.remove,
}


@require_POST
@pool_permission("change_talentpoolentry")
def entry_move(request: AuthenticatedHttpRequest, pk: int, move: str) -> HttpResponse:
    if move not in _MOVES:
        raise Http404
    entry = _entry_or_404(request, pk, "change")
    arguments: dict[str, Any] = {}
    if move in pools.NEEDS_REASON:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return redirect("talentpool:pool-entry", pk=entry.pk)
        arguments["reason"] = form.cleaned_data["reason"]
    try:
        entry = _MOVES[move](entry=entry, by=request.user, **arguments)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(status)s.") % {"name": entry.person.name, "status": entry.get_status_display()},
        )
    return redirect("talentpool:pool-entry", pk=entry.pk)


@pool_permission("add_talentpoolentry")
def nominate(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NominateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = pools.nominate(
                by=request.user,
                pool_type=data["pool_type"],
                specialty=data["specialty"],
                person=data["person"],
                new_person=form.new_person(),
                nominated_by_unit=data["nominated_by_unit"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(name)s nominated.") % {"name": entry.person.name})
            return redirect("talentpool:pool-entry", pk=entry.pk)
    return render(request, "talentpool/pools/nominate.html", {"form": form})


@pool_permission("add_talentpoolentry")
def roster_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Check a roster and, only when every row is right, nominate everyone in it at once.

    A roster with problems writes nothing: the page lists every problem, and the marked
    workbook can be downloaded to correct and upload again.
    """
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        request.session.pop(ERRORS_SESSION_KEY, None)
        try:
            with checked_upload(upload=upload, name=upload.name, allowed_kinds={"xlsx"}) as checked:
                result = parse_roster(checked.path, kind=checked.kind, today=timezone.localdate())
                if not result.ok:
                    data = build_roster_error_workbook(
                        checked.path, kind=checked.kind, result=result, watermark=watermark_for(request)
                    )
                    if len(data) <= MAX_SESSION_WORKBOOK:
                        request.session[ERRORS_SESSION_KEY] = base64.b64encode(data).decode()
        except FileRejected as exc:
            form.add_error("file", exc.messages)
            return render(request, "talentpool/pools/import.html", context)
        if result.ok:
            try:
                entries = pools.import_roster(by=request.user, result=result)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("%(count)s cadres imported.") % {"count": len(entries)})
                return redirect("talentpool:pool-list")
        context |= {"issues": result.issues, "has_error_workbook": ERRORS_SESSION_KEY in request.session}
    return render(request, "talentpool/pools/import.html", context)


@pool_permission("add_talentpoolentry")
def roster_errors(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The last refused roster of this user, with every problem marked on its cell."""
    data = request.session.get(ERRORS_SESSION_KEY)
    if not data:
        raise Http404
    # The marked roster repeats the uploaded people's details: logged like any download.
    audit.log_action(
        user=request.user,
        action=AuditLog.Action.DOWNLOAD,
        obj=request.user,
        request=request,
        note="错误标注-人才库名册",
    )
    return _attachment(base64.b64decode(data), "错误标注-人才库名册.xlsx")


@pool_permission("add_talentpoolentry")
def roster_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    names = Organisation.objects.order_by("name").values_list("name", flat=True)
    return _attachment(
        build_roster_template(unit_names=list(names), watermark=watermark_for(request)), "人才库名册模板.xlsx"
    )
