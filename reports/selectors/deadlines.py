"""The deadline board: everything still owed to the office, across the apps, by working days left.

The sources are registered by the apps (core.deadlines): letters awaiting an answer and
transfers awaiting feedback (clues), secondment requests awaiting the home unit (talentpool),
handovers not delivered and open rectification items (liaison). Each reads its model's
`for_user()` and costs a fixed number of queries whatever its size; the working days of all
rows come from one calendar read.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.deadlines import Due, deadline_sources
from core.filters import QueryFilterSet, choice, flag, with_all
from core.roles import Role
from core.workdays import working_days_from
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


def deadlines_for(user: Any, filters: DeadlineFilters | None = None, today: date | None = None) -> list[DeadlineRow]:
    """Everything due that user may see, fewest working days left first (overdue on top)."""
    filters = filters or DeadlineFilters()
    today = today or timezone.localdate()
    if not may_see_board(user):
        return []
    sources = deadline_sources()
    if filters.kind in {source.kind for source in sources}:
        sources = [source for source in sources if source.kind == filters.kind]
    raw = [(source, due) for source in sources for due in source.rows(user, filters.round_id)]
    left = working_days_from(today, [due.due for _source, due in raw])
    rows = [
        DeadlineRow(
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
        )
        for source, due in raw
    ]
    if filters.overdue:
        rows = [row for row in rows if row.overdue]
    if filters.within_days is not None:
        rows = [row for row in rows if row.days_left <= filters.within_days]
    order = {source.kind: source.order for source in sources}
    rows.sort(key=lambda row: (row.due, order[row.kind], row.pk))
    return rows


def deadline_counts(rows: list[DeadlineRow]) -> list[dict[str, Any]]:
    """Per kind: how many are due and how many of them overdue (for the board head and the digest)."""
    return [
        {
            "kind": source.kind,
            "label": source.label,
            "due": sum(1 for row in rows if row.kind == source.kind),
            "overdue": sum(1 for row in rows if row.kind == source.kind and row.overdue),
        }
        for source in deadline_sources()
    ]


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
