"""The office's view of everything it transferred: receipt, feedback, what is still open."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clues.models import Clue, ClueTransfer, ClueTransferItem, ClueTransferTally
from core.filters import QueryFilterSet, choice, with_all
from core.permissions import row_visible
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
# A transfer's clues in the letter's order, on the index transfer_item_page_idx.
TRANSFER_ITEMS_ORDER = ("pk",)


def _clues_counted(*statuses: str) -> Coalesce:
    """A transfer's clues (in `statuses`, or all) from its counter rows (clues.tallies), in a
    correlated subquery on their unique key: a few rows read per ledger row, whatever the letter's
    size. Counting its items joined to the clues read every clue of the page's letters at every
    view (issue 16: over a second at 3,400 clues a letter); the counters move in the transaction
    of each write that changes a clue's status or letter."""
    rows = ClueTransferTally.objects.filter(transfer_pk=OuterRef("pk"))
    if statuses:
        rows = rows.filter(status__in=statuses)
    total = rows.order_by().values("transfer_pk").annotate(total=Sum("n")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def transfer_counts(transfer: ClueTransfer) -> dict[str, int]:
    """A transfer's clues per status, from its counter rows (one query); statuses with none left out."""
    rows = ClueTransferTally.objects.filter(transfer_pk=transfer.pk, n__gt=0).values_list("status", "n")
    return dict(rows)


def transfer_items(transfer: ClueTransfer, user: Any) -> QuerySet[ClueTransferItem]:
    """The items of a transfer whose clues the user may see, for keyset pages in TRANSFER_ITEMS_ORDER."""
    # Each item's clue checked as the page reads it (core.permissions.row_visible). Issue 16 at
    # 1M clues: an IN over the clues the user may see hashed every grant of a receiver (165,000)
    # whatever the letter's size, ~0.4 s a page.
    return transfer.items.select_related("clue__inspected_unit__org_unit").filter(row_visible(Clue, user, "clue"))


def transfer_board(user: Any, filters: TransferFilters, today: date | None = None) -> QuerySet[BoardTransfer]:
    """Sent transfers the user may see, each with its clue count, open clues and clues without feedback."""
    filters.today = today or filters.today
    transfers = (
        ClueTransfer.objects.for_user(user)
        .filter(transferred_at__isnull=False)
        .select_related("receiver", "group", "inspection_round")
        .annotate(
            clue_count=_clues_counted(),
            open_count=_clues_counted(Clue.Status.TRANSFERRED, *Clue.WITH_RECEIVER),
            no_feedback_count=_clues_counted(*NO_FEEDBACK),
        )
        .order_by(*TRANSFER_LEDGER_ORDER)
    )
    return filters.filter_queryset(transfers)
