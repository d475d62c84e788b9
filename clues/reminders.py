"""The letter and transfer reminder ladders, declared once and registered from CluesConfig.ready.

Their timing is data (settings.LETTER_REMINDER_LADDER, settings.TRANSFER_REMINDER_LADDER);
what is said and to whom is here.
"""

from typing import Any

from django.utils.translation import gettext as _

from clues.models import ClueTransfer, InfoRequestLetter
from core.models import User
from core.roles import Role
from core.services.directory import office_staff_users
from core.services.reminders import Ladder, LadderStep
from core.wording import message_date


def office_heads() -> list[User]:
    """Who an escalation reaches besides the record's own recipients."""
    return list(User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct())


def _letter_recipients(letter: InfoRequestLetter, names: tuple[str, ...]) -> list[User]:
    # Imported here: the services import this module for its ladders.
    from clues.services.letters import partner_users

    found: list[User] = []
    if "partner" in names:
        # A partner without a reachable user got the letter on paper (线下送达): the office staff
        # chase it by phone, so the reminders go to them instead of to nobody.
        found += partner_users(letter.partner) or office_staff_users()
    if "office_head" in names:
        found += office_heads()
    return found


def _letter_message(letter: InfoRequestLetter, step: LadderStep) -> tuple[str, str, str]:
    values = {"number": letter.doc_number, "deadline": message_date(letter.deadline)}
    title = {
        "before": _("Reminder: letter %(number)s is due on %(deadline)s"),
        "due": _("Letter %(number)s is due today"),
        "after": _("Overdue: letter %(number)s was due on %(deadline)s"),
    }[step.phase] % values
    body = _("%(partner)s: please answer %(title)s.") % {"partner": letter.partner.org_unit.name, "title": letter.title}
    return title, body, f"/letters/{letter.pk}/"


LETTERS = Ladder(
    name="letter",
    setting="LETTER_REMINDER_LADDER",
    is_open=lambda letter: letter.status in InfoRequestLetter.AWAITING,
    recipients=_letter_recipients,
    message=_letter_message,
    to=("partner",),
    escalate_to=("office_head",),
)


def _transfer_is_open(transfer: ClueTransfer) -> bool:
    from clues.services.transfers import awaiting_feedback  # services.transfers imports TRANSFERS from here

    return awaiting_feedback(transfer)  # False once every clue has its disposition


def _transfer_recipients(transfer: ClueTransfer, names: tuple[str, ...]) -> list[User]:
    from clues.services.transfers import receiver_users  # services.transfers imports TRANSFERS from here

    found: list[User] = []
    if "receiver" in names:
        # A receiver without an account got the letter on paper: the office staff chase it.
        found += receiver_users(transfer) or office_staff_users()
    if "office_head" in names:
        found += office_heads()
    return found


def _transfer_message(transfer: ClueTransfer, step: LadderStep) -> tuple[str, str, str]:
    values: dict[str, Any] = {
        "number": transfer.doc_number,
        "due": message_date(transfer.feedback_due),
    }
    title = {
        "before": _("Reminder: feedback on transfer %(number)s is due on %(due)s"),
        "due": _("Feedback on transfer %(number)s is due today"),
        "after": _("Overdue: feedback on transfer %(number)s was due on %(due)s"),
    }[step.phase] % values
    body = _("Please record the disposition of every clue of transfer %(number)s.") % values
    return title, body, f"/transfers/{transfer.pk}/"


TRANSFERS = Ladder(
    name="transfer",
    setting="TRANSFER_REMINDER_LADDER",
    is_open=_transfer_is_open,
    recipients=_transfer_recipients,
    message=_transfer_message,
    to=("receiver",),
    escalate_to=("office_head",),
)
