from core.models import Organisation
from core.statistics import statistic
from inspection.models import GroupMembership, InspectedUnit, InspectionRound
from inspection.selectors import first_round, rounds_with_shares, share_of

DISCIPLINE_BODIES = (
    Organisation.UnitType.DISCIPLINE_COMMISSION,
    Organisation.UnitType.COMMISSION_INTERNAL_OFFICE,
    Organisation.UnitType.STATIONED_DISCIPLINE_TEAM,
)


@statistic("inspected_unit_count")
def inspected_unit_count(inspection_round: InspectionRound | None = None) -> int:
    """docs/domain.md §4.1 #5: inspected units of the first round (or of the given round)."""
    first = inspection_round or first_round()
    return InspectedUnit.objects.filter(inspection_round=first).count() if first else 0


@statistic("seconded_share")
def seconded_share_by_round() -> dict[str, float | None]:
    """docs/domain.md §4.1 #8, per round (keyed by the round's title): seconded ÷ distinct members, 4 decimals."""
    return {r.title: share_of(r) for r in rounds_with_shares()}


@statistic("discipline_cadres_in_inspection")
def discipline_cadres_in_inspection(inspection_round: InspectionRound | None = None) -> int:
    """docs/domain.md §4.1 #14: people from the commission, its offices or stationed teams who sat in any group
    (in any round, or in the given one)."""
    memberships = GroupMembership.objects.all()
    if inspection_round is not None:
        memberships = memberships.filter(inspection_round=inspection_round)
    return memberships.filter(person__home_unit__unit_type__in=DISCIPLINE_BODIES).values("person").distinct().count()
