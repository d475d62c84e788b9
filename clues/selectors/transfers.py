"""The office's view of everything it transferred: receipt, feedback, what is still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from clues.models import Clue, ClueTransfer

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


@dataclass(frozen=True)
class TransferFilters:
    round: str = ""
    receiver_type: str = ""
    state: str = ""

    @classmethod
    def from_query(cls, query: Any) -> TransferFilters:
        return cls(**{name: query.get(name, "").strip()[:50] for name in cls.__dataclass_fields__})

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.__dict__.items() if v})


def transfer_board(user: Any, filters: TransferFilters, today: date | None = None) -> QuerySet[BoardTransfer]:
    """Sent transfers the user may see, each with its clue count, open clues and clues without feedback."""
    today = today or timezone.localdate()
    transfers = (
        ClueTransfer.objects.for_user(user)
        .filter(transferred_at__isnull=False)
        .select_related("receiver", "group", "inspection_round")
        .annotate(
            clue_count=Count("items", distinct=True),
            open_count=Count(
                "items", filter=Q(items__clue__status__in=(Clue.Status.TRANSFERRED, *Clue.WITH_RECEIVER)), distinct=True
            ),
            no_feedback_count=Count("items", filter=Q(items__clue__status__in=NO_FEEDBACK), distinct=True),
        )
        .order_by("-transferred_at", "-pk")
    )
    if filters.round.isdigit():
        transfers = transfers.filter(inspection_round=int(filters.round))
    if filters.receiver_type:
        transfers = transfers.filter(receiver_type=filters.receiver_type)
    if filters.state == "unreceived":
        transfers = transfers.filter(received_at__isnull=True)
    elif filters.state == "no_feedback":
        transfers = transfers.filter(no_feedback_count__gt=0)
    elif filters.state == "overdue":
        transfers = transfers.filter(no_feedback_count__gt=0, feedback_due__lt=today)
    elif filters.state == "open":
        transfers = transfers.filter(open_count__gt=0)
    return transfers
