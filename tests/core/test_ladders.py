"""Reminder ladders as data: the setting grammar, the plan it gives, and the kinds renamed by step."""

import importlib
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured

from clues.reminders import LETTERS, TRANSFERS
from core.models import Reminder
from core.services.reminders import PlannedReminder, cancel_reminders, parse_ladder, schedule_reminders
from liaison.reminders import HANDOVERS, RECTIFICATION
from tests.core.test_settings import run_manage

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_a_ladder_names_its_steps_and_escalates_from_the_step_asked():
    steps = parse_ladder("-2, 0, +2x4; escalate=2").steps
    assert [(s.name, s.level) for s in steps] == [
        ("before", "green"),
        ("due", "yellow"),
        ("overdue", "yellow"),
        ("escalation", "red"),
        ("escalation", "red"),
        ("escalation", "red"),
    ]


def test_named_steps_carry_their_level_and_recipients():
    timing = parse_ladder("green -20 > a, yellow -10 > a+b, red +1 > c; hour=8; days=calendar")
    assert [(s.name, s.level, s.recipients) for s in timing.steps] == [
        ("green", "green", ("a",)),
        ("yellow", "yellow", ("a", "b")),
        ("red", "red", ("c",)),
    ]
    assert (timing.hour, timing.working_days) == (8, False)


@pytest.mark.parametrize(
    "text",
    [
        "-2, soon",  # not a step
        "0, +2x3; every=2",  # unknown option
        "0; days=lunar",
        "0; hour=25",
        "0; escalate=two",
        "-2x3",  # only overdue steps repeat
        "blue +1",  # a named step is a level
        "red +1 > a, red +2 > b",  # one name, two sets of recipients: the row could not tell them apart
    ],
)
def test_a_bad_ladder_is_refused_with_its_text(text):
    with pytest.raises(ImproperlyConfigured, match="Reminder ladder"):
        parse_ladder(text)


@pytest.mark.django_db
def test_working_day_steps_skip_weekends_and_the_before_step_too_late_for_the_start(settings):
    settings.LETTER_REMINDER_LADDER = "-2, 0, +2x2; escalate=2; hour=10"
    deadline = date(2017, 8, 10)  # a Thursday
    assert LETTERS.plan(deadline) == [
        PlannedReminder("letter.before", _at(date(2017, 8, 8), 10), "green"),
        PlannedReminder("letter.due", _at(deadline, 10), "yellow"),
        PlannedReminder("letter.overdue", _at(date(2017, 8, 14), 10), "yellow"),  # over the weekend
        PlannedReminder("letter.escalation", _at(date(2017, 8, 16), 10), "red"),
    ]
    # Sent on the day the "before" reminder would fall: it is left out, not sent at once.
    assert next(p.kind for p in LETTERS.plan(deadline, start=date(2017, 8, 8))) == "letter.due"


@pytest.mark.django_db
def test_calendar_day_ladders_count_every_day():
    due = date(2018, 1, 18)
    assert [p.due_at for p in TRANSFERS.plan(due)] == [
        _at(date(2018, 1, 8)),
        _at(due),
        _at(date(2018, 1, 28)),
        _at(date(2018, 2, 7)),
        _at(date(2018, 2, 17)),
    ]
    assert [(p.kind, p.level) for p in RECTIFICATION.plan(due)] == [
        ("rectification.green", "green"),
        ("rectification.yellow", "yellow"),
        ("rectification.red", "red"),
    ]
    assert [(p.kind, p.level) for p in HANDOVERS.plan(due)] == [
        ("handover.overdue", "yellow"),
        ("handover.escalation", "red"),
        ("handover.escalation", "red"),
    ]


def test_escalation_adds_the_ladders_escalation_recipients_once():
    [before, _due, _overdue, escalation, *_] = parse_ladder("-2, 0, +2x4; escalate=2").steps
    assert LETTERS.step_recipients(before) == ("partner",)
    assert LETTERS.step_recipients(escalation) == ("partner", "office_head")


def test_rows_of_a_step_the_setting_no_longer_has_still_go_out(settings):
    settings.LETTER_REMINDER_LADDER = "-2, 0, +2x4"  # no escalation any more
    step = LETTERS.step("escalation")  # but rows planned before still name it
    assert step is not None
    assert step.level == "red"
    assert step.phase == "after"
    assert LETTERS.step("someday") is None


@pytest.mark.django_db
def test_the_repeats_of_a_step_are_scheduled_once_each():
    ct = ContentType.objects.get_for_model(Reminder)  # any record will do as the target
    target = Reminder.objects.create(target_type=ct, target_id="1", kind="x", due_at=_at(date(2017, 8, 1)))
    plan = HANDOVERS.plan(date(2017, 8, 10))
    assert schedule_reminders(target=target, plan=plan) == 3  # two share a kind, not a moment
    assert schedule_reminders(target=target, plan=plan) == 0


@pytest.mark.django_db
def test_the_migration_renames_numbered_kinds_by_their_level_and_back():
    migration = importlib.import_module("core.migrations.0009_reminder_kinds_named_by_step")
    ct = ContentType.objects.get_for_model(Reminder)
    old = [
        ("letter.due_soon", "green"),
        ("letter.due_today", "yellow"),
        ("letter.overdue.1", "yellow"),
        ("letter.overdue.2", "red"),
        ("transfer.overdue.1", "yellow"),
        ("handover.overdue.2", "red"),
        ("rectification.red", "red"),
    ]
    for day, (kind, level) in enumerate(old, start=1):
        Reminder.objects.create(target_type=ct, target_id="7", kind=kind, level=level, due_at=_at(date(2017, 8, day)))
    migration.forwards(apps, None)
    assert list(Reminder.objects.order_by("due_at").values_list("kind", flat=True)) == [
        "letter.before",
        "letter.due",
        "letter.overdue",
        "letter.escalation",
        "transfer.overdue",
        "handover.escalation",
        "rectification.red",
    ]
    migration.backwards(apps, None)
    expected = [kind for kind, _level in old]
    expected[5] = "handover.overdue.1"  # numbered again from the record's first overdue row
    assert list(Reminder.objects.order_by("due_at").values_list("kind", flat=True)) == expected


def test_a_retired_per_step_setting_stops_the_start_up_and_names_the_ladder():
    env = dict(os.environ, LETTER_OVERDUE_REMINDERS="5", DJANGO_DEBUG="1")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "LETTER_REMINDER_LADDER" in result.stderr


def test_a_bad_ladder_setting_stops_the_start_up():
    env = dict(os.environ, HANDOVER_REMINDER_LADDER="+1x3; escalate=soon", DJANGO_DEBUG="1")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Reminder ladder" in result.stderr


@pytest.mark.django_db
def test_cancelling_by_moment_spares_the_later_repeats_of_a_step():
    ct = ContentType.objects.get_for_model(Reminder)
    # Any record will do as the target; its own target_id points nowhere, so it is not among its reminders.
    target = Reminder.objects.create(target_type=ct, target_id="-", kind="x", due_at=_at(date(2017, 8, 1)))
    schedule_reminders(target=target, plan=HANDOVERS.plan(date(2017, 8, 10)))  # 11th, 14th, 15th
    assert cancel_reminders(target=target, due_before=_at(date(2017, 8, 15))) == 2
    pending = Reminder.objects.filter(kind__startswith="handover.", status=Reminder.Status.PENDING)
    assert list(pending.values_list("kind", "due_at")) == [("handover.escalation", _at(date(2017, 8, 15)))]
