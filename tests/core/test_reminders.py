"""The reminder engine: scheduled once, sent at most once, whatever retries and workers do."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from core.models import Notification, Reminder
from core.services import reminders
from core.services.reminders import PlannedReminder, ReminderMessage, register_kind
from core.tasks import send_reminder as send_reminder_task
from inspection.models import InspectionRound
from tests.conftest import make_user

KIND = "test.round_deadline"
_recipients: list = []


@register_kind(KIND)
def _render(reminder: Reminder) -> ReminderMessage | None:
    target = reminder.target
    if target.status == InspectionRound.Status.ARCHIVED:
        return None  # the reason to remind has gone
    return ReminderMessage(recipients=list(_recipients), title=f"提醒：{target.title}", url="/rounds/")


@pytest.fixture
def recipient(db):
    user = make_user("reminded", "office_staff", email="reminded@example.gov.cn")
    _recipients[:] = [user]
    yield user
    _recipients.clear()


@pytest.fixture
def target(db):
    from inspection.services import create_round

    return create_round(by=None, committee_term=13, year=2017, round_no=9, title="测试轮次")


def _plan(minutes_ago: int = 5) -> list[PlannedReminder]:
    return [PlannedReminder(KIND, timezone.now() - timedelta(minutes=minutes_ago))]


def _rows(target):
    return Reminder.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))


def test_scheduling_the_same_plan_twice_creates_one_row(target):
    plan = _plan()
    assert reminders.schedule_reminders(target=target, plan=plan) == 1
    assert reminders.schedule_reminders(target=target, plan=plan) == 0  # nothing new the second time
    assert _rows(target).count() == 1


def test_an_unknown_kind_is_refused(target):
    with pytest.raises(ValueError, match="Unknown reminder kind"):
        reminders.schedule_reminders(target=target, plan=[PlannedReminder("nope", timezone.now())])


def test_a_due_reminder_is_sent_once_to_inbox_and_email(target, recipient, django_capture_on_commit_callbacks):
    reminders.schedule_reminders(target=target, plan=_plan())
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.sweep_due_reminders() == 1
    row = _rows(target).get()
    assert row.status == Reminder.Status.SENT
    assert row.recipients_count == 1
    assert Notification.objects.filter(recipient=recipient, title="提醒：测试轮次").count() == 1
    assert [m.to for m in mail.outbox] == [["reminded@example.gov.cn"]]
    # A second sweep finds nothing due.
    assert reminders.sweep_due_reminders() == 0
    assert Notification.objects.filter(recipient=recipient).count() == 1


def test_a_retried_task_does_not_send_again(target, recipient):
    reminders.schedule_reminders(target=target, plan=_plan())
    row = _rows(target).get()
    send_reminder_task.apply(args=[row.pk])
    send_reminder_task.apply(args=[row.pk])  # redelivered after acks_late, or a duplicate sweep
    assert Notification.objects.filter(recipient=recipient).count() == 1


def test_a_task_for_a_vanished_reminder_returns_quietly(db):
    assert send_reminder_task.apply(args=[987654]).successful()


def test_a_reminder_not_yet_due_is_not_sent(target, recipient):
    reminders.schedule_reminders(target=target, plan=[PlannedReminder(KIND, timezone.now() + timedelta(hours=1))])
    assert reminders.sweep_due_reminders() == 0
    assert reminders.send_reminder(reminder_id=_rows(target).get().pk) is None
    assert _rows(target).get().status == Reminder.Status.PENDING


def test_cancelled_reminders_are_never_sent(target, recipient):
    reminders.schedule_reminders(target=target, plan=_plan())
    assert reminders.cancel_reminders(target=target) == 1
    reminders.sweep_due_reminders()
    assert _rows(target).get().status == Reminder.Status.CANCELLED
    assert not Notification.objects.exists()


def test_a_reminder_whose_reason_has_gone_is_cancelled_at_send_time(target, recipient):
    reminders.schedule_reminders(target=target, plan=_plan())
    InspectionRound.objects.filter(pk=target.pk).update(status=InspectionRound.Status.ARCHIVED)
    reminders.sweep_due_reminders()
    assert _rows(target).get().status == Reminder.Status.CANCELLED
    assert not Notification.objects.exists()


def test_a_claimed_but_unfinished_reminder_is_shown_as_stuck_and_not_resent(target, recipient, settings):
    reminders.schedule_reminders(target=target, plan=_plan())
    long_ago = timezone.now() - settings.REMINDER_STUCK_AFTER - timedelta(minutes=1)
    _rows(target).update(status=Reminder.Status.SENDING, claimed_at=long_ago)
    reminders.sweep_due_reminders()
    assert list(reminders.stuck_reminders()) == list(_rows(target))
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_on_the_same_reminders_send_each_exactly_once(recipient):
    from inspection.services import create_round

    targets = [create_round(by=None, committee_term=13, year=2017, round_no=20 + i, title=f"轮次{i}") for i in range(5)]
    for target in targets:
        reminders.schedule_reminders(target=target, plan=_plan())
    ids = reminders.due_reminder_ids()
    assert len(ids) == 5
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        from django.db import connection

        try:
            barrier.wait()
            for reminder_id in ids:
                if reminders.send_reminder(reminder_id=reminder_id) is not None:
                    sent.append(reminder_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(sent) == sorted(ids)
    assert Notification.objects.filter(recipient=recipient).count() == 5
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 5
