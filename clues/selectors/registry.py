"""The clue registry: what a user may see, filtered and searched in the database."""

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from clues.models import (
    CaseRecord,
    Clue,
    ClueAssessment,
    ClueDisposition,
    ClueHandover,
    ClueTransfer,
    ClueTransferItem,
)
from core.models import AuditLog
from core.permissions import restrict


@dataclass(frozen=True)
class ClueFilters:
    """The registry's filters, as given in the query string (unknown values simply match nothing)."""

    round: str = ""
    unit: str = ""
    source: str = ""
    partner: str = ""
    category: str = ""
    grade: str = ""
    status: str = ""
    group: str = ""
    receiver: str = ""
    funnel: str = ""
    duplicates: str = ""
    nodup: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "ClueFilters":
        return cls(**{name: query.get(name, "").strip()[:100] for name in cls.__dataclass_fields__})

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.__dict__.items() if v})


def clues_for(user: Any) -> QuerySet[Clue]:
    return Clue.objects.for_user(user)


def transferred_clues() -> QuerySet[Clue]:
    """DOMAIN §4.1 #9: clues in a sent transfer to anyone but the inspected unit itself (交办)."""
    sent = ClueTransferItem.objects.filter(clue=OuterRef("pk"), transfer__transferred_at__isnull=False).exclude(
        transfer__receiver_type=ClueTransfer.Receiver.INSPECTED_UNIT
    )
    return Clue.objects.filter(Exists(sent))


FUNNEL_STAGES = {
    "transferred": Q(),
    "concluded": Q(status__in=Clue.CONCLUDED),
    "filed": Q(status=Clue.Status.CASE_FILED),
    "unconcluded": ~Q(status__in=Clue.CONCLUDED),
    "concluded_without_case": Q(status=Clue.Status.CONCLUDED_NO_CASE),
}


def filter_clues(clues: QuerySet[Clue], filters: ClueFilters) -> QuerySet[Clue]:
    f = filters
    for field, value in (
        ("inspection_round", f.round),
        ("inspected_unit", f.unit),
        ("source_partner", f.partner),
        ("assigned_group", f.group),
        ("transfer_items__transfer__receiver", f.receiver),
    ):
        if value == "none":
            # Drill-down from the funnel's "other sources" row: clues without a partner, say.
            clues = clues.filter(**{f"{field}__isnull": True})
        elif value:
            clues = clues.filter(**{field: int(value)}) if value.isdigit() else clues.none()
    if f.source:
        clues = clues.filter(source_type=f.source)
    if f.grade:
        clues = clues.filter(grade=f.grade)
    if f.status:
        clues = clues.filter(status=f.status)
    if f.category:
        # Categories are codes in a JSON list: match the quoted code, not a substring of another.
        clues = clues.filter(categories__icontains=f'"{f.category}"')
    if f.nodup:
        # The dashboard's intake figure counts clues of partner letters without duplicates (§4.1 #3).
        clues = clues.exclude(status=Clue.Status.DUPLICATE)
    if f.duplicates:
        clues = clues.filter(possible_duplicate_of__isnull=False, status__in=Clue.BEFORE_HANDOVER)
    if f.funnel in FUNNEL_STAGES:
        clues = clues.filter(pk__in=transferred_clues().values("pk")).filter(FUNNEL_STAGES[f.funnel])
    if f.q:
        clues = clues.filter(_text_search(f.q))
    return clues


def _text_search(text: str) -> Q:
    # SQLite keeps JSON with \\u escapes, PostgreSQL as text: look for both spellings of a name.
    escaped = json.dumps(text)[1:-1]
    return (
        Q(code__icontains=text)
        | Q(allegation_summary__icontains=text)
        | Q(allegation_detail__icontains=text)
        | Q(source_ref__icontains=text)
        | Q(reported_persons__icontains=text)
        | Q(reported_persons__icontains=escaped)
    )


def clue_registry(user: Any, filters: ClueFilters) -> QuerySet[Clue]:
    """The rows of the registry page and its export, each with what the list shows."""
    return (
        # No DISTINCT: the only to-many join (the receiver filter) meets at most one transfer item
        # per clue (transfer_item_once_per_clue), and DISTINCT over every column costs seconds at 200,000 clues.
        filter_clues(clues_for(user), filters)
        .select_related("inspected_unit__org_unit", "assigned_group", "source_partner__org_unit", "inspection_round")
        .order_by("-inspection_round__year", "-inspection_round__round_no", "code")
    )


def clue_detail(user: Any, pk: int) -> Clue | None:
    """One clue the user may see, with its whole story, in a fixed number of queries."""
    return (
        clues_for(user)
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
    from django.contrib.contenttypes.models import ContentType

    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Clue),
        object_id=str(clue.pk),
        action__in=[AuditLog.Action.VIEW, AuditLog.Action.REVEAL, AuditLog.Action.DOWNLOAD],
    ).select_related("user")[:50]
