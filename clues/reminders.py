"""Reminder kinds for letters and clue transfers, plugged into the core reminder engine."""

from typing import cast

from django.utils.translation import gettext as _

from clues.models import ClueTransfer, InfoRequestLetter
from core.models import Reminder, User
from core.roles import Role
from core.services.reminders import ReminderMessage, register_kind

DUE_SOON = "letter.due_soon"
DUE_TODAY = "letter.due_today"
OVERDUE = "letter.overdue"  # numbered: letter.overdue.1, letter.overdue.2, …
# Kinds are registered up front; settings.LETTER_OVERDUE_REMINDERS may use up to this many.
MAX_OVERDUE = 20


def _render(reminder: Reminder) -> ReminderMessage | None:
    from clues.services.letters import partner_users

    letter = cast(InfoRequestLetter, reminder.target)  # the kinds registered here target only these
    if letter.status not in InfoRequestLetter.AWAITING:
        return None  # answered (or withdrawn) since the reminder was planned
    recipients = partner_users(letter.partner)
    values = {"number": letter.doc_number, "deadline": letter.deadline.isoformat() if letter.deadline else ""}
    if reminder.kind == DUE_SOON:
        title = _("Reminder: letter %(number)s is due on %(deadline)s") % values
    elif reminder.kind == DUE_TODAY:
        title = _("Letter %(number)s is due today") % values
    else:
        title = _("Overdue: letter %(number)s was due on %(deadline)s") % values
        if reminder.level == "red":
            # Escalation: the office head hears of it too.
            recipients += list(User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct())
    body = _("%(partner)s: please answer %(title)s.") % {"partner": letter.partner.org_unit.name, "title": letter.title}
    return ReminderMessage(recipients=recipients, title=title, body=body, url=f"/letters/{letter.pk}/")


register_kind(DUE_SOON)(_render)
register_kind(DUE_TODAY)(_render)
for _number in range(1, MAX_OVERDUE + 1):
    register_kind(f"{OVERDUE}.{_number}")(_render)


FEEDBACK_SOON = "transfer.feedback_soon"
FEEDBACK_DUE = "transfer.feedback_due"
FEEDBACK_OVERDUE = "transfer.overdue"  # numbered like the letters' overdue reminders


def _render_transfer(reminder: Reminder) -> ReminderMessage | None:
    from clues.services.transfers import awaiting_feedback, receiver_users

    transfer = cast(ClueTransfer, reminder.target)  # the kinds registered here target only these
    if not awaiting_feedback(transfer):
        return None  # every clue has its disposition since the reminder was planned
    recipients = receiver_users(transfer)
    values = {"number": transfer.doc_number, "due": transfer.feedback_due.isoformat() if transfer.feedback_due else ""}
    if reminder.kind == FEEDBACK_SOON:
        title = _("Reminder: feedback on transfer %(number)s is due on %(due)s") % values
    elif reminder.kind == FEEDBACK_DUE:
        title = _("Feedback on transfer %(number)s is due today") % values
    else:
        title = _("Overdue: feedback on transfer %(number)s was due on %(due)s") % values
        if reminder.level == "red":
            recipients += list(User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct())
    body = _("Please record the disposition of every clue of transfer %(number)s.") % values
    return ReminderMessage(recipients=recipients, title=title, body=body, url=f"/transfers/{transfer.pk}/")


register_kind(FEEDBACK_SOON)(_render_transfer)
register_kind(FEEDBACK_DUE)(_render_transfer)
for _number in range(1, MAX_OVERDUE + 1):
    register_kind(f"{FEEDBACK_OVERDUE}.{_number}")(_render_transfer)
