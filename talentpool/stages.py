"""What the talent-pool app adds to a round's stage guards (registered in TalentpoolConfig.ready)."""

from django.utils.translation import gettext as _

from inspection.models import InspectionRound
from talentpool.models import RecusalDeclaration, SecondmentRequest

RELEASED = (
    SecondmentRequest.Status.CONFIRMED,
    SecondmentRequest.Status.ON_DUTY,
    SecondmentRequest.Status.COMPLETED,
)


def undeclared_conflicts_and_unreleased_secondees(inspection_round: InspectionRound) -> list[str]:
    """Before entry: every current member declared on every unit of the group with no undecided
    conflict, every seconded member released by a confirmed request (docs/domain.md §2.2)."""
    problems: list[str] = []
    groups = inspection_round.groups.prefetch_related("inspected_units__org_unit", "memberships__person").order_by(
        "number"
    )
    declared = {
        (d.person_id, d.inspected_unit_id): d
        for d in RecusalDeclaration.objects.filter(inspection_round=inspection_round)
    }
    for group in groups:
        members = [m for m in group.memberships.all() if m.end_date is None]
        for member in members:
            # One line per person naming every unit, not one per person and unit: a group of
            # seven inspecting six units would otherwise list 42 lines.
            undeclared: list[str] = []
            undecided: list[str] = []
            for unit in group.inspected_units.all():
                declaration = declared.get((member.person_id, unit.pk))
                if declaration is None:
                    undeclared.append(unit.org_unit.display_name)
                elif declaration.has_conflict and not declaration.decision:
                    undecided.append(unit.org_unit.display_name)
            if undeclared:
                values = {"person": member.person.name, "unit": "、".join(undeclared)}
                problems.append(_("%(person)s has not declared on %(unit)s.") % values)
            if undecided:
                values = {"person": member.person.name, "unit": "、".join(undecided)}
                problems.append(_("%(person)s's conflict with %(unit)s is not decided.") % values)
            if member.is_seconded and (member.secondment is None or member.secondment.status not in RELEASED):
                problems.append(
                    _("%(person)s is seconded without a confirmed request.") % {"person": member.person.name}
                )
    return problems
