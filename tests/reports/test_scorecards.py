"""The responsiveness scorecards: figures on a small history, exports, permissions, query counts."""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from clues.models import Clue, InfoRequestLetter, LetterReply, PartnerUnit
from clues.services.partners import register_partner
from inspection import services as rounds
from reports.selectors.scorecards import home_unit_scorecard, partner_scorecard
from talentpool.models import SecondmentRequest
from tests.clues.lifecycle import proposed, register, transfer
from tests.conftest import assert_matrix, make_user, role_keys, status_for
from tests.exports import export_rows
from tests.factories import OrganisationFactory, PersonFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SENT_AT = datetime(2017, 8, 3, 10, 0, tzinfo=SHANGHAI)
DEADLINE = date(2017, 8, 10)
TODAY = date(2017, 8, 15)
_numbers = itertools.count(1)


def letter(inspection_round, partner: PartnerUnit, answered_at: datetime | None = None) -> InfoRequestLetter:
    return InfoRequestLetter.objects.create(
        inspection_round=inspection_round,
        partner=partner,
        doc_number=f"示巡办函〔2017〕{next(_numbers)}号",
        title="关于提供被巡察单位有关情况的函",
        body="请提供",
        status=InfoRequestLetter.Status.ANSWERED if answered_at else InfoRequestLetter.Status.SENT,
        sent_at=SENT_AT,
        deadline=DEADLINE,
        answered_at=answered_at,
    )


def reply(sent: InfoRequestLetter, version: int, status: str, *, nil: bool = False) -> LetterReply:
    return LetterReply.objects.create(letter=sent, version=version, status=status, is_nil_return=nil)


def partner_clue(world, partner: PartnerUnit, clue: Clue | None = None, **fields) -> Clue:
    clue = clue or register(world)
    Clue.objects.filter(pk=clue.pk).update(source_type=Clue.SourceType.PARTNER_LETTER, source_partner=partner, **fields)
    return Clue.objects.get(pk=clue.pk)


def secondment(world, home_unit, status: str, decline_code: str = "") -> SecondmentRequest:
    return SecondmentRequest.objects.create(
        inspection_round=world.round,
        person=PersonFactory(home_unit=home_unit),
        home_unit=home_unit,
        status=status,
        decline_code=decline_code,
    )


@pytest.fixture
def history(world):
    """Round 1: X answers on time (late in UTC, on time in Beijing), Y three days late after a
    returned reply, with a nil return. Round 2: X has not answered, five days past the deadline.
    X supplied 3 clues (one duplicate more): 2 transferred, 1 of them filed."""
    x = register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计"])
    y = register_partner(by=None, org_unit=world.partner_y, category="petition", sort_order=2, request_items=["信访"])
    second = rounds.create_round(by=None, committee_term=13, year=2018, round_no=2, title="第二轮")
    x1 = letter(world.round, x, datetime(2017, 8, 10, 23, 30, tzinfo=SHANGHAI))
    reply(x1, 1, LetterReply.Status.ACCEPTED)
    y1 = letter(world.round, y, datetime(2017, 8, 13, 9, 0, tzinfo=SHANGHAI))
    reply(y1, 1, LetterReply.Status.RETURNED)
    reply(y1, 2, LetterReply.Status.ACCEPTED, nil=True)
    letter(second, x)
    sent = [partner_clue(world, x, proposed(world)) for _ in range(2)]
    transfer(world, sent)
    Clue.objects.filter(pk=sent[0].pk).update(status=Clue.Status.CASE_FILED)
    partner_clue(world, x)
    partner_clue(world, x, status=Clue.Status.DUPLICATE)
    # A clue from another source is no partner's.
    register(world)

    busy = OrganisationFactory(name="区住建局", short_name="住建局")
    calm = OrganisationFactory(name="区民政局", short_name="民政局")
    secondment(world, busy, SecondmentRequest.Status.CONFIRMED)
    secondment(world, busy, SecondmentRequest.Status.DECLINED, "workload")
    secondment(world, busy, SecondmentRequest.Status.DECLINED, "staff_shortage")
    # An escalated refusal keeps its reason.
    secondment(world, busy, SecondmentRequest.Status.ESCALATED, "workload")
    secondment(world, calm, SecondmentRequest.Status.CONFIRMED)
    # A draft is not a request yet.
    secondment(world, calm, SecondmentRequest.Status.DRAFT)
    return {"x": x, "y": y, "second": second, "busy": busy, "calm": calm}


def test_partner_figures_per_round(world, history):
    rows = {(s.round_title, s.partner_name): s for s in partner_scorecard(today=TODAY)}
    assert list(rows) == [("第二轮", "协作单位X"), ("第一轮", "协作单位X"), ("第一轮", "协作单位Y")]
    x1, y1, x2 = rows["第一轮", "协作单位X"], rows["第一轮", "协作单位Y"], rows["第二轮", "协作单位X"]
    assert (x1.letters, x1.on_time, x1.late, x1.overdue, x1.days_late) == (1, 1, 0, 0, 0)
    assert (y1.letters, y1.on_time, y1.late, y1.days_late, y1.max_days_late) == (1, 0, 1, 3, 3)
    assert (y1.returned, y1.nil_returns) == (1, 1)
    assert (x1.returned, x1.nil_returns) == (0, 0)
    assert (x2.letters, x2.on_time, x2.late, x2.overdue, x2.days_late) == (1, 0, 0, 1, 5)
    assert (x1.clues, x1.transferred, x1.filed) == (3, 2, 1)
    assert (y1.clues, x2.clues) == (0, 0)


def test_the_round_filter_keeps_one_round(world, history):
    rows = partner_scorecard(history["second"].pk, today=TODAY)
    assert [(s.round_title, s.partner_name) for s in rows] == [("第二轮", "协作单位X")]
    assert home_unit_scorecard(history["second"].pk) == []


def test_home_units_refusals_by_reason(world, history):
    busy, calm = home_unit_scorecard()
    assert (busy.home_unit, busy.requests, busy.refusals) == ("住建局", 4, 3)
    assert busy.by_reason == {"workload": 2, "staff_shortage": 1}
    assert busy.reason_counts() == [2, 1, 0, 0, 0, 0]
    assert (calm.home_unit, calm.requests, calm.refusals, calm.by_reason) == ("民政局", 1, 0, {})


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return export_rows(response.content)


def test_exports_hold_what_the_page_shows(world, history, office_client):
    page = office_client.get(reverse("reports:scorecards"), {"round": world.round.pk})
    partners = _sheet(office_client.get(reverse("reports:partner-scorecard-xlsx"), {"round": world.round.pk}))
    shown = page.context["partners"]
    assert len(partners) == 1 + len(shown) == 3
    assert partners[2][:3] == ("第一轮", "协作单位Y", 1)
    assert (partners[2][4], partners[2][6], partners[2][8:10]) == (1, 3, (1, 1))
    assert partners[1][10:] == (3, 2, 1)
    units = _sheet(office_client.get(reverse("reports:home-unit-scorecard-xlsx")))
    assert units[1][:5] == ("住建局", 4, 3, 2, 1)
    assert len(units) == 3


def test_exports_escape_formula_like_names(world, history, office_client):
    OrganisationFactory(name="=HYPERLINK(1)", short_name="")
    unit = OrganisationFactory(name="=1+1", short_name="")
    secondment(world, unit, SecondmentRequest.Status.DECLINED, "other")
    rows = _sheet(office_client.get(reverse("reports:home-unit-scorecard-xlsx")))
    assert ("'=1+1", 1, 1) in [row[:3] for row in rows]


@pytest.mark.parametrize(
    "name", ["reports:scorecards", "reports:partner-scorecard-xlsx", "reports:home-unit-scorecard-xlsx"]
)
def test_scorecards_are_for_the_office_and_the_leading_group(world, history, name):
    url = reverse(name)
    assert_matrix(world, url, role_keys("office_head", "office_staff"))
    viewer = make_user("viewer", "leading_group_viewer")
    assert status_for(viewer, url) == 200
    assert status_for(make_user("pools", "pool_manager"), url) == 404
    assert status_for(make_user("admin_it", "system_admin"), url) == 404


def _grow(world, count: int) -> None:
    """count more partners, each with an answered letter, a returned reply and a clue; count more home units."""
    for _ in range(count):
        n = next(_numbers)
        partner = register_partner(
            by=None, org_unit=OrganisationFactory(name=f"协作单位{n}"), category="other", sort_order=n, request_items=[]
        )
        sent = letter(world.round, partner, datetime(2017, 8, 12, 9, 0, tzinfo=SHANGHAI))
        reply(sent, 1, LetterReply.Status.RETURNED)
        reply(sent, 2, LetterReply.Status.PENDING, nil=True)
        partner_clue(world, partner)
        secondment(world, OrganisationFactory(name=f"派出单位{n}"), SecondmentRequest.Status.DECLINED, "key_task")


def test_the_page_and_exports_do_not_grow_with_their_rows(world):
    head = world.users["office_head"]

    def measure() -> dict[str, int]:
        return {
            name: page_queries(head, reverse(f"reports:{name}"))
            for name in ("scorecards", "partner-scorecard-xlsx", "home-unit-scorecard-xlsx")
        }

    _grow(world, 2)
    few = measure()
    _grow(world, 8)
    many = measure()
    assert many == few
    assert len(partner_scorecard()) == 10
