from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.filter
def percent(value: Decimal | None, places: int = 0) -> str:
    """0.2434 → 24% (or 24.3% with one place), rounded half up as the office reports it."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    return f"{(value * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"


@register.simple_tag
def drill(count: int, stage: str, can_drill: bool, dimension: str = "", key: int | None = None) -> str:
    """A funnel number, linked to the list of its clues for users who may read clues."""
    if not can_drill or not count:
        return str(count)
    query: dict[str, str | int] = {"funnel": stage}
    if dimension:
        query[dimension] = "none" if key is None else key
    return format_html('<a href="{}?{}">{}</a>', reverse("clues:clue-list"), urlencode(query), count)
