"""Recusal: the units a declared conflict closes to a user, and the round's recusal board
(every current member against every unit of their group)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound
from talentpool.models import RecusalDeclaration


def recused_unit_ids(user: Any) -> QuerySet:
    """Inspected units whose records the user may not open: a declared conflict not (yet) allowed."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return RecusalDeclaration.objects.none().values("inspected_unit")
    return (
        RecusalDeclaration.objects.filter(
            Q(person_id=person_id), Q(has_conflict=True) | Q(decision=RecusalDeclaration.Decision.RECUSE)
        )
        .exclude(decision=RecusalDeclaration.Decision.ALLOWED)
        .values("inspected_unit")
    )


@dataclass(frozen=True)
class BoardRow:
    membership: GroupMembership
    cells: list[tuple[InspectedUnit, RecusalDeclaration | None]]


@dataclass(frozen=True)
class BoardGroup:
    group: InspectionGroup
    units: list[InspectedUnit]
    rows: list[BoardRow]


def recusal_board(inspection_round: InspectionRound) -> list[BoardGroup]:
    """In three queries whatever the size of the round."""
    declared = {
        (d.person_id, d.inspected_unit_id): d
        for d in RecusalDeclaration.objects.filter(inspection_round=inspection_round).select_related("recorded_by")
    }
    by_pk = InspectedUnit.objects.select_related("org_unit").order_by("pk")
    members = GroupMembership.objects.filter(end_date__isnull=True).select_related("person").order_by("role", "pk")
    groups = (
        inspection_round.groups.all()
        .prefetch_related(Prefetch("inspected_units", queryset=by_pk))
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("number")
    )
    board = []
    for group in groups:
        units = list(group.inspected_units.all())
        rows = [
            BoardRow(m, [(unit, declared.get((m.person_id, unit.pk))) for unit in units])
            for m in group.memberships.all()
        ]
        board.append(BoardGroup(group, units, rows))
    return board
