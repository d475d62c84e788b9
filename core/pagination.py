"""Keyset (cursor) pagination for the lists whose rows grow without bound (issue 16 item 4).

A page-number paginator counts every row and skips OFFSET rows: at a million clues both read
the whole table. A keyset page is fetched from where the last one ended::

    WHERE (k1, k2, pk) < (v1, v2, v3) ORDER BY k1 DESC, k2 DESC, pk DESC LIMIT n + 1

so with an index on the keys it is an index range scan whatever the page, and a row inserted
or deleted meanwhile never makes the next page skip or repeat one. The links say "next" and
"previous"; the cursor is signed (core.signing) so a tampered or stale one gives the first page.

Where every key goes the same way and none is nullable, the condition is that row comparison
(SQLite has row values too): PostgreSQL reads it as one index range over all the keys, however
many rows tie on the first (an imported batch stamped with one created_at). Otherwise (a list
sorted by name ascending, then newest first) it is spelled out as
``k1 <= v1 AND (k1 < v1 OR (k1 = v1 AND ...))``: the redundant bound on the first key is the
index range, the rest a filter over the rows that tie on it.

A nullable key (a letter's sent_at while it is a draft) sorts its NULLs last in the list's
order on both databases (SQLite's default; PostgreSQL's DESC would put them first), and is left
out of the index bound; the last key must be unique (the pk).

Counting: on PostgreSQL the planner's estimate of the list's rows (one EXPLAIN, no row read)
decides: up to EXACT_COUNT_LIMIT the rows are counted, above it the estimate is shown as
「约 N 条」. Not a bounded count (COUNT over LIMIT 2001): where the filter is rare among the
rows the index gives (a group member's clues of one status among a million) it reads until it
finds 2,001 or the end, over a second at 1M clues. The planner can also expect few rows where
there are many (a category matched inside a JSON list): so the exact count runs under a
statement timeout of COUNT_TIMEOUT_MS, and a count that would take longer is not shown (the
page says nothing of its total rather than a wrong one). SQLite counts exactly (an embedded
database holds one office, and has no cheap estimate). A list that fits its first page counts
nothing.
"""

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections, transaction
from django.db.models import Count, F, Field, Func, Q, QuerySet, Value, Window
from django.db.models.expressions import OrderBy
from django.db.models.lookups import GreaterThan, LessThan, Lookup

CURSOR_PARAM = "cursor"
EXACT_COUNT_LIMIT = 2000
COUNT_TIMEOUT_MS = 50
_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by its timeout
_SALT = "core.pagination.cursor"
_NEXT, _PREVIOUS = "n", "p"


def _encode(value: Any) -> Any:
    # Full precision: DjangoJSONEncoder cuts datetimes to milliseconds, and a cursor a microsecond
    # off would skip or repeat the rows stamped within that millisecond.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class _Row(Func):
    """A row value, (k1, k2, pk), compared with another as a whole."""

    template = "(%(expressions)s)"
    output_field = Field()


def _nullable(model: Any, path: str) -> bool:
    """Whether the key can be NULL on a row: a nullable field, or one reached through a nullable link."""
    if path == "pk":
        return False
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model
    return False


def _past(path: str, desc: bool, value: Any, null: bool, forward: bool) -> Q | None:
    """The rows strictly past `value` on this key, going forward or backward; None for none.

    NULLs sort last going forward: past a value forward lie the NULLs too; past a NULL forward
    lies nothing; backward from a NULL lies every value."""
    if value is None:
        return Q(**{f"{path}__isnull": False}) if not forward else None
    strictly = Q(**{f"{path}__{'lt' if desc == forward else 'gt'}": value})
    return strictly | Q(**{f"{path}__isnull": True}) if null and forward else strictly


def _count_within(rows: QuerySet[Any], milliseconds: int) -> int | None:
    """COUNT(*) of `rows` on PostgreSQL, or None if it runs longer than `milliseconds`. The timeout
    is set for this statement only: in a transaction of its own, which it ends with, or inside an
    outer one in a savepoint, put back as it was when the count ends; the request's later queries
    (and an outer transaction's) run under the usual limit."""
    connection = connections[rows.db]
    # In autocommit (a request) restoring the timeout by hand would cost two round trips.
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(using=rows.db), connection.cursor() as cursor:
            if nested:
                cursor.execute("SELECT current_setting('statement_timeout')")
                previous = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{milliseconds}ms"])
            count = rows.count()
            if nested:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return count
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) != _QUERY_CANCELED:
            raise
        return None


def in_key_order(rows: QuerySet[Any], pks: Sequence[Any]) -> list[Any]:
    """The rows of `rows` with these primary keys, in their order; a key whose row is gone (deleted
    since the keys were read) is left out. The second read of a keys-first page or list."""
    by_pk = rows.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


class KeysetPaginator:
    """Pages of `queryset` in the order of `ordering` ("-created_at", "-pk"), `per_page` rows each.

    A key is a field path, or an ordered expression that is never NULL (a search's ranking,
    `PersonNamed(q).desc()`), compared through its annotation."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        ordering: Sequence[str | OrderBy],
        per_page: int,
        *,
        rows: QuerySet[Any] | None = None,
        ranks_every_row: bool = False,
    ) -> None:
        """rows: where given, a page is read in two queries: its keys from `queryset` (filters,
        order and limit, which an index can often answer without reading a table row), then its
        rows by primary key from `rows` (the columns and joins the page shows). See _read.

        ranks_every_row: no index gives the order, every row is read and sorted for any page (a
        search ranked by name): the first page counts them as it reads them, COUNT(*) OVER ()
        in its own query, instead of a count reading them again (issue 16: a group member's
        ?q=王伟 at 1M clues, 34 ms of SQL saved on PostgreSQL)."""
        last = ordering[-1] if ordering else None
        if not isinstance(last, str) or last.lstrip("-") not in ("pk", "id"):
            raise ValueError("A keyset ordering ends with the primary key, which makes it total.")
        self.names = [f"keyset_{i}" for i in range(len(ordering))]
        self.keys: list[tuple[str, bool]] = []
        self.nullable: list[bool] = []
        annotations: dict[str, Any] = {}
        for name, key in zip(self.names, ordering, strict=True):
            if isinstance(key, str):
                path = key.lstrip("-")
                self.keys.append((path, key.startswith("-")))
                self.nullable.append(_nullable(queryset.model, path))
                annotations[name] = F(path)
            else:
                self.keys.append((name, key.descending))
                self.nullable.append(False)
                annotations[name] = key.expression
        # The key values are read off each row as annotations: a related key (partner__sort_order)
        # would otherwise cost a query per row, and their output fields turn a cursor back into values.
        self.queryset = queryset.annotate(**annotations)
        self.per_page = per_page
        self.rows = rows
        self.ranks_every_row = ranks_every_row

    # Counting ---------------------------------------------------------------------------------

    @cached_property
    def _estimate(self) -> int | None:
        """The planner's estimate of the list's rows (PostgreSQL; None elsewhere): no row is read."""
        rows = self.queryset.order_by()
        if connections[rows.db].vendor != "postgresql":
            return None
        return int(json.loads(rows.explain(format="json"))[0]["Plan"]["Plan Rows"])

    @cached_property
    def _counted(self) -> tuple[int | None, bool]:
        rows = self.queryset.order_by()
        if self._estimate is None:
            return rows.count(), False
        if self._estimate > EXACT_COUNT_LIMIT:
            return self._estimate, True
        return _count_within(rows, COUNT_TIMEOUT_MS), False

    @property
    def count(self) -> int | None:
        """The rows of the list, or None where counting them would take too long (PostgreSQL)."""
        return self._counted[0]

    @property
    def count_is_estimate(self) -> bool:
        return self._counted[1]

    # Cursors ----------------------------------------------------------------------------------

    def _cursor(self, direction: str, row: Any) -> str:
        return signing.dumps([direction, [_encode(getattr(row, name)) for name in self.names]], salt=_SALT)

    def _decode(self, token: str) -> tuple[str, list[Any]] | None:
        """The cursor's direction and key values, or None for a missing, tampered or stale one."""
        try:
            direction, raw = signing.loads(token, salt=_SALT)
            if direction not in (_NEXT, _PREVIOUS) or len(raw) != len(self.keys):
                return None
            if any(v is None and not null for v, null in zip(raw, self.nullable, strict=True)):
                return None
            annotations = self.queryset.query.annotations
            return direction, [
                None if v is None else annotations[name].output_field.to_python(v)
                for name, v in zip(self.names, raw, strict=True)
            ]
        except (signing.BadSignature, ValueError, TypeError, ValidationError):
            return None

    def _beyond(self, values: list[Any], forward: bool) -> Q | Lookup:
        """Rows strictly after (forward) or before the cursor's values in the list's order."""
        directions = {desc for _path, desc in self.keys}
        if len(directions) == 1 and not any(self.nullable):
            past = LessThan if directions.pop() == forward else GreaterThan
            return past(_Row(*(F(path) for path, _desc in self.keys)), _Row(*(Value(v) for v in values)))
        condition = Q()
        # Built from the last key outwards: (k1 after v1) OR (k1 = v1 AND (rest)).
        for (path, desc), value, null in reversed(list(zip(self.keys, values, self.nullable, strict=True))):
            strictly = _past(path, desc, value, null, forward)
            if not condition:
                condition = strictly or Q()
                continue
            tie = Q(**{f"{path}__isnull": True}) if value is None else Q(**{path: value})
            condition = tie & condition if strictly is None else strictly | (tie & condition)
        path, desc = self.keys[0]
        if self.nullable[0]:
            return condition
        bound = "lte" if desc == forward else "gte"
        return Q(**{f"{path}__{bound}": values[0]}) & condition

    def _ordered(self, forward: bool) -> QuerySet[Any]:
        # Forward: the list's order, NULLs last; backward: the reverse. A key that cannot be NULL
        # says nothing of NULLs, so that PostgreSQL matches the ORDER BY to its index.
        return self.queryset.order_by(
            *(
                OrderBy(
                    F(path), descending=desc == forward, nulls_last=forward or None, nulls_first=not forward or None
                )
                if null
                else OrderBy(F(path), descending=desc == forward)
                for (path, desc), null in zip(self.keys, self.nullable, strict=True)
            )
        )

    # Pages ------------------------------------------------------------------------------------

    def _read(self, ordered: QuerySet[Any], *, counting: bool = False) -> tuple[list[Any], bool, int | None]:
        """A page's rows from the start of `ordered`, whether more follow them, and with
        `counting` the rows of `ordered` (else None).

        With `rows`, the keys first, then the rows: issue 16 at 1M clues, a receiver's registry
        ?source=petition read 41,666 clue rows to find none it may see (281 ms); its keys alone
        come from two index ranges merged (38 ms). A row deleted between the two queries is left
        out of the page (the next page's cursor starts after its key all the same)."""
        limit = self.per_page + 1
        total = None
        if counting:
            ordered = ordered.annotate(_keyset_total=Window(Count("*")))
        if self.rows is None:
            rows = list(ordered[:limit])
            if counting:
                total = rows[0]._keyset_total if rows else 0
            return rows[: self.per_page], len(rows) > self.per_page, total
        keys = list(ordered.values_list("pk", *self.names, *(["_keyset_total"] if counting else []))[:limit])
        if counting:
            total = keys[0][-1] if keys else 0
            keys = [key[:-1] for key in keys]
        values_of = {pk: values for pk, *values in keys[: self.per_page]}
        page = in_key_order(self.rows, list(values_of))
        for row in page:
            for name, value in zip(self.names, values_of[row.pk], strict=True):
                setattr(row, name, value)
        return page, len(keys) > self.per_page, total

    def cursor_after(self, offset: int) -> str | None:
        """The next-link cursor of the page that starts after `offset` rows, as a user following
        next links would reach it (a benchmark's late page); None past the end."""
        row = self._ordered(True)[offset - 1 : offset].first()
        return self._cursor(_NEXT, row) if row is not None else None

    def page(self, token: str | None) -> "KeysetPage":
        """The page the cursor points at; the first page without one (or with a bad one)."""
        cursor = self._decode(token) if token else None
        if cursor is not None:
            direction, values = cursor
            forward = direction == _NEXT
            rows, more, _total = self._read(self._ordered(forward).filter(self._beyond(values, forward)))
            if forward:
                return KeysetPage(self, rows, has_previous=True, has_next=more)
            if rows:
                rows.reverse()
                return KeysetPage(self, rows, has_previous=more, has_next=True)
            # Nothing before the cursor any more (rows deleted): the first page.
        # Where the estimate is shown anyway, the rows are not counted: a window over every row
        # would keep PostgreSQL from sorting only the page's (the office head's ?q=王伟 at 1M
        # clues, 9,285 matches: 25 ms top-N, 45-60 ms counted).
        counting = self.ranks_every_row and (self._estimate is None or self._estimate <= EXACT_COUNT_LIMIT)
        rows, more, total = self._read(self._ordered(True), counting=counting)
        if total is not None:
            self._counted = (total, False)
        elif not more:
            self._counted = (len(rows), False)  # the whole list is on this page: no count to run
        return KeysetPage(self, rows, has_previous=False, has_next=more)


class KeysetPage(Sequence[Any]):
    """One page's rows and its next/previous cursors (None where there is no such page)."""

    def __init__(self, paginator: KeysetPaginator, rows: list[Any], *, has_previous: bool, has_next: bool) -> None:
        self.paginator = paginator
        self.object_list = rows
        self.has_previous = has_previous and bool(rows)
        self.has_next = has_next and bool(rows)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: Any) -> Any:
        return self.object_list[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_cursor(self) -> str | None:
        return self.paginator._cursor(_NEXT, self.object_list[-1]) if self.has_next else None

    @property
    def previous_cursor(self) -> str | None:
        return self.paginator._cursor(_PREVIOUS, self.object_list[0]) if self.has_previous else None


def keyset_page(
    queryset: QuerySet[Any],
    request: Any,
    ordering: Sequence[str | OrderBy],
    per_page: int,
    *,
    rows: QuerySet[Any] | None = None,
    ranks_every_row: bool = False,
) -> KeysetPage:
    """The page of `queryset` that the request's cursor points at (a stale ?page= is ignored)."""
    paginator = KeysetPaginator(queryset, ordering, per_page, rows=rows, ranks_every_row=ranks_every_row)
    return paginator.page(request.GET.get(CURSOR_PARAM))
