"""The holiday table's end (core/workdays.py, core/services/calendar.py): where it ends, the
warning once per table end when a count reaches past it, the status page, the natural-day rule,
loading years from chinese-calendar (command and admin).

Each test builds its own table end (complete years in CalendarYear) instead of depending on
today's date or on the years the installed package knows.
"""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import CalendarDay, CalendarYear, Notification
from core.services import calendar
from core.services.health import check_calendar
from core.workdays import (
    add_natural_days,
    add_working_days,
    is_past_table,
    is_working_day,
    table_end,
    working_days_between,
    working_days_from,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def table_ending_with(year: int) -> None:
    """The table is complete through 31 December of year (the years after it are unknown)."""
    CalendarYear.objects.filter(year__gt=year).delete()
    for y in range(2004, year + 1):
        CalendarYear.objects.get_or_create(year=y)


def warnings_to(user) -> int:
    return Notification.objects.filter(recipient=user, url=reverse("core:health")).count()


# ---------------------------------------------------------------- where the table ends


def test_the_migration_marked_every_year_the_package_knows_complete() -> None:
    years = calendar.package_years()
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= set(years)
    assert table_end() >= date(years[-1], 12, 31)
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name == "春节"  # the latest year is in


def test_the_table_ends_with_its_last_complete_year() -> None:
    table_ending_with(2030)
    assert table_end() == date(2030, 12, 31)
    assert not is_past_table(date(2030, 12, 31), table_end())
    assert is_past_table(date(2031, 1, 1), table_end())
    assert not is_past_table(None, table_end())
    CalendarYear.objects.all().delete()
    assert table_end() is None
    assert is_past_table(date(2017, 1, 1), None)  # no complete year: every date is an estimate


# ---------------------------------------------------------------- warned once per table end


def test_a_count_past_the_table_warns_the_heads_and_admins_once(world) -> None:
    table_ending_with(2030)
    head, staff = world.users["office_head"], world.users["office_staff"]
    admin = make_user("it_admin", "system_admin")
    # Inside the table: nothing happens.
    assert add_working_days(date(2030, 12, 20), 3) == date(2030, 12, 25)
    assert warnings_to(head) == 0

    # Friday 2030-12-27 + 3 working days reaches 2031, which the table does not know yet.
    assert add_working_days(date(2030, 12, 27), 3) == date(2031, 1, 1)
    assert warnings_to(head) == 1
    assert warnings_to(admin) == 1
    assert warnings_to(staff) == 0
    last = CalendarYear.objects.get(year=2030)
    assert last.reached_past_date == date(2031, 1, 1)
    assert last.reached_past_at is not None

    # Every other kind of count past the same end says nothing more.
    is_working_day(date(2031, 2, 3))
    working_days_between(date(2030, 12, 1), date(2031, 3, 1))
    working_days_from(date(2030, 12, 1), [date(2031, 5, 1)])
    add_natural_days(date(2030, 12, 1), 90)
    assert warnings_to(head) == 1
    assert CalendarYear.objects.get(year=2030).reached_past_date == date(2031, 1, 1)

    # The next year loaded moves the end: a count past the new end warns again, once.
    CalendarYear.objects.create(year=2031)
    add_working_days(date(2031, 6, 2), 5)
    assert warnings_to(head) == 1
    add_working_days(date(2031, 12, 29), 5)
    add_working_days(date(2031, 12, 29), 6)
    assert warnings_to(head) == 2
    assert CalendarYear.objects.get(year=2031).reached_past_date == date(2032, 1, 5)


def test_a_second_claim_of_the_same_table_end_tells_nobody(world) -> None:
    table_ending_with(2030)
    assert calendar.warn_past_table(year=2030, day=date(2031, 1, 2)) is True
    assert calendar.warn_past_table(year=2030, day=date(2031, 1, 3)) is False  # another worker, later
    assert calendar.warn_past_table(year=2029, day=date(2030, 1, 3)) is False  # no longer the last year
    assert warnings_to(world.users["office_head"]) == 1


def test_counts_looking_back_inside_the_table_never_warn(world) -> None:
    table_ending_with(2030)
    assert add_working_days(date(2030, 12, 31), -5) == date(2030, 12, 24)
    assert working_days_between(date(2030, 12, 31), date(2030, 12, 1)) < 0
    assert warnings_to(world.users["office_head"]) == 0


# ---------------------------------------------------------------- the status page


def test_the_status_page_shows_the_table_end_and_the_warning(world) -> None:
    table_ending_with(2030)
    check = check_calendar(today=date(2030, 6, 1))
    assert check.ok
    assert "2030-12-31" in check.detail
    assert not check_calendar(today=date(2031, 1, 2)).ok  # today itself is past the end

    add_working_days(date(2030, 12, 30), 10)
    check = check_calendar(today=date(2030, 12, 30))
    assert not check.ok
    assert "2031-01-13" in check.detail
    client = Client()
    client.force_login(world.users["office_head"])
    page = client.get(reverse("core:health")).content.decode()
    assert "2031-01-13" in page

    CalendarYear.objects.all().delete()
    assert not check_calendar(today=date(2030, 6, 1)).ok


# ---------------------------------------------------------------- natural days end on a working day


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2017, 7, 3), 90, date(2017, 10, 9)),  # Sunday 10-01, National Day week: Monday 10-09
        (date(2017, 6, 1), 30, date(2017, 7, 3)),  # Saturday 07-01: Monday
        (date(2017, 6, 1), 60, date(2017, 7, 31)),  # a Monday already
        (date(2017, 7, 2), 90, date(2017, 9, 30)),  # Saturday 09-30 is a make-up workday: kept
    ],
)
def test_natural_day_periods_end_on_the_next_working_day(start, days, due) -> None:
    assert add_natural_days(start, days) == due
    assert is_working_day(due)


# ---------------------------------------------------------------- loading the table


def test_load_holidays_restores_a_year_from_the_package_and_marks_it_complete() -> None:
    CalendarYear.objects.filter(year=2017).delete()
    CalendarDay.objects.filter(date__year=2017).delete()
    CalendarDay.objects.create(date=date(2017, 10, 1), kind=CalendarDay.Kind.WORKDAY, name="错")
    out = StringIO()
    call_command("load_holidays", "--year", "2017", stdout=out)
    assert "loaded 2017" in out.getvalue()
    assert CalendarYear.objects.get(year=2017).source == CalendarYear.Source.PACKAGE
    assert CalendarDay.objects.get(date=date(2017, 10, 1)).kind == CalendarDay.Kind.HOLIDAY  # the package wins
    in_package = {day for day in calendar.package_days() if day.year == 2017}
    assert set(CalendarDay.objects.filter(date__year=2017).values_list("date", flat=True)) == in_package
    again = calendar.load_holidays(years=[2017])
    assert again.days == 0  # nothing left to change


def test_load_holidays_says_which_years_the_package_lacks() -> None:
    missing = calendar.package_years()[-1] + 1
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("load_holidays", "--year", str(missing), stdout=out, stderr=err)
    assert exited.value.code == 1
    assert f"no data for {missing}" in err.getvalue()
    assert not CalendarYear.objects.filter(year=missing).exists()


def test_the_admin_lists_complete_years_and_reloads_them_from_the_package(world) -> None:
    admin = make_user("it_admin", "system_admin", is_staff=True)
    client = Client()
    client.force_login(admin)
    changelist = reverse("admin:core_calendaryear_changelist")
    assert client.get(changelist).status_code == 200
    CalendarDay.objects.filter(date=date(2017, 10, 2)).delete()
    response = client.post(
        changelist,
        {"action": "reload_from_package", "_selected_action": [CalendarYear.objects.get(year=2017).pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert CalendarDay.objects.get(date=date(2017, 10, 2)).kind == CalendarDay.Kind.HOLIDAY

    # A year entered by hand: its days, then the year marked complete.
    table_ending_with(2030)
    response = client.post(
        reverse("admin:core_calendarday_add"), {"date": "2031-01-01", "kind": "holiday", "name": "元旦"}, follow=True
    )
    assert "2031" in response.content.decode()  # warned that 2031 is not complete yet
    assert client.post(reverse("admin:core_calendaryear_add"), {"year": "2031", "source": "admin"}).status_code == 302
    assert table_end() == date(2031, 12, 31)
    assert not is_working_day(date(2031, 1, 1))


def test_an_admin_cannot_edit_a_complete_year(world) -> None:
    admin = make_user("it_admin", "system_admin", is_staff=True)
    client = Client()
    client.force_login(admin)
    year = CalendarYear.objects.get(year=2017)
    client.post(reverse("admin:core_calendaryear_change", args=[year.pk]), {"year": "2099", "source": "admin"})
    assert CalendarYear.objects.filter(year=2017).exists()
    assert not CalendarYear.objects.filter(year=2099).exists()


def test_warning_time_is_recorded_in_local_time(world, time_machine) -> None:
    time_machine.move_to(datetime(2030, 12, 30, 9, 0, tzinfo=SHANGHAI), tick=False)
    table_ending_with(2030)
    add_working_days(date(2030, 12, 30), 5)
    assert CalendarYear.objects.get(year=2030).reached_past_at == datetime(2030, 12, 30, 9, 0, tzinfo=SHANGHAI)
