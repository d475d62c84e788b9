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
