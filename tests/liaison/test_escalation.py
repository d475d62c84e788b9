"""The escalation ladder: green, yellow, red, each sent once, none after sign-off."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.models import Notification, Reminder
from core.services.reminders import due_reminder_ids, send_reminder
from liaison import reminders as escalation
from liaison.services import ledger as ledger_services
from tests.conftest import make_user
from tests.factories import PersonFactory
from tests.liaison.ledger_fixtures import ledger_fixture, to_pending  # noqa: F401 - fixture

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _send_all(now):
    return [r for r in (send_reminder(reminder_id=pk, now=now) for pk in due_reminder_ids(now=now)) if r]


def _people(ledger):
    org = ledger.world.unit_a.org_unit
    person = make_user("li", person=PersonFactory(name="李主任", home_unit=org))
    leader = make_user("zhang", person=PersonFactory(name="张书记", home_unit=org))
    head = make_user("head_a", person=PersonFactory(name="王", position="党委书记", home_unit=org))
    return person, leader, head


def test_each_level_goes_once_to_its_recipients(ledger):
    _person, _leader, _head = _people(ledger)
    deadline = ledger.item.deadline
    at = lambda day: datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)  # noqa: E731
    green = _send_all(at(deadline - timedelta(days=20)))
    assert [r.kind for r in green] == [escalation.GREEN]
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"li"}
    assert _send_all(at(deadline - timedelta(days=20))) == []
    yellow = _send_all(at(deadline - timedelta(days=10)))
    assert [r.kind for r in yellow] == [escalation.YELLOW]
    assert yellow[0].recipients_count == 2
    red = _send_all(at(deadline + timedelta(days=1)))
    assert [r.kind for r in red] == [escalation.RED]
    red_to = set(Notification.objects.filter(level="red").values_list("recipient__username", flat=True))
    assert {"head_a", "head", "staff"} <= red_to
    assert "li" not in red_to
    assert _send_all(at(deadline + timedelta(days=30))) == []
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 3


def test_a_step_whose_people_have_no_account_goes_to_the_officer_else_the_office_staff(ledger):
    deadline = ledger.item.deadline
    at = lambda day: datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)  # noqa: E731
    # No account for the responsible person, the leader or the unit head: the officer keeps the ledger.
    assert [r.kind for r in _send_all(at(deadline - timedelta(days=20)))] == [escalation.GREEN]
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {ledger.officer.username}
    ledger.officer.is_active = False
    ledger.officer.save(update_fields=["is_active"])
    assert [r.kind for r in _send_all(at(deadline - timedelta(days=10)))] == [escalation.YELLOW]
    yellow_to = set(Notification.objects.filter(level="yellow").values_list("recipient__username", flat=True))
    assert yellow_to == {"staff"}
    # The red step names the office as well: the office head and the staff, the unit's side included.
    assert [r.kind for r in _send_all(at(deadline + timedelta(days=1)))] == [escalation.RED]
    red_to = set(Notification.objects.filter(level="red").values_list("recipient__username", flat=True))
    assert {"head", "staff"} <= red_to


def test_nothing_goes_out_after_sign_off(ledger):
    _people(ledger)
    ledger_services.sign_off(by=ledger.world.users["leader_a"], item=to_pending(ledger))
    later = datetime(2018, 1, 1, tzinfo=SHANGHAI)
    assert _send_all(later) == []
    # No reminder: the hand-off notices of the sign-off itself (issue 13 item 6) are not reminders.
    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER).exists()


def test_a_new_deadline_replaces_the_pending_ladder(ledger):
    ledger_services.change_plan(by=ledger.officer, item=ledger.item, deadline=ledger.item.deadline + timedelta(days=30))
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
    assert pending.count() == 3
    assert Reminder.objects.filter(status=Reminder.Status.CANCELLED).count() == 3
