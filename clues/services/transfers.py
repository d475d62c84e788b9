"""The group's assessment (研判), the office head's approval and the transfer letter (移交, 交办)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clues import tallies
from clues.documents import transfer_docx
from clues.models import Clue, ClueAssessment, ClueTransfer, ClueTransferItem, Receiver
from clues.reminders import TRANSFERS
from clues.services.lifecycle import locked, move
from core import audit, delivery
from core.models import AuditLog, Notification, Organisation, User
from core.numbering import next_doc_number
from core.permissions import grant, scope_group
from core.roles import Role
from core.services.notifications import notify
from core.services.reminders import PlannedReminder, cancel_reminders, schedule_reminders
from core.wording import message_date
from core.workdays import add_natural_days
from inspection.models import InspectionGroup, InspectionRound
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


def receiver_candidates(receiver_type: str) -> QuerySet[Organisation]:
    """Organisations a transfer of this type may go to (交办 goes to each clue's own unit)."""
    if receiver_type == Receiver.DISCIPLINE_COMMISSION:
        return Organisation.objects.filter(unit_type=Organisation.UnitType.DISCIPLINE_COMMISSION)
    if receiver_type == Receiver.ORGANIZATION_DEPT:
        return Organisation.objects.filter(partner__category="organization")
    if receiver_type == Receiver.OTHER_DEPT:
        return Organisation.objects.all()
    return Organisation.objects.none()


def _receiver_of(
    clue: Clue, receiver_type: str, chosen: Organisation | None, checked: dict[tuple[str, int | None], Organisation]
) -> Organisation:
    """The organisation the clue goes to; `checked` remembers the answers for the other clues."""
    if receiver_type == Receiver.INSPECTED_UNIT:
        return clue.inspected_unit.org_unit
    if receiver_type == Receiver.OTHER_DEPT and chosen is None:
        # No default here: "another department" names none (the jurisdiction's first would be a guess).
        raise ValidationError(
            _("Clue %(code)s goes to another department: choose the receiving organisation.") % {"code": clue.code}
        )
    key = (receiver_type, chosen.pk if chosen else None)
    if key not in checked:
        receiver = chosen or receiver_candidates(receiver_type).order_by("pk").first()
        if receiver is None or not receiver_candidates(receiver_type).filter(pk=receiver.pk).exists():
            raise ValidationError(_("Choose the receiving organisation."))
        checked[key] = receiver
    return checked[key]


@dataclass(frozen=True)
class Meeting:
    """The meeting at which the transfers were approved (书记专题会): its name, date and minutes."""

    name: str = ""
    held_on: date | None = None
    minutes: str = ""

    def __str__(self) -> str:
        day = message_date(self.held_on)
        return " ".join(part for part in (self.name, day, self.minutes) if part)


def meeting_problems(meeting: Meeting, *, today: date) -> list[str]:
    """What is missing or wrong in the approving meeting; settings.TRANSFER_APPROVAL_REQUIRES_MEETING
    makes its name, date and minutes reference required."""
    problems = []
    if settings.TRANSFER_APPROVAL_REQUIRES_MEETING:
        if not meeting.name.strip():
            problems.append(_("Name the meeting that approved the transfers."))
        if meeting.held_on is None:
            problems.append(_("Give the date of the approving meeting."))
        if not meeting.minutes.strip():
            problems.append(_("Give the minutes reference of the approving meeting."))
    if meeting.held_on is not None and meeting.held_on > today:
        problems.append(_("The approving meeting cannot be later than today."))
    return problems


@dataclass(frozen=True)
class Proposal:
    """A group's standing proposal to transfer a clue: its recommended receiver, its notes, and its
    version (the clue's latest assessment), which changes whenever the proposal is sent back or redone."""

    version: int
    receiver_type: str
    notes: str


def proposals_of(clues: Iterable[Clue]) -> dict[int, Proposal]:
    """The current proposal of each clue, in one query."""
    versions: dict[int, int] = {}
    latest: dict[int, tuple[str, str]] = {}
    rows = ClueAssessment.objects.filter(clue__in=list(clues)).order_by("assessed_at", "pk")
    for clue_id, pk, conclusion, receiver_type, notes in rows.values_list(
        "clue_id", "pk", "conclusion", "recommended_receiver", "notes"
    ):
        versions[clue_id] = max(pk, versions.get(clue_id, 0))
        if conclusion == C.RECOMMEND_TRANSFER:
            latest[clue_id] = (receiver_type, notes)
    return {clue_id: Proposal(version, *latest.get(clue_id, ("", ""))) for clue_id, version in versions.items()}


@dataclass(frozen=True)
class Choice:
    """One proposal the office head approves, and where it goes.

    An empty `receiver_type` keeps the group's recommendation; `receiver` None is the
    jurisdiction's commission or organisation department (交办: the clue's own unit). `proposal`
    is the version the page showed (Proposal.version): a proposal changed since refuses the page.
    """

    clue: Clue
    receiver_type: str = ""
    receiver: Organisation | None = None
    proposal: int | None = None


@dataclass
class PlannedTransfer:
    """One letter an approval numbers and sends: clues of one group to one receiver."""

    inspection_round_id: int
    group_id: int | None
    receiver_type: str
    receiver: Organisation
    clues: list[Clue] = field(default_factory=list)

    @property
    def receiver_type_label(self) -> str:
        return str(Receiver(self.receiver_type).label)

    @property
    def group(self) -> InspectionGroup | None:
        return self.clues[0].assigned_group if self.clues else None

    @property
    def inspection_round(self) -> InspectionRound:
        return self.clues[0].inspection_round


def plan_transfers(choices: Sequence[Choice], proposals: dict[int, Proposal]) -> list[PlannedTransfer]:
    """The letters the choices make: one per round, group and receiver, clues in code order.

    The confirmation page shows this plan and approve_and_send sends it, so what the head
    confirms is what is numbered and sent.
    """
    letters: dict[tuple[int, int | None, str, int], PlannedTransfer] = {}
    receivers: dict[tuple[str, int | None], Organisation] = {}
    for choice in choices:
        clue = choice.clue
        proposal = proposals.get(clue.pk)
        receiver_type = choice.receiver_type or (proposal.receiver_type if proposal else "")
        if receiver_type not in Receiver.values:
            raise ValidationError(_("Say to whom clue %(code)s is transferred.") % {"code": clue.code})
        receiver = _receiver_of(clue, receiver_type, choice.receiver, receivers)
        key = (clue.inspection_round_id, clue.assigned_group_id, receiver_type, receiver.pk)
        letter = letters.setdefault(key, PlannedTransfer(key[0], key[1], receiver_type, receiver))
        letter.clues.append(clue)
    for letter in letters.values():
        letter.clues.sort(key=lambda clue: clue.code)
    return list(letters.values())


def _check_current(clue: Clue, choice: Choice, proposals: dict[int, Proposal]) -> None:
    """Refuse a page drawn before the proposal was approved, sent back or redone by someone else."""
    if clue.status != Clue.Status.PROPOSED_FOR_TRANSFER:
        raise ValidationError(
            _(
                "Clue %(code)s is no longer awaiting approval (approved or sent back meanwhile). "
                "Nothing was sent; reload the proposals and check them again."
            )
            % {"code": clue.code}
        )
    proposal = proposals.get(clue.pk)
    if choice.proposal is not None and (proposal is None or proposal.version != choice.proposal):
        raise ValidationError(
            _(
                "The group's proposal for clue %(code)s changed meanwhile. "
                "Nothing was sent; reload the proposals and check them again."
            )
            % {"code": clue.code}
        )


@transaction.atomic
def approve_and_send(
    *,
    choices: Sequence[Choice],
    by: User,
    meeting: Meeting,
    include_reporter: bool = False,
    key: str = "",
    now: datetime | None = None,
) -> list[ClueTransfer]:
    """The office head approves proposed clues at a meeting and sends them: one numbered letter
    per group and receiver, each clue to its group's recommended receiver unless its choice says
    otherwise.

    Refuses without the approving meeting when settings.TRANSFER_APPROVAL_REQUIRES_MEETING is on.
    All or nothing: if one clue is no longer awaiting approval, or its proposal changed since the
    page was drawn, nothing is approved. `key` names the confirmation page: posted again (a double
    click), it returns the letters it sent the first time and sends nothing. The approval (who,
    when, meeting) is recorded on each letter and audited; delivery is scheduled (DELIVERY_STEPS).
    """
    now = now or timezone.now()
    problems = meeting_problems(meeting, today=timezone.localdate(now))
    if problems:
        raise ValidationError(problems)
    if len({choice.clue.pk for choice in choices}) != len(choices):
        raise ValidationError(_("A clue was chosen twice; reload the page."))
    rows = {clue.pk: clue for clue in locked([choice.clue for choice in choices])}
    if not rows:
        raise ValidationError(_("Choose at least one clue."))
    if key:
        # Locked behind the first post's clues, so a double click finds its letters committed.
        sent_before = list(ClueTransfer.objects.filter(approval_key=key).order_by("pk"))
        if sent_before:
            return sent_before
    proposals = proposals_of(rows.values())
    current = [replace(choice, clue=rows[choice.clue.pk]) for choice in choices]
    for choice in current:
        _check_current(choice.clue, choice, proposals)
    transfers = []
    for letter in plan_transfers(current, proposals):
        # Its items are bulk-created (no save): the letter's clues are counted once, around all of it.
        with tallies.tracking(clue.pk for clue in letter.clues):
            transfer = ClueTransfer.objects.create(
                inspection_round_id=letter.inspection_round_id,
                group_id=letter.group_id,
                receiver_type=letter.receiver_type,
                receiver=letter.receiver,
                approved_at=now,
                approved_by=by,
                approved_by_text=meeting.name.strip(),
                approval_meeting_date=meeting.held_on,
                approval_minutes=meeting.minutes.strip(),
                approval_key=key,
                include_reporter=include_reporter,
                created_by=by,
            )
            audit.log_action(
                user=by,
                action=AuditLog.Action.CREATE,
                obj=transfer,
                changes=audit.diff({}, audit.snapshot(transfer)),
                note=(_("Approved: %(meeting)s") % {"meeting": meeting})[:200],
            )
            ClueTransferItem.objects.bulk_create(
                ClueTransferItem(
                    transfer=transfer,
                    clue=clue,
                    materials_note=proposals[clue.pk].notes if clue.pk in proposals else "",
                )
                for clue in letter.clues
            )
            for clue in letter.clues:
                move(clue, Clue.Status.TRANSFER_APPROVED, by=by)
            transfers.append(_send(transfer, letter.clues, by=by, now=now))
    return transfers


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
        % {"count": transfer.items.count(), "due": message_date(transfer.feedback_due)},
        url=f"/transfers/{transfer.pk}/",
        kind=Notification.Kind.DELIVERY,
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
