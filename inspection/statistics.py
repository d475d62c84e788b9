from core.statistics import statistic
from inspection.models import InspectedUnit
from inspection.selectors import first_round, seconded_share


@statistic("inspected_unit_count")
def inspected_unit_count() -> int:
    """DOMAIN §4.1 #5: inspected units of the first round."""
    first = first_round()
    return InspectedUnit.objects.filter(inspection_round=first).count() if first else 0


@statistic("seconded_share")
def seconded_share_first_round() -> float | None:
    """DOMAIN §4.1 #8 for the first round: seconded ÷ distinct members, 4 decimals."""
    first = first_round()
    if first is None:
        return None
    seconded, total = seconded_share(first)
    return round(seconded / total, 4) if total else None
