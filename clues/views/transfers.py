"""Transfers (移交): the head's approval, the letters, the receiver's dispositions and cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clues.exports import transfers_workbook
from clues.forms import (
    ApproveTransferForm,
    CaseForm,
    CaseResultForm,
    ConcludeForm,
    ConfirmTransferForm,
    DispositionForm,
)
from clues.models import CaseRecord, Clue, ClueTransfer
from clues.selectors.transfers import (
    TRANSFER_ITEMS_ORDER,
    TRANSFER_LEDGER_ORDER,
    TransferFilters,
    transfer_board,
    transfer_counts,
    transfer_items,
)
from clues.services import dispositions, registry, transfers
from clues.views.common import service_errors_to_messages
from core import audit, http
from core.http import DOCX, XLSX, attachment, form_errors
from core.models import AuditLog
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404, user_can
from core.roles import CLUE_HOLDING_ROLES
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for

# The clues listed on a transfer's page at a time.
TRANSFER_ITEMS_PER_PAGE = 50


def _transfer_or_404(request: AuthenticatedHttpRequest, pk: int, action: str = "view") -> ClueTransfer:
    return get_for_user_or_404(
        ClueTransfer.objects.select_related("receiver", "group", "inspection_round", "approved_by"),
        request.user,
        action,
        pk=pk,
    )


# A refused approval goes back to the proposals, redrawn as they are now.
back_to_proposals = http.service_errors_to_messages(fallback="clues:transfer-proposals")


def _proposed(request: AuthenticatedHttpRequest) -> list[Clue]:
    if not request.user.has_perm("clues.approve_cluetransfer"):
        raise Http404
    return list(
        Clue.objects.for_user(request.user)
        .filter(status=Clue.Status.PROPOSED_FOR_TRANSFER)
        .select_related("inspected_unit__org_unit", "assigned_group", "inspection_round")
        .order_by("inspection_round", "assigned_group__number", "code")
    )


@login_required
def transfer_proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office head's queue: the proposals to approve, none ticked, each going to its group's
    recommended receiver unless the head changes that row, and the approving meeting.

    A valid post shows the confirmation page (what will be numbered and sent, per letter); nothing
    is sent from here. A post with `revise` (the confirmation page's "Change") redraws the queue
    with the head's choices.
    """
    clues = _proposed(request)
    form = ApproveTransferForm(request.POST if request.method == "POST" else None, clues=clues)
    if form.is_bound and "revise" not in request.POST and form.is_valid():
        try:
            plan = transfers.plan_transfers(form.choices(), form.proposals)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            chosen = [clue for letter in plan for clue in letter.clues]
            registry.record_list_read(user=request.user, rows=chosen, filters="transfer approval", request=request)
            return render(
                request,
                "clues/transfer_confirm.html",
                {
                    "plan": plan,
                    "meeting": form.meeting(),
                    "include_reporter": form.cleaned_data["include_reporter"],
                    "token": form.token(request.user),
                    "resubmit": [
                        (name, value)
                        for name in request.POST
                        if name != "csrfmiddlewaretoken"
                        for value in request.POST.getlist(name)
                    ],
                },
            )
    registry.record_list_read(user=request.user, rows=clues, filters="status=proposed_for_transfer", request=request)
    return render(request, "clues/transfer_proposals.html", {"form": form, "rows": form.rows})


@login_required
@require_POST
@back_to_proposals
def transfer_send(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The confirmation page's button: number and send exactly what the page listed, once.

    A proposal approved, sent back or changed since the page was drawn refuses the whole page
    (nothing is sent); the same page posted twice (a double click) sends once.
    """
    if not request.user.has_perm("clues.approve_cluetransfer"):
        raise Http404
    form = ConfirmTransferForm(request.POST, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    approval = form.cleaned_data["token"]
    clues = Clue.objects.for_user(request.user).in_bulk([row[0] for row in approval.rows])
    if len(clues) != len(approval.rows):
        raise ValidationError(
            _("A clue on the confirmation page is no longer available. Nothing was sent; check the proposals again.")
        )
    sent = transfers.approve_and_send(
        choices=approval.choices(clues),
        by=request.user,
        meeting=approval.meeting,
        include_reporter=approval.include_reporter,
        key=approval.key,
    )
    messages.success(
        request,
        _("%(count)s transfer letters sent: %(numbers)s")
        % {"count": len(sent), "numbers": "、".join(t.doc_number for t in sent)},
    )
    return redirect("clues:transfer-list")


@login_required
def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.has_perm("clues.view_cluetransfer") or request.user.has_role(*CLUE_HOLDING_ROLES)):
        raise Http404
    filters = TransferFilters.from_query(request.GET, request=request)
    board = transfer_board(request.user, filters)
    page = keyset_page(board, request, TRANSFER_LEDGER_ORDER, 30)
    registry.record_list_read(
        user=request.user, rows=page.object_list, model=ClueTransfer, filters=filters.as_query(), request=request
    )
    return render(
        request,
        "clues/transfer_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "today": timezone.localdate(),
            "can_export": request.user.has_perm("clues.view_cluetransfer"),
        },
    )


@login_required
def transfer_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The transfer ledger as a workbook (no clue content): for the office that keeps it."""
    if not request.user.has_perm("clues.view_cluetransfer"):
        raise Http404
    filters = TransferFilters.from_query(request.GET, request=request)
    data, count = transfers_workbook(
        transfer_board(request.user, filters), watermark=watermark_for(request), filters=filters.describe()
    )
    audit.log_action(
        user=request.user,
        action=AuditLog.Action.EXPORT,
        obj=request.user,
        request=request,
        note=_("%(count)s transfers") % {"count": count},
    )
    return attachment(data, _("transfers.xlsx"), XLSX)


@login_required
def transfer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A transfer letter and its clues, a keyset page at a time: a letter may carry thousands
    (issue 16), and the counts per status come from its counters, not from the listed rows."""
    transfer = _transfer_or_404(request, pk)
    user = request.user
    page = keyset_page(transfer_items(transfer, user), request, TRANSFER_ITEMS_ORDER, TRANSFER_ITEMS_PER_PAGE)
    registry.record_list_read(
        user=user, rows=[item.clue for item in page], filters=f"transfer={transfer.pk}", request=request
    )
    counts = transfer_counts(transfer)
    can_receive = transfer.received_at is None and (
        user_can(user, "change", transfer)
        or (transfer.receiver_type == ClueTransfer.Receiver.INSPECTED_UNIT and user.has_perm("clues.change_clue"))
    )
    can_dispose = user_can(user, "change", transfer) and transfer.received_at is not None
    case_form = None
    if can_dispose and counts.get(Clue.Status.PRELIMINARY_VERIFICATION):
        candidates = Clue.objects.filter(transfer_items__transfer=transfer, status=Clue.Status.PRELIMINARY_VERIFICATION)
        case_form = CaseForm(clues=candidates)
    return render(
        request,
        "clues/transfer_detail.html",
        {
            "transfer": transfer,
            "page_obj": page,
            "status_counts": [(label, counts[value]) for value, label in Clue.Status.choices if value in counts],
            "clue_count": sum(counts.values()),
            "can_receive": can_receive,
            "case_form": case_form,
        },
    )


@login_required
def transfer_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer_or_404(request, pk)
    data = transfers.letter_for_reader(
        transfer=transfer, reader=request.user, watermark=watermark_for(request), request=request
    )
    if data is None:
        raise Http404
    return attachment(data, f"{transfer.doc_number or transfer.pk}.docx", DOCX)


@login_required
@require_POST
@service_errors_to_messages
def transfer_receive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer_or_404(request, pk)
    office_for_unit = transfer.receiver_type == ClueTransfer.Receiver.INSPECTED_UNIT and request.user.has_perm(
        "clues.change_clue"
    )
    if not (office_for_unit or user_can(request.user, "change", transfer)):
        raise Http404
    transfers.acknowledge_receipt(transfer=transfer, by=request.user)
    messages.success(request, _("Receipt acknowledged."))
    return redirect("clues:transfer-detail", pk=transfer.pk)


def _clue_to_dispose(request: AuthenticatedHttpRequest, pk: int) -> Clue:
    return get_for_user_or_404(Clue.objects.all(), request.user, "dispose", pk=pk)


@login_required
def clue_dispose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The receiver's page for one clue: the next step of the chain, or its conclusion."""
    clue = _clue_to_dispose(request, pk)
    step_form = DispositionForm(request.POST if request.POST.get("form") == "step" else None)
    conclude_form = ConcludeForm(request.POST if request.POST.get("form") == "conclude" else None)
    if request.method == "POST":
        try:
            if step_form.is_bound and step_form.is_valid():
                dispositions.record_disposition(clue=clue, by=request.user, **step_form.cleaned_data)
                messages.success(request, _("Disposition recorded."))
                return redirect("clues:clue-detail", pk=clue.pk)
            if conclude_form.is_bound and conclude_form.is_valid():
                dispositions.conclude(clue=clue, by=request.user, **conclude_form.cleaned_data)
                messages.success(request, _("Clue %(code)s concluded.") % {"code": clue.code})
                return redirect("clues:clue-detail", pk=clue.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    registry.record_read(clue=clue, user=request.user, request=request)
    return render(
        request,
        "clues/clue_dispose.html",
        {
            "clue": clue,
            "history": clue.dispositions.select_related("handling_office"),
            "step_form": step_form,
            "conclude_form": conclude_form,
            "can_conclude": clue.status
            in (Clue.Status.TALK_OR_LETTER_INQUIRY, Clue.Status.PRELIMINARY_VERIFICATION, Clue.Status.DEFERRED),
        },
    )


@login_required
@require_POST
@service_errors_to_messages
def clue_unit_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """交办: the office records that the inspected unit has handled the clue."""
    clue = get_for_user_or_404(Clue.objects.all(), request.user, "change", pk=pk)
    transfers.record_unit_done(clue=clue, by=request.user, summary=request.POST.get("summary", "")[:200])
    messages.success(request, _("Clue %(code)s closed.") % {"code": clue.code})
    return redirect("clues:clue-detail", pk=clue.pk)


@login_required
@require_POST
@service_errors_to_messages
def case_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """File a case from clues of one transfer under preliminary verification."""
    transfer = _transfer_or_404(request, pk, "change")
    candidates = Clue.objects.for_user(request.user, "dispose").filter(
        transfer_items__transfer=transfer, status=Clue.Status.PRELIMINARY_VERIFICATION
    )
    form = CaseForm(request.POST, clues=candidates)
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])
    data = form.cleaned_data
    case = dispositions.open_case(
        clues=list(data["clues"]),
        by=request.user,
        case_number=data["case_number"],
        filed_at=data["filed_at"],
        subjects=data["subjects"],
    )
    messages.success(request, _("Case %(number)s filed.") % {"number": case.case_number})
    return redirect("clues:case-detail", pk=case.pk)


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_for_user_or_404(CaseRecord.objects.select_related("receiver", "handling_office"), request.user, pk=pk)
    can_change = user_can(request.user, "change", case)
    form = CaseResultForm(request.POST or None) if can_change else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            dispositions.record_case_result(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case result recorded."))
            return redirect("clues:case-detail", pk=case.pk)
    audit.log_action(user=request.user, action=AuditLog.Action.VIEW, obj=case, request=request)
    return render(
        request,
        "clues/case_detail.html",
        {
            "case": case,
            "clues": case.clues.for_user(request.user).order_by("code"),
            "form": form,
            # Group leaders follow the outcome of their clues, not the case file (docs/domain.md §5.3).
            "outcome_only": not (can_change or request.user.has_perm("clues.view_caserecord")),
        },
    )
