"""The deadline board (reports/selectors/deadlines.py): every kind with its working days left, only what the
user may see, filters, the export and a query count that does not grow with the rows.

Today is Thursday 2017-09-28. Saturday 09-30 is a make-up workday and 10-01..10-08 the National
Day holiday, so 10-09 is three working days away although eleven calendar days.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from clues.models import ClueTransfer, InfoRequestLetter, PartnerUnit
from core.models import Job, Organisation, Reminder
from inspection import services as rounds
from liaison.models import Feedback, FeedbackProblem, HandoverRecord, RectificationItem
from reports.selectors.deadlines import DeadlineFilters, deadlines_for
from talentpool.models import SecondmentRequest
from tests.clues.lifecycle import proposed, transfer
from tests.conftest import World, assert_matrix, make_user
from tests.exports import export_rows
from tests.factories import PersonFactory
from tests.helpers import page_queries, through_job
from tests.liaison.ledger_fixtures import appoint

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2017, 9, 28, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
_counter = iter(range(1, 10_000))


@dataclass
class Board:
    letter: InfoRequestLetter
    secondment: SecondmentRequest
    handover: HandoverRecord
    transfer: ClueTransfer
    item: RectificationItem


def sent_reminders(target: Any, count: int) -> None:
    ct = ContentType.objects.get_for_model(target)
    for n in range(count):
        Reminder.objects.create(
            target_type=ct, target_id=str(target.pk), kind=f"x.{n}", due_at=NOW, status=Reminder.Status.SENT
        )
    # A pending reminder has not been sent: never counted.
    Reminder.objects.create(target_type=ct, target_id=str(target.pk), kind="y", due_at=NOW)


def add_letter(world: World, deadline: date, inspection_round: Any = None, **fields: Any) -> InfoRequestLetter:
    partner, _ = PartnerUnit.objects.get_or_create(org_unit=world.partner_x, defaults={"category": "audit"})
    values = {"kind": InfoRequestLetter.Kind.SUPPLEMENTARY, "status": InfoRequestLetter.Status.SENT, **fields}
    return InfoRequestLetter.objects.create(
        inspection_round=inspection_round or world.round,
        partner=partner,
        title="提供有关情况的函",
        body="请提供",
        deadline=deadline,
        doc_number=f"示巡办函〔2017〕{next(_counter)}号",
        **values,
    )


def add_secondment(world: World, due: date, **fields: Any) -> SecondmentRequest:
    home, _ = Organisation.objects.get_or_create(name="区人社局", defaults={"unit_type": "gov_dept"})
    return SecondmentRequest.objects.create(
        inspection_round=world.round,
        group=world.group_a,
        person=PersonFactory(name=f"干部{next(_counter)}", home_unit=home),
        home_unit=home,
        response_due=due,
        status=fields.pop("status", SecondmentRequest.Status.REQUESTED),
        **fields,
    )


def add_handover(world: World, due: date, **fields: Any) -> HandoverRecord:
    return HandoverRecord.objects.create(
        inspected_unit=fields.pop("inspected_unit", world.unit_a),
        requested_by=world.users["leader_a"],
        requested_at=NOW,
        item=f"会议纪要{next(_counter)}",
        category=HandoverRecord.Category.MINUTES,
        due_at=due,
        **fields,
    )


def add_item(world: World, deadline: date, **fields: Any) -> RectificationItem:
    feedback, _ = Feedback.objects.get_or_create(
        inspected_unit=world.unit_a, defaults={"status": Feedback.Status.DELIVERED, "meeting_date": date(2017, 6, 1)}
    )
    problem, _ = FeedbackProblem.objects.get_or_create(
        feedback=feedback, seq=1, defaults={"category": "作风建设", "description": "公务接待超标准"}
    )
    return RectificationItem.objects.create(
        problem=problem,
        seq=next(_counter),
        measure="建立健全公务接待制度",
        responsible_leader="张书记",
        lead_department="办公室",
        responsible_person="李主任",
        rectification_type=RectificationItem.Type.TIME_BOUND,
        deadline=deadline,
        **fields,
    )


def add_transfer(world: World, due: date) -> ClueTransfer:
    sent = transfer(world, [proposed(world)])
    ClueTransfer.objects.filter(pk=sent.pk).update(feedback_due=due)
    return ClueTransfer.objects.get(pk=sent.pk)


def make_board(world: World) -> Board:
    """One open deadline of each kind, plus closed ones that must not show."""
    world.users["pool_manager"] = make_user(
        "pool_mgr", "pool_manager", organisation=Organisation.objects.get(name="巡察办")
    )
    appoint(world, world.unit_a, world.users["liaison_a"])
    board = Board(
        letter=add_letter(world, date(2017, 10, 9)),
        secondment=add_secondment(world, date(2017, 9, 30), doc_number="示巡办调〔2017〕1号"),
        handover=add_handover(world, date(2017, 9, 27)),
        transfer=add_transfer(world, date(2017, 10, 10)),
        item=add_item(world, date(2017, 9, 22)),
    )
    sent_reminders(board.letter, 2)
    sent_reminders(board.item, 1)
    # Closed: answered, accepted, delivered, signed off.
    add_letter(world, date(2017, 9, 1), status=InfoRequestLetter.Status.ANSWERED)
    add_secondment(world, date(2017, 9, 1), status=SecondmentRequest.Status.ACCEPTED)
    add_handover(world, date(2017, 9, 1), status=HandoverRecord.Status.DELIVERED)
    add_item(world, date(2017, 9, 1), status=RectificationItem.Status.SIGNED_OFF)
    return board


@pytest.fixture
def board(world: World, time_machine: Any) -> Board:
    time_machine.move_to(NOW, tick=False)
    return make_board(world)


def keys(rows: list[Any]) -> set[tuple[str, int]]:
    return {(row.kind, row.pk) for row in rows}


def test_each_kind_shows_working_days_left_with_holidays_counted(world, board):
    rows = deadlines_for(world.users["office_head"])
    by_kind = {row.kind: row for row in rows}
    assert keys(rows) == {
        ("letter", board.letter.pk),
        ("secondment", board.secondment.pk),
        ("handover", board.handover.pk),
        ("transfer", board.transfer.pk),
        ("rectification", board.item.pk),
    }
    assert {kind: row.days_left for kind, row in by_kind.items()} == {
        "letter": 3,  # Fri 29, make-up Sat 30, Mon 10-09: the holiday week does not count
        "secondment": 2,
        "handover": -1,
        "transfer": 4,
        "rectification": -4,
    }
    assert [row.kind for row in rows] == ["rectification", "handover", "secondment", "letter", "transfer"]
    assert {kind for kind, row in by_kind.items() if row.overdue} == {"handover", "rectification"}
    assert by_kind["letter"].reminders_sent == 2
    assert by_kind["rectification"].reminders_sent == 1
    assert by_kind["transfer"].reminders_sent == 0  # its planned reminders are still pending
    assert by_kind["handover"].responsible == "liaison_a"  # the unit's current liaison officer
    assert by_kind["rectification"].responsible == "李主任 / 办公室"
    assert by_kind["secondment"].responsible == "区人社局"
    assert by_kind["letter"].url == reverse("clues:letter-detail", args=[board.letter.pk])


def test_each_role_sees_only_its_part_of_the_board(world, board):
    everything = {
        ("letter", board.letter.pk),
        ("secondment", board.secondment.pk),
        ("handover", board.handover.pk),
        ("transfer", board.transfer.pk),
        ("rectification", board.item.pk),
    }
    expected = {
        "office_head": everything,
        # Office staff see transfers as counts only; handovers are theirs, clues are not.
        "office_staff": everything - {("transfer", board.transfer.pk)},
        "clue_custodian": {
            ("letter", board.letter.pk),
            ("transfer", board.transfer.pk),
            ("rectification", board.item.pk),
        },
        "pool_manager": {("secondment", board.secondment.pk)},
    }
    for key, user in world.users.items():
        assert keys(deadlines_for(user)) == expected.get(key, set()), key


def test_only_office_roles_may_open_the_board(world, board):
    allowed = dict.fromkeys(("office_head", "office_staff", "clue_custodian", "pool_manager"), 200)
    assert_matrix(world, reverse("reports:deadlines"), allowed)
    assert_matrix(world, reverse("reports:deadlines-xlsx"), allowed)


def test_the_page_lists_the_rows_and_links_them(world, board):
    client = Client()
    client.force_login(world.users["office_staff"])
    page = client.get(reverse("reports:deadlines")).content.decode()
    assert reverse("liaison:item-detail", args=[board.item.pk]) in page
    assert reverse("talentpool:secondment-detail", args=[board.secondment.pk]) in page
    assert reverse("clues:transfer-detail", args=[board.transfer.pk]) not in page


def test_the_filters_narrow_the_board(world, board):
    head = world.users["office_head"]

    def kinds(**query: str) -> list[str]:
        return sorted(row.kind for row in deadlines_for(head, DeadlineFilters.from_query(query)))

    assert kinds(kind="letter") == ["letter"]
    assert kinds(overdue="1") == ["handover", "rectification"]
    assert kinds(within="2") == ["handover", "rectification", "secondment"]
    assert kinds(within="0") == ["handover", "rectification"]
    assert kinds(kind="transfer", overdue="1") == []
    assert len(kinds(kind="nonsense")) == 5  # an unknown kind is no filter

    later = rounds.create_round(by=None, committee_term=13, year=2017, round_no=2, title="第二轮")
    other = add_letter(world, date(2017, 10, 9), inspection_round=later)
    assert keys(deadlines_for(head, DeadlineFilters(round=str(later.pk)))) == {("letter", other.pk)}
    assert ("letter", other.pk) not in keys(deadlines_for(head, DeadlineFilters(round=str(world.round.pk))))


def test_the_export_holds_what_the_board_shows(world, board):
    client = Client()
    client.force_login(world.users["office_head"])
    response = client.get(reverse("reports:deadlines-xlsx"), {"overdue": "1"})
    assert response.status_code == 200
    values = export_rows(response.content)
    assert len(values[0]) == 8
    data = values[1:]
    assert [row[1] for row in data] == [f"1.{board.item.seq} 建立健全公务接待制度", board.handover.item]
    item_row, handover_row = data
    assert item_row[3] == "李主任 / 办公室"
    assert item_row[4].date() == date(2017, 9, 22)
    assert (item_row[5], item_row[7]) == (-4, 1)
    assert (handover_row[2], handover_row[3], handover_row[5]) == ("被巡察单位A", "liaison_a", -1)


def _grow(world: World, count: int) -> None:
    for n in range(count):
        sent_reminders(add_letter(world, date(2017, 10, 9 + n % 3)), 1)
        sent_reminders(add_secondment(world, date(2017, 9, 29)), 1)
        sent_reminders(add_handover(world, date(2017, 9, 20 + n)), 1)
        sent_reminders(add_item(world, date(2017, 11, 1 + n)), 1)
        add_transfer(world, date(2017, 12, 1 + n))
        # Another unit with its own officer: the officers' lookup stays one query.
        add_handover(world, date(2017, 10, 9), inspected_unit=world.unit_b)


def test_the_board_does_not_grow_queries_with_its_rows(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    world.users["pool_manager"] = make_user(
        "pool_mgr", "pool_manager", organisation=Organisation.objects.get(name="巡察办")
    )
    appoint(world, world.unit_a, world.users["liaison_a"])
    appoint(world, world.unit_b, make_user("liaison_b", "liaison_officer", organisation=world.unit_b.org_unit))

    def measure() -> dict[str, int]:
        return {
            f"{key} {name}": page_queries(world.users[key], reverse(name))
            for key in ("office_head", "office_staff", "clue_custodian", "pool_manager")
            for name in ("reports:deadlines", "reports:deadlines-xlsx")
        }

    _grow(world, 2)
    few = measure()
    rows = len(deadlines_for(world.users["office_head"]))
    _grow(world, 6)
    many = measure()
    assert len(deadlines_for(world.users["office_head"])) > rows
    assert many == few


def test_a_user_without_a_board_role_gets_no_rows_even_with_grants(world, board):
    # The partner's own letters and the officer's own handovers stay on their own pages.
    assert deadlines_for(world.users["partner_x"]) == []
    assert deadlines_for(world.users["liaison_a"]) == []
    assert deadlines_for(world.users["leader_a"]) == []


def test_the_board_shows_a_page_at_a_time_but_counts_and_exports_everything(world, board, monkeypatch):
    from reports.views import deadlines as views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = Client()
    client.force_login(world.users["office_head"])
    response = client.get(reverse("reports:deadlines"))
    total = len(deadlines_for(world.users["office_head"], DeadlineFilters()))
    assert total > 1
    assert len(response.context["rows"]) == 1
    assert response.context["page_obj"].paginator.count == total
    assert sum(c["due"] for c in response.context["counts"]) == total
    exported = export_rows(client.get(reverse("reports:deadlines-xlsx")).content)
    assert len(exported) - 1 == total


def test_a_large_export_is_made_by_a_background_job_under_the_same_filters(world, board, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    head = world.users["office_head"]
    client = Client()
    client.force_login(head)
    offer = client.get(reverse("reports:deadlines-xlsx"), {"overdue": "1"})
    assert offer.status_code == 200
    assert "开始生成工作簿" in offer.content.decode()  # a link starts nothing: it offers the button
    assert not Job.objects.exists()

    content = through_job(client, reverse("reports:deadlines-xlsx"), {"overdue": "1"})
    job = Job.objects.get()
    assert (job.owner, job.kind, job.args) == (head, "reports.export_deadlines", {"query": "overdue=1"})
    assert (job.progress_done, job.progress_total) == (2, 2)
    values = export_rows(content)
    assert [row[1] for row in values[1:]] == [f"1.{board.item.seq} 建立健全公务接待制度", board.handover.item]


@pytest.mark.parametrize(
    "query",
    [{}, {"kind": "letter"}, {"overdue": "1"}, {"within": "2"}, {"within": "0"}, {"kind": "transfer", "overdue": "1"}],
)
def test_the_paged_board_lists_and_counts_exactly_what_deadlines_for_lists(world, board, query):
    """Issue 16: the board counts per kind in SQL and reads only its page; both must agree with
    the full list (same rows, same order across pages, the same per-kind due and overdue)."""
    from django.core.paginator import Paginator

    from reports.selectors.deadlines import DeadlineBoard, deadline_counts

    head = world.users["office_head"]
    _grow(world, 2)
    filters = DeadlineFilters.from_query(query)
    everything = deadlines_for(head, filters)
    paged = DeadlineBoard(head, filters)
    assert paged.counts() == deadline_counts(everything)
    pages = Paginator(paged, 2)
    assert pages.count == len(everything)
    listed = [row for number in pages.page_range for row in pages.page(number).object_list]
    assert listed == everything
