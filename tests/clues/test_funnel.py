"""The conversion funnel (docs/domain.md §4.1 #9–12): definitions, breakdowns, drill-down, meeting flags."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from clues.models import Receiver
from clues.selectors.funnel import funnel, funnel_by, meetings_missing_office_head
from clues.services import dispositions, transfers
from clues.templatetags.clue_funnel import percent
from core.statistics import compute_all
from tests.clues.lifecycle import received, step
from tests.exports import export_rows

pytestmark = pytest.mark.django_db


def _case(world, clue, number):
    clue = step(world, clue, "preliminary_verification")
    dispositions.open_case(
        clues=[clue],
        by=world.users["commission_receiver"],
        case_number=number,
        filed_at=date(2018, 1, 5),
        subjects=["甲"],
    )
    return clue


def _concluded(world, clue):
    clue = step(world, clue, "talk_or_letter_inquiry")
    dispositions.conclude(
        clue=clue, by=world.users["commission_receiver"], outcome="closed_minor", outcome_date=date(2017, 12, 1)
    )
    return clue


@pytest.fixture
def history(world):
    """Five transferred clues: 1 filed, 2 concluded without case (one 予以了结), 1 deferred, 1 just received;
    plus one 交办 clue closed by its unit, which counts nowhere."""
    _case(world, received(world), "C-1")
    _concluded(world, received(world))
    step(world, received(world), "closed_no_action")
    step(world, step(world, received(world), "preliminary_verification"), "deferred", date(2017, 12, 2))
    received(world)
    jiaoban = received(world, Receiver.INSPECTED_UNIT)
    transfers.record_unit_done(clue=jiaoban, by=world.users["clue_custodian"])
    return world


def test_the_four_reported_numbers_follow_their_definitions(history):
    figures = funnel()
    assert (figures.transferred, figures.concluded, figures.filed) == (5, 3, 1)
    assert figures.conversion_rate == Decimal("0.3333")  # filed ÷ concluded, not ÷ transferred
    assert figures.transfer_to_case_rate == Decimal("0.2000")
    assert (figures.unconcluded, figures.concluded_without_case) == (2, 2)
    stats = compute_all()
    assert stats["transferred_clue_count"] == 5
    assert stats["concluded_clue_count"] == 3
    assert stats["case_filed_count"] == 1
    assert stats["case_conversion_rate"] == pytest.approx(0.3333)


def test_a_case_absorbing_two_clues_counts_two(world):
    first = step(world, received(world), "preliminary_verification")
    second = step(world, received(world), "preliminary_verification")
    dispositions.open_case(
        clues=[first, second], by=world.users["commission_receiver"], case_number="C-2",
        filed_at=date(2018, 1, 5), subjects=["甲", "乙"],
    )  # fmt: skip
    assert funnel().filed == 2


def test_nothing_transferred_gives_no_rate_rather_than_a_division_error(world):
    assert funnel().conversion_rate is None
    assert compute_all()["case_conversion_rate"] is None


def test_the_report_s_figures_round_half_up():
    assert percent(Decimal("0.2434")) == "24%"
    assert percent(Decimal("0.2434"), 1) == "24.3%"
    assert percent(Decimal("0.8785"), 1) == "87.9%"
    assert percent(Decimal("0.1250")) == "13%"
    assert percent(None) == "—"


def test_breakdowns_add_up_to_the_total(history):
    for dimension in ("round", "group", "partner", "receiver"):
        rows = funnel_by(dimension)
        assert sum(r.funnel.transferred for r in rows) == 5, dimension
        assert sum(r.funnel.filed for r in rows) == 1, dimension
    (by_receiver,) = funnel_by("receiver")
    assert by_receiver.label == history.commission.short_name or by_receiver.label == str(history.commission)
    (other,) = funnel_by("partner")
    assert other.key is None  # registered by hand: "other sources"


def test_each_number_drills_down_to_the_same_clues(history):
    client = Client()
    client.force_login(history.users["clue_custodian"])
    expected = {"transferred": 5, "concluded": 3, "filed": 1, "unconcluded": 2}
    for stage, count in expected.items():
        response = client.get(reverse("clues:clue-list"), {"funnel": stage})
        assert response.context["page_obj"].paginator.count == count, stage
    by_partner = client.get(reverse("clues:clue-list"), {"funnel": "transferred", "partner": "none"})
    assert by_partner.context["page_obj"].paginator.count == 5


def test_a_meeting_on_inspection_clues_without_the_office_head_is_flagged(world):
    clue = received(world)
    common = {"by": world.users["commission_receiver"], "commission": world.commission, "clues": [clue]}
    attended = dispositions.record_meeting(
        date=date(2017, 11, 2), session_no="2017-20", office_head_invited=True, office_head_attended=True, **common
    )
    missed = dispositions.record_meeting(
        date=date(2017, 12, 2), session_no="2017-24", office_head_invited=True, office_head_attended=False, **common
    )
    uninvited = dispositions.record_meeting(
        date=date(2018, 1, 2), session_no="2018-01", office_head_invited=False, office_head_attended=False, **common
    )
    assert set(meetings_missing_office_head()) == {missed, uninvited}
    assert attended not in meetings_missing_office_head()
    client = Client()
    client.force_login(world.users["office_head"])
    body = client.get(reverse("clues:funnel")).content.decode()
    assert "2017-24" in body
    assert "2018-01" in body
    assert "2017-20" not in body


def test_stats_json_prints_the_funnel(history, capsys):
    from django.core.management import call_command

    call_command("stats", "--json")
    out = capsys.readouterr().out
    assert '"transferred_clue_count": 5' in out
    assert '"case_filed_count": 1' in out


def test_a_deferred_clue_stays_out_of_the_concluded_count(world):
    clue = step(world, step(world, received(world), "preliminary_verification"), "deferred", date(2017, 12, 2))
    assert funnel().concluded == 0
    dispositions.conclude(
        clue=step(world, clue, "preliminary_verification", date(2018, 1, 2)),
        by=world.users["commission_receiver"], outcome="closed_untrue", outcome_date=date(2018, 2, 1),
    )  # fmt: skip
    assert funnel().concluded == 1


def test_meetings_export_for_the_head_and_the_commission(world):

    from tests.conftest import assert_matrix, role_keys

    clue = received(world)
    dispositions.record_meeting(
        by=world.users["commission_receiver"], commission=world.commission, date=date(2017, 12, 2), session_no="2017-24",
        office_head_invited=True, office_head_attended=False, clues=[clue],
    )  # fmt: skip
    url = reverse("clues:meeting-export")
    assert_matrix(world, url, role_keys("office_head", "commission_receiver"))
    client = Client()
    client.force_login(world.users["office_head"])
    rows = export_rows(client.get(url).content)
    assert rows[1][0] == "2017-24"
    assert rows[1][2] == 1
    assert rows[1][4] == "否"
