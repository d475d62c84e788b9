"""The talent pools: the filtered list, the units cadres come from, the pool figures."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import QueryFilterSet, by_id, choice
from core.models import Organisation, Person
from inspection.models import GroupMembership
from talentpool.models import Specialty, TalentPoolEntry


class PoolFilters(QueryFilterSet):
    """The pool list's filters, as read from the query string (also used by the export)."""

    pool = choice(_("Pool"), TalentPoolEntry.PoolType.choices, field_name="pool_type")
    status = choice(_("Status"), TalentPoolEntry.Status.choices, field_name="status")
    specialty = choice(_("Specialty"), Specialty.choices, field_name="specialty")
    unit = choice(
        _("Home unit"),
        lambda: [(unit.pk, unit.display_name) for unit in home_units_in_pools()],
        method=by_id("person__home_unit"),
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
    """docs/domain.md §4.1 #7: active entries of the inspection pool."""
    return TalentPoolEntry.objects.filter(
        pool_type=TalentPoolEntry.PoolType.INSPECTION, status=TalentPoolEntry.Status.ACTIVE
    ).count()


def pool_types_in_use() -> int:
    """docs/domain.md §4.1 #15: pools with at least one active entry."""
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
