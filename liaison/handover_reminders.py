"""Reminder kind for overdue handover requests, plugged into the core reminder engine."""

from typing import cast

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Reminder
from core.services.reminders import ReminderMessage, register_kind
from liaison.models import HandoverRecord

OVERDUE = "handover.overdue"  # numbered: handover.overdue.1, handover.overdue.2, …
# Kinds are registered up front; settings.HANDOVER_REMIND_TIMES may use up to this many.
MAX_OVERDUE = 20


def _render(reminder: Reminder) -> ReminderMessage | None:
    from liaison.services.handovers import officer_users

    handover = cast(HandoverRecord, reminder.target)  # the kinds registered here target only these
    if handover.status != HandoverRecord.Status.REQUESTED:
        return None  # delivered or cancelled since the reminder was planned
    recipients = officer_users(handover.inspected_unit)
    if handover.requested_by.is_active and handover.requested_by not in recipients:
        recipients.append(handover.requested_by)  # the member waiting for the materials
    values = {"item": handover.item, "due": handover.due_at.isoformat() if handover.due_at else ""}
    return ReminderMessage(
        recipients=recipients,
        title=_("Overdue: materials %(item)s were due on %(due)s") % values,
        body=_("Please hand over %(item)s to the inspection group.") % values,
        url=reverse("liaison:unit-detail", args=[handover.inspected_unit_id]),
    )


for _number in range(1, MAX_OVERDUE + 1):
    register_kind(f"{OVERDUE}.{_number}")(_render)
