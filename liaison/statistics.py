"""Liaison and rectification figures for `manage.py stats` (docs/domain.md §4.1)."""

from core.statistics import statistic
from inspection.models import InspectionRound
from inspection.selectors import first_round
from liaison.models import LiaisonAssignment, RectificationItem
from liaison.selectors import item_totals, round_items


@statistic("liaison_officer_count")
def liaison_officer_count(inspection_round: InspectionRound | None = None) -> int:
    """Current liaison officers of the first round's units (or the given round's), one per inspected unit."""
    first = inspection_round or first_round()
    if first is None:
        return 0
    return LiaisonAssignment.objects.filter(
        liaison_office__inspected_unit__inspection_round=first, end_date__isnull=True
    ).count()


def _totals(inspection_round: InspectionRound | None = None) -> dict[str, int]:
    """Counts over every item, or over the given round's items."""
    return item_totals(RectificationItem.objects.all() if inspection_round is None else round_items(inspection_round))


def completion_rate(totals: dict[str, int]) -> float | None:
    """Signed off or long-term maintained ÷ items."""
    return round(totals["n_rectified"] / totals["n_items"], 4) if totals["n_items"] else None


def on_time_rate(totals: dict[str, int]) -> float | None:
    """Signed off by the deadline ÷ signed off."""
    return round(totals["n_on_time"] / totals["n_signed_off"], 4) if totals["n_signed_off"] else None


@statistic("rectification_item_count")
def rectification_item_count(inspection_round: InspectionRound | None = None) -> int:
    return _totals(inspection_round)["n_items"]


@statistic("rectification_signed_off_count")
def rectification_signed_off_count(inspection_round: InspectionRound | None = None) -> int:
    return _totals(inspection_round)["n_signed_off"]


@statistic("rectification_overdue_count")
def rectification_overdue_count(inspection_round: InspectionRound | None = None) -> int:
    return _totals(inspection_round)["n_overdue"]


@statistic("rectification_completion_rate")
def rectification_completion_rate(inspection_round: InspectionRound | None = None) -> float | None:
    """Signed off or long-term maintained ÷ items."""
    return completion_rate(_totals(inspection_round))


@statistic("rectification_on_time_rate")
def rectification_on_time_rate(inspection_round: InspectionRound | None = None) -> float | None:
    """Signed off by the deadline ÷ signed off."""
    return on_time_rate(_totals(inspection_round))
