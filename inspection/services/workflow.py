"""A round's way from draft to archive (DOMAIN §3.1): each move checked, and refused with the list of what is missing.

Guards that depend on records other parts of the product keep (reports, feedback, the
rectification ledger, liaison officers) are checked here as those parts land; until then the
move records its date. Decision: a group's own states follow the round (stationed when the
round goes on site, withdrawn when it leaves), since the office moves groups together.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditLog, User
from core.permissions import scope_group
from inspection.models import GroupMembership, InspectionGroup, InspectionRound
from inspection.signals import round_moved

R = InspectionRound.Status

NEXT: dict[str, tuple[str, ...]] = {
    R.DRAFT: (R.APPROVED, R.CANCELLED),
    R.APPROVED: (R.PREPARING, R.CANCELLED),
    R.PREPARING: (R.ONSITE, R.CANCELLED),
    R.ONSITE: (R.REPORTING,),
    R.REPORTING: (R.FEEDBACK,),
    R.FEEDBACK: (R.RECTIFYING,),
    R.RECTIFYING: (R.REVIEWING,),
    R.REVIEWING: (R.ARCHIVED,),
}


@dataclass(frozen=True)
class Check:
    """What stands in the way of a move: blocking problems and warnings that only inform."""

    problems: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


# Checks other apps add to the entry guard (the liaison app: every unit has a current officer).
EntryCheck = Callable[[InspectionRound], list[str]]
_ENTRY_CHECKS: list[EntryCheck] = []


def register_entry_check(check: EntryCheck) -> EntryCheck:
    """Add a check to preparing → onsite; it returns the problems it finds, in words."""
    if check not in _ENTRY_CHECKS:
        _ENTRY_CHECKS.append(check)
    return check


def check_move(inspection_round: InspectionRound, to: str) -> Check:
    if to not in NEXT.get(inspection_round.status, ()):
        return Check(
            [_("The round is %(status)s; it cannot move there.") % {"status": inspection_round.get_status_display()}],
            [],
        )
    guard = _GUARDS.get(to)
    return guard(inspection_round) if guard else Check([], [])


@transaction.atomic
def move_round(*, inspection_round: InspectionRound, to: str, by: User, **fields: Any) -> InspectionRound:
    """Move the round to `to` or refuse, naming every missing piece in one message."""
    inspection_round = InspectionRound.objects.select_for_update().get(pk=inspection_round.pk)
    for name, value in fields.items():
        setattr(inspection_round, name, value)
    check = check_move(inspection_round, to)
    if not check.ok:
        raise ValidationError(check.problems)
    before = audit.snapshot(InspectionRound.objects.get(pk=inspection_round.pk))
    from_status = inspection_round.status
    inspection_round.status = to
    inspection_round.save()
    audit.log_action(
        user=by,
        action=AuditLog.Action.TRANSITION,
        obj=inspection_round,
        changes=audit.diff(before, audit.snapshot(inspection_round)),
    )
    _GROUP_STATUS_AFTER.get(to, lambda r: None)(inspection_round)
    if to == R.ARCHIVED:
        _close_leaders_access(inspection_round)
    round_moved.send(
        sender=InspectionRound, inspection_round=inspection_round, from_status=from_status, to_status=to, by=by
    )
    return inspection_round


def _approval(inspection_round: InspectionRound) -> Check:
    problems = []
    if inspection_round.work_plan_id is None:
        problems.append(_("Attach the work plan."))
    if not inspection_round.inspected_units.exists():
        problems.append(_("Add at least one inspected unit."))
    for group in inspection_round.groups.filter(inspected_units__isnull=True):
        problems.append(_("%(group)s covers no unit.") % {"group": group.label})
    if not inspection_round.approved_by_text:
        problems.append(_("Record which meeting approved the plan."))
    return Check(problems, [])


def _preparation(inspection_round: InspectionRound) -> Check:
    warnings = [] if inspection_round.upward_filed_at else [_("The plan has not been filed with the level above yet.")]
    return Check([], warnings)


def _entry(inspection_round: InspectionRound) -> Check:
    """Before entry: complete groups, every member declared on every unit with no open conflict,
    every seconded member released by a confirmed request."""
    from talentpool.models import RecusalDeclaration, SecondmentRequest

    problems: list[str] = []
    groups = inspection_round.groups.prefetch_related("inspected_units__org_unit", "memberships__person").order_by(
        "number"
    )
    declared = {
        (d.person_id, d.inspected_unit_id): d
        for d in RecusalDeclaration.objects.filter(inspection_round=inspection_round)
    }
    released = (
        SecondmentRequest.Status.CONFIRMED,
        SecondmentRequest.Status.ON_DUTY,
        SecondmentRequest.Status.COMPLETED,
    )
    for group in groups:
        problems += group_completeness(group).problems
        members = [m for m in group.memberships.all() if m.end_date is None]
        for member in members:
            for unit in group.inspected_units.all():
                declaration = declared.get((member.person_id, unit.pk))
                values = {"person": member.person.name, "unit": unit.org_unit.display_name}
                if declaration is None:
                    problems.append(_("%(person)s has not declared on %(unit)s.") % values)
                elif declaration.has_conflict and not declaration.decision:
                    problems.append(_("%(person)s's conflict with %(unit)s is not decided.") % values)
            if member.is_seconded and (member.secondment is None or member.secondment.status not in released):
                problems.append(
                    _("%(person)s is seconded without a confirmed request.") % {"person": member.person.name}
                )
    for check in _ENTRY_CHECKS:
        problems += check(inspection_round)
    return Check(problems, [])


def _exit(inspection_round: InspectionRound) -> Check:
    return Check([] if inspection_round.actual_exit_date else [_("Record the date the groups left.")], [])


def _archive(inspection_round: InspectionRound) -> Check:
    from clues.models import Clue

    waiting = Clue.objects.filter(
        inspection_round=inspection_round,
        status__in=(Clue.Status.PROPOSED_FOR_TRANSFER, Clue.Status.TRANSFER_APPROVED),
    ).count()
    if waiting:
        return Check([_("%(count)s clues proposed for transfer have not been sent.") % {"count": waiting}], [])
    return Check([], [])


_GUARDS: dict[str, Callable[[InspectionRound], Check]] = {
    R.APPROVED: _approval,
    R.PREPARING: _preparation,
    R.ONSITE: _entry,
    R.REPORTING: _exit,
    R.ARCHIVED: _archive,
}


def group_completeness(group: InspectionGroup) -> Check:
    """DOMAIN §2.2: one leader and one or two deputies are required; 5-7 members is the norm."""
    members = [m for m in group.memberships.all() if m.end_date is None]
    leaders = sum(m.role == GroupMembership.Role.LEADER for m in members)
    deputies = sum(m.role == GroupMembership.Role.DEPUTY_LEADER for m in members)
    values = {"group": group.label}
    problems = []
    if leaders != 1:
        problems.append(_("%(group)s needs exactly one leader.") % values)
    if not 1 <= deputies <= 2:
        problems.append(_("%(group)s needs one or two deputy leaders.") % values)
    warnings = []
    if not 5 <= len(members) <= 7:
        warnings.append(
            _("%(group)s has %(count)s members; groups normally have 5 to 7.") % {**values, "count": len(members)}
        )
    return Check(problems, warnings)


def _set_groups(status: str):
    def apply(inspection_round: InspectionRound) -> None:
        inspection_round.groups.update(status=status)

    return apply


_GROUP_STATUS_AFTER: dict[str, Callable[[InspectionRound], None]] = {
    R.ONSITE: _set_groups(InspectionGroup.Status.STATIONED),
    R.REPORTING: _set_groups(InspectionGroup.Status.WITHDRAWN),
    R.ARCHIVED: _set_groups(InspectionGroup.Status.ARCHIVED),
}


def _close_leaders_access(inspection_round: InspectionRound) -> None:
    """Leaders read their group's clues until the round is archived (DOMAIN §5.2 rule 3)."""
    for group in inspection_round.groups.all():
        scope_group(group, "leaders").user_set.clear()
