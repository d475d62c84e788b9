"""The office's view of everything it transferred: receipt, feedback, what is still open."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clues.models import Clue, ClueTransfer, ClueTransferItem
from core.filters import QueryFilterSet, choice, with_all
from inspection.models import InspectionRound

# Clues on which the receiver has not reported anything yet.
NO_FEEDBACK = (Clue.Status.TRANSFERRED, Clue.Status.RECEIVED)
STATES = ("unreceived", "no_feedback", "overdue", "open")


class _TransferCounts(TypedDict):
    clue_count: int
    open_count: int
    no_feedback_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A row of transfer_board(), with its counts.
    BoardTransfer = WithAnnotations[ClueTransfer, _TransferCounts]


class TransferFilters(QueryFilterSet):
    """The transfer ledger's filters (the state needs the board's counts: see transfer_board)."""

    round = choice(_("Round"), method="filter_round")
    receiver_type = choice(_("Receiver type"), ClueTransfer.Receiver.choices, field_name="receiver_type")
    state = choice(
        _("Show"),
        [
            ("unreceived", _("Not yet received")),
            ("no_feedback", _("Awaiting feedback")),
            ("overdue", _("Feedback overdue")),
            ("open", _("With clues not concluded")),
        ],
        all_label=_("All transfers"),
        method="filter_state",
    )

    class Meta:
        model = ClueTransfer
        fields: list[str] = []

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if self.request is not None:
            rounds = InspectionRound.objects.for_user(self.request.user)
            self.form.fields["round"].widget.choices = with_all(lambda: [(r.pk, r.title) for r in rounds])

    def filter_round(self, transfers: QuerySet[ClueTransfer], _name: str, value: str) -> QuerySet[ClueTransfer]:
        return transfers.filter(inspection_round=int(value)) if value.isdigit() else transfers

    def filter_state(self, transfers: QuerySet[BoardTransfer], _name: str, value: str) -> QuerySet[BoardTransfer]:
        if value == "unreceived":
            return transfers.filter(received_at__isnull=True)
        if value == "no_feedback":
            return transfers.filter(no_feedback_count__gt=0)
        if value == "overdue":
            return transfers.filter(no_feedback_count__gt=0, feedback_due__lt=self.today)
        if value == "open":
            return transfers.filter(open_count__gt=0)
        return transfers  # an unknown state is no filter


# The ledger's keyset order (core.pagination), on the index transfer_sent_idx.
TRANSFER_LEDGER_ORDER = ("-transferred_at", "-pk")


def _items_count(**clues: Any) -> Coalesce:
    """A transfer's items (with clues matching) counted in a correlated subquery: PostgreSQL
    computes it for the rows of the page only, where a join with GROUP BY counted every item of
    every transfer first (issue 16: 8 s at 330,000 items). The state filter still counts all."""
    items = (
        ClueTransferItem.objects.filter(transfer=OuterRef("pk"), **clues)
        .order_by()
        .values("transfer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), Value(0))


def transfer_board(user: Any, filters: TransferFilters, today: date | None = None) -> QuerySet[BoardTransfer]:
    """Sent transfers the user may see, each with its clue count, open clues and clues without feedback."""
    filters.today = today or filters.today
    transfers = (
        ClueTransfer.objects.for_user(user)
        .filter(transferred_at__isnull=False)
        .select_related("receiver", "group", "inspection_round")
        .annotate(
            clue_count=_items_count(),
            open_count=_items_count(clue__status__in=(Clue.Status.TRANSFERRED, *Clue.WITH_RECEIVER)),
            no_feedback_count=_items_count(clue__status__in=NO_FEEDBACK),
        )
        .order_by(*TRANSFER_LEDGER_ORDER)
    )
    return filters.filter_queryset(transfers)
