"""The rectification ledger: items and their state machine (docs/domain.md §3.4), progress and evidence.

Every status move is a transition of WORKFLOW (core.transitions): locked, checked (who, source,
every guard listed at once) and audited, so a double click or a stale page is refused. Liaison-officer steps are
for the unit's own officer; group/office steps for the group's leaders and the office.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, transitions
from core.files import DOCUMENT_KINDS, store_upload
from core.models import Notification, User
from core.roles import Role
from core.services.directory import users_with_role
from core.services.notifications import notify
from core.services.reminders import cancel_reminders, schedule_reminders
from inspection.models import GroupMembership, InspectedUnit
from inspection.services.workflow import move_unit_if_due
from liaison import reminders as escalation
from liaison.models import Feedback, FeedbackProblem, FollowUpCheck, RectificationItem, RectificationReport
from liaison.models import RectificationUpdate as Update
from liaison.services.feedback import acts_for_group, is_unit_officer
from liaison.services.handovers import officer_users

Status = RectificationItem.Status
PLAN_FIELDS = ("measure", "responsible_leader", "lead_department", "responsible_person", "co_departments",
               "rectification_type", "deadline")  # fmt: skip


def _unit(item: RectificationItem) -> InspectedUnit:
    return item.problem.feedback.inspected_unit


def _require_officer(by: User, unit: InspectedUnit) -> None:
    if not is_unit_officer(by, unit):
        raise ValidationError(_("Only the unit's liaison officer may do this."))


def _locked(item: RectificationItem) -> RectificationItem:
    return transitions.lock(item, WORKFLOW)


def _officer(user: Any, item: RectificationItem) -> bool:
    return is_unit_officer(user, _unit(item))


def _group_side(user: Any, item: RectificationItem) -> bool:
    return acts_for_group(user, _unit(item))


def _office(user: Any, item: RectificationItem) -> bool:
    return user.has_perm("liaison.add_followupcheck")


def _plan_complete(item: RectificationItem, move: transitions.Move) -> list[str]:
    required = ("measure", "responsible_leader", "lead_department", "responsible_person")
    if any(not str(getattr(item, name)).strip() for name in required) or item.deadline is None:
        return [_("Fill in the measure, the responsible leader, department and person, and the deadline.")]
    return []


def _has_evidence(item: RectificationItem, move: transitions.Move) -> list[str]:
    return [] if item.evidence_files.exists() else [_("Attach at least one evidence file.")]


def _done(item: RectificationItem, move: transitions.Move) -> list[str]:
    # record_progress sets completed_at to the day of a 100 % entry: nobody types the date, so the
    # refusal asks for what the officer can do.
    if item.progress_pct != 100 or item.completed_at is None:
        return [_("Record progress at 100 %: the day you record it becomes the completion date.")]
    return []


def _note_given(item: RectificationItem, move: transitions.Move) -> list[str]:
    return [] if item.sign_off_note.strip() else [_("Say why the item is returned.")]


def _long_term(item: RectificationItem, move: transitions.Move) -> list[str]:
    problems = []
    if item.rectification_type != RectificationItem.Type.LONG_TERM:
        problems.append(_("Only a long-term item can be kept as maintained."))
    if item.follow_up_on is None:
        problems.append(_("Give the date of the next follow-up check."))
    return problems


def _stop_notices(item: RectificationItem, move: transitions.Move) -> None:
    cancel_reminders(target=item)


def _item_values(item: RectificationItem) -> dict[str, str]:
    return {"item": f"{item.problem.seq}.{item.seq}", "unit": _unit(item).org_unit.name}


def signoff_recipients(item: RectificationItem) -> list[User]:
    """Who signs an item off (docs/domain.md §3.4): the current leader of the unit's group and the office."""
    unit = _unit(item)
    leaders = User.objects.filter(
        is_active=True,
        person__memberships__group_id=unit.group_id,
        person__memberships__role=GroupMembership.Role.LEADER,
        person__memberships__end_date__isnull=True,
    )
    return [*leaders.distinct().order_by("pk"), *users_with_role(Role.OFFICE_HEAD, Role.OFFICE_STAFF)]


def _tell_the_signers(item: RectificationItem, move: transitions.Move) -> None:
    notify(
        recipients=signoff_recipients(item),
        title=_("Rectification item %(item)s of %(unit)s awaits sign-off") % _item_values(item),
        body=item.measure,
        url=reverse("liaison:item-detail", args=[item.pk]),
        kind=Notification.Kind.HANDOFF,
    )


def _tell_the_officer(item: RectificationItem, move: transitions.Move) -> None:
    """The unit's liaison officer hears that the item was signed off, or returned with a note."""
    title = (
        _("Rectification item %(item)s of %(unit)s signed off")
        if item.status == Status.SIGNED_OFF
        else _("Rectification item %(item)s of %(unit)s returned")
    )
    notify(
        recipients=officer_users(_unit(item)),
        title=title % _item_values(item),
        body=item.sign_off_note,
        url=reverse("liaison:item-detail", args=[item.pk]),
        kind=Notification.Kind.HANDOFF,
    )


T = transitions.Transition
# docs/domain.md §3.4: "officer" is the unit's current liaison officer, "group side" the office or a
# leader of the unit's group; a follow-up check (the office's) reopens a signed-off item.
WORKFLOW = transitions.register(
    transitions.Workflow(
        RectificationItem,
        [
            T("submit_plan", (Status.ISSUED,), Status.PLAN_SUBMITTED, who=_officer, guards=(_plan_complete,)),
            T("approve_plan", (Status.PLAN_SUBMITTED,), Status.PLAN_APPROVED, who=_group_side),
            T("start_work", (Status.PLAN_APPROVED, Status.REOPENED), Status.IN_PROGRESS, who=_officer),
            T(
                "submit_for_signoff",
                (Status.IN_PROGRESS,),
                Status.PENDING_SIGNOFF,
                who=_officer,
                guards=(_has_evidence, _done),
                effects=(_tell_the_signers,),
            ),
            T(
                "sign_off",
                (Status.PENDING_SIGNOFF,),
                Status.SIGNED_OFF,
                who=_group_side,
                guards=(_has_evidence,),
                effects=(_stop_notices, _tell_the_officer),
            ),
            T(
                "return",
                (Status.PENDING_SIGNOFF,),
                Status.IN_PROGRESS,
                who=_group_side,
                guards=(_note_given,),
                effects=(_tell_the_officer,),
            ),
            T(
                "keep_as_long_term",
                (Status.IN_PROGRESS,),
                Status.LONG_TERM_MAINTAINED,
                who=_group_side,
                guards=(_long_term,),
                effects=(_stop_notices,),
            ),
            T("reopen", (Status.SIGNED_OFF,), Status.REOPENED, who=_office),
        ],
        related=("problem__feedback__inspected_unit__group",),
    )
)


@transaction.atomic
def add_item(*, by: User, problem: FeedbackProblem, **plan: Any) -> RectificationItem:
    """A new ledger row for a problem, issued; its escalation notices are scheduled from the deadline.

    The group or office may add items at any time (immediate fixes start on site); the officer
    once the feedback is delivered.
    """
    feedback = Feedback.objects.select_related("inspected_unit__group").get(pk=problem.feedback_id)
    unit = feedback.inspected_unit
    officer_may = feedback.status == Feedback.Status.DELIVERED and is_unit_officer(by, unit)
    if not (officer_may or acts_for_group(by, unit)):
        raise ValidationError(_("You may not add items to this ledger."))
    seq = (problem.items.aggregate(last=Max("seq"))["last"] or 0) + 1
    item = RectificationItem(problem=problem, seq=seq, created_by=by, **plan)
    _check_deadline(item, feedback)
    item.full_clean()
    item.save()
    audit.log_change(user=by, obj=item, before=None)
    schedule_reminders(target=item, plan=escalation.ladder(item))
    return item


@transaction.atomic
def change_plan(*, by: User, item: RectificationItem, **plan: Any) -> RectificationItem:
    """Correct an item's plan while it is issued; a new deadline replaces the pending notices."""
    item = _locked(item)
    unit = _unit(item)
    if not (is_unit_officer(by, unit) or acts_for_group(by, unit)):
        raise ValidationError(_("You may not change this item."))
    if item.status != Status.ISSUED:
        raise ValidationError(_("The plan can change only before it is submitted."))
    before = audit.snapshot(item)
    old_deadline = item.deadline
    for name in PLAN_FIELDS:
        if name in plan:
            setattr(item, name, plan[name])
    _check_deadline(item, item.problem.feedback)
    item.full_clean()
    item.save()
    audit.log_change(user=by, obj=item, before=before)
    if item.deadline != old_deadline:
        cancel_reminders(target=item)
        schedule_reminders(target=item, plan=escalation.ladder(item))
    return item


def _check_deadline(item: RectificationItem, feedback: Feedback) -> None:
    if feedback.meeting_date and item.deadline and item.deadline < feedback.meeting_date:
        raise ValidationError({"deadline": _("The deadline cannot be before the feedback meeting.")})


@transaction.atomic
def submit_plan(*, by: User, item: RectificationItem) -> RectificationItem:
    """Issued → plan submitted, by the unit's officer, with every plan field filled."""
    return transitions.perform(item, "submit_plan", by=by)


@transaction.atomic
def approve_plan(*, by: User, item: RectificationItem) -> RectificationItem:
    return transitions.perform(item, "approve_plan", by=by)


@transaction.atomic
def start_work(*, by: User, item: RectificationItem) -> RectificationItem:
    """Plan approved (or reopened by a follow-up check) → in progress, by the officer."""
    return transitions.perform(item, "start_work", by=by)


@transaction.atomic
def record_progress(
    *,
    by: User,
    item: RectificationItem,
    note: str,
    progress_pct: int,
    files: Sequence[tuple[IO[bytes], str]] = (),
    on: date | None = None,
) -> Update:
    """The officer's progress entry; its files become the item's evidence. 100 % sets completed_on."""
    item = _locked(item)
    _require_officer(by, _unit(item))
    if item.status != Status.IN_PROGRESS:
        raise ValidationError(_("Progress is recorded while the item is in progress."))
    if not 0 <= progress_pct <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    on = on or timezone.localdate()
    update = Update(item=item, date=on, author=by, note=note.strip(), progress_pct=progress_pct, created_by=by)
    update.full_clean()
    update.save()
    stored = [
        store_upload(upload=upload, name=name, uploaded_by=by, allowed_kinds=DOCUMENT_KINDS, owner=item)
        for upload, name in files
    ]
    if stored:
        update.attachments.add(*stored)
        item.evidence_files.add(*stored)
    before = audit.snapshot(item)
    item.progress_pct = progress_pct
    item.latest_note = update.note
    item.completed_at = on if progress_pct == 100 else None
    item.save()
    audit.log_change(user=by, obj=item, before=before)
    return update


@transaction.atomic
def submit_for_signoff(*, by: User, item: RectificationItem) -> RectificationItem:
    """In progress → awaiting sign-off: only with evidence, 100 % and a completion date."""
    return transitions.perform(item, "submit_for_signoff", by=by)


@transaction.atomic
def sign_off(*, by: User, item: RectificationItem, note: str = "", now: datetime | None = None) -> RectificationItem:
    """Awaiting sign-off → signed off (销号) by the group or office; its pending notices stop."""
    fields = {"signed_off_at": now or timezone.now(), "signed_off_by": by, "sign_off_note": note.strip()}
    return transitions.perform(item, "sign_off", by=by, fields=fields)


@transaction.atomic
def return_item(*, by: User, item: RectificationItem, note: str) -> RectificationItem:
    """Awaiting sign-off → in progress, with the group's or office's note saying what is lacking."""
    return transitions.perform(item, "return", by=by, fields={"sign_off_note": note.strip()})


@transaction.atomic
def keep_as_long_term(
    *, by: User, item: RectificationItem, follow_up_on: date | None, note: str = ""
) -> RectificationItem:
    """In progress → long-term, maintained: a long-term measure whose phase is done (counts as rectified),
    with the date it is checked again."""
    fields = {"sign_off_note": note.strip(), "follow_up_on": follow_up_on}
    return transitions.perform(item, "keep_as_long_term", by=by, fields=fields)


@transaction.atomic
def record_follow_up_check(
    *, by: User, inspected_unit: InspectedUnit, on: date, rating: str, team_text: str = "", reopen: Sequence[Any] = ()
) -> FollowUpCheck:
    """A follow-up check (回头看) by the office; the signed-off items it names are reopened."""
    if not by.has_perm("liaison.add_followupcheck"):
        raise ValidationError(_("Only the office records follow-up checks."))
    check = FollowUpCheck(inspected_unit=inspected_unit, date=on, rating=rating, team_text=team_text, created_by=by)
    check.full_clean()
    check.save()
    for item in reopen:
        item = _locked(item)
        if _unit(item).pk != inspected_unit.pk:
            raise ValidationError(_("An item of another unit cannot be reopened by this check."))
        transitions.perform(item, "reopen", by=by, fields={"signed_off_at": None, "signed_off_by": None}, locked=True)
        check.reopened_items.add(item)
    if reopen:
        move_unit_if_due(inspected_unit, "reopen", by=by)
    audit.log_change(user=by, obj=check, before=None)
    return check


@transaction.atomic
def submit_report(
    *, by: User, report: RectificationReport, upload: IO[bytes], name: str, principal_signed: bool
) -> RectificationReport:
    """The officer uploads the plan or report, recording whether the principal signed it."""
    report = (
        RectificationReport.objects.select_for_update(no_key=True).select_related("inspected_unit").get(pk=report.pk)
    )
    _require_officer(by, report.inspected_unit)
    before = audit.snapshot(report)
    report.file = store_upload(upload=upload, name=name, uploaded_by=by, allowed_kinds=DOCUMENT_KINDS, owner=report)
    report.principal_signed = principal_signed
    report.submitted_at = timezone.now()
    report.save()
    audit.log_change(user=by, obj=report, before=before)
    return report
