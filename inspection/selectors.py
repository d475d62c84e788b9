from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound


def rounds_for(user: Any) -> QuerySet[InspectionRound]:
    return (
        InspectionRound.objects.for_user(user)
        .annotate(group_count=Count("groups", distinct=True), unit_count=Count("inspected_units", distinct=True))
        .order_by("-year", "-committee_term", "-round_no")
    )


def round_detail_for(user: Any, inspection_round: InspectionRound) -> list[InspectionGroup]:
    """The round's groups the user may see, each with the units it covers that the user may see."""
    units = InspectedUnit.objects.for_user(user).select_related("org_unit").order_by("org_unit__name")
    members = GroupMembership.objects.select_related("person", "person__home_unit").order_by("role", "pk")
    return list(
        InspectionGroup.objects.for_user(user)
        .filter(inspection_round=inspection_round)
        .prefetch_related(Prefetch("inspected_units", queryset=units), Prefetch("memberships", queryset=members))
        .order_by("number")
    )


def seconded_share(inspection_round: InspectionRound) -> tuple[int, int]:
    """(seconded, total) distinct persons with a membership in the round (DOMAIN §4.1 #8)."""
    rows = GroupMembership.objects.filter(inspection_round=inspection_round)
    total = rows.values("person").distinct().count()
    seconded = rows.filter(is_seconded=True).values("person").distinct().count()
    return seconded, total


def first_round() -> InspectionRound | None:
    """The round the source report's round-scoped figures speak of: the earliest one."""
    return InspectionRound.objects.order_by("year", "committee_term", "round_no").first()
