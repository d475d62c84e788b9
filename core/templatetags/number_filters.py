"""Filters that turn a number into what a page shows: whole minutes of a duration, a count
without its sign (days overdue). Loaded as {% load number_filters %}."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a timedelta, for messages such as the lockout cool-off."""
    return int(value.total_seconds() // 60) if value else 0


@register.filter
def absolute(value: int | None) -> int | None:
    return abs(value) if value is not None else None
