from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import QueryFilterSet, choice, with_all
from core.models import Organisation, Person
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound
from talentpool.models import RecusalDeclaration, SecondmentRequest, Specialty, TalentPoolEntry


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


def _by_id(field: str) -> Callable[[QuerySet, str, str], QuerySet]:
    """A filter by a related record's id; anything but digits is no filter."""

    def method(rows: QuerySet, _name: str, value: str) -> QuerySet:
        return rows.filter(**{field: int(value)}) if value.isdigit() else rows

    return method


class PoolFilters(QueryFilterSet):
    """The pool list's filters, as read from the query string (also used by the export)."""

    pool = choice(_("Pool"), TalentPoolEntry.PoolType.choices, field_name="pool_type")
    status = choice(_("Status"), TalentPoolEntry.Status.choices, field_name="status")
    specialty = choice(_("Specialty"), Specialty.choices, field_name="specialty")
    unit = choice(
        _("Home unit"),
        lambda: [(unit.pk, unit.display_name) for unit in home_units_in_pools()],
        method=_by_id("person__home_unit"),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="person__name",
        lookup_expr="contains",
        widget=forms.SearchInput(attrs={"placeholder": _("Name")}),
    )

    class Meta:
        model = TalentPoolEntry
        fields: list[str] = []


def pool_entries(user: Any, filters: PoolFilters) -> QuerySet[TalentPoolEntry]:
    """Entries the user may see, filtered in the database, with what the list and export show."""
    entries = TalentPoolEntry.objects.for_user(user).select_related("person__home_unit", "nominated_by_unit")
    return filters.filter_queryset(entries).order_by("pool_type", "person__name", "pk")


def home_units_in_pools() -> QuerySet[Organisation]:
    """The units the pooled cadres come from: the choices of the list's unit filter."""
    return Organisation.objects.filter(people__pool_entries__isnull=False).distinct().order_by("name")


def talent_pool_size() -> int:
    """DOMAIN §4.1 #7: active entries of the inspection pool."""
    return TalentPoolEntry.objects.filter(
        pool_type=TalentPoolEntry.PoolType.INSPECTION, status=TalentPoolEntry.Status.ACTIVE
    ).count()


def pool_types_in_use() -> int:
    """DOMAIN §4.1 #15: pools with at least one active entry."""
    return TalentPoolEntry.objects.filter(status=TalentPoolEntry.Status.ACTIVE).values("pool_type").distinct().count()


def inspection_cadres_in_case_work() -> QuerySet[Person]:
    """People with case work who are inspection cadres: full-time in a group, or in the inspection pool."""
    full_time = GroupMembership.objects.filter(is_seconded=False).values("person")
    in_pool = (
        TalentPoolEntry.objects.filter(pool_type=TalentPoolEntry.PoolType.INSPECTION)
        .exclude(status=TalentPoolEntry.Status.REMOVED)
        .values("person")
    )
    return Person.objects.filter(case_work__isnull=False).filter(Q(pk__in=full_time) | Q(pk__in=in_pool)).distinct()


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
    round = choice(_("Round"), method=_by_id("inspection_round"))
    status = choice(_("Status"), SecondmentRequest.Status.choices, method="filter_status")
    home_unit = choice(
        _("Home unit"),
        lambda: [
            (unit.pk, unit.name)
            for unit in Organisation.objects.filter(pk__in=SecondmentRequest.objects.values("home_unit")).order_by(
                "name"
            )
        ],
        method=_by_id("home_unit"),
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
