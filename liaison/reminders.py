"""The rectification escalation ladder (green, yellow, red), plugged into the core reminder engine.

Each open item gets one row per level, scheduled from its deadline; the engine's claim makes
every notice go out once. A notice whose item has been signed off (or kept as long-term)
is dropped when it falls due, so nothing goes out after sign-off.
"""

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Reminder, User
from core.roles import Role
from core.services.reminders import PlannedReminder, ReminderMessage, register_kind
from liaison.models import LiaisonAssignment, RectificationItem

GREEN = "rectification.green"
YELLOW = "rectification.yellow"
RED = "rectification.red"
LEVELS = {GREEN: "green", YELLOW: "yellow", RED: "red"}
CLOSED = (RectificationItem.Status.SIGNED_OFF, RectificationItem.Status.LONG_TERM_MAINTAINED)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(settings.RECTIFICATION_REMINDER_HOUR)))


def ladder(item: RectificationItem) -> list[PlannedReminder]:
    """Green and yellow before the deadline, red the day after it (when the item is overdue)."""
    return [
        PlannedReminder(GREEN, _at(item.deadline - timedelta(days=settings.RECTIFICATION_GREEN_DAYS_BEFORE)), "green"),
        PlannedReminder(
            YELLOW, _at(item.deadline - timedelta(days=settings.RECTIFICATION_YELLOW_DAYS_BEFORE)), "yellow"
        ),
        PlannedReminder(RED, _at(item.deadline + timedelta(days=1)), "red"),
    ]


def recipients(item: RectificationItem, roles: list[str]) -> list[User]:
    """The accounts behind the recipient names of a level's setting (see config/settings.py)."""
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
    if "liaison_officer" in roles:
        officers = LiaisonAssignment.objects.filter(liaison_office__inspected_unit=unit, end_date__isnull=True)
        found |= set(User.objects.filter(is_active=True, person__in=officers.values("person")))
    if "office" in roles:
        office_roles = [Role.OFFICE_HEAD, Role.OFFICE_STAFF]
        found |= set(User.objects.filter(is_active=True, groups__name__in=office_roles))
    return sorted(found, key=lambda user: user.pk)


def _render(reminder: Reminder) -> ReminderMessage | None:
    item = cast(RectificationItem, reminder.target)  # the kinds registered here target only these
    if item.status in CLOSED:
        return None  # signed off since the notice was planned
    roles = {
        GREEN: settings.RECTIFICATION_GREEN_TO,
        YELLOW: settings.RECTIFICATION_YELLOW_TO,
        RED: settings.RECTIFICATION_RED_TO,
    }[reminder.kind]
    unit = item.problem.feedback.inspected_unit
    values: dict[str, Any] = {
        "unit": unit.org_unit.name,
        "item": f"{item.problem.seq}.{item.seq}",
        "deadline": item.deadline.isoformat(),
    }
    if reminder.kind == RED:
        title = _("Overdue: rectification item %(item)s of %(unit)s was due on %(deadline)s") % values
    else:
        title = _("Reminder: rectification item %(item)s of %(unit)s is due on %(deadline)s") % values
    return ReminderMessage(
        recipients=recipients(item, roles),
        title=title,
        body=item.measure,
        url=reverse("liaison:item-detail", args=[item.pk]),
    )


for _kind in LEVELS:
    register_kind(_kind)(_render)
