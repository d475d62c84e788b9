"""The group's assessment (研判), the office head's approval and the transfer letter (移交, 交办)."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.documents import transfer_docx
from clues.models import Clue, ClueAssessment, ClueTransfer, ClueTransferItem, Receiver
from clues.reminders import TRANSFERS
from clues.services.lifecycle import locked, move
from core import audit, delivery
from core.models import AuditLog, Organisation, User
from core.numbering import next_doc_number
from core.permissions import grant, scope_group
from core.roles import Role
from core.services.notifications import notify
from core.services.reminders import PlannedReminder, cancel_reminders, schedule_reminders
from core.workdays import add_natural_days
from inspection.permissions import is_group_leader

TRANSFER_SERIES = "clue_transfer"
C = ClueAssessment.Conclusion
_STATUS_AFTER = {
    C.RECOMMEND_TRANSFER: Clue.Status.PROPOSED_FOR_TRANSFER,
    C.GENERAL_PROBLEM: Clue.Status.GENERAL_PROBLEM,
    C.NEEDS_MORE_WORK: Clue.Status.UNDER_ASSESSMENT,
    C.INSUFFICIENT: Clue.Status.INSUFFICIENT,
    C.DUPLICATE: Clue.Status.DUPLICATE,
    C.OUT_OF_SCOPE: Clue.Status.OUT_OF_SCOPE,
}


@transaction.atomic
def record_assessment(
    *,
    clue: Clue,
    by: User,
    conclusion: str,
    forum: str = ClueAssessment.Forum.GROUP_MEETING,
    recommended_receiver: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> ClueAssessment:
    """The group concludes on a clue; recommending a transfer is the group leader's call."""
    (clue,) = locked(clue)
    if conclusion == C.RECOMMEND_TRANSFER:
        if not (is_group_leader(by, clue.assigned_group_id) or by.has_role(Role.OFFICE_HEAD)):
            raise ValidationError(_("Only the group leader can propose a transfer."))
        if not recommended_receiver:
            raise ValidationError(_("Say to whom the clue should be transferred."))
    assessment = ClueAssessment.objects.create(
        clue=clue,
        assessed_at=now or timezone.now(),
        assessed_by=by,
        forum=forum,
        conclusion=conclusion,
        recommended_receiver=recommended_receiver if conclusion == C.RECOMMEND_TRANSFER else "",
        notes=notes,
        created_by=by,
    )
    move(clue, _STATUS_AFTER[C(conclusion)], by=by)
    return assessment


def receiver_candidates(receiver_type: str):
    """Organisations a transfer of this type may go to (交办 goes to each clue's own unit)."""
    if receiver_type == Receiver.DISCIPLINE_COMMISSION:
        return Organisation.objects.filter(unit_type=Organisation.UnitType.DISCIPLINE_COMMISSION)
    if receiver_type == Receiver.ORGANIZATION_DEPT:
        return Organisation.objects.filter(partner__category="organization")
    if receiver_type == Receiver.OTHER_DEPT:
        return Organisation.objects.all()
    return Organisation.objects.none()


def _receiver_of(clue: Clue, receiver_type: str, chosen: Organisation | None) -> Organisation:
    if receiver_type == Receiver.INSPECTED_UNIT:
        return clue.inspected_unit.org_unit
    receiver = chosen or receiver_candidates(receiver_type).order_by("pk").first()
    if receiver is None or not receiver_candidates(receiver_type).filter(pk=receiver.pk).exists():
        raise ValidationError(_("Choose the receiving organisation."))
    return receiver


@transaction.atomic
def approve_and_send(
    *,
    clues: list[Clue],
    by: User,
    receiver_type: str,
    receiver: Organisation | None = None,
    approved_by_text: str = "",
    include_reporter: bool = False,
    now: datetime | None = None,
) -> list[ClueTransfer]:
    """The office head approves proposed clues and sends them: one letter per group and receiver.

    All or nothing: if one clue is no longer awaiting approval (a double click, a stale page),
    nothing is approved.
    """
    now = now or timezone.now()
    rows = locked(clues)
    if not rows:
        raise ValidationError(_("Choose at least one clue."))
    batches: dict[tuple[int, int, int], list[Clue]] = defaultdict(list)
    for clue in rows:
        if clue.status != Clue.Status.PROPOSED_FOR_TRANSFER:
            raise ValidationError(_("Clue %(code)s is not awaiting approval.") % {"code": clue.code})
        to = _receiver_of(clue, receiver_type, receiver)
        batches[(clue.inspection_round_id, clue.assigned_group_id, to.pk)].append(clue)
    notes = _latest_assessment_notes(rows)
    transfers = []
    for (round_id, group_id, receiver_id), batch in batches.items():
        transfer = ClueTransfer.objects.create(
            inspection_round_id=round_id,
            group_id=group_id,
            receiver_type=receiver_type,
            receiver_id=receiver_id,
            approved_at=now,
            approved_by=by,
            approved_by_text=approved_by_text,
            include_reporter=include_reporter,
            created_by=by,
        )
        ClueTransferItem.objects.bulk_create(
            ClueTransferItem(transfer=transfer, clue=clue, materials_note=notes.get(clue.pk, "")) for clue in batch
        )
        for clue in batch:
            move(clue, Clue.Status.TRANSFER_APPROVED, by=by)
        transfers.append(_send(transfer, batch, by=by, now=now))
    return transfers


def _latest_assessment_notes(clues: list[Clue]) -> dict[int, str]:
    notes: dict[int, str] = {}
    for clue_id, text in (
        ClueAssessment.objects.filter(clue__in=clues).order_by("assessed_at", "pk").values_list("clue_id", "notes")
    ):
        notes[clue_id] = text
    return notes


def _send(transfer: ClueTransfer, clues: list[Clue], *, by: User, now: datetime) -> ClueTransfer:
    before = audit.snapshot(transfer)
    transfer.doc_number = next_doc_number(
        series=TRANSFER_SERIES, year=timezone.localdate(now).year, fmt=settings.TRANSFER_DOC_NUMBER_FORMAT
    )
    transfer.transferred_at = now
    # TRANSFER_FEEDBACK_DAYS natural days, ending on a working day (docs/domain.md §3.3).
    transfer.feedback_due = add_natural_days(timezone.localdate(now), settings.TRANSFER_FEEDBACK_DAYS)
    transfer.save()
    audit.log_change(user=by, obj=transfer, before=before)
    for clue in clues:
        move(clue, Clue.Status.TRANSFERRED, by=by)
    # The group that assessed the clues follows what becomes of them (docs/domain.md §5.3: R own).
    if transfer.group is not None:
        grant("view", transfer, to=transfer.group)
        grant("view", transfer, to=scope_group(transfer.group, "leaders"))
    delivery.schedule(transfer)
    return transfer


def receiving_scope(transfer: ClueTransfer) -> Any:
    return scope_group(transfer.receiver, "receive")


def _receives_nothing(transfer: ClueTransfer) -> bool:
    # 交办: the inspected unit's liaison officer never sees clues (docs/domain.md §5.2 rule 2);
    # the office records the unit's report itself.
    return transfer.receiver_type == Receiver.INSPECTED_UNIT


def _grant_receiver(transfer: ClueTransfer) -> None:
    if _receives_nothing(transfer):
        return
    clues = list(Clue.objects.filter(transfer_items__transfer=transfer))
    scope = receiving_scope(transfer)
    grant("view", transfer, to=scope)
    grant("change", transfer, to=scope)
    grant("view", clues, to=scope)
    grant("dispose", clues, to=scope)
    if transfer.include_reporter:
        grant("reveal", clues, to=scope)


def _plan_reminders(transfer: ClueTransfer) -> None:
    if not _receives_nothing(transfer):
        schedule_reminders(target=transfer, plan=reminder_plan(transfer))


def _notify_receiver(transfer: ClueTransfer) -> None:
    if _receives_nothing(transfer):
        return
    notify(
        recipients=receiver_users(transfer),
        title=_("Clues transferred by the inspection office: %(number)s") % {"number": transfer.doc_number},
        body=_("%(count)s clues; please report the disposition by %(due)s.")
        % {"count": transfer.items.count(), "due": transfer.feedback_due.isoformat() if transfer.feedback_due else ""},
        url=f"/transfers/{transfer.pk}/",
    )


def _mark_delivered(transfer: ClueTransfer) -> None:
    ClueTransfer.objects.filter(pk=transfer.pk).update(delivered_at=timezone.now())


# Access for the receiver's circle, its reminders and notice: core.delivery runs these once
# per transfer, in one transaction (registered in CluesConfig.ready). A 交办 is only marked.
DELIVERY_STEPS = (_grant_receiver, _plan_reminders, _notify_receiver, _mark_delivered)


def receiver_users(transfer: ClueTransfer) -> list[User]:
    return list(User.objects.filter(is_active=True, groups=receiving_scope(transfer)).distinct())


def reminder_plan(transfer: ClueTransfer) -> list[PlannedReminder]:
    """The transfer ladder (settings.TRANSFER_REMINDER_LADDER) from the feedback date."""
    if transfer.feedback_due is None:  # a transfer without a due date has nothing to chase
        return []
    return TRANSFERS.plan(transfer.feedback_due)


def awaiting_feedback(transfer: ClueTransfer) -> bool:
    """The receiver still owes a disposition for at least one of the transfer's clues."""
    return Clue.objects.filter(
        transfer_items__transfer=transfer, status__in=(Clue.Status.TRANSFERRED, Clue.Status.RECEIVED)
    ).exists()


def stop_reminders_if_answered(transfer: ClueTransfer) -> None:
    if not awaiting_feedback(transfer):
        cancel_reminders(target=transfer)


@transaction.atomic
def acknowledge_receipt(*, transfer: ClueTransfer, by: User, now: datetime | None = None) -> ClueTransfer:
    """The receiver (or, for 交办, the office on the unit's behalf) confirms it has the letter."""
    transfer = ClueTransfer.objects.select_for_update(no_key=True).get(pk=transfer.pk)
    if transfer.transferred_at is None or transfer.received_at is not None:
        raise ValidationError(_("This transfer has already been acknowledged."))
    before = audit.snapshot(transfer)
    transfer.received_at = now or timezone.now()
    transfer.received_by = by
    transfer.save(update_fields=["received_at", "received_by", "updated_at"])
    audit.log_change(user=by, obj=transfer, before=before)
    for clue in locked(list(Clue.objects.filter(transfer_items__transfer=transfer))):
        move(clue, Clue.Status.RECEIVED, by=by)
    return transfer


@transaction.atomic
def record_unit_done(*, clue: Clue, by: User, summary: str = "") -> Clue:
    """交办: the inspected unit reports the clue handled; the office closes it (no disposition chain)."""
    (clue,) = locked(clue)
    item = ClueTransferItem.objects.select_related("transfer").filter(clue=clue).first()
    if item is None or item.transfer.receiver_type != Receiver.INSPECTED_UNIT:
        raise ValidationError(_("Only a clue handed back to its unit (交办) is closed this way."))
    clue = move(clue, Clue.Status.CONCLUDED_NO_CASE, by=by)
    if summary:
        audit.log_action(user=by, action=AuditLog.Action.UPDATE, obj=clue, note=summary)
    return clue


@transaction.atomic
def send_back(*, clue: Clue, by: User, note: str) -> Clue:
    """The office head returns a proposal to the group for more work."""
    (clue,) = locked(clue)
    if not note.strip():
        raise ValidationError(_("Say what the group should look at again."))
    ClueAssessment.objects.create(
        clue=clue,
        assessed_at=timezone.now(),
        assessed_by=by,
        conclusion=C.NEEDS_MORE_WORK,
        notes=note,
        created_by=by,
    )
    return move(clue, Clue.Status.UNDER_ASSESSMENT, by=by)


def letter_for_reader(
    *, transfer: ClueTransfer, reader: Any, watermark: str, request: HttpRequest | None = None
) -> bytes | None:
    """The transfer letter as this reader may read it, or None when it lists no clue they may open.

    A letter lists clues, so it is generated per reader: only the clues the reader may open
    (recusal included), and the reporter only where the transfer includes it and the reader may
    reveal it; each reporter so printed is logged as a reveal, the download as a download.
    """
    visible = Clue.objects.for_user(reader)
    items = list(
        transfer.items.select_related("clue__inspected_unit__org_unit").filter(clue__in=visible).order_by("clue__code")
    )
    if not items:
        return None
    reveal: set[int] = set()
    if transfer.include_reporter:
        ids = [item.clue_id for item in items]
        reveal = set(Clue.objects.for_user(reader, "reveal").filter(pk__in=ids).values_list("pk", flat=True))
    data = transfer_docx(transfer, items, reveal=reveal, watermark=watermark)
    audit.log_action(user=reader, action=AuditLog.Action.DOWNLOAD, obj=transfer, request=request)
    note = _("Printed in transfer letter %(number)s") % {"number": transfer.doc_number or transfer.pk}
    for item in items:
        if item.clue_id in reveal and (item.clue.reporter_name or item.clue.is_anonymous):
            audit.log_action(user=reader, action=AuditLog.Action.REVEAL, obj=item.clue, request=request, note=note)
    return data
