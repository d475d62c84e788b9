"""How the board and the digest say where a deadline stands: never a negative count of working
days ("逾期N个工作日" instead), and a due date past the holiday table marked as counted in
natural days.

Today is Thursday 2017-09-28 (tests/reports/test_deadlines.py): the rectification item due
Friday 09-22 is four working days overdue, the handover due Wednesday 09-27 one.
"""

import re
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import CalendarYear, Notification, Reminder
from core.services.reminders import send_reminder
from reports.selectors.deadlines import deadlines_for
from reports.services.digest import DIGEST, schedule_weekly_digests
from tests.reports.test_deadlines import NOW, SHANGHAI, add_letter, make_board

pytestmark = pytest.mark.django_db

MARK = "按自然日推算，待日历更新"
NEGATIVE = re.compile(r"-\d+\s*个?工作日|剩余\s*-")


def digest_body(head: Any) -> str:
    schedule_weekly_digests()
    (row,) = Reminder.objects.filter(kind=DIGEST)
    send_reminder(reminder_id=row.pk)
    return Notification.objects.get(recipient=head, url=reverse("reports:deadlines")).body


def test_the_digest_says_overdue_n_working_days_never_a_negative_count(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    board = make_board(world)
    # An old letter, years overdue (the demo printed "剩余-2288个工作日" for such a one).
    old = add_letter(world, date(2010, 3, 1))
    body = digest_body(world.users["office_head"])
    assert not NEGATIVE.search(body), body
    item_line = next(line for line in body.splitlines() if board.item.measure[:20] in line)
    assert "逾期 4 个工作日" in item_line
    handover_line = next(line for line in body.splitlines() if board.handover.item in line)
    assert "逾期 1 个工作日" in handover_line
    letter_line = next(line for line in body.splitlines() if str(board.letter) in line)
    assert "剩余 3 个工作日" in letter_line  # 10-09, after the National Day week
    assert any(str(old) in line and "逾期" in line for line in body.splitlines())
    assert MARK not in body


def test_a_deadline_on_the_last_working_day_before_a_weekend_is_overdue_not_due_today(world, time_machine):
    # Saturday 2017-08-12; the letter was due Friday 08-11: no working day has passed, yet it is late.
    time_machine.move_to(datetime(2017, 8, 12, 10, 0, tzinfo=SHANGHAI), tick=False)
    letter = add_letter(world, date(2017, 8, 11))
    due_today = add_letter(world, date(2017, 8, 14))
    rows = {row.pk: row for row in deadlines_for(world.users["office_head"])}
    assert rows[letter.pk].days_left == 0
    assert rows[letter.pk].overdue
    assert rows[letter.pk].overdue_days == 0
    body = digest_body(world.users["office_head"])
    assert any(str(letter) in line and "已逾期" in line for line in body.splitlines())
    assert any(str(due_today) in line and "剩余 1 个工作日" in line for line in body.splitlines())


def test_the_board_shows_overdue_days_and_marks_dates_past_the_table(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    board = make_board(world)
    client = Client()
    client.force_login(world.users["office_head"])
    page = client.get(reverse("reports:deadlines")).content.decode()
    assert "逾期 4 个工作日" in page
    assert not re.search(r'class="num">\s*-\d', page)
    assert MARK not in page

    # The table ends with 2016 here: every 2017 due date was counted in natural days.
    CalendarYear.objects.filter(year__gte=2017).delete()
    rows = deadlines_for(world.users["office_head"])
    assert rows
    assert all(row.natural_days for row in rows)
    page = client.get(reverse("reports:deadlines")).content.decode()
    assert page.count(MARK) == len(rows)
    body = Notification.objects.filter(recipient=world.users["office_head"])
    assert body.filter(url=reverse("core:health")).count() == 1  # the board's count warned, once
    assert board.letter.deadline == date(2017, 10, 9)


def test_the_digest_marks_a_date_past_the_table(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    make_board(world)
    CalendarYear.objects.filter(year__gte=2017).delete()
    body = digest_body(world.users["office_head"])
    assert "，按自然日推算，待日历更新" in body
