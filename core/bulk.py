"""Bulk inserts for the import hot path.

QuerySet.bulk_create compiles every value through the ORM's SQL compiler and, on SQLite,
splits batches to stay under 999 parameters: measured on a 50,000-row clue import it spent
more time building SQL than the database spent storing rows. Both functions here prepare
values with the field's own get_db_prep_save where the driver cannot take the Python value as
it is (so JSON, dates and defaults come out exactly as the ORM would write them) and hand each
batch to the fastest path of the backend: executemany on SQLite (in-process), COPY on
PostgreSQL. They return no primary keys; callers that need them read them back by a natural key.

insert_values streams each batch to COPY as the rows are made (_CopyStream): the server stores
rows while Python makes the next ones, two processes busy instead of taking turns, so a large
batch costs no memory for its rows and a caller writing millions can make one batch of them.

insert_values takes plain tuples, for callers that would otherwise build a model instance per
row only to have it taken apart again (about 1 s per 50,000 rows of instance construction).

While COPY runs, the server stores the rows Python has sent; insert_values' `meanwhile` gives
Python other work for that time (ReadAhead: parse the rows of the next batch), so that neither
waits for the other on one connection in one thread (issue 16: storing a clue, its search index
first, costs the server about as much as parsing its row costs Python).
"""

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, TypeVar, cast

from django.db import connections, router
from django.db.models import Field, ForeignKey, JSONField, Model
from django.db.models.fields import AutoFieldMixin

_T = TypeVar("_T")
# Field types whose values psycopg2 and sqlite3 take as the Python value itself: no preparation.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _lazy_batches(items: Iterable[_T], size: int) -> Iterator[Iterator[_T]]:
    """Batches of size items, each an iterator over them: to be consumed before the next is asked."""
    iterator = iter(items)
    for first in iterator:
        yield chain((first,), islice(iterator, size - 1))


def _insertable_fields(model: type[Model]) -> list[Field]:
    # The database numbers auto primary keys itself.
    return [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]


def insert_rows(model: type[Model], objs: Iterable[Model], *, batch_size: int = 2000) -> int:
    """INSERT the given unsaved instances of model; returns how many rows were written."""
    fields = _insertable_fields(model)
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        writer = _writer(cursor, model, fields, None)
        written = 0
        for batch in _batches(objs, batch_size):
            written += writer(
                [[f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in batch], []
            )
    return written


def insert_values(
    model: type[Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 2000,
    meanwhile: Callable[[], object] | None = None,
) -> int:
    """INSERT rows given as tuples of values for the named fields, in that order; returns how many.

    Values are what the model instance would hold: str for text, int for numbers and for the
    primary key of a foreign key, bool, date, Decimal, JSON-safe data for JSON fields. Every
    other field takes its default as the ORM would, computed once per batch (auto_now and
    auto_now_add: the time the batch is written); a field whose default is a function other
    than dict or list would give every row the same value, so it must be among the names.

    `meanwhile`, on PostgreSQL, is called after each row's COPY line is made: work that runs while
    the server stores the rows sent before it. It must not use the connection (COPY holds it).
    """
    connection = connections[router.db_for_write(model)]
    given = [cast(Field, model._meta.get_field(name)) for name in names]  # names are columns, not relations
    rest = [f for f in _insertable_fields(model) if f not in given]
    for field in rest:
        if field.has_default() and callable(field.default) and field.default not in (dict, list):
            raise ValueError(f"{model.__name__}.{field.name} has a default computed per row; give its value.")
    prepare = [(index, prep) for index, field in enumerate(given) if (prep := _preparer(field, connection)) is not None]
    with connection.cursor() as cursor:
        writer = _writer(cursor, model, given + rest, meanwhile)
        written = 0
        for batch in _lazy_batches(rows, batch_size):
            template = model()
            defaults = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in rest]
            written += writer((_prepared(row, prepare) for row in batch) if prepare else batch, defaults)
    return written


def _prepared(row: Sequence[Any], prepare: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, prep in prepare:
        values[index] = prep(values[index])
    return values


def _preparer(field: Field, connection: Any) -> Callable[[Any], Any] | None:
    """How to turn the field's Python value into a driver value; None when it is one already."""
    target = cast(ForeignKey, field).target_field if field.is_relation else field
    kind = target.get_internal_type()
    # Only Django's own fields take the value as it is: a custom one (sealed text) reports the
    # internal type of its base but must prepare its value itself.
    if kind in _AS_IS and type(target).__module__.startswith("django."):
        return None
    if kind == "JSONField" and connection.vendor == "postgresql":
        # COPY takes the JSON text itself: the dump psycopg2's Json adapter would make, without
        # an adapter object per value (half a second per 100,000 values). Characters as they
        # are, not \uXXXX: jsonb stores the same value, from half the bytes for Chinese text,
        # and a line without backslashes needs no escaping for COPY (_copy_line).
        encoder: type[json.JSONEncoder] = cast(JSONField, field).encoder or json.JSONEncoder
        encode, prep = encoder(ensure_ascii=False).encode, field.get_prep_value
        return lambda value: None if value is None else encode(prep(value))
    return lambda value: field.get_db_prep_save(value, connection)


def _writer(
    cursor: Any, model: type[Model], fields: list[Field], meanwhile: Callable[[], object] | None
) -> Callable[[Iterable[Any], list[Any]], int]:
    """A function writing one batch: rows of prepared values for the first fields, and the
    values every row shares for the remaining ones (the defaults)."""
    connection = cursor.db
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
    else:
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from model meta

    def write(rows: Iterable[Any], shared: list[Any]) -> int:
        if connection.vendor == "postgresql":
            return _copy(cursor, sql, rows, shared, meanwhile)
        rows = [[*row, *shared] for row in rows] if shared else list(rows)
        cursor.executemany(sql, rows)
        return len(rows)

    return write


def _copy(cursor: Any, sql: str, rows: Iterable[Any], shared: list[Any], meanwhile: Callable[[], object] | None) -> int:
    """PostgreSQL COPY in text format: one statement per batch, no SQL to parse per row; returns
    how many rows it wrote."""
    # The shared values are rendered once for the batch, not once per row.
    end = "".join("\t" + _copy_text(value) for value in shared) + "\n"
    written = 0

    def lines() -> Iterator[str]:
        nonlocal written
        for row in rows:
            written += 1
            yield _copy_line(row) + end
            if meanwhile is not None:
                meanwhile()

    # The psycopg2 cursor under Django's wrapper: COPY has no place in the DB-API.
    cursor.cursor.copy_expert(sql, _CopyStream(lines()), size=_COPY_READ)
    return written


# What copy_expert asks of the stream per read: the characters of a few hundred clues.
_COPY_READ = 1 << 16


class _CopyStream:
    """The file copy_expert reads COPY text from, made from lines as it asks for them."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def read(self, size: int | None = -1) -> str:
        # About size characters (copy_expert sends whatever it gets, then asks again); "" ends COPY.
        if size is None or size < 0:
            return "".join(self._lines)
        chunk, length = [], 0
        for line in self._lines:
            chunk.append(line)
            length += len(line)
            if length >= size:
                break
        return "".join(chunk)


def _copy_line(row: Sequence[Any]) -> str:
    """One row of COPY text. Most rows hold no tab, line break or backslash in any value: the
    values are joined as they are and the line checked once (one scan of it for each character
    instead of four per value); a row that does is escaped value by value."""
    texts = [value if value.__class__ is str else _copy_text(value) for value in row]
    line = "\t".join(texts)
    # The only backslashes of a plain row are those of its nulls (\N); its only tabs, the separators.
    if (
        "\n" in line
        or "\r" in line
        or line.count("\t") != len(texts) - 1
        or ("\\" in line and line.count("\\") != row.count(None))
    ):
        return "\t".join([_copy_text(value) for value in row])
    return line


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value.__class__ is not str:  # text is the common case: skip the checks below for it
        if hasattr(value, "dumps") and hasattr(value, "adapted"):  # psycopg2's Json adapter
            value = value.dumps(value.adapted)
        elif isinstance(value, bool):
            return "t" if value else "f"
        elif isinstance(value, int):
            return str(value)
        elif isinstance(value, datetime | date):
            return value.isoformat()
        else:
            value = str(value)
    # str.replace runs in C; str.translate with a mapping is several times slower here.
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    return value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class ReadAhead(Iterator[_T]):
    """An iterator whose next items can be read before they are asked for: `step` reads one into
    a buffer of at most `limit` (as insert_values' `meanwhile`), iteration takes the buffer first.
    An exception raised while reading ahead is raised where its item is asked for, not inside
    the COPY that was running."""

    def __init__(self, items: Iterable[_T], *, limit: int) -> None:
        self._items = iter(items)
        self._buffer: deque[_T] = deque()
        self._limit = limit
        self._error: Exception | None = None
        self._ended = False

    def step(self) -> None:
        if self._ended or self._error is not None or len(self._buffer) >= self._limit:
            return
        try:
            self._buffer.append(next(self._items))
        except StopIteration:
            self._ended = True
        except Exception as error:  # raised again by __next__, outside the COPY
            self._error = error

    def every(self, calls: int) -> Callable[[], None]:
        """A `step` taken on every calls-th call: reading ahead at a fraction of a COPY's pace."""
        count = 0

        def step() -> None:
            nonlocal count
            count += 1
            if count % calls == 0:
                self.step()

        return step

    def __next__(self) -> _T:
        if self._buffer:
            return self._buffer.popleft()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        if self._ended:
            raise StopIteration
        return next(self._items)
