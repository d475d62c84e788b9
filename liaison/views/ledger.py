"""The unit's ledger, an item's page with its steps, the office's overview, export, import and notice."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import audit
from core.files import FileRejected, checked_upload
from core.models import AuditLog, Reminder
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404
from core.transitions import allowed_transitions
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectedUnit, InspectionRound
from liaison.documents import rectification_notice
from liaison.exports import ledger_workbook
from liaison.forms.ledger import ItemForm, LedgerUploadForm, LongTermForm, NoteForm, ProgressForm, ReportForm
from liaison.importing import build_ledger_error_workbook, import_ledger, parse_ledger
from liaison.models import Feedback, FeedbackProblem, RectificationItem, RectificationReport
from liaison.selectors import LEDGER_PROBLEMS_ORDER, ledger_items, ledger_problem_rows, ledger_summary, unit_numbers
from liaison.services import ledger as ledger_services
from liaison.services.feedback import acts_for_group, is_unit_officer
from liaison.views.feedback import run_service, unit_feedback_or_404

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The marked workbook of the last refused ledger import waits in the session, with its unit.
ERRORS_SESSION_KEY = "liaison_ledger_errors"
MAX_SESSION_WORKBOOK = 2 * 1024 * 1024
# The problems drawn on a page of a unit's ledger, each with its items and its "Add an item" form.
LEDGER_PROBLEMS_PER_PAGE = 3


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = content_disposition_header(True, filename)
    if disposition is not None:  # always, for an attachment; None is for inline without a name
        response["Content-Disposition"] = disposition
    return response


def _roles(request: AuthenticatedHttpRequest, unit: InspectedUnit) -> dict[str, bool]:
    return {"is_officer": is_unit_officer(request.user, unit), "is_group_side": acts_for_group(request.user, unit)}


def may_add_items(user: Any, unit: InspectedUnit, feedback: Feedback) -> bool:
    """As add_item decides: the group's leaders or the office, or the officer once delivered."""
    officer_may = feedback.status == Feedback.Status.DELIVERED and is_unit_officer(user, unit)
    return officer_may or acts_for_group(user, unit)


def _ledger_page(
    request: AuthenticatedHttpRequest, unit: InspectedUnit, feedback: Feedback, **extra: Any
) -> HttpResponse:
    reports = RectificationReport.objects.filter(inspected_unit=unit).select_related("file").order_by("due_date")
    context = {
        "unit": unit,
        "feedback": feedback,
        "page_obj": keyset_page(
            ledger_problem_rows(feedback), request, LEDGER_PROBLEMS_ORDER, LEDGER_PROBLEMS_PER_PAGE
        ),
        "summary": ledger_summary(feedback),
        "reports": reports,
        # The same blank form under every problem of the page: drawn once (issue 16).
        "item_form_html": ItemForm().as_p(),
        "report_form": ReportForm(),
        "today": timezone.localdate(),
        "may_import": may_add_items(request.user, unit, feedback),
        "import_form": LedgerUploadForm(),
        **_roles(request, unit),
        **extra,
    }
    return render(request, "liaison/ledger/ledger.html", context)


@login_required
def ledger(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    unit, feedback = unit_feedback_or_404(request, unit_pk)
    if feedback is None:
        raise Http404
    return _ledger_page(request, unit, feedback)


def _importer_or_404(request: AuthenticatedHttpRequest, unit_pk: int) -> tuple[InspectedUnit, Feedback]:
    unit, feedback = unit_feedback_or_404(request, unit_pk)
    if feedback is None or not may_add_items(request.user, unit, feedback):
        raise Http404
    return unit, feedback


@login_required
@require_POST
def ledger_import(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    """Check a ledger workbook and, only when every row is right, add all its items at once.

    A workbook with problems writes nothing: the page lists every problem, and the marked
    workbook can be downloaded to correct and upload again. Rows already in the ledger are skipped.
    """
    unit, feedback = _importer_or_404(request, unit_pk)
    form = LedgerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _ledger_page(request, unit, feedback, import_form=form, import_open=True)
    upload = form.cleaned_data["file"]
    request.session.pop(ERRORS_SESSION_KEY, None)
    try:
        with checked_upload(upload=upload, name=upload.name, allowed_kinds={"xlsx"}) as checked:
            result = parse_ledger(checked.path, kind=checked.kind, feedback=feedback)
            if not result.ok:
                data = build_ledger_error_workbook(
                    checked.path, kind=checked.kind, result=result, watermark=watermark_for(request)
                )
                if len(data) <= MAX_SESSION_WORKBOOK:
                    request.session[ERRORS_SESSION_KEY] = {"unit": unit.pk, "data": base64.b64encode(data).decode()}
    except FileRejected as exc:
        form.add_error("file", exc.messages)
        return _ledger_page(request, unit, feedback, import_form=form, import_open=True)
    if result.ok:
        try:
            items, skipped = import_ledger(by=request.user, feedback=feedback, result=result)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(count)s items imported; %(skipped)s rows already in the ledger were skipped.")
                % {"count": len(items), "skipped": skipped},
            )
            return redirect("liaison:ledger", unit_pk=unit.pk)
    return _ledger_page(
        request,
        unit,
        feedback,
        import_form=form,
        import_open=True,
        import_issues=result.issues,
        has_error_workbook=ERRORS_SESSION_KEY in request.session,
    )


@login_required
def ledger_import_errors(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    """This user's last refused ledger of this unit, with every problem marked on its cell."""
    unit, _feedback = _importer_or_404(request, unit_pk)
    stored = request.session.get(ERRORS_SESSION_KEY)
    if not stored or stored.get("unit") != unit.pk:
        raise Http404
    audit.log_action(
        user=request.user, action=AuditLog.Action.DOWNLOAD, obj=unit, request=request, note="错误标注-整改台账"
    )
    return _attachment(base64.b64decode(stored["data"]), f"错误标注-{unit.org_unit.name}整改台账.xlsx", XLSX)


@login_required
def ledger_export(request: AuthenticatedHttpRequest, unit_pk: int) -> HttpResponse:
    unit, feedback = unit_feedback_or_404(request, unit_pk)
    if feedback is None:
        raise Http404
    items = ledger_items(RectificationItem.objects.filter(problem__feedback=feedback))
    data, _count = ledger_workbook(unit.org_unit.name, items, watermark=watermark_for(request))
    return _attachment(data, f"{unit.org_unit.name}整改台账.xlsx", XLSX)


@login_required
@require_POST
def item_add(request: AuthenticatedHttpRequest, problem_pk: int) -> HttpResponse:
    problem = get_for_user_or_404(
        FeedbackProblem.objects.select_related("feedback__inspected_unit__group"), request.user, "change", pk=problem_pk
    )
    target = reverse("liaison:ledger", args=[problem.feedback.inspected_unit_id])
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return run_service(request, target, lambda: None)
    return run_service(
        request, target, lambda: ledger_services.add_item(by=request.user, problem=problem, **form.cleaned_data)
    )


def _item_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> RectificationItem:
    return get_for_user_or_404(
        RectificationItem.objects.select_related(
            "problem__feedback__inspected_unit__org_unit", "problem__feedback__inspected_unit__group", "signed_off_by"
        ),
        request.user,
        action,
        pk=pk,
    )


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _item_or_404(request, pk))


def _item_page(request: AuthenticatedHttpRequest, item: RectificationItem, **forms: Any) -> HttpResponse:
    """The item's page; `forms` replaces a blank form with the bound one that was refused."""
    unit = item.problem.feedback.inspected_unit
    notices = Reminder.objects.filter(
        target_type=ContentType.objects.get_for_model(RectificationItem), target_id=str(item.pk)
    ).order_by("due_at")
    context = {
        "item": item,
        "unit": unit,
        "updates": item.updates.select_related("author").prefetch_related("attachments"),
        "evidence": item.evidence_files.order_by("pk"),
        "notices": notices,
        "progress_form": ProgressForm(),
        "note_form": NoteForm(),
        "long_term_form": LongTermForm(),
        "today": timezone.localdate(),
        # The steps offered are the item's declared transitions this user may take (docs/domain.md §3.4).
        "moves": {move.name for move in allowed_transitions(item, request.user)},
        **_roles(request, unit),
        **forms,
    }
    return render(request, "liaison/ledger/item_detail.html", context)


# The item's steps by URL name; each service checks who may take it and from which status.
ITEM_STEPS: dict[str, Callable[..., RectificationItem]] = {
    "submit-plan": ledger_services.submit_plan,
    "approve-plan": ledger_services.approve_plan,
    "start": ledger_services.start_work,
    "submit": ledger_services.submit_for_signoff,
}
NOTED_STEPS: dict[str, Callable[..., RectificationItem]] = {
    "sign-off": ledger_services.sign_off,
    "return": ledger_services.return_item,
}
# What each step says once taken: the page it returns to shows only a new status otherwise.
STEP_DONE: dict[str, StrOrPromise] = {
    "submit-plan": gettext_lazy("The plan was submitted for approval."),
    "approve-plan": gettext_lazy("The plan was approved."),
    "start": gettext_lazy("Rectification started."),
    "submit": gettext_lazy("Sign-off requested: the group leader or the office will review the item."),
    "sign-off": gettext_lazy("Signed off."),
    "return": gettext_lazy("The item was returned to the unit with your note."),
    "keep-long-term": gettext_lazy("The item is kept as long-term, maintained."),
}


@login_required
@require_POST
def item_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    item = _item_or_404(request, pk, "change")
    target = reverse("liaison:item-detail", args=[item.pk])
    if step in ITEM_STEPS:
        return run_service(request, target, lambda: ITEM_STEPS[step](by=request.user, item=item), STEP_DONE[step])
    if step in NOTED_STEPS:
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        return run_service(
            request, target, lambda: NOTED_STEPS[step](by=request.user, item=item, note=note), STEP_DONE[step]
        )
    if step == "keep-long-term":
        # A missing date is the service's refusal (in its words), not a form error.
        long_term = LongTermForm(request.POST)
        data = long_term.cleaned_data if long_term.is_valid() else {"note": "", "follow_up_on": None}
        return run_service(
            request,
            target,
            lambda: ledger_services.keep_as_long_term(
                by=request.user, item=item, note=data["note"], follow_up_on=data["follow_up_on"]
            ),
            STEP_DONE[step],
        )
    raise Http404


@login_required
@require_POST
def item_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer's progress entry. A form error or a refused file draws the item's page again with
    the entry as it was typed (a redirect lost it); a refusal of the item's state goes back to the page."""
    item = _item_or_404(request, pk, "change")
    target = reverse("liaison:item-detail", args=[item.pk])
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        files = [(data["evidence"], data["evidence"].name)] if data["evidence"] else []
        try:
            ledger_services.record_progress(
                by=request.user, item=item, note=data["note"], progress_pct=data["progress_pct"], files=files
            )
        except FileRejected as exc:
            form.add_error("evidence", exc.messages)
        except ValidationError as exc:
            # The item moved on since the page was drawn: its page as it is now, with the reason.
            for message in exc.messages:
                messages.error(request, message)
            return redirect(target)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(target)
    return _item_page(request, item, progress_form=form)


@login_required
def item_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    if not acts_for_group(request.user, item.problem.feedback.inspected_unit):
        raise Http404
    data = rectification_notice(item, today=timezone.localdate(), watermark=watermark_for(request))
    return _attachment(data, f"整改督办通知-{item.problem.seq}.{item.seq}.docx", DOCX)


@login_required
@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_for_user_or_404(
        RectificationReport.objects.select_related("inspected_unit"), request.user, "view", pk=pk
    )
    target = reverse("liaison:ledger", args=[report.inspected_unit_id])
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return run_service(request, target, lambda: None)
    upload = form.cleaned_data["file"]
    return run_service(
        request,
        target,
        lambda: ledger_services.submit_report(
            by=request.user,
            report=report,
            upload=upload,
            name=upload.name,
            principal_signed=form.cleaned_data["principal_signed"],
        ),
    )


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's rectification overview: per round, per unit numbers."""
    if not request.user.has_perm("liaison.view_rectificationitem"):
        raise Http404
    rounds = list(InspectionRound.objects.order_by("-year", "-committee_term", "-round_no"))
    chosen = next((r for r in rounds if str(r.pk) == request.GET.get("round")), rounds[0] if rounds else None)
    rows = unit_numbers(InspectedUnit.objects.filter(inspection_round=chosen)) if chosen else []
    delivered = set(
        Feedback.objects.filter(inspected_unit__inspection_round=chosen).values_list("inspected_unit_id", flat=True)
    )
    context = {"rounds": rounds, "chosen": chosen, "rows": rows, "with_feedback": delivered}
    return render(request, "liaison/ledger/overview.html", context)
