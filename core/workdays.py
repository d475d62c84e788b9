"""Working days of mainland China: Monday to Friday, minus statutory holidays, plus make-up
workdays (调休), as recorded in CalendarDay.

Each function reads the overrides of the window it needs in one query, and the table's end
in another. The table is known through 31 December of its last complete year (CalendarYear);
past it a count falls back on Monday to Friday. Such a date is an estimate ("按自然日推算，
待日历更新", `is_past_table`), and the first count that reaches past a table end warns the
office (core.services.calendar.warn_past_table, once per table end).

Two kinds of period (docs/domain.md §7 "Time limits"):
- N working days (`add_working_days`): always ends on a working day;
- N natural days (`add_natural_days`): counted on the calendar, and a period that would end
  on a rest day or a holiday ends on the next working day instead (期间届满日遇节假日顺延).
"""

from datetime import date, timedelta

from core.models import CalendarDay, CalendarYear

# Longest run of non-working days in practice is the Spring Festival week plus a weekend;
# a window of 3 calendar days per working day plus a margin always reaches the answer.
_SPAN_PER_DAY = 3
_MARGIN = 20


def _overrides(start: date, end: date) -> dict[date, str]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def table_end() -> date | None:
    """The last day whose working status the table knows: 31 December of its last complete
    year; None while no year is complete (every date is then an estimate)."""
    last = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first()
    return date(last, 12, 31) if last else None


def is_past_table(day: date | None, end: date | None) -> bool:
    """Whether day was counted in natural days because the table (ending on end) does not reach it."""
    return day is not None and (end is None or day > end)


def _reach(day: date) -> None:
    """A count looked at day: past the table's end, the office is warned (once per table end)."""
    last = CalendarYear.objects.order_by("-year").values_list("year", "reached_past_at").first()
    if last is None:
        return  # no table at all: the status page says so; there is no table end to warn about
    year, warned_at = last
    if day.year > year and warned_at is None:
        # Importing at the top would load the notification services with every model module.
        from core.services.calendar import warn_past_table

        warn_past_table(year=year, day=day)


def _is_working(day: date, overrides: dict[date, str]) -> bool:
    kind = overrides.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    _reach(day)
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after start (before it, for a negative count).

    add_working_days(d, 0) is d itself if d is a working day, else the next working day.
    """
    step = 1 if days >= 0 else -1
    span = timedelta(days=abs(days) * _SPAN_PER_DAY + _MARGIN)
    lo, hi = (start, start + span) if step > 0 else (start - span, start)
    overrides = _overrides(lo, hi)
    current = start
    if days == 0:
        while not _is_working(current, overrides):
            current += timedelta(days=1)
    else:
        remaining = abs(days)
        while remaining:
            current += timedelta(days=step)
            if _is_working(current, overrides):
                remaining -= 1
    _reach(max(start, current))
    return current


def add_natural_days(start: date, days: int) -> date:
    """`days` calendar days after start; a period ending on a day off ends on the next working day."""
    return add_working_days(start + timedelta(days=days), 0)


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end; negative when end is before start."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    _reach(hi)
    overrides = _overrides(lo, hi)
    count = sum(1 for offset in range(1, (hi - lo).days + 1) if _is_working(lo + timedelta(days=offset), overrides))
    return sign * count


def working_days_from(start: date, ends: list[date]) -> dict[date, int]:
    """working_days_between(start, end) for many ends, reading the calendar once (list pages)."""
    if not ends:
        return {}
    lo, hi = min(start, *ends), max(start, *ends)
    _reach(hi)
    overrides = _overrides(lo, hi)
    working = [
        lo + timedelta(days=offset)
        for offset in range((hi - lo).days + 1)
        if _is_working(lo + timedelta(days=offset), overrides)
    ]

    def between(end: date) -> int:
        if end >= start:
            return sum(1 for d in working if start < d <= end)
        return -sum(1 for d in working if end < d <= start)

    return {end: between(end) for end in set(ends)}
