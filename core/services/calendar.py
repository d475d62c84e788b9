"""The holiday table: loading years from the chinese-calendar package, and the warning when a
count reaches past the table's end.

The table (CalendarDay) lists the days that break the Monday-to-Friday rule; CalendarYear
records which years are complete. The package is updated each year from the State Council's
notice (usually published in November or December for the next year); until it knows a year,
the system administrator enters that year's days in the administration and marks the year
complete there.
"""

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import CalendarDay, CalendarYear, User
from core.roles import Role
from core.services.notifications import notify

# Chinese names of the holidays the package knows (its own names are English).
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def package_version() -> str:
    return version("chinesecalendar")


def package_days() -> dict[date, tuple[str, str]]:
    """Every day the package lists: date -> (kind, Chinese name)."""
    from chinese_calendar import constants  # only the loading paths need the package

    days = {day: (CalendarDay.Kind.HOLIDAY.value, HOLIDAY_NAMES.get(n, n)) for day, n in constants.holidays.items()}
    days.update(
        {day: (CalendarDay.Kind.WORKDAY.value, HOLIDAY_NAMES.get(n, n)) for day, n in constants.workdays.items()}
    )
    return days


def package_years() -> list[int]:
    """The years the package knows (each has at least its New Year's Day)."""
    return sorted({day.year for day in package_days()})


@dataclass(frozen=True)
class LoadResult:
    loaded: list[int]  # years now complete from the package
    missing: list[int]  # years asked for that the package does not know
    days: int  # rows created or changed


@transaction.atomic
def load_holidays(*, years: list[int] | None = None) -> LoadResult:
    """Copy the package's holidays and make-up workdays of years (all it knows by default) into
    the table and mark those years complete. The package wins over a row entered by hand for
    the same date; rows of other dates are left alone. Safe to run again."""
    known = package_years()
    wanted = sorted(set(years)) if years else known
    loaded = [year for year in wanted if year in known]
    missing = [year for year in wanted if year not in known]
    days = {day: row for day, row in package_days().items() if day.year in loaded}
    existing = {
        row[0]: (row[1], row[2])
        for row in CalendarDay.objects.filter(date__in=list(days)).values_list("date", "kind", "name")
    }
    changed = 0
    for day, (kind, name) in sorted(days.items()):
        if existing.get(day) != (kind, name):
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
            changed += 1
    for year in loaded:
        CalendarYear.objects.update_or_create(year=year, defaults={"source": CalendarYear.Source.PACKAGE})
    return LoadResult(loaded=loaded, missing=missing, days=changed)


def calendar_keepers() -> list[User]:
    """Who is told that the table has run out: the office heads (their deadlines are at stake)
    and the system administrators (they extend the table)."""
    return list(
        User.objects.filter(is_active=True, groups__name__in=[Role.OFFICE_HEAD, Role.SYSTEM_ADMIN])
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def warn_past_table(*, year: int, day: date) -> bool:
    """A count reached day, past the table that ends with year: claim the year's warning and
    tell the keepers. Only the first claim per table end tells anyone; returns whether this did."""
    later = CalendarYear.objects.filter(year__gt=OuterRef("year"))
    claimed = CalendarYear.objects.filter(~Exists(later), year=year, reached_past_at__isnull=True).update(
        reached_past_at=timezone.now(), reached_past_date=day
    )
    if claimed != 1:
        return False  # warned already, or a later year was loaded meanwhile
    end = date(year, 12, 31)
    notify(
        recipients=calendar_keepers(),
        title=_("The holiday calendar ends on %(end)s") % {"end": end.isoformat()},
        body=_(
            "A deadline was counted to %(day)s, past the end of the holiday calendar (%(end)s). Dates after "
            "%(end)s are counted in natural days (Monday to Friday, no holidays) and marked as such until "
            "the calendar is updated: load the next year with `manage.py load_holidays` once the "
            "chinese-calendar package knows it, or enter its holidays and make-up workdays in the "
            "administration and mark the year complete."
        )
        % {"day": day.isoformat(), "end": end.isoformat()},
        url=reverse("core:health"),
        level="warning",
    )
    return True
