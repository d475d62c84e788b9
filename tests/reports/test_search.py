"""The search box: each source found by name, number or Chinese substring; nothing forbidden, ever."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from clues.models import Clue
from clues.services import letters as letter_services
from clues.services.partners import register_partner
from core.models import AuditLog
from core.search import CAP
from reports.selectors.search import search
from tests.clues.lifecycle import handed, received, register
from tests.conftest import status_for
from tests.liaison.ledger_fixtures import ledger_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

SENT_AT = datetime(2017, 8, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
QUERIES = [
    "第一轮",
    "2017",
    "被巡察单位",
    "单位A",
    "组员",
    "组长",
    "示巡办函",
    "协作单位",
    "钱某某",
    "反映其",
    "食堂",
    "扶贫",
    "接待",
    "办公室",
    "CL",
    "A",
]


@pytest.fixture
def corpus(ledger, django_capture_on_commit_callbacks):
    """The ledger world with sent letters to X and Y, a clue of each group and one transferred clue."""
    world = ledger.world
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计"])
    register_partner(by=None, org_unit=world.partner_y, category="petition", sort_order=2, request_items=["信访"])
    drafts = letter_services.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        for draft in drafts:
            letter_services.submit_for_approval(letter=draft, by=world.users["office_staff"])
            letter_services.approve_and_send(letter=draft, by=world.users["office_head"], now=SENT_AT)
    clue_a = handed(world, allegation_summary="反映其在食堂招标中收受回扣")
    clue_b = handed(world, world.unit_b, allegation_summary="反映其违规使用扶贫资金")
    sent = received(world)
    return {"world": world, "ledger": ledger, "a": clue_a, "b": clue_b, "sent": sent, "letters": drafts}


def kinds(user, q: str) -> dict[str, list[str]]:
    return {section.kind: [hit.title for hit in section.hits] for section in search(user, q)}


def test_each_source_is_found_by_name_number_or_chinese_text(corpus):
    world = corpus["world"]
    head = world.users["office_head"]
    assert kinds(head, "第一")["round"] == ["第一轮"]
    assert kinds(head, "2017")["round"] == ["第一轮"]
    assert kinds(head, "巡察单位B")["unit"] == ["被巡察单位B"]
    assert kinds(head, "组员")["person"] == ["组员A", "组员B"]
    doc_number = corpus["letters"][0].__class__.objects.get(pk=corpus["letters"][0].pk).doc_number
    assert kinds(head, doc_number)["letter"] == [doc_number]
    assert len(kinds(head, "协作单位")["letter"]) == 2
    assert kinds(head, "食堂招标")["clue"] == [corpus["a"].code]
    assert kinds(head, corpus["b"].code)["clue"] == [corpus["b"].code]
    # Reported persons are JSON: SQLite stores them \u-escaped, PostgreSQL as text.
    assert set(kinds(head, "钱某某")["clue"]) == {corpus["a"].code, corpus["b"].code, corpus["sent"].code}
    item = corpus["ledger"].item
    for text in ("公务接待", "李主任", "办公室"):
        assert kinds(head, text)["rectification"] == [str(item)]


def test_an_empty_or_blank_query_finds_nothing(corpus):
    head = corpus["world"].users["office_head"]
    assert search(head, "") == []
    assert search(head, "   ") == []


def test_each_source_is_capped(corpus):
    world = corpus["world"]
    for _ in range(CAP + 2):
        register(world, allegation_summary="反映其多次违规报销差旅费")
    assert len(kinds(world.users["office_head"], "差旅费")["clue"]) == CAP


def test_scoped_users_find_only_their_own(corpus):
    world = corpus["world"]
    users = world.users
    a, b, sent = corpus["a"].code, corpus["b"].code, corpus["sent"].code
    assert set(kinds(users["member_a"], "钱某某")["clue"]) == {a, sent}
    assert kinds(users["member_b"], "钱某某")["clue"] == [b]
    assert kinds(users["commission_receiver"], "钱某某")["clue"] == [sent]
    assert "clue" not in kinds(users["orgdept_receiver"], "钱某某")
    for key in ("office_staff", "partner_x", "liaison_a", "outsider"):
        assert "clue" not in kinds(users[key], "钱某某"), key
    assert kinds(users["partner_x"], "协作单位")["letter"] == [
        letter.doc_number for letter in world.round.letters.filter(partner__org_unit=world.partner_x)
    ]
    assert set(kinds(users["partner_x"], "第一轮")) <= {"letter"}
    assert kinds(users["liaison_a"], "被巡察单位") == {"unit": ["被巡察单位A"]}
    assert kinds(users["member_b"], "被巡察单位")["unit"] == ["被巡察单位B"]
    assert "rectification" not in kinds(users["liaison_b"], "接待")
    assert kinds(users["liaison_a"], "接待")["rectification"] == [str(corpus["ledger"].item)]
    assert search(users["outsider"], "第一轮") == []


def test_no_user_ever_gets_a_hit_they_may_not_open(corpus):
    """The matrix: every user of the world, every query; each linked hit opens, people only for the directory."""
    world = corpus["world"]
    forbidden_kinds = {
        "partner_x": {"clue", "round", "unit", "person", "rectification"},
        "partner_y": {"clue", "round", "unit", "person", "rectification"},
        "liaison_a": {"clue", "round", "person", "letter"},
        "liaison_b": {"clue", "round", "person", "letter"},
        "office_staff": {"clue"},
        "outsider": {"clue", "round", "unit", "person", "letter", "rectification"},
    }
    opened: dict[tuple[str, str], int] = {}
    wrong = []
    for key, user in world.users.items():
        visible_clues = set(Clue.objects.for_user(user).values_list("code", flat=True))
        for q in QUERIES:
            for section in search(user, q):
                if section.kind in forbidden_kinds.get(key, set()):
                    wrong.append(f"{key} got {section.kind} for {q!r}")
                for hit in section.hits:
                    if hit.kind == "clue" and hit.title not in visible_clues:
                        wrong.append(f"{key} got clue {hit.title}")
                    if not hit.url:
                        if hit.kind != "person" or not user.has_perm("core.view_person"):
                            wrong.append(f"{key} got an unlinked {hit.kind} {hit.title}")
                        continue
                    if (key, hit.url) not in opened:
                        opened[key, hit.url] = status_for(user, hit.url)
                    if opened[key, hit.url] != 200:
                        wrong.append(f"{key} cannot open {hit.kind} {hit.url} ({opened[key, hit.url]})")
    assert not wrong, "\n".join(wrong)
    assert corpus["b"].code not in [
        hit.title for q in QUERIES for s in search(world.users["member_a"], q) for hit in s.hits
    ]
    assert opened, "the matrix opened no page at all"


def test_the_clues_shown_are_logged_as_one_read_with_the_query(corpus):
    world = corpus["world"]
    client = Client()
    client.force_login(world.users["member_a"])
    before = AuditLog.objects.order_by("-pk").first().pk
    response = client.get(reverse("reports:search"), {"q": "钱某某"})
    assert response.status_code == 200
    [logged] = AuditLog.objects.filter(pk__gt=before)
    assert logged.action == AuditLog.Action.VIEW
    assert logged.content_type == ContentType.objects.get_for_model(Clue)
    assert set(logged.changes["ids"]) == {str(corpus["a"].pk), str(corpus["sent"].pk)}
    assert "q=钱某某" in logged.note
    assert logged.user == world.users["member_a"]
    assert corpus["a"].code in response.content.decode()
    assert corpus["b"].code not in response.content.decode()


def test_the_search_page_needs_a_login_and_the_header_has_the_box(corpus):
    world = corpus["world"]
    assert status_for(None, reverse("reports:search")) == 302
    client = Client()
    client.force_login(world.users["outsider"])
    page = client.get(reverse("reports:search"), {"q": "第一轮"})
    assert page.status_code == 200
    assert f'action="{reverse("reports:search")}"' in page.content.decode()
    assert "第一轮" not in page.content.decode().split("</form>")[-1]
