"""The dashboard (issue 7): every docs/domain.md §4.1 figure on the page, in `stats --json`, in the
workbook and in the .docx summary is the same number; access; drill-down; query counts."""

import json
import re
from collections.abc import Iterator
from datetime import date
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from clues.models import Clue, Receiver
from clues.selectors.registry import ClueFilters, clue_registry
from clues.services import dispositions, transfers
from core.documents import document_text
from core.models import User
from core.navigation import nav_items_for
from core.statistics import compute_all
from inspection import services as rounds
from inspection.models import InspectionRound
from inspection.selectors import ROUND_ORDER, rounds_with_shares, seconded_share
from reports.selectors import dashboard
from tests.clues.lifecycle import received, step
from tests.conftest import assert_matrix, make_user, role_keys
from tests.exports import export_rows
from tests.factories import PersonFactory
from tests.helpers import assert_max_queries, demo_seeded, page_queries, through_job

URL = "/dashboard/"


def stats(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def page_values(html: str) -> dict[str, tuple[str, str]]:
    """code → (selected-round cell, overall cell) as the page shows them, links stripped."""
    values = {}
    for code, body in re.findall(r'<tr id="metric-(\w+)".*?>(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td class="num" data-value="\w+">(.*?)</td>', body, re.S)
        values[code] = tuple(re.sub(r"<[^>]+>", "", c).strip() for c in cells)
    return values


# --- on the demo data (docs/domain.md §4.3) -----------------------------------------------------


@pytest.fixture(scope="class")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with demo_seeded(django_db_blocker):
        yield


@pytest.fixture
def seeded(demo: None, db: Any) -> None:
    return None


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def first_round() -> InspectionRound:
    return InspectionRound.objects.order_by("year", "committee_term", "round_no").first()


ROUND_ONE = {
    "partner_unit_count": 12,
    "letters_sent": 12,
    "partner_clue_count": 46,
    "online_opinion_count": 12,
    "inspected_unit_count": 4,
    "liaison_officer_count": 4,
    "transferred_clue_count": 21,
    "concluded_clue_count": 21,
    "case_filed_count": 5,
}
OVERALL = {
    "partner_unit_count": 12,
    "letters_sent": 12,
    "partner_clue_count": 46,
    "online_opinion_count": 12,
    "inspected_unit_count": 4,
    "liaison_officer_count": 4,
    "talent_pool_size": 75,
    "transferred_clue_count": 173,
    "concluded_clue_count": 152,
    "case_filed_count": 37,
    "case_conversion_rate": 0.2434,
    "inspection_cadres_in_case_work": 14,
    "discipline_cadres_in_inspection": 25,
    "pool_count": 2,
    "unconcluded_transferred": 21,
    "concluded_without_case": 115,
    "conclusion_rate": 0.8786,
    "transfer_to_case_rate": 0.2139,
}


@pytest.mark.usefixtures("seeded")
class TestOnTheDemo:
    def test_the_dashboard_figures_are_the_registry_s_and_the_report_s(self) -> None:
        figures = dashboard.figures()
        assert figures == compute_all()
        for code, value in OVERALL.items():
            assert figures[code] == value, code
        assert list(figures["seconded_share"].values()) == [0.5714] * 6

    def test_stats_json_and_round_option_call_the_dashboard_selectors(self) -> None:
        assert stats() == json.loads(json.dumps(dashboard.figures()))
        one = first_round()
        by_round = stats("--round", str(one.pk))
        assert by_round == json.loads(json.dumps(dashboard.figures(one)))
        for code, value in ROUND_ONE.items():
            assert by_round[code] == value, code
        assert by_round["seconded_share"] == {one.title: 0.5714}
        assert by_round["case_conversion_rate"] == 0.2381  # 5 ÷ 21
        for code in dashboard.NOT_BY_ROUND:
            assert code not in by_round

    def test_every_round_s_funnel_adds_up_to_the_total(self) -> None:
        per_round = [dashboard.figures(r) for r in InspectionRound.objects.order_by(*ROUND_ORDER)]
        assert [f["transferred_clue_count"] for f in per_round] == [21, 28, 30, 32, 30, 32]
        assert sum(f["concluded_clue_count"] for f in per_round) == 152
        assert sum(f["case_filed_count"] for f in per_round) == 37

    def test_the_page_s_figures_equal_those_read_on_their_own(self) -> None:
        """The page hands the figures the funnels and rectification totals of its own tables."""
        assert dashboard.dashboard().overall == dashboard.figures()
        items = []
        for inspection_round in InspectionRound.objects.order_by(*ROUND_ORDER):
            board = dashboard.dashboard(inspection_round)
            assert board.in_round == dashboard.figures(inspection_round), inspection_round.title
            items.append(board.in_round["rectification_item_count"])
        assert any(items)  # the demo's rectification is among them

    def test_the_seconded_share_of_one_query_equals_the_selector_s(self) -> None:
        for r in rounds_with_shares():
            seconded, total = seconded_share(r)
            assert (r.n_seconded, r.n_members) == (seconded, total)

    def test_the_page_shows_every_figure_as_stats_json_does(self) -> None:
        one = first_round()
        response = client_for("office_head").get(URL, {"round": one.pk})
        assert response.status_code == 200
        shown = page_values(response.content.decode())
        overall, in_round = dashboard.dashboard(one).cumulative, dashboard.figures(one)
        assert set(shown) == set(overall)
        for code, (round_cell, overall_cell) in shown.items():
            assert overall_cell == dashboard.display(code, overall[code]), code
            expected = dashboard.display(code, in_round[code]) if code in in_round else "—"
            assert round_cell == expected, code
        assert shown["case_conversion_rate"][1] == "24%"
        assert shown["conclusion_rate"][1] == "87.9%"
        assert shown["transfer_to_case_rate"][1] == "21.4%"

    def test_the_cumulative_column_adds_every_round_not_round_one(self) -> None:
        """累计 of a per-round count is the sum over the rounds; a share per round has none (「—」)."""
        per_round = [dashboard.figures(r) for r in InspectionRound.objects.order_by(*ROUND_ORDER)]
        cumulative = dashboard.dashboard().cumulative
        for code in ("letters_sent", "partner_clue_count", "online_opinion_count", "inspected_unit_count"):
            assert cumulative[code] == sum(f[code] for f in per_round), code
        assert cumulative["inspected_unit_count"] > ROUND_ONE["inspected_unit_count"]  # six rounds, not round one
        assert cumulative["partner_unit_count"] >= ROUND_ONE["partner_unit_count"]
        assert cumulative["transferred_clue_count"] == OVERALL["transferred_clue_count"]
        shown = page_values(client_for("office_head").get(URL).content.decode())
        assert shown["seconded_share"][1] == "—"
        assert shown["letters_sent"][1] == str(cumulative["letters_sent"])

    def test_the_docx_summary_follows_the_chosen_round(self) -> None:
        last = InspectionRound.objects.order_by(*ROUND_ORDER).last()
        figures = dashboard.figures(last)
        html = client_for("office_head").get(URL, {"round": last.pk}).content.decode()
        assert f"{reverse('reports:dashboard-docx')}?round={last.pk}" in html
        response = client_for("office_head").get(reverse("reports:dashboard-docx"), {"round": last.pk})
        text = document_text(response.content)
        assert last.title in text
        assert f"{figures['transferred_clue_count']}" in text
        assert "173" not in text  # the funnel of that round, not of every round

    def test_the_conversion_rate_drills_down_to_the_concluded_clues(self) -> None:
        head = User.objects.get(username="office_head")
        html = client_for("office_head").get(URL).content.decode()
        link = re.search(r'id="conversion-rate-link"\s+href="([^"]+)"', html).group(1)
        assert link == reverse("clues:clue-list") + "?funnel=concluded"
        assert clue_registry(head, ClueFilters(funnel="concluded")).count() == 152
        listed = client_for("office_head").get(link)
        assert listed.status_code == 200
        one = first_round()
        assert clue_registry(head, ClueFilters(funnel="filed", round=str(one.pk))).count() == 5

    def test_each_clue_figure_links_to_a_list_of_as_many_clues(self) -> None:
        """Every linked clue figure lands on a registry page that counts the same records."""
        one = first_round()
        html = client_for("office_head").get(URL, {"round": one.pk}).content.decode()
        checks = {"partner_clue_count": 46, "transferred_clue_count": 173, "case_filed_count": 37}
        for code, count in checks.items():
            row = re.search(rf'data-code="{code}".*?</tr>', html, re.S)
            links = re.findall(r'href="([^"]+)"', row.group(0)) if row else []
            overall = links[-1].replace("&amp;", "&")
            listed = client_for("office_head").get(overall)
            assert listed.context["page_obj"].paginator.count == count, code
        rectification = re.search(r'data-code="rectification_item_count".*?</tr>', html, re.S).group(0)
        assert reverse("liaison:rectification-overview") in rectification

    def test_staff_without_the_custodian_role_see_counts_but_no_links_to_clues(self) -> None:
        staff = User.objects.filter(groups__name="office_staff").exclude(groups__name="clue_custodian").first()
        if staff is None:
            staff = make_user("staff_only", "office_staff")
        assert not staff.has_perm("clues.view_clue")
        client = Client()
        client.force_login(staff)
        html = client.get(URL).content.decode()
        assert "conversion-rate-link" not in html
        assert "funnel=" not in html
        assert page_values(html)["transferred_clue_count"][1] == "173"

    def test_the_workbook_has_a_sheet_per_section_with_the_same_figures(self) -> None:
        one = first_round()
        content = through_job(client_for("office_head"), reverse("reports:dashboard-xlsx"), {"round": one.pk})
        book = load_workbook(BytesIO(content), read_only=True)
        titles = book.sheetnames
        assert len(titles) == len(dashboard.SECTIONS) + 5
        board = dashboard.dashboard(one)
        cumulative, in_round = board.cumulative, dashboard.figures(one)
        codes = {str(label): code for _key, _title, metrics in dashboard.SECTIONS for code, label in metrics}
        seen = {}
        for sheet in book.worksheets[: len(dashboard.SECTIONS)]:
            header, *rows = export_rows(content, sheet.title)
            assert header == ("指标", one.title, "累计")  # Chinese headers, no code column
            for label, round_value, cumulative_value in rows:
                seen[codes[label]] = (round_value, cumulative_value)
        assert set(seen) == set(cumulative)
        for code, (round_value, cumulative_value) in seen.items():
            if code == "seconded_share":
                assert cumulative_value == "—"
                continue
            expected = cumulative[code]
            assert cumulative_value == (round(expected, 4) if isinstance(expected, float) else expected), code
            if code not in dashboard.NOT_BY_ROUND:
                # A figure the round has none of (round 1 has no ledger yet) is written as "—".
                expected_in_round = in_round.get(code)
                assert round_value == ("—" if expected_in_round is None else expected_in_round), code

    def test_the_docx_summary_states_the_source_report_s_figures(self) -> None:
        response = client_for("office_head").get(reverse("reports:dashboard-docx"))
        assert response.status_code == 200
        text = document_text(response.content)
        for figure in ("12", "46", "75", "173", "152", "37", "24%", "14", "25", "57.1%"):
            assert figure in text, figure

    def test_the_page_s_charts_are_drawn_from_the_same_numbers(self) -> None:
        one = first_round()
        data = client_for("office_head").get(URL, {"round": one.pk}).context["chart_data"]
        assert data["funnel"]["overall"] == [173, 152, 37]
        assert data["funnel"]["round"] == [21, 21, 5]
        assert data["seconded"]["values"] == [57.1] * 6
        by_source = {d["name"]: d["value"] for d in data["sources"]}
        assert by_source[str(Clue.SourceType.PARTNER_LETTER.label)] == 46
        # Round one's 12 main letters: two answered late (docs/domain.md §4.3), none still owed.
        letters = [d["value"] for d in data["letters"]]
        assert sum(letters) == 12
        assert letters[1] == 2


# --- small data: access, edge cases, query counts ---------------------------------------

pytestmark = pytest.mark.django_db


def test_only_the_office_and_the_leading_group_see_the_dashboard(world) -> None:
    world.users["viewer"] = make_user("viewer", "leading_group_viewer")
    expected = role_keys("office_head", "office_staff", "clue_custodian", "viewer")
    for url in (URL, reverse("reports:dashboard-xlsx"), reverse("reports:dashboard-docx")):
        assert_matrix(world, url, expected)


def test_the_leading_group_viewer_reads_counts_without_links_to_clues(world) -> None:
    viewer = make_user("viewer", "leading_group_viewer")
    client = Client()
    client.force_login(viewer)
    step(world, received(world), "closed_no_action")
    html = client.get(URL).content.decode()
    assert page_values(html)["concluded_clue_count"] == ("1", "1")
    assert "funnel=" not in html


def test_the_navigation_shows_the_dashboard_right_after_the_workbench(world) -> None:
    items = nav_items_for(world.users["office_staff"], current_namespace="reports", current_name="dashboard", unread=0)
    assert [i.url for i in items[:2]] == [reverse("core:home"), URL]
    assert items[1].active
    leader_items = nav_items_for(world.users["leader_a"], current_namespace="", current_name="", unread=0)
    assert URL not in [i.url for i in leader_items]


def test_without_any_round_the_page_and_the_command_still_answer(db) -> None:
    head = make_user("lonely_head", "office_head")
    client = Client()
    client.force_login(head)
    assert client.get(URL).status_code == 200
    assert dashboard.figures() == compute_all()
    assert client.get(reverse("reports:dashboard-xlsx")).status_code == 200  # the page offering it
    assert through_job(client, reverse("reports:dashboard-xlsx"))
    assert client.get(reverse("reports:dashboard-docx")).status_code == 200


def test_nothing_concluded_shows_a_dash_not_a_division_error(world) -> None:
    received(world)
    figures = dashboard.figures()
    assert figures["case_conversion_rate"] is None
    assert dashboard.display("case_conversion_rate", None) == "—"
    client = Client()
    client.force_login(world.users["office_head"])
    assert page_values(client.get(URL).content.decode())["case_conversion_rate"] == ("—", "—")


def test_jiaoban_and_deferred_clues_count_as_the_definitions_say(world) -> None:
    step(world, step(world, received(world), "preliminary_verification"), "deferred", date(2017, 12, 2))
    jiaoban = received(world, Receiver.INSPECTED_UNIT)
    transfers.record_unit_done(clue=jiaoban, by=world.users["clue_custodian"])
    figures = dashboard.figures(world.round)
    assert (figures["transferred_clue_count"], figures["concluded_clue_count"]) == (1, 0)
    assert figures == stats("--round", str(world.round.pk)) | {"seconded_share": figures["seconded_share"]}


def test_a_round_argument_that_names_no_round_fails(db) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("stats", "--round", "999999", stdout=StringIO())


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_data_size(world) -> None:
    client = Client()
    client.force_login(world.users["office_head"])
    small = page_queries(client, URL)
    # More of everything the page counts: clues, dispositions, a case, rounds with members.
    for _ in range(3):
        step(world, received(world), "closed_no_action")
    clue = step(world, received(world), "preliminary_verification")
    dispositions.open_case(
        clues=[clue],
        by=world.users["commission_receiver"],
        case_number="C-9",
        filed_at=date(2018, 1, 5),
        subjects=["甲"],
    )
    for n in (2, 3):
        later = rounds.create_round(by=None, committee_term=13, year=2018, round_no=n, title=f"第{n}轮")
        group = rounds.create_group(by=None, inspection_round=later, number=1)
        for _ in range(3):
            rounds.add_member(by=None, group=group, person=PersonFactory())
    assert page_queries(client, URL) == small
    with assert_max_queries(40):
        client.get(URL)
