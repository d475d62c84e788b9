"""The deadline board's sources: each app registers what is owed to the office from its
AppConfig.ready, so the board (reports) reads every app's deadlines without importing them.

A source reads its rows through its model's `for_user()`, so a user sees only the deadlines of
rows they may see anyway. It gives a queryset of the rows due and turns any slice of it into
board rows: the board counts and orders in SQL and reads only its page, in a fixed number of
queries whatever the size (issue 16: tens of thousands of open rectification items).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.functional import Promise

from core.models import Reminder, User


@dataclass(frozen=True)
class Due:
    """One thing due, as its source sees it: what, about whom, who must act, when, how often chased."""

    pk: int
    title: str
    url: str
    concerns: str
    responsible: str
    due: date
    reminders_sent: int


# (user, round id or None) -> the rows that are due, as a queryset not yet read: the board counts
# them and orders them in SQL, and reads only the page it shows (issue 16).
DueQuerySet = Callable[[User, int | None], "models.QuerySet[Any]"]
# A slice of that queryset (or all of it) -> its rows as the board shows them.
DueRows = Callable[["models.QuerySet[Any]"], Iterable[Due]]


@dataclass(frozen=True)
class DeadlineSource:
    kind: str
    label: str | Promise
    queryset: DueQuerySet
    due_field: str  # the queryset's date column the rows fall due on (never null in it)
    to_rows: DueRows
    order: int

    def rows(self, user: User, round_id: int | None) -> Iterable[Due]:
        """Every row due, read at once (the export, the digest)."""
        return self.to_rows(self.queryset(user, round_id))


_SOURCES: dict[str, DeadlineSource] = {}


def register_deadline_source(
    kind: str, label: str | Promise, queryset: DueQuerySet, *, due_field: str, rows: DueRows, order: int
) -> None:
    """Put what `queryset` returns on the board under `kind`, falling due on `due_field`, shown
    by `rows`; lower order first where two rows fall due the same day."""
    _SOURCES[kind] = DeadlineSource(kind, label, queryset, due_field, rows, order)


def deadline_sources() -> list[DeadlineSource]:
    return sorted(_SOURCES.values(), key=lambda source: source.order)


def reminders_sent(model: type[models.Model]) -> Coalesce:
    """Reminders sent about each row of `model` (one correlated subquery, no query per row)."""
    sent = (
        Reminder.objects.filter(
            target_type=ContentType.objects.get_for_model(model),
            target_id=Cast(OuterRef("pk"), CharField()),
            status=Reminder.Status.SENT,
        )
        .order_by()
        .values("target_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sent, output_field=IntegerField()), Value(0))
