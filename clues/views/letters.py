"""Office pages for letters: the round's board, drafting, approval and sending, downloads."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from clues import jobs, selectors
from clues.documents import letter_docx
from clues.exports import letter_board_workbook
from clues.forms import AttachmentForm, LetterForm, NilReturnForm, ReturnForm, WorkbookUploadForm
from clues.importing.template import build_clue_template
from clues.models import InfoRequestLetter, LetterReply
from clues.services import letters as letter_services
from clues.views.common import letter_or_404, service_errors_to_messages
from core.excel.export import write_table
from core.http import DOCX, XLSX, attachment, recipients_panel, record_paper_delivery_from
from core.jobs import start_job
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404, user_can
from core.roles import Role
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from core.workdays import working_days_from
from inspection.models import InspectionRound


def _round_or_404(request: AuthenticatedHttpRequest, pk: int) -> InspectionRound:
    return get_for_user_or_404(InspectionRound.objects.all(), request.user, pk=pk)


def _require(request: AuthenticatedHttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise Http404


@login_required
def round_letters(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    inspection_round = _round_or_404(request, round_pk)
    _require(request, "clues.view_inforequestletter")
    overdue_only = request.GET.get("overdue") == "1"
    board = selectors.letter_board(request.user, inspection_round, overdue_only=overdue_only)
    return render(
        request,
        "clues/round_letters.html",
        {
            "round": inspection_round,
            "letters": board,
            "overdue_only": overdue_only,
            "summary": selectors.board_summary(board),
            "can_create": request.user.has_perm("clues.add_inforequestletter")
            and selectors.partners_without_main_letter(inspection_round) > 0,
            "can_approve": request.user.has_perm("clues.approve_inforequestletter"),
            "can_submit": request.user.has_perm("clues.change_inforequestletter"),
            "can_bulk": request.user.has_perm("clues.change_inforequestletter")
            or request.user.has_perm("clues.approve_inforequestletter"),
            "awaiting_approval": sum(1 for x in board if x.status == InfoRequestLetter.Status.PENDING_APPROVAL),
        },
    )


@login_required
def round_letters_export(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    """The board as on screen (the overdue filter kept), for the office's own records."""
    inspection_round = _round_or_404(request, round_pk)
    _require(request, "clues.view_inforequestletter")
    board = selectors.letter_board(request.user, inspection_round, overdue_only=request.GET.get("overdue") == "1")
    shown = _("Round: %(round)s") % {"round": inspection_round.title}
    if request.GET.get("overdue") == "1":
        shown += "；" + _("overdue only")
    data, _count = letter_board_workbook(board, watermark=watermark_for(request), filters=shown)
    return attachment(data, _("letters.xlsx"), XLSX)


@login_required
@require_POST
@service_errors_to_messages
def create_round_letters(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    inspection_round = _round_or_404(request, round_pk)
    _require(request, "clues.add_inforequestletter")
    created = letter_services.create_round_letters(inspection_round=inspection_round, by=request.user)
    messages.success(request, _("%(count)s draft letters created.") % {"count": len(created)})
    return redirect("clues:round-letters", round_pk=inspection_round.pk)


_BULK_PERMS = {
    letter_services.BULK_SUBMIT: ("change", "clues.change_inforequestletter"),
    letter_services.BULK_APPROVE: ("approve", "clues.approve_inforequestletter"),
}


def _bulk_confirm(
    request: AuthenticatedHttpRequest,
    inspection_round: InspectionRound,
    action: str,
    letters: list[InfoRequestLetter],
    post_url: str,
) -> HttpResponse:
    rows = [(letter, letter_services.bulk_problems(letter, action)) for letter in letters]
    return render(
        request,
        "clues/letters_bulk_confirm.html",
        {
            "round": inspection_round,
            "action": action,
            "rows": rows,
            "ready": sum(1 for _letter, problems in rows if not problems),
            "post_url": post_url,
            "in_background": len(letters) > settings.BULK_INLINE_MAX_ITEMS,
        },
    )


def _report_bulk(request: AuthenticatedHttpRequest, outcome: letter_services.BulkOutcome) -> None:
    if outcome.done:
        messages.success(request, _("%(count)s letters done.") % {"count": len(outcome.done)})
    for letter, problems in outcome.refused:
        messages.error(
            request,
            _("%(letter)s was not done: %(reasons)s")
            % {"letter": letter_services.letter_label(letter), "reasons": "；".join(problems)},
        )


@login_required
@require_http_methods(["GET", "POST"])  # GET: the confirmation page; POST: the action
@service_errors_to_messages
def round_letters_bulk(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    """Submit or approve the letters ticked on the board: a confirmation page listing what will
    happen to each, then one POST; each letter through its own transition, the refused listed."""
    inspection_round = _round_or_404(request, round_pk)
    data = request.POST if request.method == "POST" else request.GET
    action = data.get("action", "")
    if action not in _BULK_PERMS:
        raise Http404
    object_action, perm = _BULK_PERMS[action]
    _require(request, perm)
    ids = [int(i) for i in data.getlist("letter") if i.isdigit()]
    letters = list(
        InfoRequestLetter.objects.for_user(request.user, object_action)
        .filter(inspection_round=inspection_round, pk__in=ids)
        .select_related("partner__org_unit")
        .prefetch_related("inspected_units")
        .order_by("partner__sort_order", "kind", "pk")
    )
    if not letters:
        raise ValidationError(_("Tick the letters first."))
    if request.method == "GET":
        return _bulk_confirm(request, inspection_round, action, letters, request.path)
    if len(letters) > settings.BULK_INLINE_MAX_ITEMS:
        # Many letters are moved in the worker, with a progress page (core.jobs).
        job = start_job(
            jobs.BULK_LETTERS,
            by=request.user,
            total=len(letters),
            action=action,
            round=inspection_round.pk,
            letters=[x.pk for x in letters],
        )
        return redirect("core:job", pk=job.pk)
    _report_bulk(request, letter_services.act_on_letters(action=action, letters=letters, by=request.user))
    return redirect("clues:round-letters", round_pk=inspection_round.pk)


@login_required
@require_http_methods(["GET", "POST"])  # GET: the confirmation page listing the letters
@service_errors_to_messages
def approve_all(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    inspection_round = _round_or_404(request, round_pk)
    _require(request, "clues.approve_inforequestletter")
    if request.method == "GET":
        awaiting = list(
            letter_services.awaiting_approval(inspection_round)
            .select_related("partner__org_unit")
            .prefetch_related("inspected_units")
        )
        # The confirmation posts the letters it lists, so one submitted meanwhile is not sent unseen.
        bulk_url = reverse("clues:round-letters-bulk", args=[inspection_round.pk])
        return _bulk_confirm(request, inspection_round, letter_services.BULK_APPROVE, awaiting, bulk_url)
    if letter_services.awaiting_approval(inspection_round).count() > settings.BULK_INLINE_MAX_ITEMS:
        # Many letters are approved in the worker, with a progress page (core.jobs).
        job = start_job(jobs.APPROVE_LETTERS, by=request.user, round=inspection_round.pk)
        return redirect("core:job", pk=job.pk)
    count = letter_services.approve_and_send_all(inspection_round=inspection_round, by=request.user)
    messages.success(request, _("%(count)s letters approved and sent.") % {"count": count})
    return redirect("clues:round-letters", round_pk=inspection_round.pk)


@login_required
def letter_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every letter the user may see; for a partner user, their department's letters."""
    if not (request.user.has_perm("clues.view_inforequestletter") or request.user.has_role(Role.PARTNER_USER)):
        raise Http404
    page = keyset_page(selectors.letters_for(request.user), request, selectors.LETTER_LIST_ORDER, 20)
    left = working_days_from(timezone.localdate(), [x.deadline for x in page.object_list if x.deadline])
    for letter in page.object_list:
        letter.days_left = left.get(letter.deadline) if letter.deadline else None
    return render(request, "clues/letter_list.html", {"page_obj": page})


@login_required
def letter_list_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every letter the user may see (a partner: its own), as on the list."""
    if not (request.user.has_perm("clues.view_inforequestletter") or request.user.has_role(Role.PARTNER_USER)):
        raise Http404
    letters = selectors.letters_for(request.user).order_by("-sent_at", "partner__sort_order", "pk")
    headers = [
        _("Document number"),
        _("Partner"),
        _("Title"),
        _("Status"),
        pgettext("time", "Sent"),
        _("Deadline"),
        pgettext("time", "Answered"),
    ]
    rows = (
        [x.doc_number, x.partner.org_unit.display_name, x.title, x.get_status_display(),
         timezone.localdate(x.sent_at) if x.sent_at else None, x.deadline,
         timezone.localdate(x.answered_at) if x.answered_at else None]
        for x in letters
    )  # fmt: skip
    data, _count = write_table(_("Letters"), headers, rows, watermark=watermark_for(request))
    return attachment(data, _("letters.xlsx"), XLSX)


@login_required
def letter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    letter = letter_services.record_view(letter=letter, user=request.user)
    user = request.user
    can_answer = letter.status in InfoRequestLetter.AWAITING and user_can(user, "answer", letter)
    replies = selectors.replies_of(letter)
    draft = next((r for r in replies if r.status == LetterReply.Status.DRAFT), None)
    pending = next((r for r in replies if r.status == LetterReply.Status.PENDING), None)
    days_left = letter_services.working_days_left(letter)
    return render(
        request,
        "clues/letter_detail.html",
        {
            "letter": letter,
            "units": list(letter.inspected_units.select_related("org_unit").order_by("group__number", "pk")),
            "replies": replies,
            "draft": draft,
            "draft_batches": selectors.batches_of(draft) if draft else [],
            "pending": pending,
            "pending_batches": selectors.batches_of(pending) if pending else [],
            "days_left": days_left,
            "can_edit": letter.status in letter_services.EDITABLE and user.has_perm("clues.change_inforequestletter"),
            "can_approve": letter.status == InfoRequestLetter.Status.PENDING_APPROVAL
            and user.has_perm("clues.approve_inforequestletter"),
            "can_answer": can_answer,
            # Office staff see a reply's status and counts; its workbooks are clue content.
            "can_open_replies": user_can(user, "answer", letter),
            "can_review": pending is not None and user.has_perm("clues.review_inforequestletter"),
            "upload_form": WorkbookUploadForm(),
            "attachment_form": AttachmentForm(),
            "nil_form": NilReturnForm(),
            "return_form": ReturnForm(),
            # The office sees who the letter reaches before approving it, or 线下送达 (issue 13 item 5).
            "show_recipients": user.has_perm("clues.change_inforequestletter")
            or user.has_perm("clues.approve_inforequestletter"),
            **recipients_panel(
                letter,
                letter_services.partner_users(letter.partner),
                sent=letter.sent_at is not None,
                paper_url=reverse("clues:letter-paper-delivery", args=[letter.pk]),
                may_record=user.has_perm("clues.change_inforequestletter"),
            ),
        },
    )


@login_required
def letter_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "change")
    if request.method == "POST":
        form = LetterForm(request.POST, letter=letter)
        if form.is_valid():
            data = dict(form.cleaned_data)
            units = list(data.pop("inspected_units"))
            try:
                letter_services.update_letter(letter=letter, by=request.user, units=units, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Letter saved."))
                return redirect("clues:letter-detail", pk=letter.pk)
    else:
        form = LetterForm(initial=LetterForm.initial_for(letter), letter=letter)
    return render(request, "clues/letter_edit.html", {"letter": letter, "form": form})


@login_required
@require_POST
@service_errors_to_messages
def letter_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "change")
    letter_services.submit_for_approval(letter=letter, by=request.user)
    messages.success(request, _("Submitted to the office head for approval."))
    return redirect("clues:letter-detail", pk=letter.pk)


@login_required
@require_POST
@service_errors_to_messages
def letter_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "approve")
    letter = letter_services.approve_and_send(letter=letter, by=request.user)
    messages.success(request, _("Letter %(number)s approved and sent.") % {"number": letter.doc_number})
    return redirect("clues:letter-detail", pk=letter.pk)


@login_required
@require_POST
@service_errors_to_messages
def letter_paper_delivery(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office records how a letter to a partner without a reachable user reached it on paper."""
    letter = letter_or_404(request, pk, "change")
    record_paper_delivery_from(request, letter)
    return redirect("clues:letter-detail", pk=letter.pk)


@login_required
@require_POST
@service_errors_to_messages
def letter_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "change")
    letter_services.withdraw_letter(letter=letter, by=request.user)
    messages.success(request, _("Letter withdrawn."))
    return redirect("clues:letter-detail", pk=letter.pk)


@login_required
@require_POST
@service_errors_to_messages
def letter_supplementary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    main = letter_or_404(request, pk, "change")
    letter = letter_services.create_supplementary_letter(main=main, by=request.user)
    messages.success(request, _("Supplementary letter drafted."))
    return redirect("clues:letter-edit", pk=letter.pk)


@login_required
def letter_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    return attachment(
        letter_docx(letter, watermark=watermark_for(request)), f"{letter.doc_number or letter.title}.docx", DOCX
    )


@login_required
def template_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    units = [u.org_unit.name for u in letter.inspected_units.select_related("org_unit").order_by("group__number", "pk")]
    data = build_clue_template(
        title="关于提供被巡察单位问题线索情况统计表",
        partner_name=letter.partner.org_unit.name,
        doc_number=letter.doc_number,
        unit_names=units,
        watermark=watermark_for(request),
    )
    return attachment(data, f"问题线索情况统计表（{letter.partner.org_unit.display_name}）.xlsx", XLSX)
