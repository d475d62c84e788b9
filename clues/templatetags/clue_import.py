from django import template

from clues.importing import spec
from clues.models.categories import CATEGORY_LABELS

register = template.Library()


@register.filter
def column_label(key: str) -> str:
    """The workbook header a column key stands for (inspected_unit → 被巡察单位)."""
    column = spec.BY_KEY.get(key)
    return column.label if column else ""


@register.filter
def category_label(code: str) -> str:
    """The Chinese name of a problem category code (integrity → 廉洁纪律)."""
    return CATEGORY_LABELS.get(code, code)
