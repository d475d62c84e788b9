"""People crossing between the pools: inspection cadres lent to case work, and collaboration zones."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, transitions
from core.models import Organisation, Person, User
from inspection.models import GroupMembership
from talentpool.models import CaseWorkAssignment, CollaborationZone

_FAR_FUTURE = date.max


def _membership_span(membership: GroupMembership) -> tuple[date | None, date]:
    """A membership's days: its own dates, else the round's planned (or actual) stay on site."""
    r = membership.inspection_round
    start = membership.start_date or r.actual_entry_date or r.planned_entry_date
    end = membership.end_date or r.actual_exit_date or r.planned_exit_date or _FAR_FUTURE
    return start, end


@transaction.atomic
def assign_case_work(
    *,
    by: User,
    person: Person,
    batch_label: str,
    start_date: date,
    end_date: date | None = None,
    handling_office: Organisation | None = None,
    case: Any = None,
    role: str = "",
) -> CaseWorkAssignment:
    """Lend an inspection cadre to case work between rounds: never while they sit in a group (docs/domain.md §2.7)."""
    if case is None and handling_office is None:
        raise ValidationError(_("Name the case or the handling office."))
    if end_date is not None and end_date < start_date:
        raise ValidationError(_("The assignment cannot end before it starts."))
    last = end_date or _FAR_FUTURE
    for membership in GroupMembership.objects.filter(person=person).select_related("inspection_round", "group"):
        first_day, last_day = _membership_span(membership)
        if first_day is not None and start_date <= last_day and first_day <= last:
            raise ValidationError(
                _("%(person)s is in %(round)s %(group)s at that time.")
                % {"person": person.name, "round": membership.inspection_round.title, "group": membership.group.label}
            )
    assignment = CaseWorkAssignment(
        person=person,
        batch_label=batch_label,
        start_date=start_date,
        end_date=end_date,
        handling_office=handling_office,
        case=case,
        role=role,
        created_by=by,
    )
    assignment.full_clean()
    assignment.save()
    audit.log_change(user=by, obj=assignment, before=None)
    return assignment


def _may_change_zone(user: Any, zone: CollaborationZone) -> bool:
    return user is None or user.has_perm("talentpool.change_collaborationzone")


def _ready_to_act(zone: CollaborationZone, move: transitions.Move) -> list[str]:
    problems = []
    if zone.active_from is None:
        problems.append(_("Give the date the zone starts working."))
    if not zone.townships.exists():
        problems.append(_("Name at least one township the zone covers."))
    return problems


Z = CollaborationZone.Status
# A zone is set up planned and goes to work once its start date and townships are known (issue 13 item 1).
ZONE_WORKFLOW = transitions.register(
    transitions.Workflow(
        CollaborationZone,
        [transitions.Transition("activate", (Z.PLANNED,), Z.ACTIVE, who=_may_change_zone, guards=(_ready_to_act,))],
    )
)


@transaction.atomic
def activate_zone(*, by: User | None, zone: CollaborationZone) -> CollaborationZone:
    """Planned → active, by the office (change permission on zones), once it has a start date and townships."""
    return transitions.perform(zone, "activate", by=by)


@transaction.atomic
def create_zone(
    *,
    by: User,
    name: str,
    supervision_office: Organisation,
    investigation_office: Organisation,
    townships: list[Organisation],
    **fields: Any,
) -> CollaborationZone:
    """A new zone, planned: it becomes active through activate_zone."""
    zone = CollaborationZone(
        name=name,
        supervision_office=supervision_office,
        investigation_office=investigation_office,
        created_by=by,
        **fields,
    )
    zone.full_clean()
    zone.save()
    zone.townships.set(townships)
    audit.log_change(user=by, obj=zone, before=None)
    return zone
