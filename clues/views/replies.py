"""Answering a letter (partner users, or office staff for a paper reply) and reviewing answers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clues import jobs, selectors
from clues.forms import AttachmentForm, NilReturnForm, ReturnForm, WorkbookUploadForm
from clues.models import ClueImportBatch, LetterReply
from clues.selectors.letters import PREVIEW_COLUMNS
from clues.services import importing, replies
from clues.views.common import letter_or_404, service_errors_to_messages
from core import audit
from core.excel.reader import UnreadableWorkbook
from core.files import FileChanged, check_intact
from core.http import XLSX, attachment, file_changed, file_unavailable, form_errors_to_messages
from core.jobs import start_job
from core.models import AuditLog
from core.pagination import keyset_page
from core.permissions import get_for_user_or_404
from core.sealing import SealBroken
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for


def _back(letter_pk: int) -> HttpResponse:
    return redirect("clues:letter-detail", pk=letter_pk)


@login_required
@require_POST
@service_errors_to_messages
def upload_workbook(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "answer")
    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(letter.pk)
    replaces = None
    if form.cleaned_data.get("replaces"):
        replaces = get_for_user_or_404(
            ClueImportBatch.objects.all(), request.user, "answer", pk=form.cleaned_data["replaces"]
        )
    upload = form.cleaned_data["file"]
    batch = replies.upload_workbook(letter=letter, by=request.user, upload=upload, name=upload.name, replaces=replaces)
    if batch.status == ClueImportBatch.Status.STAGED:
        messages.success(request, _("Workbook checked: %(rows)s clue rows, no errors.") % {"rows": batch.rows_data})
    else:
        messages.error(request, _("The workbook has problems. See the list below, correct them and upload it again."))
    return redirect("clues:batch-detail", pk=batch.pk)


@login_required
@require_POST
@service_errors_to_messages
def attach_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "answer")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        replies.attach_file(
            letter=letter,
            by=request.user,
            upload=upload,
            name=upload.name,
            cover_letter=form.cleaned_data["cover_letter"],
        )
        messages.success(request, _("File uploaded."))
    else:
        form_errors_to_messages(request, form)
    return _back(letter.pk)


@login_required
@require_POST
@service_errors_to_messages
def nil_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "answer")
    form = NilReturnForm(request.POST)
    if form.is_valid():
        replies.declare_nil_return(letter=letter, by=request.user, statement=form.cleaned_data["statement"])
        messages.success(request, _("Nil return recorded. Upload the stamped statement, then submit."))
    else:
        form_errors_to_messages(request, form)
    return _back(letter.pk)


@login_required
@require_POST
@service_errors_to_messages
def submit_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk, "answer")
    replies.submit_reply(letter=letter, by=request.user)
    messages.success(request, _("Your answer has been sent to the inspection office."))
    return _back(letter.pk)


@login_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_for_user_or_404(
        ClueImportBatch.objects.select_related("reply__letter__partner__org_unit", "file"), request.user, pk=pk
    )
    page = keyset_page(selectors.rows_with_issues(batch), request, selectors.ISSUE_ROWS_ORDER, 50)
    show_data = request.user.has_perm("clues.review_inforequestletter") or request.user.has_role("partner_user")
    return render(
        request,
        "clues/batch_detail.html",
        {"batch": batch, "letter": batch.reply.letter, "page_obj": page, "show_data": show_data},
    )


@login_required
def batch_errors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The uploaded workbook with every bad cell marked and commented, to correct and upload again."""
    batch = get_for_user_or_404(ClueImportBatch.objects.select_related("file"), request.user, pk=pk)
    try:
        # Made from the stored workbook: refused, like the workbook itself, when it was changed.
        check_intact(batch.file)
        data = importing.error_workbook(batch, watermark=watermark_for(request))
    except FileNotFoundError as exc:
        raise Http404 from exc
    except FileChanged:
        return file_changed(request, batch.file)
    except SealBroken:
        return file_unavailable(request, sealed_broken=True)
    except UnreadableWorkbook:
        return file_unavailable(request, sealed_broken=False)
    # The partner's own rows come back in it: logged like the original workbook's download.
    audit.log_action(user=request.user, action=AuditLog.Action.DOWNLOAD, obj=batch, request=request)
    return attachment(data, f"错误标注-{batch.file.original_name.rsplit('.', 1)[0]}.xlsx", XLSX)


def _reply_or_404(request: AuthenticatedHttpRequest, pk: int) -> LetterReply:
    return get_for_user_or_404(LetterReply.objects.select_related("letter"), request.user, "review", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])  # GET: the preview of the rows as read, before accepting
@service_errors_to_messages
def accept_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the rows as read (first rows and every flagged one) before the accept button; POST: accept."""
    reply = _reply_or_404(request, pk)
    if request.method == "GET":
        if reply.status != LetterReply.Status.PENDING:
            raise ValidationError(_("This answer is not awaiting review."))
        preview = selectors.accept_preview(replies.usable_batches(reply))
        # The rows are the partner's clue content: the preview's reading is logged, once a page.
        audit.log_action(user=request.user, action=AuditLog.Action.VIEW, obj=reply, request=request)
        return render(
            request,
            "clues/reply_accept_confirm.html",
            {
                "reply": reply,
                "letter": reply.letter,
                "preview": preview,
                "columns": PREVIEW_COLUMNS,
                "to_register": replies.rows_to_register(reply),
            },
        )
    if replies.rows_to_register(reply) > settings.REPLY_ACCEPT_INLINE_MAX_ROWS:
        # A large answer is committed in the worker: the request only starts it (core.jobs).
        if reply.status != LetterReply.Status.PENDING:
            raise ValidationError(_("This answer is not awaiting review."))
        job = start_job(jobs.ACCEPT_REPLY, by=request.user, reply=reply.pk)
        return redirect("core:job", pk=job.pk)
    replies.accept_reply(reply=reply, by=request.user)
    messages.success(request, _("Answer accepted; its clues are registered."))
    return _back(reply.letter_id)


@login_required
@require_POST
@service_errors_to_messages
def return_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reply = _reply_or_404(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(reply.letter_id)
    replies.return_reply(reply=reply, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Answer returned to the partner."))
    return _back(reply.letter_id)
