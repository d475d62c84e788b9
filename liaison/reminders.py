"""The liaison ladders: rectification escalation (green, yellow, red) and overdue handovers.

Both are declared once and registered from LiaisonConfig.ready; their timing and, for
rectification, each level's recipients are data (settings.RECTIFICATION_REMINDER_LADDER,
settings.HANDOVER_REMINDER_LADDER). The engine's claim makes every notice go out once; a notice
whose item has been signed off (or kept as long-term), or whose materials were handed over, is
dropped when it falls due, so nothing goes out after that.
"""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import User
from core.roles import Role
from core.services.directory import office_staff_users
from core.services.reminders import Ladder, LadderStep, PlannedReminder
from core.wording import message_date
from liaison.models import HandoverRecord, LiaisonAssignment, RectificationItem

CLOSED = (RectificationItem.Status.SIGNED_OFF, RectificationItem.Status.LONG_TERM_MAINTAINED)
# The recipient names of RECTIFICATION_REMINDER_LADDER that stand for people of the unit.
UNIT_SIDE = frozenset({"responsible_person", "responsible_leader", "unit_head", "liaison_officer"})


def recipients(item: RectificationItem, roles: tuple[str, ...] | list[str]) -> list[User]:
    """The accounts behind the recipient names of a step (see RECTIFICATION_REMINDER_LADDER)."""
    unit = item.problem.feedback.inspected_unit
    people = User.objects.filter(is_active=True, person__home_unit=unit.org_unit_id)
    wanted = Q(pk__in=[])
    if "responsible_person" in roles:
        wanted |= Q(person__name=item.responsible_person)
    if "responsible_leader" in roles:
        wanted |= Q(person__name=item.responsible_leader)
    if "unit_head" in roles:
        wanted |= Q(person__position__in=settings.RECTIFICATION_UNIT_HEAD_POSITIONS)
    found = set(people.filter(wanted))
    current = LiaisonAssignment.objects.filter(liaison_office__inspected_unit=unit, end_date__isnull=True)
    officers = set(User.objects.filter(is_active=True, person__in=current.values("person")))
    if "liaison_officer" in roles:
        found |= officers
    if not found and UNIT_SIDE.intersection(roles):
        # Nobody the step names on the unit's side has an account (a responsible person known by
        # name only): the unit's liaison officer, who keeps its ledger, is reminded instead, and
        # with no officer account either the office staff, who chase it by phone, as the letter
        # and transfer ladders do.
        found = officers or set(office_staff_users())
    if "office" in roles:
        office_roles = [Role.OFFICE_HEAD, Role.OFFICE_STAFF]
        found |= set(User.objects.filter(is_active=True, groups__name__in=office_roles))
    return sorted(found, key=lambda user: user.pk)


def _item_message(item: RectificationItem, step: LadderStep) -> tuple[str, str, str]:
    unit = item.problem.feedback.inspected_unit
    values: dict[str, Any] = {
        "unit": unit.org_unit.name,
        "item": f"{item.problem.seq}.{item.seq}",
        "deadline": message_date(item.deadline),
    }
    if step.phase == "after":
        title = _("Overdue: rectification item %(item)s of %(unit)s was due on %(deadline)s") % values
    else:
        title = _("Reminder: rectification item %(item)s of %(unit)s is due on %(deadline)s") % values
    return title, item.measure, reverse("liaison:item-detail", args=[item.pk])


RECTIFICATION = Ladder(
    name="rectification",
    setting="RECTIFICATION_REMINDER_LADDER",
    is_open=lambda item: item.status not in CLOSED,
    recipients=recipients,
    message=_item_message,
)
GREEN, YELLOW, RED = (RECTIFICATION.kind(level) for level in ("green", "yellow", "red"))


def ladder(item: RectificationItem) -> list[PlannedReminder]:
    """The notices about an open item, from its deadline."""
    return RECTIFICATION.plan(item.deadline)


def _handover_recipients(handover: HandoverRecord, names: tuple[str, ...]) -> list[User]:
    # Imported here: liaison.services.handovers imports this module.
    from liaison.services.handovers import officer_users

    found: list[User] = []
    if "liaison_officer" in names:
        # A unit whose liaison officer has no account is asked by phone: the office staff, who
        # run the liaison work, are reminded instead of nobody on the unit's side.
        found += officer_users(handover.inspected_unit) or office_staff_users()
    requester = handover.requested_by
    if "requester" in names and requester.is_active and requester not in found:
        found.append(requester)  # the member waiting for the materials
    return found


def _handover_message(handover: HandoverRecord, step: LadderStep) -> tuple[str, str, str]:
    values = {"item": handover.item, "due": message_date(handover.due_at)}
    return (
        _("Overdue: materials %(item)s were due on %(due)s") % values,
        _("Please hand over %(item)s to the inspection group.") % values,
        reverse("liaison:unit-detail", args=[handover.inspected_unit_id]),
    )


HANDOVERS = Ladder(
    name="handover",
    setting="HANDOVER_REMINDER_LADDER",
    is_open=lambda handover: handover.status == HandoverRecord.Status.REQUESTED,
    recipients=_handover_recipients,
    message=_handover_message,
    to=("liaison_officer", "requester"),
)
