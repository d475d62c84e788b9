"""What the receiver does with a transferred clue: the disposition chain, cases, committee meetings."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.models import (
    CaseRecord,
    Clue,
    ClueDisposition,
    ClueTransfer,
    ClueTransferItem,
    MeetingAgendaItem,
    Receiver,
    StandingCommitteeMeeting,
)
from clues.services.lifecycle import locked, move
from clues.services.transfers import receiving_scope, stop_reminders_if_answered
from core import audit
from core.models import Organisation, User
from core.permissions import grant, scope_group
from core.wording import message_date
from inspection.models import InspectionGroup

D = ClueDisposition.Type
O = ClueDisposition.Outcome  # noqa: E741
_STATUS_OF_STEP = {
    D.TALK_OR_LETTER_INQUIRY: Clue.Status.TALK_OR_LETTER_INQUIRY,
    D.PRELIMINARY_VERIFICATION: Clue.Status.PRELIMINARY_VERIFICATION,
    D.DEFERRED: Clue.Status.DEFERRED,
    # 予以了结: closed straight away, concluded without a case.
    D.CLOSED_NO_ACTION: Clue.Status.CONCLUDED_NO_CASE,
}


def _transfer_item(clue: Clue) -> ClueTransferItem:
    item = ClueTransferItem.objects.select_related("transfer").filter(clue=clue).first()
    if item is None or item.transfer.received_at is None:
        raise ValidationError(_("Acknowledge receipt of the transfer first."))
    if item.transfer.receiver_type == Receiver.INSPECTED_UNIT:
        raise ValidationError(
            _("A clue handed back to its unit (交办) has no disposition chain; the office closes it.")
        )
    return item


def current_disposition(clue: Clue) -> ClueDisposition | None:
    return clue.dispositions.order_by("-decided_at", "-pk").first()


@transaction.atomic
def record_disposition(
    *,
    clue: Clue,
    by: User,
    disposition_type: str,
    decided_at: date,
    decided_by_text: str = "",
    handling_office: Organisation | None = None,
    summary: str = "",
) -> ClueDisposition:
    """The next step of the receiver's handling; the status follows (docs/domain.md §3.3)."""
    (clue,) = locked(clue)
    item = _transfer_item(clue)
    received_on = timezone.localdate(item.transfer.received_at)
    if decided_at < received_on:
        raise ValidationError(
            _("A step cannot be dated before the transfer was received (%(date)s).")
            % {"date": message_date(received_on)}
        )
    previous = current_disposition(clue)
    if previous and decided_at < previous.decided_at:
        raise ValidationError(
            _("A step cannot be dated before the previous one (%(date)s).")
            % {"date": message_date(previous.decided_at)}
        )
    move(clue, _STATUS_OF_STEP[D(disposition_type)], by=by)
    if previous and previous.outcome == O.PENDING:
        # The previous step ends by moving on; its outcome is the next step itself.
        previous.outcome_date = decided_at
        previous.save(update_fields=["outcome_date", "updated_at"])
    disposition = ClueDisposition.objects.create(
        clue=clue,
        transfer_item=item,
        disposition_type=disposition_type,
        decided_at=decided_at,
        decided_by_text=decided_by_text,
        handling_office=handling_office,
        outcome=O.CLOSED_MINOR if disposition_type == D.CLOSED_NO_ACTION else O.PENDING,
        outcome_date=decided_at if disposition_type == D.CLOSED_NO_ACTION else None,
        summary=summary,
        created_by=by,
    )
    audit.log_change(user=by, obj=disposition, before=None)
    stop_reminders_if_answered(item.transfer)
    return disposition


@transaction.atomic
def conclude(*, clue: Clue, by: User, outcome: str, outcome_date: date, summary: str = "") -> ClueDisposition:
    """Close the current step without a case: untrue, minor (talk reminder), org handling, referred."""
    (clue,) = locked(clue)
    if outcome not in ClueDisposition.CLOSING_OUTCOMES:
        raise ValidationError(_("Choose how the clue was closed."))
    disposition = current_disposition(clue)
    if disposition is None:
        raise ValidationError(_("Record a disposition before concluding."))
    if outcome_date < disposition.decided_at:
        raise ValidationError(
            _("The outcome cannot be dated before the step it ends (%(date)s).")
            % {"date": message_date(disposition.decided_at)}
        )
    move(clue, Clue.Status.CONCLUDED_NO_CASE, by=by)
    before = audit.snapshot(disposition)
    disposition.outcome = outcome
    disposition.outcome_date = outcome_date
    if summary:
        disposition.summary = summary
    disposition.save()
    audit.log_change(user=by, obj=disposition, before=before)
    return disposition


@transaction.atomic
def open_case(
    *,
    clues: list[Clue],
    by: User,
    case_number: str,
    filed_at: date,
    subjects: list[str],
    handling_office: Organisation | None = None,
) -> CaseRecord:
    """File a case (立案) from one or more clues under preliminary verification."""
    rows = locked(clues)
    if not rows:
        raise ValidationError(_("A case needs at least one clue."))
    if CaseRecord.objects.filter(case_number=case_number).exists():
        raise ValidationError(_("Case number %(number)s is already used.") % {"number": case_number})
    items = [_transfer_item(clue) for clue in rows]
    for clue in rows:
        step = current_disposition(clue)
        if step and filed_at < step.decided_at:
            raise ValidationError(
                _("A case cannot be filed before the verification of %(code)s began (%(date)s).")
                % {"code": clue.code, "date": message_date(step.decided_at)}
            )
    receivers = {item.transfer.receiver_id for item in items}
    if len(receivers) != 1:
        raise ValidationError(_("The clues of one case must have been transferred to the same receiver."))
    case = CaseRecord.objects.create(
        case_number=case_number,
        receiver_id=receivers.pop(),
        handling_office=handling_office,
        filed_at=filed_at,
        subjects=[s.strip() for s in subjects if s.strip()],
        created_by=by,
    )
    case.clues.set(rows)
    for clue in rows:
        move(clue, Clue.Status.CASE_FILED, by=by)
        disposition = current_disposition(clue)
        if disposition is not None:  # always: a clue reaches verification by a disposition
            disposition.outcome = O.CASE_FILED
            disposition.outcome_date = filed_at
            disposition.save(update_fields=["outcome", "outcome_date", "updated_at"])
    audit.log_change(user=by, obj=case, before=None)
    _grant_case(case, items[0].transfer, rows)
    return case


def _grant_case(case: CaseRecord, transfer: ClueTransfer, clues: list[Clue]) -> None:
    """The receiver works on the case; the leaders of the clues' groups see its outcome."""
    scope = receiving_scope(transfer)
    grant("view", case, to=scope)
    grant("change", case, to=scope)
    for group_id in {clue.assigned_group_id for clue in clues}:
        grant("view", case, to=scope_group(InspectionGroup(pk=group_id), "leaders"))


@transaction.atomic
def record_case_result(
    *, case: CaseRecord, by: User, concluded_at: date, result: str, persons_sanctioned: int | None = None
) -> CaseRecord:
    case = CaseRecord.objects.select_for_update(no_key=True).get(pk=case.pk)
    if concluded_at < case.filed_at:
        raise ValidationError(_("A case cannot be concluded before it was filed."))
    before = audit.snapshot(case)
    case.concluded_at = concluded_at
    case.result = CaseRecord.Result(result)
    case.persons_sanctioned = persons_sanctioned
    case.save()
    audit.log_change(user=by, obj=case, before=before)
    return case


@transaction.atomic
def record_meeting(
    *,
    by: User,
    commission: Organisation,
    date: date,
    session_no: str,
    office_head_invited: bool,
    office_head_attended: bool,
    clues: Sequence[Clue] = (),
    cases: Sequence[CaseRecord] = (),
    notes: str = "",
) -> StandingCommitteeMeeting:
    """A standing-committee meeting and what it discussed."""
    if office_head_attended and not office_head_invited:
        raise ValidationError(_("The office head cannot have attended without an invitation."))
    if not clues and not cases:
        raise ValidationError(_("Name at least one clue or case the meeting discussed."))
    meeting = StandingCommitteeMeeting(
        commission=commission,
        date=date,
        session_no=session_no,
        office_head_invited=office_head_invited,
        office_head_attended=office_head_attended,
        notes=notes,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    MeetingAgendaItem.objects.bulk_create(
        [MeetingAgendaItem(meeting=meeting, kind=MeetingAgendaItem.Kind.CLUE_DISPOSITION, clue=c) for c in clues]
        + [MeetingAgendaItem(meeting=meeting, kind=MeetingAgendaItem.Kind.CASE_STUDY, case=c) for c in cases]
    )
    audit.log_change(user=by, obj=meeting, before=None)
    return meeting
