"""Working days of mainland China: Monday to Friday, minus statutory holidays, plus make-up
workdays (调休), as recorded in CalendarDay.

Each function reads the overrides of the window it needs in one query.
"""

from datetime import date, timedelta

from core.models import CalendarDay

# Longest run of non-working days in practice is the Spring Festival week plus a weekend;
# a window of 3 calendar days per working day plus a margin always reaches the answer.
_SPAN_PER_DAY = 3
_MARGIN = 20


def _overrides(start: date, end: date) -> dict[date, str]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def _is_working(day: date, overrides: dict[date, str]) -> bool:
    kind = overrides.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
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
        return current
    remaining = abs(days)
    while remaining:
        current += timedelta(days=step)
        if _is_working(current, overrides):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end; negative when end is before start."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    overrides = _overrides(lo, hi)
    count = sum(1 for offset in range(1, (hi - lo).days + 1) if _is_working(lo + timedelta(days=offset), overrides))
    return sign * count


def working_days_from(start: date, ends: list[date]) -> dict[date, int]:
    """working_days_between(start, end) for many ends, reading the calendar once (list pages)."""
    if not ends:
        return {}
    lo, hi = min(start, *ends), max(start, *ends)
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
