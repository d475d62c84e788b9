"""The deadline board: everything still owed to the office, across the apps, by working days left.

The sources are registered by the apps (core.deadlines): letters awaiting an answer and
transfers awaiting feedback (clues), secondment requests awaiting the home unit (talentpool),
handovers not delivered and open rectification items (liaison). Each reads its model's
`for_user()` and costs a fixed number of queries whatever its size; the working days of all
rows come from one calendar read.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

import django_filters
from django import forms
from django.db import connections
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.deadlines import DeadlineSource, Due, deadline_sources
from core.filters import QueryFilterSet, choice, flag, with_all
from core.roles import Role
from core.workdays import add_working_days, is_past_table, table_end, working_days_from
from inspection.models import InspectionRound

# Who may open the board. Each sees only the parts their role reads anyway (docs/domain.md §5.3): the head
# everything; office staff letters, secondments, handovers and rectification (transfers are counts
# only for them); the custodian letters, transfers and rectification; the pool manager secondments.
# Scoped roles (groups, partners, liaison officers, receivers) have their own lists and get a 404.
BOARD_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.POOL_MANAGER)


def may_see_board(user: Any) -> bool:
    return user.is_authenticated and user.has_role(*BOARD_ROLES)


@dataclass(frozen=True)
class DeadlineRow(Due):
    """A source's row on the board: its kind, and working days left counted from today."""

    kind: str
    kind_label: str
    days_left: int  # working days from today; negative once overdue
    overdue: bool  # the due date has passed (a Saturday after a Friday deadline is 0 days but overdue)
    natural_days: bool = False  # due past the holiday calendar's end: counted in natural days

    @property
    def overdue_days(self) -> int:
        """Working days overdue, never negative (0 while not overdue)."""
        return max(-self.days_left, 0)


class DeadlineFilters(QueryFilterSet):
    """The board's filters. Its rows are merged from the registered sources in Python, not one queryset, so
    deadlines_for reads these values itself: the kind picks the sources, the round narrows
    them, overdue and within narrow the merged rows."""

    max_length = 20

    kind = choice(_("Kind"), lambda: [(source.kind, source.label) for source in deadline_sources()])
    round = choice(_("Round"))
    within = django_filters.CharFilter(
        label=_("Due within (working days)"), widget=forms.NumberInput(attrs={"min": 0, "max": 999})
    )
    overdue = flag(_("Overdue only"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None:
            rounds = InspectionRound.objects.for_user(self.request.user)
            self.form.fields["round"].widget.choices = with_all(lambda: [(r.pk, r.title) for r in rounds])

    @property
    def round_id(self) -> int | None:
        return int(self.round) if self.round.isdigit() else None

    @property
    def within_days(self) -> int | None:
        return int(self.within) if self.within.isdigit() else None


def _selected(filters: DeadlineFilters) -> list[DeadlineSource]:
    sources = deadline_sources()
    if filters.kind in {source.kind for source in sources}:
        return [source for source in sources if source.kind == filters.kind]
    return sources


def _row(source: DeadlineSource, due: Due, today: date, left: dict[date, int], end: date | None) -> DeadlineRow:
    return DeadlineRow(
        kind=source.kind,
        kind_label=str(source.label),
        pk=due.pk,
        title=due.title,
        url=due.url,
        concerns=due.concerns,
        responsible=due.responsible,
        due=due.due,
        days_left=left[due.due],
        overdue=due.due < today,
        reminders_sent=due.reminders_sent,
        natural_days=is_past_table(due.due, end),
    )


def deadlines_for(user: Any, filters: DeadlineFilters | None = None, today: date | None = None) -> list[DeadlineRow]:
    """Everything due that user may see, fewest working days left first (overdue on top): the
    export and the digest, which need every row; the board reads a page (DeadlineBoard)."""
    filters = filters or DeadlineFilters()
    today = today or timezone.localdate()
    if not may_see_board(user):
        return []
    sources = _selected(filters)
    raw = [(source, due) for source in sources for due in source.rows(user, filters.round_id)]
    left = working_days_from(today, [due.due for _source, due in raw])
    end = table_end()
    rows = [_row(source, due, today, left, end) for source, due in raw]
    if filters.overdue:
        rows = [row for row in rows if row.overdue]
    if filters.within_days is not None:
        rows = [row for row in rows if row.days_left <= filters.within_days]
    order = {source.kind: source.order for source in sources}
    rows.sort(key=lambda row: (row.due, order[row.kind], row.pk))
    return rows


def deadline_counts(rows: list[DeadlineRow]) -> list[dict[str, Any]]:
    """Per kind: how many are due and how many of them overdue (for the digest)."""
    return [
        {
            "kind": source.kind,
            "label": source.label,
            "due": sum(1 for row in rows if row.kind == source.kind),
            "overdue": sum(1 for row in rows if row.kind == source.kind and row.overdue),
        }
        for source in deadline_sources()
    ]


class DeadlineBoard:
    """The board's rows as the paginator reads them: counted per kind in SQL, and a page read as
    one ordered UNION of the sources' (due date, kind order, pk) followed by one read per kind of
    that page's rows (issue 16: the whole board was read to show 100 rows of it).

    Same rows, order and counts as deadlines_for: "overdue" is a due date before today, and
    "within N working days" a due date before the (N+1)th working day after today (working days
    left only grow with the due date)."""

    def __init__(self, user: Any, filters: DeadlineFilters, today: date | None = None, *, own: bool = False) -> None:
        """own: the rows of any user, not only of the board's roles (the workbench's list of what
        is due from a partner, a liaison officer or a receiver): every source reads its rows
        through for_user(), so a scoped user gets the rows of their own letters, units or transfers."""
        self.today = today or timezone.localdate()
        self.sources = _selected(filters) if own or may_see_board(user) else []
        self.parts = {source.kind: self._narrowed(source, user, filters) for source in self.sources}
        self._counts: list[dict[str, Any]] | None = None

    def _narrowed(self, source: DeadlineSource, user: Any, filters: DeadlineFilters) -> QuerySet[Any]:
        rows = source.queryset(user, filters.round_id)
        if filters.overdue:
            rows = rows.filter(**{f"{source.due_field}__lt": self.today})
        if filters.within_days is not None:
            rows = rows.filter(**{f"{source.due_field}__lt": add_working_days(self.today, filters.within_days + 1)})
        return rows

    def counts(self) -> list[dict[str, Any]]:
        """Per kind (every kind, as the board's head shows them): due and overdue, one query a kind."""
        if self._counts is None:
            counted = {
                source.kind: self.parts[source.kind].aggregate(
                    due=Count("pk"), overdue=Count("pk", filter=Q(**{f"{source.due_field}__lt": self.today}))
                )
                for source in self.sources
            }
            self._counts = [
                {"kind": source.kind, "label": source.label, **counted.get(source.kind, {"due": 0, "overdue": 0})}
                for source in deadline_sources()
            ]
        return self._counts

    def count(self) -> int:
        return sum(c["due"] for c in self.counts())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[DeadlineRow]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> DeadlineRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[DeadlineRow]: ...

    def __getitem__(self, index: int | slice) -> DeadlineRow | list[DeadlineRow]:
        if isinstance(index, int):
            return self._slice(slice(index, index + 1))[0]
        return self._slice(index)

    def _slice(self, page: slice) -> list[DeadlineRow]:
        if not self.sources or page.start == page.stop:
            return []
        kinds = {source.order: source for source in self.sources}
        keys = [
            self.parts[source.kind]
            .order_by()
            .annotate(_due=F(source.due_field), _order=Value(source.order, output_field=IntegerField()), _pk=F("pk"))
            .values_list("_due", "_order", "_pk")
            for source in self.sources
        ]
        if (
            page.stop is not None
            and len(keys) > 1
            and connections[keys[0].db].features.supports_slicing_ordering_in_compound
        ):
            # Each kind gives at most the rows up to the page's end, in the board's order: read
            # from an index where the kind has one (rectification items), not 30,000 open items
            # sorted for 50 (issue 16). SQLite takes no ORDER BY inside a UNION: it sorts them all.
            keys = [key.order_by("_due", "_pk")[: page.stop] for key in keys]
        first, *rest = keys
        ordered = (
            first.union(*rest, all=True).order_by("_due", "_order", "_pk") if rest else first.order_by("_due", "_pk")
        )
        wanted = list(ordered[page])
        dues: dict[tuple[str, int], Due] = {}
        for source in self.sources:
            pks = [pk for _due, kind_order, pk in wanted if kind_order == source.order]
            if pks:
                dues.update(
                    ((source.kind, due.pk), due) for due in source.to_rows(self.parts[source.kind].filter(pk__in=pks))
                )
        left = working_days_from(self.today, [due for due, _o, _pk in wanted])
        end = table_end()
        rows = [
            _row(kinds[kind_order], dues[(kinds[kind_order].kind, pk)], self.today, left, end)
            for _due, kind_order, pk in wanted
        ]
        return rows


EXPORT_HEADERS = (
    _("Kind"),
    _("Title"),
    _("Concerns"),
    _("Responsible"),
    _("Due"),
    _("Working days left"),
    _("Overdue"),
    _("Reminders sent"),
)


def export_rows(rows: list[DeadlineRow]) -> Iterable[list[Any]]:
    for row in rows:
        yield [
            row.kind_label,
            row.title,
            row.concerns,
            row.responsible,
            row.due,
            row.days_left,
            str(_("Yes")) if row.overdue else "",
            row.reminders_sent,
        ]


HOME_DUE_ROWS = 8


def home_due(user: Any) -> dict[str, Any] | None:
    """The workbench's "due from you" for the scoped roles, nearest first (overdue on top): a
    partner's letters to answer, a liaison officer's handovers and rectification items, a
    receiver's feedback. The office's roles have the board itself, and no section here."""
    if may_see_board(user):
        return None
    board = DeadlineBoard(user, DeadlineFilters(), own=True)
    return {"rows": board[0:HOME_DUE_ROWS], "total": board.count()}
