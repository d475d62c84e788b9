"""What clues puts on the deadline board (core.deadlines, registered in ready()): letters awaiting
their answer and transfers whose receiver has reported nothing yet."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from clues.models import Clue, ClueTransfer, InfoRequestLetter
from clues.selectors.transfers import NO_FEEDBACK
from core.deadlines import Due, reminders_sent
from core.models import User


def letters_due(user: User, round_id: int | None) -> QuerySet[InfoRequestLetter]:
    rows = InfoRequestLetter.objects.for_user(user).filter(
        status__in=InfoRequestLetter.AWAITING, deadline__isnull=False
    )
    return rows.filter(inspection_round_id=round_id) if round_id else rows


def letter_rows(rows: QuerySet[InfoRequestLetter]) -> Iterator[Due]:
    rows = rows.select_related("partner__org_unit").annotate(sent_count=reminders_sent(InfoRequestLetter))
    for letter in rows:
        if letter.deadline is None:  # none: the filter keeps rows with a date
            continue
        partner = letter.partner.org_unit.display_name
        url = reverse("clues:letter-detail", args=[letter.pk])
        yield Due(letter.pk, str(letter), url, partner, partner, letter.deadline, letter.sent_count)


def transfers_due(user: User, round_id: int | None) -> QuerySet[ClueTransfer]:
    without_feedback = Clue.objects.filter(transfer_items__transfer=OuterRef("pk"), status__in=NO_FEEDBACK)
    rows = (
        ClueTransfer.objects.for_user(user)
        .filter(transferred_at__isnull=False, feedback_due__isnull=False)
        .filter(Exists(without_feedback))
    )
    return rows.filter(inspection_round_id=round_id) if round_id else rows


def transfer_rows(rows: QuerySet[ClueTransfer]) -> Iterator[Due]:
    rows = rows.select_related("receiver", "group").annotate(sent_count=reminders_sent(ClueTransfer))
    for transfer in rows:
        if transfer.feedback_due is None:  # none: the filter keeps rows with a date
            continue
        url = reverse("clues:transfer-detail", args=[transfer.pk])
        concerns = transfer.group.label if transfer.group else transfer.receiver.display_name
        receiver = transfer.receiver.display_name
        yield Due(transfer.pk, str(transfer), url, concerns, receiver, transfer.feedback_due, transfer.sent_count)
