"""Reminder kinds for secondment requests awaiting the home unit's answer, plugged into the core engine."""

from typing import cast

from django.utils.translation import gettext as _

from core.models import Reminder, User
from core.roles import Role
from core.services.reminders import ReminderMessage, register_kind
from talentpool.models import SecondmentRequest

DUE_SOON = "secondment.due_soon"
DUE_TODAY = "secondment.due_today"
OVERDUE = "secondment.overdue"  # numbered: secondment.overdue.1, secondment.overdue.2, …
# Kinds are registered up front; settings.SECONDMENT_OVERDUE_REMINDERS may use up to this many.
MAX_OVERDUE = 20


def _render(reminder: Reminder) -> ReminderMessage | None:
    from talentpool.services.secondments import detail_url, home_unit_contacts

    request = cast(SecondmentRequest, reminder.target)  # the kinds registered here target only these
    if request.status != SecondmentRequest.Status.REQUESTED:
        return None  # answered (or cancelled) since the reminder was planned
    recipients = home_unit_contacts(request.home_unit)
    values = {"number": request.doc_number, "due": request.response_due.isoformat() if request.response_due else ""}
    if reminder.kind == DUE_SOON:
        title = _("Reminder: secondment request %(number)s is due on %(due)s") % values
    elif reminder.kind == DUE_TODAY:
        title = _("Secondment request %(number)s is due today") % values
    else:
        title = _("Overdue: secondment request %(number)s was due on %(due)s") % values
        if reminder.level == "red":
            # Escalation: the office head hears of it too.
            recipients += list(User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct())
    body = _("%(unit)s: please answer whether %(name)s can be released.") % {
        "unit": request.home_unit.name,
        "name": request.person.name,
    }
    return ReminderMessage(recipients=recipients, title=title, body=body, url=detail_url(request))


register_kind(DUE_SOON)(_render)
register_kind(DUE_TODAY)(_render)
for _number in range(1, MAX_OVERDUE + 1):
    register_kind(f"{OVERDUE}.{_number}")(_render)
