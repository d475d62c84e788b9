"""A partner's answer to a letter, and the office's review of it (docs/domain.md §3.2)."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.importing.parser import ParseStream
from clues.importing.result import ParseResult
from clues.models import ClueImportBatch, InfoRequestLetter, LetterReply
from clues.services import importing, letters
from core import audit, transitions
from core.files import (
    DOCUMENT_KINDS,
    SPREADSHEET_KINDS,
    CheckedFile,
    Rendition,
    keep_checked,
    private_storage,
    store_upload,
)
from core.http import XLSX
from core.models import AuditLog, Notification, StoredFile, User
from core.roles import Role
from core.services.directory import users_with_role
from core.services.notifications import notify
from core.services.reminders import replan_reminders
from core.wording import message_date
from core.workdays import add_working_days

RS = LetterReply.Status
# An answer's way (docs/domain.md §3.2): the partner submits it, the reviewer accepts or returns it; a
# paper reply an administrator loads is accepted at once.
WORKFLOW = transitions.register(
    transitions.Workflow(
        LetterReply,
        [
            transitions.Transition("submit", (RS.DRAFT,), RS.PENDING),
            transitions.Transition("accept", (RS.PENDING,), RS.ACCEPTED),
            transitions.Transition("return", (RS.PENDING,), RS.RETURNED),
            transitions.Transition("accept_paper", (RS.DRAFT,), RS.ACCEPTED),
        ],
        related=("letter__partner__org_unit",),
    )
)


def _locked_awaiting_letter(letter: InfoRequestLetter) -> InfoRequestLetter:
    letter = transitions.lock(letter)
    if letter.status not in InfoRequestLetter.AWAITING:
        raise ValidationError(_("This letter is not waiting for an answer."))
    return letter


def draft_reply(*, letter: InfoRequestLetter, by: User | None) -> LetterReply:
    """The reply being prepared for a letter, started on first use. Call inside a transaction."""
    reply = letter.replies.filter(status=LetterReply.Status.DRAFT).first()
    if reply is not None:
        return reply
    version = (letter.replies.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    # Anyone but the partner's own users (office staff, an administrator's import) records a paper reply.
    on_paper = by is None or not by.has_role(Role.PARTNER_USER)
    reply = LetterReply.objects.create(letter=letter, version=version, on_paper=on_paper, created_by=by)
    return reply


def current_draft(letter: InfoRequestLetter) -> LetterReply | None:
    return letter.replies.filter(status=LetterReply.Status.DRAFT).first()


@transaction.atomic
def upload_workbook(
    *, letter: InfoRequestLetter, by: User, upload: IO[bytes], name: str, replaces: ClueImportBatch | None = None
) -> ClueImportBatch:
    """Check, keep and stage a clue workbook. Raises FileRejected (nothing kept) for a refused file.

    A corrected upload supersedes the batch it replaces; without one named, it supersedes every
    batch of the answer that has errors, so the partner only ever fixes and uploads again.
    """
    letter = _locked_awaiting_letter(letter)
    letters.record_view(letter=letter, user=by)
    reply = draft_reply(letter=letter, by=by)
    # Every file of a reply is sealed at rest: a workbook holds reporters (issue 11), and an
    # attachment or the cover letter may name them too.
    stored = store_upload(
        upload=upload, name=name, uploaded_by=by, allowed_kinds=SPREADSHEET_KINDS, owner=reply, sealed=True
    )
    if replaces is not None:
        if replaces.reply_id != reply.pk:
            raise ValidationError(_("That workbook belongs to another answer."))
        importing.supersede(batch=replaces, by=by)
    else:
        for failed in reply.batches.filter(
            status__in=[ClueImportBatch.Status.INVALID, ClueImportBatch.Status.REJECTED]
        ):
            importing.supersede(batch=failed, by=by)
    batch = importing.stage_file(reply=reply, stored=stored)
    audit.log_action(user=by, action=AuditLog.Action.CREATE, obj=batch, note=stored.original_name)
    return batch


@transaction.atomic
def attach_file(*, letter: InfoRequestLetter, by: User, upload: IO[bytes], name: str, cover_letter: bool) -> StoredFile:
    """Keep an attachment (PDF, image, Word) of the reply; the stamped cover letter is one of them."""
    letter = _locked_awaiting_letter(letter)
    reply = draft_reply(letter=letter, by=by)
    stored = store_upload(
        upload=upload, name=name, uploaded_by=by, allowed_kinds=DOCUMENT_KINDS, owner=reply, sealed=True
    )
    if cover_letter:
        reply.cover_letter = stored
        reply.save(update_fields=["cover_letter", "updated_at"])
    return stored


def reply_file_download(stored: StoredFile, *, watermark: str) -> Rendition | None:
    """A reply's workbook is downloaded as its sealed copy, never as the original (core.files):
    the reporter's cells read "（已密封）" for everyone, the partner included, and the reader's
    watermark is on it. Attachments and the cover letter are served as uploaded (None)."""
    if stored.kind not in SPREADSHEET_KINDS:
        return None
    # Stored data, not a UI string: the name says the copy is sealed, whatever the reader's language.
    name = f"{PurePath(stored.original_name).stem}（已密封）.xlsx"
    return Rendition(content=importing.sealed_copy(stored, watermark=watermark), filename=name, content_type=XLSX)


@transaction.atomic
def declare_nil_return(*, letter: InfoRequestLetter, by: User, statement: str) -> LetterReply:
    """Nothing relevant was found (无相关情况): a valid answer with a statement instead of workbooks."""
    letter = _locked_awaiting_letter(letter)
    if not statement.strip():
        raise ValidationError(_("Please write the statement of a nil return."))
    reply = draft_reply(letter=letter, by=by)
    reply.is_nil_return = True
    reply.narrative = statement.strip()
    reply.save(update_fields=["is_nil_return", "narrative", "updated_at"])
    return reply


def usable_batches(reply: LetterReply) -> list[ClueImportBatch]:
    return list(reply.batches.exclude(status=ClueImportBatch.Status.SUPERSEDED).order_by("uploaded_at", "pk"))


@transaction.atomic
def submit_reply(*, letter: InfoRequestLetter, by: User, now: datetime | None = None) -> LetterReply:
    """Send the prepared answer to the office: the letter is answered and its reminders stop.

    Needs the stamped cover letter and either clean workbooks or a nil return.
    """
    letter = _locked_awaiting_letter(letter)
    reply = current_draft(letter)
    if reply is None:
        raise ValidationError(_("Upload a workbook or declare a nil return first."))
    batches = usable_batches(reply)
    if reply.cover_letter_id is None:
        raise ValidationError(_("Upload the stamped cover letter first."))
    if not batches and not reply.is_nil_return:
        raise ValidationError(_("Upload a workbook or declare a nil return first."))
    if any(b.status != ClueImportBatch.Status.STAGED for b in batches):
        raise ValidationError(_("Correct the workbooks with errors, or remove them, before submitting."))
    now = now or timezone.now()
    reply = transitions.perform(reply, "submit", by=by, fields={"submitted_by": by, "submitted_at": now})
    # Answering without a recorded view is allowed: record the view at the same time.
    viewed = {} if letter.first_viewed_at else {"first_viewed_at": now}
    letters.transition(letter, by, InfoRequestLetter.Status.ANSWERED, answered_at=now, **viewed)
    letters.stop_reminders(letter)
    # The reviewers act next: reviewing an answer is the custodian's and the office head's (core.roles).
    notify(
        recipients=users_with_role(Role.CLUE_CUSTODIAN, Role.OFFICE_HEAD),
        title=_("Letter %(number)s: %(partner)s has answered; review the answer")
        % {"number": letter.doc_number, "partner": letter.partner.org_unit.display_name},
        body=_("Nil return.") if reply.is_nil_return else "",
        url=f"/letters/{letter.pk}/",
        kind=Notification.Kind.HANDOFF,
    )
    return reply


def rows_to_register(reply: LetterReply) -> int:
    """The data rows accepting the answer registers as clues (its usable workbooks')."""
    return sum(batch.rows_data for batch in usable_batches(reply))


@transaction.atomic
def accept_reply(
    *, reply: LetterReply, by: User, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> LetterReply:
    """The office accepts the answer: every clean workbook becomes clues, all or nothing.

    A large answer is accepted by a background job (clues.jobs), which passes `progress`.
    """
    reply = transitions.lock(reply)
    if reply.status != LetterReply.Status.PENDING:
        raise ValidationError(_("This answer is not awaiting review."))
    for batch in usable_batches(reply):
        importing.commit_batch(batch=batch, by=by, progress=progress)
    now = now or timezone.now()
    reply = transitions.perform(reply, "accept", by=by, fields={"reviewed_by": by, "reviewed_at": now}, locked=True)
    letter = letters.transition(reply.letter, by, InfoRequestLetter.Status.ACCEPTED, accepted_at=now)
    notify(
        recipients=letters.partner_users(letter.partner),
        title=_("Letter %(number)s: your answer was accepted") % {"number": letter.doc_number},
        url=f"/letters/{letter.pk}/",
        kind=Notification.Kind.HANDOFF,
    )
    return reply


def deadline_after_return(letter: InfoRequestLetter, now: datetime) -> date:
    """A return never shortens the partner's time: the later of the letter's deadline and
    LETTER_RETURN_WORKING_DAYS working days from the day of the return (docs/domain.md §3.2)."""
    fresh = add_working_days(timezone.localdate(now), settings.LETTER_RETURN_WORKING_DAYS)
    return max(letter.deadline, fresh) if letter.deadline else fresh


@transaction.atomic
def return_reply(*, reply: LetterReply, by: User, note: str, now: datetime | None = None) -> LetterReply:
    """Send the answer back with a note; the partner gets at least LETTER_RETURN_WORKING_DAYS working
    days more (deadline_after_return) and the reminders are planned again from the deadline."""
    if not note.strip():
        raise ValidationError(_("Say what the partner should correct."))
    reply = transitions.lock(reply)
    if reply.status != LetterReply.Status.PENDING:
        raise ValidationError(_("This answer is not awaiting review."))
    now = now or timezone.now()
    fields = {"review_note": note.strip(), "reviewed_by": by, "reviewed_at": now}
    reply = transitions.perform(reply, "return", by=by, fields=fields, locked=True)
    letter = letters.transition(
        reply.letter,
        by,
        InfoRequestLetter.Status.RETURNED,
        deadline=deadline_after_return(reply.letter, now),
        sent_at=reply.letter.sent_at,
    )
    replan_reminders(target=letter, plan=letters.reminder_plan(letter), now=now)
    notify(
        recipients=letters.partner_users(letter.partner),
        title=_("Letter %(number)s: your answer was returned, answer again by %(deadline)s")
        % {"number": letter.doc_number, "deadline": message_date(letter.deadline)},
        body=note.strip(),
        url=f"/letters/{letter.pk}/",
        kind=Notification.Kind.HANDOFF,
    )
    return reply


@transaction.atomic
def import_paper_reply(
    *,
    letter: InfoRequestLetter,
    checked: CheckedFile,
    name: str,
    result: ParseResult | ParseStream,
    by: User | None,
) -> int:
    """An administrator loads a workbook (a late paper reply, a past round's ledger) for a letter.

    Whatever state the letter is in, the file becomes a batch of a paper reply and is committed
    as the office would; a letter still awaiting an answer is marked answered and accepted.
    Given a ParseStream (manage.py import_clues), rows are staged and committed as they are
    parsed, and importing.NotClean is raised, with nothing kept, when the file has an error.
    """
    letter = transitions.lock(letter)
    reply = draft_reply(letter=letter, by=by)
    stored = keep_checked(checked=checked, name=name, uploaded_by=by or _system_user(), owner=reply, sealed=True)
    if isinstance(result, ParseStream):
        try:
            created = importing.stage_and_commit(reply=reply, stream=result, stored=stored, by=by)
        except importing.NotClean:
            # The rollback removes the file's row; its bytes are removed here (keep_checked's rule).
            private_storage().delete(stored.storage_name)
            raise
    else:
        batch = importing.stage_result(reply=reply, stored=stored, result=result)
        created = importing.commit_batch(batch=batch, by=by)
    now = timezone.now()
    fields = {"submitted_by": by, "submitted_at": now, "reviewed_by": by, "reviewed_at": now}
    transitions.perform(reply, "accept_paper", by=by, fields=fields)
    if letter.status in InfoRequestLetter.AWAITING:
        letters.transition(letter, by, InfoRequestLetter.Status.ANSWERED, answered_at=now)
        letters.stop_reminders(letter)
    if letter.status == InfoRequestLetter.Status.ANSWERED:
        letters.transition(letter, by, InfoRequestLetter.Status.ACCEPTED, accepted_at=now)
    return created


def _system_user() -> Any:
    """The account recorded as uploader of files loaded from the command line."""
    user, _created = User.objects.get_or_create(username="system", defaults={"is_active": False, "last_name": "系统"})
    return user
