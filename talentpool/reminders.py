"""The secondment reminder ladder, declared once and registered from TalentpoolConfig.ready.

Its timing is data (settings.SECONDMENT_REMINDER_LADDER); what is said and to whom is here.
"""

from django.utils.translation import gettext as _

from core.models import User
from core.roles import Role
from core.services.directory import office_staff_users
from core.services.reminders import Ladder, LadderStep
from core.wording import message_date
from talentpool.models import SecondmentRequest


def _recipients(request: SecondmentRequest, names: tuple[str, ...]) -> list[User]:
    # Imported here: talentpool.services.secondments imports this module.
    from talentpool.services.secondments import home_unit_contacts

    found: list[User] = []
    if "home_unit" in names:
        # A home unit without a reachable contact got the request on paper (线下送达): the office
        # staff chase it by phone, so the reminders go to them instead of to nobody.
        found += home_unit_contacts(request.home_unit) or office_staff_users()
    if "office_head" in names:
        found += list(User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct())
    return found


def _message(request: SecondmentRequest, step: LadderStep) -> tuple[str, str, str]:
    from talentpool.services.secondments import detail_url  # services.secondments imports SECONDMENTS from here

    values = {"number": request.doc_number, "due": message_date(request.response_due)}
    title = {
        "before": _("Reminder: secondment request %(number)s is due on %(due)s"),
        "due": _("Secondment request %(number)s is due today"),
        "after": _("Overdue: secondment request %(number)s was due on %(due)s"),
    }[step.phase] % values
    body = _("%(unit)s: please answer whether %(name)s can be released.") % {
        "unit": request.home_unit.name,
        "name": request.person.name,
    }
    return title, body, detail_url(request)


SECONDMENTS = Ladder(
    name="secondment",
    setting="SECONDMENT_REMINDER_LADDER",
    # Answered (or cancelled) requests owe nothing: their pending reminders are dropped.
    is_open=lambda request: request.status == SecondmentRequest.Status.REQUESTED,
    recipients=_recipients,
    message=_message,
    to=("home_unit",),
    escalate_to=("office_head",),
)
