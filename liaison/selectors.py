"""Reads of the rectification ledger shared by the pages, the export and the statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from inspection.models import InspectedUnit, InspectionRound
from liaison.models import FeedbackProblem, RectificationItem


class _LedgerFlags(TypedDict):
    evidence_count: int
    is_overdue: bool


class _UnitCounts(TypedDict):
    n_items: int
    n_signed_off: int
    n_rectified: int
    n_overdue: int
    n_on_time: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A row of ledger_items(), with what it annotates.
    LedgerItem = WithAnnotations[RectificationItem, _LedgerFlags]

Status = RectificationItem.Status
RECTIFIED = (Status.SIGNED_OFF, Status.LONG_TERM_MAINTAINED)


def overdue_q(today: date, prefix: str = "") -> Q:
    """docs/domain.md §2.6: not signed off (nor kept as long-term) and past its deadline."""
    return Q(**{f"{prefix}deadline__lt": today}) & ~Q(**{f"{prefix}status__in": RECTIFIED})


def ledger_items(items: QuerySet[RectificationItem], today: date | None = None) -> QuerySet[LedgerItem]:
    """Ledger rows with what each row shows: its problem, evidence count, signer and overdue flag."""
    today = today or timezone.localdate()
    return (
        items.select_related("problem", "signed_off_by")
        .annotate(
            evidence_count=Count("evidence_files", distinct=True),
            is_overdue=Case(
                When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("problem__seq", "seq")
    )


# A unit's ledger in keyset pages of its problems (core.pagination), on problem_seq_unique.
LEDGER_PROBLEMS_ORDER = ("seq", "pk")


def ledger_problem_rows(feedback: Any, today: date | None = None) -> QuerySet[FeedbackProblem]:
    """The feedback's problems for the ledger's keyset pages, each page's problems with their rows
    (two queries a page). Paged by problem, not by item, so a problem's rows stay together under
    it with its "Add an item" form: issue 16 measured 583 ms (p95) drawing 167 items at once."""
    items = ledger_items(RectificationItem.objects.all(), today)
    return feedback.problems.select_related("source_clue").prefetch_related(Prefetch("items", queryset=items))


def ledger_problems(feedback: Any, today: date | None = None) -> list[FeedbackProblem]:
    """The feedback's problems in order, each with its ledger rows (two queries whatever the size)."""
    return list(ledger_problem_rows(feedback, today).order_by(*LEDGER_PROBLEMS_ORDER))


def ledger_summary(feedback: Any, today: date | None = None) -> dict[str, Any]:
    """The whole ledger's items per status and overdue, in one aggregate over the unit's items
    (not from the page's rows): what the office reads before it pages through the problems."""
    today = today or timezone.localdate()
    counts = RectificationItem.objects.filter(problem__feedback=feedback).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in Status.values},
    )
    return {
        "total": counts["total"],
        "overdue": counts["overdue"],
        "by_status": [
            (label, counts[f"status_{value}"]) for value, label in Status.choices if counts[f"status_{value}"]
        ],
    }


@dataclass(frozen=True)
class UnitNumbers:
    unit: InspectedUnit
    items: int
    signed_off: int
    rectified: int
    overdue: int
    signed_off_on_time: int

    @property
    def completion_rate(self) -> float | None:
        """Signed off or long-term maintained, of all items."""
        return self.rectified / self.items if self.items else None

    @property
    def on_time_rate(self) -> float | None:
        """Signed off by the deadline, of those signed off."""
        return self.signed_off_on_time / self.signed_off if self.signed_off else None


def _counts(prefix: str, today: date) -> dict[str, Any]:
    status = f"{prefix}status"
    return {
        "n_items": Count(f"{prefix}pk", distinct=True),
        "n_signed_off": Count(f"{prefix}pk", filter=Q(**{status: Status.SIGNED_OFF}), distinct=True),
        "n_rectified": Count(f"{prefix}pk", filter=Q(**{f"{status}__in": RECTIFIED}), distinct=True),
        "n_overdue": Count(f"{prefix}pk", filter=overdue_q(today, prefix), distinct=True),
        "n_on_time": Count(
            f"{prefix}pk",
            filter=Q(**{status: Status.SIGNED_OFF, f"{prefix}signed_off_at__date__lte": F(f"{prefix}deadline")}),
            distinct=True,
        ),
    }


def unit_numbers(units: QuerySet[InspectedUnit], today: date | None = None) -> list[UnitNumbers]:
    """Per unit: items, signed off, overdue, completion and on-time rates (one query)."""
    today = today or timezone.localdate()
    # The counts come from a dict of expressions (shared with the totals), which the type
    # checker cannot read; _UnitCounts names them.
    rows = cast(
        "QuerySet[WithAnnotations[InspectedUnit, _UnitCounts]]",
        units.select_related("org_unit", "group")
        .annotate(**_counts("feedback__problems__items__", today))
        .order_by("group__number", "org_unit__name"),
    )
    return [UnitNumbers(u, u.n_items, u.n_signed_off, u.n_rectified, u.n_overdue, u.n_on_time) for u in rows]


def unit_totals(units: list[UnitNumbers]) -> dict[str, int]:
    """item_totals of the units' items, summed from their rows: each item belongs to one unit."""
    return {
        "n_items": sum(u.items for u in units),
        "n_signed_off": sum(u.signed_off for u in units),
        "n_rectified": sum(u.rectified for u in units),
        "n_overdue": sum(u.overdue for u in units),
        "n_on_time": sum(u.signed_off_on_time for u in units),
    }


def item_totals(items: QuerySet[RectificationItem], today: date | None = None) -> dict[str, int]:
    """The same counts over any set of items (a round, everything)."""
    totals = items.aggregate(**_counts("", today or timezone.localdate()))
    return {key: value or 0 for key, value in totals.items()}


def round_items(inspection_round: InspectionRound) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(problem__feedback__inspected_unit__inspection_round=inspection_round)
