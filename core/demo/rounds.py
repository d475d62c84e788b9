"""A round with its two groups, units and the 14 demo cadres, as the office sets one up."""

from core.demo import data
from core.models import Organisation, Person, User
from inspection import services as rounds
from inspection.models import InspectionRound


def build_round(
    spec: dict, units: list[tuple[Organisation, int]], people: dict[str, Person], *, by: User | None
) -> InspectionRound:
    """Create the round, its groups, put each unit under its group and staff the groups (data.GROUP_MEMBERS)."""
    inspection_round = rounds.create_round(by=by, **spec)
    groups = {n: rounds.create_group(by=by, inspection_round=inspection_round, number=n) for n in data.GROUP_MEMBERS}
    for org_unit, group_no in units:
        rounds.assign_unit(by=by, group=groups[group_no], org_unit=org_unit)
    for group_no, members in data.GROUP_MEMBERS.items():
        for name, role, seconded_from, is_liaison in members:
            rounds.add_member(
                by=by,
                group=groups[group_no],
                person=people[name],
                role=role,
                is_seconded=seconded_from is not None,
                is_group_liaison=is_liaison,
                start_date=spec["planned_entry_date"],
            )
    return inspection_round
