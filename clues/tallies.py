"""The counters behind the dashboard, the funnel (issue 16 item 3) and the transfer pages, kept
equal to a full recount.

A figure of the dashboard or the funnel is a sum over a few counter rows (clues.models.tallies)
instead of a scan of every clue. The counters move in the transaction of the write that moves a
clue between buckets, in one way: `tracking(clue pks)` reads the buckets of those clues before
and after the write and adds the difference. It wraps

- every save and delete of a clue (Clue.save/delete): registration, each status move (all go
  through core.transitions.perform, which saves the row), edits of a clue's round, group,
  source or categories;
- every save and delete of a transfer or a transfer item (sending a transfer makes its clues
  "transferred"), and the approval of transfers as a whole (its items are bulk-created);
- the importer's commit, which inserts clues with core.bulk.insert_values: `count_registered`.

Trackers nest: a clue already tracked by an outer `tracking` is left to it, so a status move
inside the sending of a transfer is counted once. The difference is added with
`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`, in the order of the keys: on PostgreSQL
two transactions moving clues of the same bucket serialise on that counter row (no lost count,
no deadlock); on SQLite the writer holds the database anyway.

`recount()` counts the same buckets from the clues with the queries the figures used before
(distinct counts over the transfer join, the category match of the registry); `check_records`
and the tests compare it with the counters, and `rebuild()` (the data migration, the bench data)
replaces the counters with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from clues.models import Clue
from clues.models.categories import CATEGORY_LABELS

# (table, key columns): the four counters. A key is (table, values of its key columns).
TABLES: dict[str, tuple[str, ...]] = {
    "clues_cluetally": ("round_pk", "group_pk", "partner_pk", "source_type", "status", "transferred"),
    "clues_cluecategorytally": ("round_pk", "category", "status"),
    "clues_cluereceivertally": ("receiver_pk", "status"),
    "clues_cluetransfertally": ("transfer_pk", "status"),
}
MAIN, CATEGORY, RECEIVER, TRANSFER = TABLES
MODELS = {
    MAIN: "ClueTally",
    CATEGORY: "ClueCategoryTally",
    RECEIVER: "ClueReceiverTally",
    TRANSFER: "ClueTransferTally",
}
Key = tuple[str, tuple[Any, ...]]
INSPECTED_UNIT = "inspected_unit"
# Clues read per query when their buckets are looked up (well under SQLite's variable limit).
CHUNK = 500

_tracked: ContextVar[frozenset[int]] = ContextVar("clue_tallies_tracked", default=frozenset())


def _model(name: str, apps: Any = None) -> Any:
    return (apps or global_apps).get_model("clues", name)


def _sent(apps: Any = None) -> Any:
    """The transfer items that make a clue transferred (docs/domain.md §4.1 #9; registry.transferred_clues)."""
    item = _model("ClueTransferItem", apps)
    return item.objects.filter(clue=OuterRef("pk"), transfer__transferred_at__isnull=False).exclude(
        transfer__receiver_type=INSPECTED_UNIT
    )


def keys_of(pks: Iterable[int]) -> Counter[Key]:
    """The buckets the given clues count in now, each with how many of them count there."""
    clue, item = _model("Clue"), _model("ClueTransferItem")
    keys: Counter[Key] = Counter()
    pks = sorted(set(pks))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        # A clue is in one transfer letter at most (transfer_item_once_per_clue): read in the same query.
        letter = item.objects.filter(clue=OuterRef("pk")).values("transfer_id")[:1]
        rows = (
            clue.objects.filter(pk__in=chunk)
            .annotate(is_sent=Exists(_sent()), transfer_pk=Subquery(letter))
            .values_list(
                "pk",
                "inspection_round_id",
                "assigned_group_id",
                "source_partner_id",
                "source_type",
                "status",
                "categories",
                "is_sent",
                "transfer_pk",
            )
        )
        transferred: dict[int, str] = {}
        for pk, round_pk, group_pk, partner_pk, source_type, status, categories, is_sent, transfer_pk in rows:
            keys[(MAIN, (round_pk, group_pk, partner_pk or 0, source_type, status, bool(is_sent)))] += 1
            if transfer_pk is not None:
                keys[(TRANSFER, (transfer_pk, status))] += 1
            for code in _categories(categories):
                keys[(CATEGORY, (round_pk, code, status))] += 1
            if is_sent:
                transferred[pk] = status
        if transferred:
            receivers: dict[int, set[int]] = {}
            handed_back: set[int] = set()
            for pk, receiver_pk, receiver_type in item.objects.filter(clue__in=list(transferred)).values_list(
                "clue_id", "transfer__receiver_id", "transfer__receiver_type"
            ):
                receivers.setdefault(pk, set()).add(receiver_pk)
                if receiver_type == INSPECTED_UNIT:
                    handed_back.add(pk)
            # The funnel's rows by receiver leave out a clue any of whose letters went back to its unit
            # (交办), and count the others under every receiver of their letters.
            for pk, status in transferred.items():
                if pk not in handed_back:
                    for receiver_pk in receivers.get(pk, ()):
                        keys[(RECEIVER, (receiver_pk, status))] += 1
    return keys


def _categories(categories: Any) -> set[str]:
    """The known category codes a clue has: the registry's filter (`"code"` in the JSON list)."""
    if not isinstance(categories, list):
        return set()
    given = {str(c).lower() for c in categories}
    return {code for code in CATEGORY_LABELS if code in given}


class Tracker:
    """Handed out by `tracking`: `add(pk)` names a clue the tracked write creates."""

    def __init__(self, pks: set[int]) -> None:
        self.pks = pks

    def add(self, pk: int) -> None:
        if pk not in _tracked.get():
            self.pks.add(pk)


@contextmanager
def tracking(pks: Iterable[int]) -> Iterator[Tracker]:
    """Apply to the counters what the enclosed writes change in the buckets of the clues `pks`."""
    outer = _tracked.get()
    own = {pk for pk in pks if pk is not None and pk not in outer}
    tracker = Tracker(own)
    with transaction.atomic():
        before = keys_of(own) if own else Counter()
        token = _tracked.set(outer | own)
        try:
            yield tracker
        finally:
            _tracked.reset(token)
        change: Counter[Key] = Counter(keys_of(tracker.pks)) if tracker.pks else Counter()
        change.subtract(before)
        apply(change)


def count_registered(rows: Iterable[dict[str, Any]]) -> None:
    """Count clues inserted in bulk (the importer's commit), from the values written, by field name.

    No query: a clue just inserted is in its default status and in no transfer, so its buckets
    follow from its round, group, partner, source and categories (keys_of would read them back).
    """
    status = _model("Clue")._meta.get_field("status").default
    keys: Counter[Key] = Counter()
    for row in rows:
        key = (row["inspection_round"], row["assigned_group"], row["source_partner"] or 0, row["source_type"])
        keys[(MAIN, (*key, status, False))] += 1
        for code in _categories(row["categories"]):
            keys[(CATEGORY, (row["inspection_round"], code, status))] += 1
    apply(keys)


def apply(change: Counter[Key]) -> None:
    """Add each key's count to its counter row, creating it; in key order (no deadlock)."""
    by_table: dict[str, list[tuple[Any, ...]]] = {}
    for (table, key), n in sorted(change.items()):
        if n:
            by_table.setdefault(table, []).append((*key, n))
    with connection.cursor() as cursor:
        for table, rows in by_table.items():
            columns = TABLES[table]
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}, n) VALUES ({', '.join(['%s'] * (len(columns) + 1))}) "  # noqa: S608
                f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET n = {table}.n + excluded.n",
                rows,
            )


# The full recount ------------------------------------------------------------------


def recount(apps: Any = None, tables: Iterable[str] = tuple(TABLES)) -> Counter[Key]:
    """Every bucket of `tables` counted from the clues, by the queries the figures used before the counters."""
    clue = _model("Clue", apps)
    tables = set(tables)
    keys: Counter[Key] = Counter()
    if MAIN in tables:
        main = (
            clue.objects.annotate(is_sent=Exists(_sent(apps)))
            .values("inspection_round_id", "assigned_group_id", "source_partner_id", "source_type", "status", "is_sent")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in main:
            key = (row["inspection_round_id"], row["assigned_group_id"], row["source_partner_id"] or 0)
            keys[(MAIN, (*key, row["source_type"], row["status"], bool(row["is_sent"])))] += row["n"]
    if CATEGORY in tables:
        by_category = (
            clue.objects.values("inspection_round_id", "status")
            .annotate(**{code: Count("pk", filter=Q(categories__icontains=f'"{code}"')) for code in CATEGORY_LABELS})
            .order_by()
        )
        for row in by_category:
            for code in CATEGORY_LABELS:
                if row[code]:
                    keys[(CATEGORY, (row["inspection_round_id"], code, row["status"]))] += row[code]
    if RECEIVER in tables:
        by_receiver = (
            clue.objects.filter(Exists(_sent(apps)))
            .exclude(transfer_items__transfer__receiver_type=INSPECTED_UNIT)
            .values("transfer_items__transfer__receiver", "status")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for row in by_receiver:
            keys[(RECEIVER, (row["transfer_items__transfer__receiver"], row["status"]))] += row["n"]
    if TRANSFER in tables:
        item = _model("ClueTransferItem", apps)
        by_transfer = item.objects.values("transfer_id", "clue__status").annotate(n=Count("pk")).order_by()
        for row in by_transfer:
            keys[(TRANSFER, (row["transfer_id"], row["clue__status"]))] += row["n"]
    return keys


def held(apps: Any = None) -> Counter[Key]:
    """What the counters hold, zero rows left out."""
    keys: Counter[Key] = Counter()
    for table, name in MODELS.items():
        for row in _model(name, apps).objects.exclude(n=0).values(*TABLES[table], "n"):
            keys[(table, tuple(row[column] for column in TABLES[table]))] += row["n"]
    return keys


def differences() -> list[tuple[Key, int, int]]:
    """(key, held, counted) wherever the counters and a recount differ."""
    have, counted = held(), recount()
    return [(key, have[key], counted[key]) for key in sorted(set(have) | set(counted)) if have[key] != counted[key]]


@transaction.atomic
def rebuild(apps: Any = None, tables: Iterable[str] = tuple(TABLES)) -> None:
    """Replace the counters of `tables` with a recount (the data migrations, each filling the
    tables it creates; data loaded around the services)."""
    tables = set(tables)
    for table in tables:
        _model(MODELS[table], apps).objects.all().delete()
    apply(recount(apps, tables))


# Reading the figures ---------------------------------------------------------------


def funnel_counts(**filters: Any) -> dict[str, int]:
    """Transferred, concluded and filed clues (§4.1 #9–11) among the counters matching `filters`."""
    return _model("ClueTally").objects.filter(transferred=True, **filters).aggregate(**_sums(Clue))


def funnel_rows(*columns: str) -> list[dict[str, Any]]:
    """The funnel counts per value of the main counter's `columns`, ordered by them; empty rows left out."""
    rows = (
        _model("ClueTally")
        .objects.filter(transferred=True)
        .values(*columns)
        .annotate(**_sums(Clue))
        .filter(n_transferred__gt=0)
        .order_by(*columns)
    )
    return list(rows)


def receiver_rows() -> list[dict[str, Any]]:
    return list(
        _model("ClueReceiverTally")
        .objects.values("receiver_pk")
        .annotate(**_sums(Clue))
        .filter(n_transferred__gt=0)
        .order_by("receiver_pk")
    )


def _sums(clue: Any) -> dict[str, Any]:
    # n_…: the counter has a field named transferred.
    return {
        "n_transferred": Coalesce(Sum("n"), 0),
        "n_concluded": Coalesce(Sum("n", filter=Q(status__in=clue.CONCLUDED)), 0),
        "n_filed": Coalesce(Sum("n", filter=Q(status=clue.Status.CASE_FILED)), 0),
    }


def clue_count(**filters: Any) -> int:
    """Clues of the main counter matching `filters`, duplicates excluded (§4.1 #3 and the charts)."""
    counters = _model("ClueTally").objects.filter(**filters).exclude(status=Clue.Status.DUPLICATE)
    return counters.aggregate(n=Coalesce(Sum("n"), 0))["n"]


def by_source(round_pk: int) -> list[tuple[str, int]]:
    """(source, clues) of a round, duplicates excluded, by source code; sources with none left out."""
    rows = (
        _model("ClueTally")
        .objects.filter(round_pk=round_pk)
        .exclude(status=Clue.Status.DUPLICATE)
        .values("source_type")
        .annotate(total=Sum("n"))
        .filter(total__gt=0)
        .order_by("source_type")
    )
    return [(row["source_type"], row["total"]) for row in rows]


def by_category(round_pk: int) -> dict[str, int]:
    """Clues of a round per category code, duplicates excluded."""
    rows = (
        _model("ClueCategoryTally")
        .objects.filter(round_pk=round_pk)
        .exclude(status=Clue.Status.DUPLICATE)
        .values("category")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {row["category"]: row["total"] for row in rows}
