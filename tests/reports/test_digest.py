"""The weekly deadline digest: scheduled idempotently by the beat task, sent once per week."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core.models import Notification, Reminder
from core.services.reminders import send_reminder, sweep_due_reminders
from reports.services.digest import DIGEST, digest_due_at, schedule_weekly_digests
from reports.tasks import schedule_weekly_digests as schedule_weekly_digests_task
from tests.conftest import make_user
from tests.reports.test_deadlines import NOW, make_board

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# NOW is Thursday 2017-09-28; that week's digest was due on Monday 09-25 at 08:00.
MONDAY_8 = datetime(2017, 9, 25, 8, 0, tzinfo=SHANGHAI)
NEXT_MONDAY_8 = MONDAY_8 + timedelta(days=7)


@pytest.fixture
def head(world: Any) -> Any:
    head = world.users["office_head"]
    head.email = "head@example.org"
    head.save(update_fields=["email"])
    return head


def digests() -> Any:
    return Reminder.objects.filter(kind=DIGEST)


def digest_notes(user: Any) -> Any:
    return Notification.objects.filter(recipient=user, url=reverse("reports:deadlines"))


def test_the_digest_is_due_on_the_set_weekday_and_hour(settings: Any) -> None:
    assert digest_due_at(NOW.date()) == MONDAY_8
    assert digest_due_at(MONDAY_8.date()) == MONDAY_8
    assert digest_due_at((MONDAY_8 + timedelta(days=6)).date()) == MONDAY_8  # Sunday: same week
    settings.DIGEST_WEEKDAY, settings.DIGEST_HOUR = 4, 17
    assert digest_due_at(NOW.date()) == datetime(2017, 9, 29, 17, 0, tzinfo=SHANGHAI)


def test_scheduling_is_idempotent_one_row_per_head_and_week(world, head):
    second_head = make_user("head2", "office_head")
    make_user("gone", "office_head", is_active=False)
    assert schedule_weekly_digests(now=NOW) == 2
    assert schedule_weekly_digests(now=NOW) == 0
    assert schedule_weekly_digests(now=NOW + timedelta(days=2)) == 0  # later the same week
    rows = digests()
    assert {(r.target, r.due_at) for r in rows} == {(head, MONDAY_8), (second_head, MONDAY_8)}
    assert all(r.status == Reminder.Status.PENDING for r in rows)


def test_the_beat_task_schedules_and_is_in_the_beat_schedule(world, head, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert schedule_weekly_digests_task.apply().get() == 1
    assert schedule_weekly_digests_task.apply().get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["schedule-weekly-digests"]
    assert entry["task"] == schedule_weekly_digests_task.name


def test_the_digest_goes_out_once_per_week(world, head, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(MONDAY_8 - timedelta(hours=1), tick=False)
    schedule_weekly_digests()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_due_reminders() == 0  # not yet due
    time_machine.move_to(MONDAY_8 + timedelta(minutes=1), tick=False)
    schedule_weekly_digests()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_reminders()
        sweep_due_reminders()
    assert digest_notes(head).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [head.email]
    (row,) = digests()
    assert row.status == Reminder.Status.SENT

    # Two workers handed the same row: the second finds it claimed and sends nothing.
    assert send_reminder(reminder_id=row.pk) is None

    # Next week: a new row, sent once more.
    time_machine.move_to(NEXT_MONDAY_8 + timedelta(minutes=1), tick=False)
    assert schedule_weekly_digests() == 1
    assert schedule_weekly_digests() == 0
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_reminders()
        sweep_due_reminders()
    assert digest_notes(head).count() == 2
    assert len(mail.outbox) == 2
    assert sorted(r.due_at for r in digests()) == [MONDAY_8, NEXT_MONDAY_8]


def test_two_workers_claiming_one_digest_send_it_once(world, head):
    schedule_weekly_digests(now=NOW)
    (row,) = digests()
    sent = [send_reminder(reminder_id=row.pk, now=NOW), send_reminder(reminder_id=row.pk, now=NOW)]
    assert [r is not None for r in sent] == [True, False]
    assert digest_notes(head).count() == 1


def test_the_digest_counts_by_kind_and_lists_overdue_first(world, head, time_machine):
    time_machine.move_to(NOW, tick=False)
    board = make_board(world)
    schedule_weekly_digests()
    (row,) = digests()
    send_reminder(reminder_id=row.pk)
    note = digest_notes(head).get()
    assert "5" in note.title  # five due
    assert "2" in note.title  # two overdue
    body = note.body
    assert body.index(board.item.measure) < body.index(board.handover.item) < body.index(str(board.letter))
    assert body.index(board.handover.item) < body.index(str(board.transfer))
    assert note.url == reverse("reports:deadlines")


def test_a_head_who_left_gets_no_digest(world, head):
    schedule_weekly_digests(now=NOW)
    head.is_active = False
    head.save(update_fields=["is_active"])
    (row,) = digests()
    assert send_reminder(reminder_id=row.pk, now=NOW) is None
    row.refresh_from_db()
    assert row.status == Reminder.Status.CANCELLED
    assert not digest_notes(head).exists()
