"""Liaison and rectification figures for `manage.py stats` (DOMAIN §4.1)."""

from core.statistics import statistic
from inspection.selectors import first_round
from liaison.models import LiaisonAssignment, RectificationItem
from liaison.selectors import item_totals


@statistic("liaison_officer_count")
def liaison_officer_count() -> int:
    """Current liaison officers of the first round's units (one per inspected unit)."""
    first = first_round()
    if first is None:
        return 0
    return LiaisonAssignment.objects.filter(
        liaison_office__inspected_unit__inspection_round=first, end_date__isnull=True
    ).count()


def _totals() -> dict[str, int]:
    return item_totals(RectificationItem.objects.all())


@statistic("rectification_item_count")
def rectification_item_count() -> int:
    return _totals()["n_items"]


@statistic("rectification_signed_off_count")
def rectification_signed_off_count() -> int:
    return _totals()["n_signed_off"]


@statistic("rectification_overdue_count")
def rectification_overdue_count() -> int:
    return _totals()["n_overdue"]


@statistic("rectification_completion_rate")
def rectification_completion_rate() -> float | None:
    """Signed off or long-term maintained ÷ items."""
    totals = _totals()
    return round(totals["n_rectified"] / totals["n_items"], 4) if totals["n_items"] else None


@statistic("rectification_on_time_rate")
def rectification_on_time_rate() -> float | None:
    """Signed off by the deadline ÷ signed off."""
    totals = _totals()
    return round(totals["n_on_time"] / totals["n_signed_off"], 4) if totals["n_signed_off"] else None
