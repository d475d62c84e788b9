"""A round with its two groups and units, staffed as the office sets one up."""

from core import transitions
from core.models import Organisation, Person, User
from inspection import services as rounds
from inspection.models import InspectionRound

Seat = tuple[Person, str, bool, bool]  # person, role, seconded, group liaison


def build_round(
    spec: dict, units: list[tuple[Organisation, int]], staffing: dict[int, list[Seat]], *, by: User | None
) -> InspectionRound:
    """Create the round, its groups, put each unit under its group and staff the groups (talent.round_staffing)."""
    inspection_round = rounds.create_round(by=by, **spec)
    groups = {n: rounds.create_group(by=by, inspection_round=inspection_round, number=n) for n in staffing}
    for org_unit, group_no in units:
        rounds.assign_unit(by=by, group=groups[group_no], org_unit=org_unit)
    for group_no, seats in staffing.items():
        for person, role, is_seconded, is_liaison in seats:
            rounds.add_member(
                by=by,
                group=groups[group_no],
                person=person,
                role=role,
                is_seconded=is_seconded,
                is_group_liaison=is_liaison,
                start_date=spec["planned_entry_date"],
            )
    if inspection_round.status == InspectionRound.Status.ONSITE:
        # A round made on site (the demo starts there) has its groups and units where entry puts them.
        for group in groups.values():
            transitions.perform(group, "station", by=by)
        for unit in inspection_round.inspected_units.order_by("pk"):
            transitions.perform(unit, "enter", by=by)
    return inspection_round
