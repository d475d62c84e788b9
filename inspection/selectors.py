from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from core.models import Organisation, Person
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound
from inspection.services.workflow import group_completeness


class _RoundCounts(TypedDict):
    group_count: int
    unit_count: int


class _RoundShares(TypedDict):
    n_members: int
    n_seconded: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A round of rounds_for() and one of rounds_with_shares(), with the counts they annotate.
    CountedRound = WithAnnotations[InspectionRound, _RoundCounts]
    SharedRound = WithAnnotations[InspectionRound, _RoundShares]


def rounds_for(user: Any) -> QuerySet[CountedRound]:
    return (
        InspectionRound.objects.for_user(user)
        .annotate(group_count=Count("groups", distinct=True), unit_count=Count("inspected_units", distinct=True))
        .order_by("-year", "-committee_term", "-round_no")
    )


# Rounds with work still to do: every stage but the two ends.
CLOSED_STAGES = (InspectionRound.Status.ARCHIVED, InspectionRound.Status.CANCELLED)
HOME_ROUNDS = 5


def home_rounds(user: Any) -> dict[str, Any]:
    """The workbench's rounds section: the rounds the user has work in first (issue 13 item 9), then the latest.

    Work: a round the user sits in a group of now (a current membership), then any round still
    under way (neither archived nor cancelled) among those the user may see; the rest by date.
    An on-site round is therefore never pushed off the list by later, finished ones.
    """
    person_id: int | None = getattr(user, "person_id", None)
    member: Exists | Value = Value(False)
    if person_id is not None:
        member = Exists(
            GroupMembership.objects.filter(inspection_round=OuterRef("pk"), person_id=person_id, end_date__isnull=True)
        )
    rounds = rounds_for(user).annotate(
        is_member=member,
        under_way=Case(When(status__in=CLOSED_STAGES, then=Value(False)), default=Value(True)),
    )
    return {
        "rounds": rounds.order_by("-is_member", "-under_way", "-year", "-committee_term", "-round_no")[:HOME_ROUNDS]
    }


def round_detail_for(user: Any, inspection_round: InspectionRound) -> list[InspectionGroup]:
    """The round's groups the user may see, each with the units it covers that the user may see."""
    units = InspectedUnit.objects.for_user(user).select_related("org_unit").order_by("org_unit__name")
    members = GroupMembership.objects.select_related("person", "person__home_unit").order_by("role", "pk")
    return list(
        InspectionGroup.objects.for_user(user)
        .filter(inspection_round=inspection_round)
        .prefetch_related(Prefetch("inspected_units", queryset=units))
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("number")
    )


def seconded_share(inspection_round: InspectionRound) -> tuple[int, int]:
    """(seconded, total) distinct persons with a membership in the round (docs/domain.md §4.1 #8)."""
    rows = GroupMembership.objects.filter(inspection_round=inspection_round)
    total = rows.values("person").distinct().count()
    seconded = rows.filter(is_seconded=True).values("person").distinct().count()
    return seconded, total


ROUND_ORDER = ("year", "committee_term", "round_no")


def rounds_with_shares() -> list[SharedRound]:
    """Every round in order, annotated with n_members and n_seconded (distinct people): one query."""
    return list(
        InspectionRound.objects.annotate(
            n_members=Count("memberships__person", distinct=True),
            n_seconded=Count("memberships__person", filter=Q(memberships__is_seconded=True), distinct=True),
        ).order_by(*ROUND_ORDER)
    )


def share_of(inspection_round: SharedRound) -> float | None:
    """docs/domain.md §4.1 #8 for a round of rounds_with_shares(): seconded ÷ members, 4 decimals."""
    total = inspection_round.n_members
    return round(inspection_round.n_seconded / total, 4) if total else None


def first_round() -> InspectionRound | None:
    """The round the source report's round-scoped figures speak of: the earliest one."""
    return InspectionRound.objects.order_by("year", "committee_term", "round_no").first()


def round_warnings(inspection_round: InspectionRound) -> list[str]:
    """The soft rules of docs/domain.md §2.2 and §4.1 #8: shown on the round, never blocking."""
    warnings: list[str] = []
    # Group sizes matter while groups are formed; afterwards memberships end one by one.
    planning = (InspectionRound.Status.DRAFT, InspectionRound.Status.APPROVED, InspectionRound.Status.PREPARING)
    if inspection_round.status in planning:
        for group in inspection_round.groups.prefetch_related("memberships").order_by("number"):
            warnings += group_completeness(group).warnings
    seconded, total = seconded_share(inspection_round)
    if total and seconded * 2 <= total:
        warnings.append(
            _("Seconded cadres are %(seconded)s of %(total)s: not above half.") % {"seconded": seconded, "total": total}
        )
    warnings += _same_leader_on_same_unit(inspection_round)
    return warnings


def _same_leader_on_same_unit(inspection_round: InspectionRound) -> list[str]:
    """The "not fixed" rule: nobody leads the inspection of a unit they led it for the round before."""
    previous = (
        InspectionRound.objects.filter(
            committee_term=inspection_round.committee_term, round_no__lt=inspection_round.round_no
        )
        .order_by("-round_no")
        .first()
    )
    if previous is None:
        return []

    def leaders(of_round: InspectionRound) -> set[tuple[int, int]]:
        return set(
            InspectedUnit.objects.filter(
                inspection_round=of_round,
                group__memberships__role=GroupMembership.Role.LEADER,
                group__memberships__end_date__isnull=True,
            ).values_list("org_unit_id", "group__memberships__person_id")
        )

    repeated = leaders(inspection_round) & leaders(previous)
    if not repeated:
        return []

    units = dict(Organisation.objects.filter(pk__in={u for u, _p in repeated}).values_list("pk", "short_name"))
    people = dict(Person.objects.filter(pk__in={p for _u, p in repeated}).values_list("pk", "name"))
    return [
        _("%(person)s led the inspection of %(unit)s in the previous round too.")
        % {"person": people[person], "unit": units[unit]}
        for unit, person in sorted(repeated)
    ]
