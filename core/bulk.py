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
"""

import json
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
        writer = _writer(cursor, model, fields)
        written = 0
        for batch in _batches(objs, batch_size):
            written += writer(
                [[f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in batch], []
            )
    return written


def insert_values(
    model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]], *, batch_size: int = 2000
) -> int:
    """INSERT rows given as tuples of values for the named fields, in that order; returns how many.

    Values are what the model instance would hold: str for text, int for numbers and for the
    primary key of a foreign key, bool, date, Decimal, JSON-safe data for JSON fields. Every
    other field takes its default as the ORM would, computed once per batch (auto_now and
    auto_now_add: the time the batch is written); a field whose default is a function other
    than dict or list would give every row the same value, so it must be among the names.
    """
    connection = connections[router.db_for_write(model)]
    given = [cast(Field, model._meta.get_field(name)) for name in names]  # names are columns, not relations
    rest = [f for f in _insertable_fields(model) if f not in given]
    for field in rest:
        if field.has_default() and callable(field.default) and field.default not in (dict, list):
            raise ValueError(f"{model.__name__}.{field.name} has a default computed per row; give its value.")
    prepare = [(index, prep) for index, field in enumerate(given) if (prep := _preparer(field, connection)) is not None]
    with connection.cursor() as cursor:
        writer = _writer(cursor, model, given + rest)
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
        # an adapter object per value (half a second per 100,000 values).
        encoder = cast(JSONField, field).encoder
        return lambda value: None if value is None else json.dumps(field.get_prep_value(value), cls=encoder)
    return lambda value: field.get_db_prep_save(value, connection)


def _writer(cursor: Any, model: type[Model], fields: list[Field]) -> Callable[[Iterable[Any], list[Any]], int]:
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
            return _copy(cursor, sql, rows, shared)
        rows = [[*row, *shared] for row in rows] if shared else list(rows)
        cursor.executemany(sql, rows)
        return len(rows)

    return write


def _copy(cursor: Any, sql: str, rows: Iterable[Any], shared: list[Any]) -> int:
    """PostgreSQL COPY in text format: one statement per batch, no SQL to parse per row; returns
    how many rows it wrote."""
    # The shared values are rendered once for the batch, not once per row.
    end = "".join("\t" + _copy_text(value) for value in shared) + "\n"
    written = 0

    def lines() -> Iterator[str]:
        nonlocal written
        for row in rows:
            written += 1
            yield "\t".join([_copy_text(value) for value in row]) + end

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
