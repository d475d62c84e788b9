"""The talent pools: the filtered list, the units cadres come from, the pool figures."""

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from core.models import Organisation, Person
from inspection.models import GroupMembership
from talentpool.models import TalentPoolEntry


@dataclass(frozen=True)
class PoolFilters:
    """The pool list's filters, as read from the query string (also used by the export)."""

    pool: str = ""
    status: str = ""
    specialty: str = ""
    unit: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "PoolFilters":
        return cls(**{name: query.get(name, "").strip()[:50] for name in cls.__dataclass_fields__})

    def as_query(self) -> str:
        return urlencode({name: value for name, value in asdict(self).items() if value})


def pool_entries(user: Any, filters: PoolFilters) -> QuerySet[TalentPoolEntry]:
    """Entries the user may see, filtered in the database, with what the list and export show."""
    entries = TalentPoolEntry.objects.for_user(user).select_related("person__home_unit", "nominated_by_unit")
    if filters.pool:
        entries = entries.filter(pool_type=filters.pool)
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.specialty:
        entries = entries.filter(specialty=filters.specialty)
    if filters.unit.isdigit():
        entries = entries.filter(person__home_unit=int(filters.unit))
    if filters.q:
        entries = entries.filter(person__name__contains=filters.q)
    return entries.order_by("pool_type", "person__name", "pk")


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
