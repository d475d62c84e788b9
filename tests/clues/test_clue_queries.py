"""Every clue page runs the same number of queries at 2 rows as at 10 (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clues.models import Clue, ClueTransfer
from clues.services import transfers
from tests.clues.lifecycle import RECEIVED_AT, handed, step, transfer
from tests.helpers import logged_in, page_queries

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


def test_a_registry_page_reads_only_the_columns_it_shows(world):
    """The allegation, the reported persons and the sealed reporter stay in the database: a page
    of 50 clues loading them cost more than rendering it (clues.selectors.registry.REGISTRY_PAGE_COLUMNS)."""
    _grow(world, 3)
    client = logged_in(world.users["clue_custodian"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("clues:clue-list"))
    assert response.status_code == 200
    assert response.context["page_obj"].object_list, "the page lists the clues"
    clue_selects = [q["sql"] for q in captured.captured_queries if 'FROM "clues_clue"' in q["sql"]]
    assert clue_selects
    for sql in clue_selects:
        for column in ("allegation_detail", "reported_persons", "reporter_name", "reporter_contact"):
            assert f'"clues_clue"."{column}"' not in sql, sql
    rows = response.content.decode()
    for clue in Clue.objects.all():
        assert clue.code in rows
        assert clue.get_status_display() in rows
