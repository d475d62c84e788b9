"""The clue registry: what a user may see, filtered and searched in the database."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from clues.models import (
    CaseRecord,
    Clue,
    ClueAssessment,
    ClueDisposition,
    ClueHandover,
    ClueTransfer,
    ClueTransferItem,
    PartnerUnit,
)
from clues.models.categories import CATEGORY_LABELS
from clues.models.search import ClueSearchText, PersonNamed, contains
from core.filters import QueryFilterSet, carried, choice, flag, with_all
from core.models import AuditLog
from core.permissions import restrict
from core.textsearch import SearchVector, text_match
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound


def _by_id(field: str) -> Callable[[QuerySet[Clue], str, str], QuerySet[Clue]]:
    """A filter on a related record by id; "none" (the funnel's "other sources" row) means no such record."""

    def method(clues: QuerySet[Clue], _name: str, value: str) -> QuerySet[Clue]:
        if value == "none":
            return clues.filter(**{f"{field}__isnull": True})
        return clues.filter(**{field: int(value)}) if value.isdigit() else clues.none()

    return method


class ClueFilters(QueryFilterSet):
    """The registry's filters, as given in the query string (unknown values simply match nothing)."""

    max_length = 100

    class Meta:
        model = Clue
        fields: list[str] = []

    round = choice(_("Round"), method=_by_id("inspection_round"))
    unit = choice(_("Inspected unit"), method=_by_id("inspected_unit"))
    group = choice(_("Group"), method=_by_id("assigned_group"))
    source = choice(_("Source"), Clue.SourceType.choices, field_name="source_type")
    partner = choice(_("Partner unit"), method=_by_id("source_partner"))
    category = choice(_("Category"), method="filter_category")
    grade = choice(_("Grade"), [(value, value) for value in Clue.Grade.values], field_name="grade")
    status = choice(_("Status"), Clue.Status.choices, field_name="status")
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Code, name, matter")}),
    )
    funnel = carried(method="filter_funnel")
    receiver = carried(method=_by_id("transfer_items__transfer__receiver"))
    nodup = carried(method="without_duplicates")
    duplicates = flag(_("Duplicate suggestions only"), method="duplicate_suggestions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is None:
            return  # a selector's caller: no form to offer
        # The drop-downs offer only the rounds, units and groups the user may see.
        user = self.request.user

        # Values, not rows: at 12 rounds building 240 unit rows (with their round and
        # organisation) took longer than the page's own rows, and even columns narrowed by
        # only() cost a model instance each (issue 16).
        rounds = InspectionRound.objects.for_user(user).values_list("pk", "title")
        units = InspectedUnit.objects.for_user(user).values_list(
            "pk", "org_unit__short_name", "org_unit__name", "inspection_round__title"
        )
        groups = InspectionGroup.objects.for_user(user).values_list("pk", "number", "inspection_round__title")
        fields = self.form.fields
        fields["round"].widget.choices = with_all(lambda: list(rounds))
        fields["unit"].widget.choices = with_all(
            lambda: [(pk, f"{short or name}（{title}）") for pk, short, name, title in units]
        )
        fields["group"].widget.choices = with_all(
            lambda: [(pk, f"{title} {InspectionGroup.label_of(number)}") for pk, number, title in groups]
        )
        fields["category"].widget.choices = with_all(lambda: CATEGORY_LABELS.items())
        if user.has_perm("clues.view_clue"):
            partners = PartnerUnit.objects.values_list("pk", "org_unit__short_name", "org_unit__name")
            fields["partner"].widget.choices = with_all(lambda: [(pk, short or name) for pk, short, name in partners])
        else:
            del fields["partner"]  # only the office filters by partner unit

    def filter_category(self, clues: QuerySet[Clue], _name: str, value: str) -> QuerySet[Clue]:
        # Categories are codes in a JSON list. PostgreSQL: containment, served by clue_categories_gin
        # (clues migration 0016); SQLite has no JSON containment: the quoted code as text, never a
        # substring of another code.
        if connections[clues.db].vendor == "postgresql":
            return clues.filter(categories__contains=[value])
        return clues.filter(categories__icontains=f'"{value}"')

    def without_duplicates(self, clues: QuerySet[Clue], _name: str, _value: str) -> QuerySet[Clue]:
        # The dashboard's intake figure counts clues of partner letters without duplicates (§4.1 #3).
        return clues.exclude(status=Clue.Status.DUPLICATE)

    def duplicate_suggestions(self, clues: QuerySet[Clue], _name: str, _value: str) -> QuerySet[Clue]:
        return clues.filter(possible_duplicate_of__isnull=False, status__in=Clue.BEFORE_HANDOVER)

    def filter_funnel(self, clues: QuerySet[Clue], _name: str, value: str) -> QuerySet[Clue]:
        if value not in FUNNEL_STAGES:
            return clues  # an unknown stage is no filter
        # The condition on the clue itself, not `pk IN (transferred clues)`: that self-join probed
        # the clue's key once more per clue counted (a member's concluded clues at 1M: 27 -> 19 ms).
        return clues.filter(is_transferred(), FUNNEL_STAGES[value])

    def search(self, clues: QuerySet[Clue], _name: str, value: str) -> QuerySet[Clue]:
        return text_search(clues, value)


def clues_for(user: Any, *, paged: bool = False) -> QuerySet[Clue]:
    return Clue.objects.for_user(user, paged=paged)


def is_transferred() -> Exists:
    """docs/domain.md §4.1 #9: the clue is in a sent transfer to anyone but the inspected unit itself (交办)."""
    sent = ClueTransferItem.objects.filter(clue=OuterRef("pk"), transfer__transferred_at__isnull=False).exclude(
        transfer__receiver_type=ClueTransfer.Receiver.INSPECTED_UNIT
    )
    return Exists(sent)


def transferred_clues() -> QuerySet[Clue]:
    return Clue.objects.filter(is_transferred())


FUNNEL_STAGES = {
    "transferred": Q(),
    "concluded": Q(status__in=Clue.CONCLUDED),
    "filed": Q(status=Clue.Status.CASE_FILED),
    "unconcluded": ~Q(status__in=Clue.CONCLUDED),
    "concluded_without_case": Q(status=Clue.Status.CONCLUDED_NO_CASE),
}


def filter_clues(clues: QuerySet[Clue], filters: ClueFilters) -> QuerySet[Clue]:
    return filters.filter_queryset(clues)


def text_search(clues: QuerySet[Clue], q: str) -> QuerySet[Clue]:
    """Clues whose code, matter, allegation, source reference or reported persons hold every term of q:
    one query with the permission filter and the other filters, served by clue_search_idx on
    PostgreSQL (core.textsearch, clues.models.search)."""
    vendor = connections[clues.db].vendor
    return clues.filter(text_match(q, vendor=vendor, vector=SearchVector(ClueSearchText()), contains=contains))


def name_first(q: str) -> list[OrderBy]:
    """The search's ranking, ahead of a list's own order: clues naming a person exactly q come first."""
    name = " ".join(q.split())
    return [PersonNamed(name).desc()] if name else []


# The registry page lists the newest registered first, by cursor (core.pagination): an index range
# on the primary key, or (column, id) for a round or another filter (Clue.Meta.indexes), at any
# depth. The round and code order of the export joins the rounds and sorts every row, seconds at a
# million clues. By id alone: created_at is the registering transaction's time, which
# every clue of one import shares (100,000 for a large workbook): a cursor inside such a batch
# made PostgreSQL estimate one row left (a row comparison is estimated on its first column) and
# choose hash joins over the whole table, 4 s a page at a million clues. Ids follow the order of
# registration as closely, and a cursor on them is estimated right and read from one index.
REGISTRY_PAGE_ORDER = ("-pk",)


# What a registry row shows besides the clue: its unit, group, source partner and round.
REGISTRY_RELATED = ("inspected_unit__org_unit", "assigned_group", "source_partner__org_unit", "inspection_round")


def clue_registry(user: Any, filters: ClueFilters) -> QuerySet[Clue]:
    """The registry's rows as its export reads them (ordered as the export), each with what the list shows."""
    return (
        # No DISTINCT: the only to-many join (the receiver filter) meets at most one transfer item
        # per clue (transfer_item_once_per_clue), and DISTINCT over every column costs seconds at 200,000 clues.
        filter_clues(clues_for(user), filters)
        .select_related(*REGISTRY_RELATED)
        .order_by(*name_first(filters.q), "-inspection_round__year", "-inspection_round__round_no", "code")
    )


# What a registry page's rows show (clues/partials/_clue_rows.html) and its cursor reads: a clue
# row also holds the allegation, the reported persons and the sealed reporter, which a list never
# shows and which cost more to load than to render. The export reads clue_registry() whole.
REGISTRY_PAGE_COLUMNS = (
    "code",
    "status",
    "source_type",
    "allegation_summary",
    "received_date",
    "grade",
    "possible_duplicate_of",
    "inspected_unit__org_unit__name",
    "inspected_unit__org_unit__short_name",
    "assigned_group__number",
    "source_partner__org_unit__name",
    "source_partner__org_unit__short_name",
    "inspection_round__year",
    "inspection_round__round_no",
)


def registry_page(user: Any, filters: ClueFilters) -> QuerySet[Clue]:
    """The clues of a registry page, for its keys (core.pagination, with `rows=registry_rows()`):
    the filters and the permission filter, the user's grants read in the page's order."""
    return filter_clues(clues_for(user, paged=True), filters)


def registry_rows() -> QuerySet[Clue]:
    """A registry page's rows by primary key, with only the columns it shows."""
    return Clue.objects.select_related(*REGISTRY_RELATED).only(*REGISTRY_PAGE_COLUMNS)


def clue_detail(user: Any, pk: int) -> Clue | None:
    """One clue the user may see, with its whole story, in a fixed number of queries."""
    return (
        Clue.objects.for_user(user, few_rows=True)  # one clue: its grants probed, not all read
        .select_related(
            "inspected_unit__org_unit",
            "assigned_group",
            "inspection_round",
            "source_partner__org_unit",
            "source_import_row__batch__reply__letter",
            "source_import_row__batch__file",
            "duplicate_of",
            "possible_duplicate_of",
            "forwarded_to",
            "handler",
            "created_by",
        )
        # One prefetch per call: the type checker joins the querysets of several to object.
        .prefetch_related(
            Prefetch("handovers", ClueHandover.objects.select_related("group", "handed_by", "received_by"))
        )
        .prefetch_related(Prefetch("assessments", ClueAssessment.objects.select_related("assessed_by")))
        .prefetch_related(
            Prefetch(
                "transfer_items",
                ClueTransferItem.objects.select_related("transfer__receiver", "transfer__approved_by"),
            )
        )
        .prefetch_related(Prefetch("dispositions", ClueDisposition.objects.select_related("handling_office")))
        .filter(pk=pk)
        .first()
    )


def cases_of(user: Any, clue: Clue) -> list[CaseRecord]:
    """The cases filed from this clue that the user may see (receivers; office; group leaders)."""
    return list(restrict(CaseRecord.objects.filter(clues=clue), user).select_related("handling_office"))


def readers_of(clue: Clue) -> QuerySet[AuditLog]:
    """Who opened, revealed or exported this clue, newest first (for the office head)."""
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Clue),
        object_id=str(clue.pk),
        action__in=[AuditLog.Action.VIEW, AuditLog.Action.REVEAL, AuditLog.Action.DOWNLOAD],
    ).select_related("user")[:50]


@dataclass(frozen=True)
class ScreeningEvent:
    """A step of a clue's handling that has no record of its own, read from its audit trail."""

    at: datetime
    what: str
    who: str
    detail: str = ""


_CLOSED = {Clue.Status.OUT_OF_SCOPE: _("Out of scope"), Clue.Status.DUPLICATE: _("Closed as a duplicate")}


def screening_events(clue: Clue) -> list[ScreeningEvent]:
    """Grading, closing as out of scope or duplicate, a dismissed duplicate suggestion and a
    proposal sent back to the group: the moves the handling table would otherwise not show
    (handovers, assessments, transfers and dispositions have their own rows). Only the fields
    named here are read from the entries: nothing sealed reaches the page."""
    entries = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Clue),
        object_id=str(clue.pk),
        action__in=(AuditLog.Action.TRANSITION, AuditLog.Action.UPDATE),
    ).order_by("at", "pk")
    grades = dict(Clue.Grade.choices)
    events = []
    for entry in entries.select_related("user"):
        changes, who = entry.changes or {}, entry.user.display_name if entry.user else entry.username
        status = changes.get("status", [None, None])
        if "grade" in changes and changes["grade"][1]:
            events.append(ScreeningEvent(entry.at, str(_("Graded")), who, str(grades.get(changes["grade"][1], ""))))
        if status[1] in _CLOSED:
            reason = changes.get("out_of_scope_reason", [None, ""])[1] or ""
            events.append(ScreeningEvent(entry.at, str(_CLOSED[status[1]]), who, reason))
        elif status == [Clue.Status.PROPOSED_FOR_TRANSFER, Clue.Status.UNDER_ASSESSMENT]:
            events.append(ScreeningEvent(entry.at, str(_("Returned to the group")), who))
        elif not status[1] and "possible_duplicate_of_id" in changes and changes["possible_duplicate_of_id"][1] is None:
            events.append(ScreeningEvent(entry.at, str(_("Duplicate suggestion dismissed")), who))
    return events
