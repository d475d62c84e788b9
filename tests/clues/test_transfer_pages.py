"""The transfer ledger's and a transfer's page's counts come from counters (clues.tallies) equal to
a recount of the letters' clues after every kind of write; a transfer's clues are listed in keyset
pages that never skip or repeat one, in a number of queries that does not grow with the letter."""

import re
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from clues import tallies
from clues.models import Clue, ClueTransfer, ClueTransferItem, Receiver
from clues.selectors.transfers import NO_FEEDBACK, TransferFilters, transfer_board, transfer_counts
from clues.services import dispositions, transfers
from clues.views import transfers as transfer_views
from tests.clues.lifecycle import RECEIVED_AT, proposed, received, step, transfer
from tests.helpers import logged_in, page_queries

pytestmark = pytest.mark.django_db

OPEN = (Clue.Status.TRANSFERRED, *Clue.WITH_RECEIVER)


def _recounted() -> dict[int, Counter[str]]:
    """Each transfer's clues per status, counted from its items (what the pages counted before)."""
    counts: dict[int, Counter[str]] = {}
    for row in ClueTransferItem.objects.values("transfer_id", "clue__status").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["transfer_id"], Counter())[row["clue__status"]] += row["n"]
    return counts


def assert_counts_equal_a_recount(world) -> None:
    assert tallies.differences() == []
    recounted = _recounted()
    for transfer_ in ClueTransfer.objects.all():
        assert transfer_counts(transfer_) == dict(recounted.get(transfer_.pk, Counter()))
    board = transfer_board(world.users["office_head"], TransferFilters.from_query({}))
    for row in board:
        clues = recounted.get(row.pk, Counter())
        assert row.clue_count == sum(clues.values())
        assert row.open_count == sum(n for status, n in clues.items() if status in OPEN)
        assert row.no_feedback_count == sum(n for status, n in clues.items() if status in NO_FEEDBACK)


def test_the_counts_equal_a_recount_after_every_kind_of_write(world):
    receiver = world.users["commission_receiver"]
    clues = [proposed(world) for _ in range(6)]
    sent = transfer(world, clues)  # approve and send
    assert_counts_equal_a_recount(world)
    transfers.acknowledge_receipt(transfer=sent, by=receiver, now=RECEIVED_AT)
    assert_counts_equal_a_recount(world)
    talk, verify, defer, close, conclude, keep = (Clue.objects.get(pk=c.pk) for c in clues)
    step(world, talk, "talk_or_letter_inquiry")
    verify = step(world, verify, "preliminary_verification")
    step(world, defer, "deferred")
    step(world, close, "closed_no_action")
    assert_counts_equal_a_recount(world)
    dispositions.open_case(clues=[verify], by=receiver, case_number="C-9", filed_at=date(2018, 1, 5), subjects=["甲"])
    assert_counts_equal_a_recount(world)
    conclude = step(world, conclude, "talk_or_letter_inquiry")
    dispositions.conclude(clue=conclude, by=receiver, outcome="closed_minor", outcome_date=date(2017, 12, 1))
    assert_counts_equal_a_recount(world)
    # 交办: handed back to the unit and closed by the office.
    jiaoban = received(world, Receiver.INSPECTED_UNIT)
    transfers.record_unit_done(clue=jiaoban, by=world.users["clue_custodian"])
    assert_counts_equal_a_recount(world)
    # A letter's item removed, and a whole letter removed (the admin's repairs).
    ClueTransferItem.objects.get(clue=keep).delete()
    assert_counts_equal_a_recount(world)
    other = ClueTransferItem.objects.get(clue=jiaoban).transfer
    ClueTransferItem.objects.filter(transfer=other).get().delete()
    other.delete()
    assert_counts_equal_a_recount(world)
    assert transfer_counts(sent) == {
        Clue.Status.TALK_OR_LETTER_INQUIRY: 1,
        Clue.Status.CASE_FILED: 1,
        Clue.Status.DEFERRED: 1,
        Clue.Status.CONCLUDED_NO_CASE: 2,
    }


def _letter(world, size: int) -> ClueTransfer:
    """A received transfer of `size` clues of group A, the first under preliminary verification."""
    clues = [proposed(world) for _ in range(size)]
    sent = transfer(world, clues)
    transfers.acknowledge_receipt(transfer=sent, by=world.users["commission_receiver"], now=RECEIVED_AT)
    step(world, Clue.objects.get(pk=clues[0].pk), "preliminary_verification")
    return sent


def _listed(client: Client, url: str) -> list[str]:
    """The clue codes of every page of the transfer's list, following the next links."""
    codes: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        table = html[html.index('id="transfer-items"') :]
        codes += re.findall(r'<a href="/clues/\d+/">([^<]+)</a>', table[: table.index("</table>")])
        found = re.search(r'href="(\?cursor=[^"]+)"\s+rel="next"', html)
        url = f"{url.split('?')[0]}{found.group(1).replace('&amp;', '&')}" if found else ""
    return codes


@pytest.mark.parametrize("who", ["office_head", "leader_a", "commission_receiver"])
def test_the_pages_walk_every_clue_once_in_the_letters_order(world, monkeypatch, who):
    monkeypatch.setattr(transfer_views, "TRANSFER_ITEMS_PER_PAGE", 3)
    sent = _letter(world, 8)
    expected = sorted(sent.items.values_list("clue__code", flat=True))
    assert _listed(logged_in(world.users[who]), reverse("clues:transfer-detail", args=[sent.pk])) == expected


def test_the_pages_run_a_fixed_number_of_queries_whatever_the_letters_size(world, monkeypatch):
    monkeypatch.setattr(transfer_views, "TRANSFER_ITEMS_PER_PAGE", 3)
    # Both past one page: a list that fits its first page counts nothing (core.pagination).
    small, large = _letter(world, 4), _letter(world, 9)
    for who in ("office_head", "leader_a", "commission_receiver"):
        queries = {
            sent.pk: (
                page_queries(world.users[who], reverse("clues:transfer-detail", args=[sent.pk])),
                page_queries(world.users[who], reverse("clues:transfer-list")),
            )
            for sent in (small, large)
        }
        assert queries[large.pk][0] == queries[small.pk][0], who
        assert queries[large.pk][1] == queries[small.pk][1], who


def test_the_page_shows_the_counts_of_the_whole_letter(world, monkeypatch):
    monkeypatch.setattr(transfer_views, "TRANSFER_ITEMS_PER_PAGE", 3)
    sent = _letter(world, 5)
    response = logged_in(world.users["office_head"]).get(reverse("clues:transfer-detail", args=[sent.pk]))
    counts = response.content.decode().split('id="transfer-counts"')[1].split("</dd>")[0]
    shown = " ".join(counts.split(">", 1)[1].split())
    by_status = "、".join(f"{label} {n}" for label, n in response.context["status_counts"])
    assert shown == f"5：{by_status}"
    assert sum(n for _label, n in response.context["status_counts"]) == 5
    assert len(response.context["page_obj"]) == 3


def test_a_cursor_opens_no_transfer_the_user_may_not_see(world, monkeypatch):
    monkeypatch.setattr(transfer_views, "TRANSFER_ITEMS_PER_PAGE", 1)
    mine = _letter(world, 2)
    head = logged_in(world.users["office_head"])
    cursor = head.get(reverse("clues:transfer-detail", args=[mine.pk])).context["page_obj"].next_cursor
    for who in ("member_b", "orgdept_receiver"):
        response = logged_in(world.users[who]).get(reverse("clues:transfer-detail", args=[mine.pk]), {"cursor": cursor})
        assert response.status_code == 404, who
