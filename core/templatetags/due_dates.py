"""A due date as pages show it: marked "按自然日推算，待日历更新" when it lies past the end of
the holiday calendar (core.workdays.is_past_table). Loaded as {% load due_dates %}:

    {% due_date letter.deadline "DATE_FORMAT" default=_("Set when sent") %}

The calendar's end is read once per request, whatever the number of rows on the page.
"""

from datetime import date
from typing import Any

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.workdays import is_past_table, table_end

register = template.Library()

_MEMO = "_calendar_table_end"


def request_table_end(request: Any) -> date | None:
    """table_end(), read once per request (a list page shows many dates)."""
    if request is None:
        return table_end()
    if not hasattr(request, _MEMO):
        setattr(request, _MEMO, table_end())
    return getattr(request, _MEMO)


def natural_days_mark() -> SafeString:
    return format_html(
        '<span class="badge badge-yellow" title="{}">{}</span>',
        _("Past the end of the holiday calendar: holidays are not known yet."),
        _("Counted in natural days until the calendar is updated"),
    )


@register.simple_tag(takes_context=True)
def due_date(context: template.Context, value: date | None, fmt: str = "DATE_FORMAT", default: str = "—") -> str:
    if not value:
        return default
    text = formats.date_format(value, fmt)
    if is_past_table(value, request_table_end(context.get("request"))):
        return format_html("{} {}", text, natural_days_mark())
    return text


@register.simple_tag
def natural_days_badge() -> SafeString:
    """The mark alone, for a row that knows it is past the table (the deadline board)."""
    return natural_days_mark()
