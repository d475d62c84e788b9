"""Every clue page runs the same number of queries at 2 rows as at 10 (no query per row)."""

import pytest
from django.urls import reverse

from clues.models import Clue, ClueTransfer
from clues.services import transfers
from tests.clues.lifecycle import RECEIVED_AT, handed, step, transfer
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db


def _grow(world, count: int) -> list[Clue]:
    """count clues of group A, transferred together and received, each with a disposition step."""
    clues = [handed(world) for _ in range(count)]
    for clue in clues:
        transfers.record_assessment(
            clue=clue,
            by=world.users["leader_a"],
            conclusion="recommend_transfer",
            recommended_receiver="discipline_commission",
        )
    sent = transfer(world, clues)
    transfers.acknowledge_receipt(transfer=sent, by=world.users["commission_receiver"], now=RECEIVED_AT)
    return [step(world, Clue.objects.get(pk=c.pk), "talk_or_letter_inquiry") for c in clues]


def test_the_pages_do_not_grow_with_their_rows(world):
    def measure() -> dict[str, int]:
        sent = ClueTransfer.objects.first()
        clue = Clue.objects.order_by("pk").first()
        return {
            "registry": page_queries(world.users["clue_custodian"], reverse("clues:clue-list")),
            "registry for a member": page_queries(world.users["member_a"], reverse("clues:clue-list")),
            "search": page_queries(world.users["office_head"], reverse("clues:clue-list"), q="反映其"),
            "detail": page_queries(world.users["office_head"], reverse("clues:clue-detail", args=[clue.pk])),
            "transfers": page_queries(world.users["office_head"], reverse("clues:transfer-list")),
            "transfer": page_queries(
                world.users["commission_receiver"], reverse("clues:transfer-detail", args=[sent.pk])
            ),
            "funnel": page_queries(world.users["office_head"], reverse("clues:funnel"), by="group"),
        }

    _grow(world, 2)
    few = measure()
    _grow(world, 8)
    many = measure()
    assert many == few
