"""Secondment requests: who is committed or conflicted, history against the yearly cap, the board."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import QueryFilterSet, by_id, choice, with_all
from core.models import Organisation, Person, User
from core.roles import Role
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound
from talentpool.models import RecusalDeclaration, SecondmentRequest

# Statuses that free the person for another request in the round (the DB constraint's complement).
NOT_LIVE = (
    SecondmentRequest.Status.DECLINED,
    SecondmentRequest.Status.REPLACED,
    SecondmentRequest.Status.CANCELLED,
)
# Statuses in which the person was actually released: these count for fairness and the yearly cap.
SERVED = (
    SecondmentRequest.Status.CONFIRMED,
    SecondmentRequest.Status.ON_DUTY,
    SecondmentRequest.Status.COMPLETED,
)


def committed_person_ids(inspection_round: InspectionRound) -> set[int]:
    """People already taken in the round: a live request or a membership of any of its groups."""
    requested = (
        SecondmentRequest.objects.filter(inspection_round=inspection_round)
        .exclude(status__in=NOT_LIVE)
        .values_list("person_id", flat=True)
    )
    members = GroupMembership.objects.filter(inspection_round=inspection_round).values_list("person_id", flat=True)
    return set(requested) | set(members)


def refused_person_ids(inspection_round: InspectionRound) -> set[int]:
    """People whose home unit refused to release them in the round (a request with a refusal code),
    whatever became of that request: the draw never proposes them again in the round (issue 13)."""
    return set(
        SecondmentRequest.objects.filter(inspection_round=inspection_round)
        .exclude(decline_code="")
        .values_list("person_id", flat=True)
    )


def unit_conflicts(group: InspectionGroup, person_ids: Iterable[int]) -> dict[int, list[str]]:
    """The hard reasons why each person may not serve in the group: "home_unit", "conflict", "committed".

    A home unit is one of the group's units or a unit under one of them (an internal office);
    a conflict is a declaration with a conflict for one of the group's units that the office
    has not allowed (the rule of recused_unit_ids).
    """
    person_ids = list(person_ids)
    units = list(InspectedUnit.objects.filter(group=group).values_list("pk", "org_unit_id"))
    org_ids = {org_id for _pk, org_id in units}
    reasons: dict[int, list[str]] = defaultdict(list)
    people = Person.objects.filter(pk__in=person_ids).values_list("pk", "home_unit_id", "home_unit__parent_id")
    for pk, home_id, parent_id in people:
        if home_id in org_ids or parent_id in org_ids:
            reasons[pk].append("home_unit")
    declared = (
        RecusalDeclaration.objects.filter(person_id__in=person_ids, inspected_unit_id__in=[pk for pk, _o in units])
        .filter(Q(has_conflict=True) | Q(decision=RecusalDeclaration.Decision.RECUSE))
        .exclude(decision=RecusalDeclaration.Decision.ALLOWED)
        .values_list("person_id", flat=True)
    )
    for pk in set(declared):
        reasons[pk].append("conflict")
    for pk in committed_person_ids(group.inspection_round) & set(person_ids):
        reasons[pk].append("committed")
    return dict(reasons)


@dataclass(frozen=True)
class SecondmentHistory:
    last_seconded: datetime | None
    this_year: int


def secondment_history(person_ids: Iterable[int], year: int) -> dict[int, SecondmentHistory]:
    """For each person: when they were last released to a group, and how often in the round's year."""
    rows = (
        SecondmentRequest.objects.filter(person_id__in=list(person_ids), status__in=SERVED)
        .values("person_id")
        .annotate(
            last=Max("confirmed_at"),
            this_year=Count("pk", filter=Q(inspection_round__year=year)),
        )
    )
    return {row["person_id"]: SecondmentHistory(row["last"], row["this_year"]) for row in rows}


def missing_or_conflicting_declarations(request: SecondmentRequest) -> list[InspectedUnit]:
    """The group's units for which the person has no declaration, or one not cleared by the office."""
    units = list(InspectedUnit.objects.filter(group_id=request.group_id).select_related("org_unit"))
    clear = set(
        RecusalDeclaration.objects.filter(person_id=request.person_id, inspected_unit__in=units)
        .filter(Q(has_conflict=False) | Q(decision=RecusalDeclaration.Decision.ALLOWED))
        .exclude(decision=RecusalDeclaration.Decision.RECUSE)
        .values_list("inspected_unit_id", flat=True)
    )
    return [unit for unit in units if unit.pk not in clear]


class SecondmentFilters(QueryFilterSet):
    round = choice(_("Round"), method=by_id("inspection_round"))
    status = choice(_("Status"), SecondmentRequest.Status.choices, method="filter_status")
    home_unit = choice(
        _("Home unit"),
        lambda: [
            (unit.pk, unit.name)
            for unit in Organisation.objects.filter(pk__in=SecondmentRequest.objects.values("home_unit")).order_by(
                "name"
            )
        ],
        method=by_id("home_unit"),
    )

    class Meta:
        model = SecondmentRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is None:
            return
        user = self.request.user
        rounds = InspectionRound.objects.for_user(user)
        self.form.fields["round"].widget.choices = with_all(lambda: [(r.pk, r.title) for r in rounds])
        if not user.has_perm("talentpool.view_secondmentrequest"):
            del self.form.fields["home_unit"]  # only the office compares home units

    def filter_status(self, requests: QuerySet, _name: str, value: str) -> QuerySet:
        # An unknown status is no filter, as for the round and the home unit.
        return requests.filter(status=value) if value in SecondmentRequest.Status.values else requests


def secondment_board(user: Any, filters: SecondmentFilters) -> QuerySet[SecondmentRequest]:
    """The requests the user may see, filtered by round, status and home unit."""
    requests = SecondmentRequest.objects.for_user(user).select_related(
        "person", "home_unit", "group", "inspection_round"
    )
    return filters.filter_queryset(requests).order_by("-created_at", "-pk")


@dataclass
class RefusalSummary:
    home_unit: str
    total: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)


def refusals_by_home_unit(requests: QuerySet[SecondmentRequest]) -> list[RefusalSummary]:
    """How often each home unit refused, by coded reason (one query); a refusal keeps its code when escalated."""
    rows = (
        requests.exclude(decline_code="")
        .order_by()
        .values("home_unit__name", "decline_code")
        .annotate(count=Count("pk"))
        .order_by("home_unit__name", "decline_code")
    )
    summaries: dict[str, RefusalSummary] = {}
    for row in rows:
        summary = summaries.setdefault(row["home_unit__name"], RefusalSummary(row["home_unit__name"]))
        summary.by_reason[row["decline_code"]] = row["count"]
        summary.total += row["count"]
    return sorted(summaries.values(), key=lambda s: (-s.total, s.home_unit))


def home_unit_reachable() -> Exists:
    """Whether a request's home unit has an active contact to receive it (issue 13 item 5)."""
    return Exists(
        User.objects.filter(
            is_active=True, organisation_id=OuterRef("home_unit_id"), groups__name=Role.HOME_UNIT_CONTACT
        )
    )
