"""The dashboard's and the funnel's counters (clues.tallies, issue 16 item 3) equal a full recount
after every kind of write that moves a clue, on SQLite and PostgreSQL, under concurrent moves too."""

import threading
from collections import Counter
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from clues import tallies
from clues.models import Clue, ClueTally, Receiver
from clues.selectors.funnel import DIMENSIONS, funnel, funnel_by
from clues.selectors.registry import transferred_clues
from clues.services import dispositions, importing, replies, screening, transfers
from core.records import run_record_checks
from reports.selectors import dashboard
from tests.clues.lifecycle import handed, proposed, received, register, step, transfer
from tests.clues.test_replies import good_rows, workbook
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db


def assert_counted() -> None:
    """The counters hold what a recount finds, and the figures read from them are the clues' own."""
    assert tallies.differences() == []
    assert funnel() == funnel(transferred_clues())
    assert [row for row in run_record_checks() if row.check == "clue_counters"] == []


def test_every_kind_of_move_keeps_the_counters_equal_to_a_recount(world):
    custodian = world.users["clue_custodian"]
    first = register(world, categories=["integrity", "work"])
    assert_counted()
    assert tallies.held()[(tallies.MAIN, _main_key(first))] == 1
    screening.screen(clue=first, by=custodian, grade="A")
    assert_counted()
    screening.mark_duplicate(clue=register(world), of=first, by=custodian)
    assert_counted()
    screening.mark_out_of_scope(clue=register(world), by=custodian, reason="不属于巡察范围")
    assert_counted()
    handed(world)
    assert_counted()
    clue = proposed(world)
    assert_counted()
    transfer(world, [clue])
    assert_counted()
    assert funnel().transferred == 1
    for kind in ("talk_or_letter_inquiry", "preliminary_verification", "deferred"):
        clue = step(world, received(world), kind)
        assert_counted()
    step(world, received(world), "closed_no_action")
    assert_counted()
    case = step(world, received(world), "preliminary_verification")
    dispositions.open_case(
        clues=[case],
        by=world.users["commission_receiver"],
        case_number="C-1",
        filed_at=date(2018, 1, 5),
        subjects=["甲"],
    )
    assert_counted()
    concluded = step(world, received(world), "talk_or_letter_inquiry")
    dispositions.conclude(
        clue=concluded, by=world.users["commission_receiver"], outcome="closed_minor", outcome_date=date(2017, 12, 1)
    )
    assert_counted()
    # 交办: transferred back to the unit, which counts nowhere in the funnel, then closed by it.
    jiaoban = received(world, Receiver.INSPECTED_UNIT)
    transfers.record_unit_done(clue=jiaoban, by=custodian)
    assert_counted()
    received(world, Receiver.ORGANIZATION_DEPT)
    assert_counted()
    assert (funnel().transferred, funnel().concluded, funnel().filed) == (8, 3, 1)
    # An edit of the fields the counters are keyed by, and a removal.
    edited = register(world)
    edited.categories = ["work"]
    edited.save()
    assert_counted()
    register(world).delete()
    assert_counted()


def _main_key(clue: Clue) -> tuple:
    return (clue.inspection_round_id, clue.assigned_group_id, 0, clue.source_type, clue.status, False)


def test_an_imported_workbook_is_counted_when_committed(world, sent):
    batch = replies.upload_workbook(
        letter=sent["x"], by=world.users["partner_x"], upload=workbook(good_rows(3)), name="a.xlsx"
    )
    before = tallies.clue_count(source_type=Clue.SourceType.PARTNER_LETTER)
    assert importing.commit_batch(batch=batch, by=None) == 3
    assert tallies.clue_count(source_type=Clue.SourceType.PARTNER_LETTER) == before + 3
    assert_counted()


def test_the_dashboard_and_the_funnel_read_the_same_numbers_as_a_count_of_the_clues(world):
    step(world, received(world), "closed_no_action")
    received(world)
    register(world, categories=["integrity", "personnel_selection"])
    board = dashboard.dashboard(world.round)
    live = Clue.objects.filter(inspection_round=world.round).exclude(status=Clue.Status.DUPLICATE)
    assert sum(n for *_x, n in board.by_source) == live.count()
    assert {code: n for code, _label, n in board.by_category}["integrity"] == live.count()
    assert board.round_funnel == funnel(transferred_clues().filter(inspection_round=world.round))
    for dimension in DIMENSIONS:
        assert sum(row.funnel.transferred for row in funnel_by(dimension)) == funnel().transferred


def test_check_records_lists_a_counter_that_drifted_and_a_rebuild_mends_it(world):
    received(world)
    ClueTally.objects.filter(transferred=True, n=1).update(n=5)
    problems = [row.message for row in run_record_checks() if row.check == "clue_counters"]
    assert len(problems) == 1
    assert "clues_cluetally" in problems[0]
    tallies.rebuild()
    assert_counted()


def test_a_tracked_write_inside_another_is_counted_once(world):
    clue = register(world)
    with tallies.tracking([clue.pk]):
        screening.screen(clue=clue, by=world.users["clue_custodian"], grade="B")
    assert_counted()
    assert sum(tallies.held().values()) == sum(tallies.recount().values())


def test_the_funnel_page_runs_a_fixed_number_of_queries_whatever_the_data_size(world):
    client = Client()
    client.force_login(world.users["office_head"])
    url = reverse("clues:funnel")
    received(world)
    small = {dimension: page_queries(client, url, by=dimension) for dimension in DIMENSIONS}
    for _ in range(3):
        step(world, received(world), "closed_no_action")
    received(world, Receiver.ORGANIZATION_DEPT)
    assert {dimension: page_queries(client, url, by=dimension) for dimension in DIMENSIONS} == small


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite holds one writer at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_moves_of_one_bucket_lose_no_count(world):
    """Two transactions screen two clues of the same bucket at once (PostgreSQL: the second waits
    on the counter row the first updated, then adds to the committed count)."""
    clues = [register(world), register(world)]
    first_moved = threading.Event()
    errors: list[BaseException] = []

    def screen(clue: Clue, *, first: bool) -> None:
        try:
            if not first:
                first_moved.wait(10)
            with transaction.atomic():
                screening.screen(clue=clue, by=world.users["clue_custodian"], grade="A")
                if first:
                    first_moved.set()
                    # Hold the counter rows a moment: the other transaction must queue behind them.
                    threading.Event().wait(0.5)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=screen, args=(clues[0],), kwargs={"first": True}),
        threading.Thread(target=screen, args=(clues[1],), kwargs={"first": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert_counted()
    screened = Counter({key: n for key, n in tallies.held().items() if key[0] == tallies.MAIN})
    assert screened[(tallies.MAIN, _main_key(Clue.objects.get(pk=clues[0].pk)))] == 2
