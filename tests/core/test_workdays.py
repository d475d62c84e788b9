"""Working days of mainland China (core/workdays.py) from the CalendarDay table.

The table is seeded by migration core/0003 from the chinese-calendar package; admins add
later years by hand.
"""

from datetime import date, timedelta

import pytest

from core.models import CalendarDay
from core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_the_2017_national_day_calendar() -> None:
    assert CalendarDay.objects.get(date=date(2017, 9, 30)).kind == CalendarDay.Kind.WORKDAY
    holidays = CalendarDay.objects.filter(date__range=(date(2017, 10, 1), date(2017, 10, 8)))
    assert {day.kind for day in holidays} == {CalendarDay.Kind.HOLIDAY}
    assert holidays.count() == 8


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2017, 9, 29), True),  # Friday
        (date(2017, 9, 30), True),  # Saturday, make-up workday
        (date(2017, 10, 1), False),  # Sunday, National Day
        (date(2017, 10, 2), False),  # Monday, holiday
        (date(2017, 10, 6), False),  # Friday, holiday
        (date(2017, 10, 8), False),  # Sunday, holiday
        (date(2017, 10, 9), True),  # Monday, back to work
        (date(2017, 8, 5), False),  # an ordinary Saturday
        (date(2017, 8, 6), False),  # an ordinary Sunday
        (date(2017, 8, 7), True),  # an ordinary Monday
        (date(2018, 2, 11), True),  # Sunday, Spring Festival make-up day
        (date(2018, 2, 16), False),  # Friday, Spring Festival
        (date(2018, 2, 24), True),  # Saturday, Spring Festival make-up day
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_the_make_up_saturday_before_national_day_is_the_next_working_day() -> None:
    assert add_working_days(date(2017, 9, 29), 1) == date(2017, 9, 30)


def test_the_national_day_week_is_skipped() -> None:
    assert add_working_days(date(2017, 9, 30), 1) == date(2017, 10, 9)
    assert add_working_days(date(2017, 9, 29), 2) == date(2017, 10, 9)


def test_working_days_between_counts_across_national_day() -> None:
    assert working_days_between(date(2017, 9, 29), date(2017, 10, 9)) == 2


def test_five_working_days_after_kickoff_thursday_is_the_next_thursday() -> None:
    # The demo's letter deadline: letters sent on Thu 2017-08-03 are due five working days later.
    assert add_working_days(date(2017, 8, 3), 5) == date(2017, 8, 10)
    assert working_days_between(date(2017, 8, 3), date(2017, 8, 10)) == 5


def test_an_ordinary_weekend_is_skipped() -> None:
    assert add_working_days(date(2017, 8, 4), 1) == date(2017, 8, 7)  # Friday -> Monday
    assert working_days_between(date(2017, 8, 4), date(2017, 8, 6)) == 0  # Saturday and Sunday


def test_spring_festival_2018_make_up_days_count() -> None:
    assert add_working_days(date(2018, 2, 9), 1) == date(2018, 2, 11)  # Fri -> make-up Sunday
    assert add_working_days(date(2018, 2, 14), 1) == date(2018, 2, 22)  # over the festival
    assert add_working_days(date(2018, 2, 23), 1) == date(2018, 2, 24)  # Fri -> make-up Saturday
    assert add_working_days(date(2018, 2, 24), 1) == date(2018, 2, 26)  # the Sunday after is a rest day
    # 11, 12, 13, 14, 22, 23, 24, 26 February
    assert working_days_between(date(2018, 2, 9), date(2018, 2, 26)) == 8


def test_negative_counts_go_backwards() -> None:
    assert add_working_days(date(2017, 10, 9), -1) == date(2017, 9, 30)
    assert add_working_days(date(2017, 10, 9), -2) == date(2017, 9, 29)
    assert add_working_days(date(2018, 2, 22), -1) == date(2018, 2, 14)
    assert add_working_days(date(2017, 8, 10), -5) == date(2017, 8, 3)


def test_working_days_between_is_negative_when_end_is_before_start() -> None:
    assert working_days_between(date(2017, 10, 9), date(2017, 9, 29)) == -2
    assert working_days_between(date(2017, 8, 10), date(2017, 8, 3)) == -5


def test_working_days_between_a_day_and_itself_is_zero() -> None:
    assert working_days_between(date(2017, 10, 1), date(2017, 10, 1)) == 0


def test_adding_zero_days_to_a_holiday_moves_to_the_next_working_day() -> None:
    assert add_working_days(date(2017, 10, 1), 0) == date(2017, 10, 9)
    assert add_working_days(date(2017, 8, 5), 0) == date(2017, 8, 7)  # an ordinary Saturday


def test_adding_zero_days_to_a_working_day_keeps_it() -> None:
    assert add_working_days(date(2017, 8, 3), 0) == date(2017, 8, 3)
    assert add_working_days(date(2017, 9, 30), 0) == date(2017, 9, 30)  # make-up Saturday


def test_a_long_count_crosses_several_holidays() -> None:
    # From Fri 2017-09-29: 09-30 (1), 10-09..13 (6), 10-16..20 (11), 10-23..27 (16),
    # 10-30..11-03 (21); counting back lands on the start again.
    end = add_working_days(date(2017, 9, 29), 21)
    assert end == date(2017, 11, 3)
    assert working_days_between(date(2017, 9, 29), end) == 21
    assert add_working_days(end, -21) == date(2017, 9, 29)


def test_add_and_between_agree_over_a_whole_year() -> None:
    start = date(2017, 12, 29)
    for days in (1, 7, 30, 120, 250):
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days, days
        assert is_working_day(end), days


def test_an_admin_added_future_year_changes_the_result() -> None:
    # The package does not know 2031 yet: Monday to Friday only.
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    assert is_working_day(date(2031, 10, 1))  # a Wednesday
    assert add_working_days(date(2031, 9, 26), 1) == date(2031, 9, 29)  # Fri -> Mon
    assert add_working_days(date(2031, 9, 30), 1) == date(2031, 10, 1)

    CalendarDay.objects.create(date=date(2031, 9, 27), kind=CalendarDay.Kind.WORKDAY, name="国庆节")
    for offset in range(7):
        CalendarDay.objects.create(
            date=date(2031, 10, 1) + timedelta(days=offset), kind=CalendarDay.Kind.HOLIDAY, name="国庆节"
        )

    assert not is_working_day(date(2031, 10, 1))
    assert is_working_day(date(2031, 9, 27))  # a Saturday
    assert add_working_days(date(2031, 9, 26), 1) == date(2031, 9, 27)
    assert add_working_days(date(2031, 9, 30), 1) == date(2031, 10, 8)
    assert working_days_between(date(2031, 9, 26), date(2031, 10, 8)) == 4  # 27, 29, 30 Sep; 8 Oct
