"""Deadline rules of letters and transfers (docs/domain.md §3.2, §3.3, §7 "Time limits"):
a return never shortens the partner's deadline and restarts the reminders from it; the 90-day
transfer feedback date ends on a working day; a deadline past the holiday table is marked.

Letter X was sent on Thursday 2017-08-03 and is due Thursday 2017-08-10 (clues/conftest.py).
"""

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from clues.models import InfoRequestLetter
from clues.services import replies, transfers
from core.models import CalendarYear, Notification, Reminder
from core.services.reminders import send_reminder
from tests.clues.conftest import SHANGHAI
from tests.clues.lifecycle import approve, proposed
from tests.clues.test_replies import answer_with_nil_return

pytestmark = pytest.mark.django_db

MARK = "按自然日推算，待日历更新"


def pending_days(letter: InfoRequestLetter) -> list[date]:
    rows = Reminder.objects.filter(target_id=str(letter.pk), kind__startswith="letter.", status="pending")
    return sorted(row.due_at.astimezone(SHANGHAI).date() for row in rows)


def test_a_return_before_the_deadline_keeps_the_deadline_and_its_reminders(world, sent):
    letter = sent["x"]
    planned = pending_days(letter)
    assert planned == [date(2017, 8, 8), date(2017, 8, 10), date(2017, 8, 14), *pending_days(letter)[3:]]
    reply = answer_with_nil_return(letter, world.users["partner_x"])
    assert pending_days(letter) == []  # an answer stops the reminders

    # Friday 08-04: three working days from the return is Wednesday 08-09, before the deadline.
    returned_at = datetime(2017, 8, 4, 15, 0, tzinfo=SHANGHAI)
    replies.return_reply(reply=reply, by=world.users["clue_custodian"], note="请补充盖章件", now=returned_at)
    letter = InfoRequestLetter.objects.get(pk=letter.pk)
    assert letter.status == InfoRequestLetter.Status.RETURNED
    assert letter.deadline == date(2017, 8, 10)  # not shortened to 08-09
    assert pending_days(letter) == planned  # the same ladder runs again, from the same deadline


def test_a_return_after_the_deadline_gives_the_working_days_from_the_return(world, sent):
    letter = sent["x"]
    # A reminder of the first round that went out stays sent.
    first = Reminder.objects.filter(target_id=str(letter.pk), kind__startswith="letter.").order_by("due_at").first()
    assert send_reminder(reminder_id=first.pk, now=datetime(2017, 8, 8, 9, 0, tzinfo=SHANGHAI)) is not None
    reply = answer_with_nil_return(letter, world.users["partner_x"])

    # Tuesday 08-15, past the deadline: three working days from the return is Friday 08-18.
    returned_at = datetime(2017, 8, 15, 10, 0, tzinfo=SHANGHAI)
    replies.return_reply(reply=reply, by=world.users["clue_custodian"], note="请补充", now=returned_at)
    letter = InfoRequestLetter.objects.get(pk=letter.pk)
    assert letter.deadline == date(2017, 8, 18)
    # Planned again from 08-18: two working days before, on the day, then every two working days.
    assert pending_days(letter) == [
        date(2017, 8, 16),
        date(2017, 8, 18),
        date(2017, 8, 22),
        date(2017, 8, 24),
        date(2017, 8, 28),
        date(2017, 8, 30),
    ]
    assert Reminder.objects.get(pk=first.pk).status == Reminder.Status.SENT


def test_the_returned_partner_is_told_the_new_deadline(world, sent):
    reply = answer_with_nil_return(sent["x"], world.users["partner_x"])
    replies.return_reply(
        reply=reply,
        by=world.users["clue_custodian"],
        note="请补充",
        now=datetime(2017, 8, 15, 10, 0, tzinfo=SHANGHAI),
    )
    note = Notification.objects.filter(recipient=world.users["partner_x"], body="请补充").get()
    assert "2017年8月18日" in note.title  # as the pages write dates


def test_the_90_day_feedback_date_moves_off_a_sunday_and_the_national_day_week(world):
    # Monday 2017-07-03 + 90 days is Sunday 10-01, the first day of the National Day holiday (10-01..10-08).
    meeting = transfers.Meeting(name="区委书记专题会", held_on=date(2017, 6, 30), minutes="专题会议纪要〔2017〕9号")
    (sent,) = approve(world, [proposed(world)], meeting=meeting, now=datetime(2017, 7, 3, 10, 0, tzinfo=SHANGHAI))
    assert sent.feedback_due == date(2017, 10, 9)


def test_a_letter_due_past_the_holiday_table_is_marked_on_its_page(world, sent):
    client = Client()
    client.force_login(world.users["office_staff"])
    url = reverse("clues:letter-detail", args=[sent["x"].pk])
    assert MARK not in client.get(url).content.decode()

    # The table ends with 2016 in this test: the 2017 deadline was counted in natural days.
    CalendarYear.objects.filter(year__gte=2017).delete()
    page = client.get(url).content.decode()
    assert MARK in page
    assert MARK in client.get(reverse("clues:letter-list")).content.decode()
