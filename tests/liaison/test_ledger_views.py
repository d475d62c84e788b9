"""Pages of the ledger: the permission matrix, the clue link, export, notice and query counts."""

from django.urls import reverse

from core.documents import document_text
from liaison.models import RectificationItem
from liaison.services import ledger as ledger_services
from tests.conftest import assert_matrix, role_keys
from tests.exports import export_rows
from tests.helpers import logged_in, page_queries
from tests.liaison.ledger_fixtures import PLAN, appoint, draft_feedback, evidence, ledger_fixture  # noqa: F401 - fixture

OFFICE = ("office_head", "office_staff", "clue_custodian")
GROUP_A = ("leader_a", "member_a")


def test_ledger_pages_matrix(ledger):
    world = ledger.world
    expected = role_keys(*OFFICE, *GROUP_A, "liaison_a")
    assert_matrix(world, reverse("liaison:feedback", args=[world.unit_a.pk]), expected)
    assert_matrix(world, reverse("liaison:ledger", args=[world.unit_a.pk]), expected)
    assert_matrix(world, reverse("liaison:item-detail", args=[ledger.item.pk]), expected)
    assert_matrix(world, reverse("liaison:ledger-export", args=[world.unit_a.pk]), expected)
    notice = role_keys("office_head", "office_staff", "leader_a")
    assert_matrix(world, reverse("liaison:item-notice", args=[ledger.item.pk]), notice)
    assert_matrix(world, reverse("liaison:rectification-overview"), role_keys(*OFFICE))


def test_officer_of_unit_b_gets_404_on_unit_a(ledger):
    client = logged_in(ledger.officer_b)
    for url in (
        reverse("liaison:feedback", args=[ledger.world.unit_a.pk]),
        reverse("liaison:ledger", args=[ledger.world.unit_a.pk]),
        reverse("liaison:item-detail", args=[ledger.item.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("liaison:item-step", args=[ledger.item.pk, "submit-plan"])).status_code == 404


def test_officer_b_gets_404_on_unit_as_evidence(ledger):
    leader = ledger.world.users["leader_a"]
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    item = ledger_services.approve_plan(by=leader, item=item)
    item = ledger_services.start_work(by=ledger.officer, item=item)
    ledger_services.record_progress(by=ledger.officer, item=item, note="x", progress_pct=10, files=[evidence()])
    stored = item.evidence_files.get()
    url = reverse("core:file-download", args=[stored.pk])
    assert logged_in(ledger.officer).get(url).status_code == 200
    assert logged_in(ledger.officer_b).get(url).status_code == 404
    assert logged_in(ledger.world.users["member_b"]).get(url).status_code == 404


def test_before_delivery_the_officer_sees_nothing(world):
    appoint(world, world.unit_a, world.users["liaison_a"])
    _feedback, problem = draft_feedback(world)
    item = ledger_services.add_item(by=world.users["leader_a"], problem=problem, **PLAN)
    client = logged_in(world.users["liaison_a"])
    for url in (
        reverse("liaison:feedback", args=[world.unit_a.pk]),
        reverse("liaison:ledger", args=[world.unit_a.pk]),
        reverse("liaison:item-detail", args=[item.pk]),
    ):
        assert client.get(url).status_code == 404


def test_clue_column_hidden_from_officer_and_member(ledger):
    url = reverse("liaison:feedback", args=[ledger.world.unit_a.pk])
    for key in ("liaison_a", "member_a", "leader_a", "office_staff"):
        assert b"clue-link" not in logged_in(ledger.world.users[key]).get(url).content
    assert b"clue-link" in logged_in(ledger.world.users["office_head"]).get(url).content


def test_officer_walks_the_item_through_the_pages(ledger):
    officer, leader = logged_in(ledger.officer), logged_in(ledger.world.users["leader_a"])
    step = lambda name: reverse("liaison:item-step", args=[ledger.item.pk, name])  # noqa: E731
    officer.post(step("submit-plan"))
    leader.post(step("approve-plan"))
    officer.post(step("start"))
    upload, name = evidence()
    upload.name = name
    officer.post(
        reverse("liaison:item-progress", args=[ledger.item.pk]),
        {"progress_pct": 100, "note": "完成", "evidence": upload},
    )
    officer.post(step("submit"))
    leader.post(step("sign-off"), {"note": "核验"})
    ledger.item.refresh_from_db()
    assert ledger.item.status == RectificationItem.Status.SIGNED_OFF
    assert ledger.item.evidence_files.count() == 1


def test_member_cannot_sign_off_through_the_page(ledger):
    client = logged_in(ledger.world.users["member_a"])
    response = client.post(reverse("liaison:item-step", args=[ledger.item.pk, "approve-plan"]))
    assert response.status_code in (302, 404)
    ledger.item.refresh_from_db()
    assert ledger.item.status == RectificationItem.Status.ISSUED


def test_export_has_one_row_per_item_in_the_customary_layout(ledger):
    ledger_services.add_item(by=ledger.officer, problem=ledger.problem, **PLAN)
    response = logged_in(ledger.world.users["office_staff"]).get(
        reverse("liaison:ledger-export", args=[ledger.world.unit_a.pk])
    )
    rows = export_rows(response.content)
    assert rows[0][:4] == ("序号", "问题类别", "问题描述", "整改措施")
    assert [r[0] for r in rows[1:]] == ["1.1", "1.2"]
    assert rows[1][6] == "李主任"


def test_notice_docx_names_unit_measure_and_deadline(ledger):
    response = logged_in(ledger.world.users["leader_a"]).get(reverse("liaison:item-notice", args=[ledger.item.pk]))
    text = document_text(response.content)
    assert ledger.world.unit_a.org_unit.name in text
    assert PLAN["measure"] in text
    assert "整改督办通知" in text


def test_ledger_and_overview_queries_do_not_grow_with_rows(ledger):
    client = logged_in(ledger.world.users["office_staff"])
    urls = [
        reverse("liaison:ledger", args=[ledger.world.unit_a.pk]),
        reverse("liaison:feedback", args=[ledger.world.unit_a.pk]),
        reverse("liaison:rectification-overview"),
        reverse("liaison:item-detail", args=[ledger.item.pk]),
    ]
    before = [page_queries(client, url) for url in urls]
    for _ in range(5):
        ledger_services.add_item(by=ledger.officer, problem=ledger.problem, **PLAN)
    after = [page_queries(client, url) for url in urls]
    assert before == after


def test_a_problems_source_clue_is_linked_only_for_a_reader_who_may_open_it(world):
    from clues.models import Clue
    from liaison.models import FeedbackProblem
    from talentpool.services.recusals import declare_recusal
    from tests.clues.lifecycle import handed
    from tests.factories import PersonFactory

    _feedback, problem = draft_feedback(world)
    clue = handed(world)
    FeedbackProblem.objects.filter(pk=problem.pk).update(source_clue=clue)
    custodian = world.users["clue_custodian"]
    url = reverse("liaison:feedback", args=[world.unit_a.pk])
    link = reverse("clues:clue-detail", args=[clue.pk]).encode()
    assert link in logged_in(custodian).get(url).content
    custodian.person = PersonFactory(name="线索管理员")
    custodian.save(update_fields=["person"])
    declare_recusal(
        by=custodian, person=custodian.person, inspected_unit=world.unit_a, has_conflict=True, relationships=[{"k": 1}]
    )
    assert not Clue.objects.for_user(custodian).filter(pk=clue.pk).exists()
    body = logged_in(custodian).get(url).content
    assert link not in body
    assert clue.code.encode() not in body


def test_the_item_page_offers_exactly_the_steps_the_reader_may_take(ledger):
    """The buttons come from the item's declared transitions (core.transitions.allowed_transitions)."""
    page = reverse("liaison:item-detail", args=[ledger.item.pk])
    step = lambda name: reverse("liaison:item-step", args=[ledger.item.pk, name])  # noqa: E731
    officer, leader = logged_in(ledger.officer), logged_in(ledger.world.users["leader_a"])

    def offered(client):
        html = client.get(page).content.decode()
        names = ("submit-plan", "approve-plan", "start", "submit", "sign-off", "return", "keep-long-term")
        return {name for name in names if f'action="{step(name)}"' in html}

    assert offered(officer) == {"submit-plan"}
    assert offered(leader) == set()
    officer.post(step("submit-plan"))
    assert offered(officer) == set()
    assert offered(leader) == {"approve-plan"}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_each_step_of_the_item_says_it_was_taken(ledger):
    """The steps returned to the item's page with no word: a click seemed to do nothing."""
    officer, leader = logged_in(ledger.officer), logged_in(ledger.world.users["leader_a"])
    step = lambda name: reverse("liaison:item-step", args=[ledger.item.pk, name])  # noqa: E731
    assert _messages(officer.post(step("submit-plan"), follow=True)) == ["整改方案已报送审核。"]
    assert _messages(leader.post(step("approve-plan"), follow=True)) == ["整改方案已审核通过。"]
    assert _messages(officer.post(step("start"), follow=True)) == ["已开始整改。"]
    upload, upload.name = evidence()
    progress = reverse("liaison:item-progress", args=[ledger.item.pk])
    done = {"progress_pct": 100, "note": "完成", "evidence": upload}
    assert _messages(officer.post(progress, done, follow=True)) == ["进展已登记。"]
    assert _messages(officer.post(step("submit"), follow=True)) == ["已申请销号，等待巡察组组长或巡察办审核。"]
    assert _messages(leader.post(step("sign-off"), {"note": "核验"}, follow=True)) == ["已销号。"]


def test_sign_off_asks_for_a_full_progress_entry_not_a_date_nobody_can_type(ledger):
    """The progress form has no completion date: a 100 % entry sets it to its own day (record_progress)."""
    officer, leader = logged_in(ledger.officer), logged_in(ledger.world.users["leader_a"])
    step = lambda name: reverse("liaison:item-step", args=[ledger.item.pk, name])  # noqa: E731
    officer.post(step("submit-plan"))
    leader.post(step("approve-plan"))
    officer.post(step("start"))
    upload, upload.name = evidence()
    officer.post(
        reverse("liaison:item-progress", args=[ledger.item.pk]),
        {"progress_pct": 60, "note": "过半", "evidence": upload},
    )
    response = officer.post(step("submit"), follow=True)
    assert "请先登记进度为100%的进展，登记当日即为完成日期。" in _messages(response)
    ledger.item.refresh_from_db()
    assert ledger.item.status == RectificationItem.Status.IN_PROGRESS


def test_a_refused_progress_entry_comes_back_on_the_form_as_typed(ledger):
    """A form error once redirected to the item's page and lost the note."""
    officer, leader = logged_in(ledger.officer), logged_in(ledger.world.users["leader_a"])
    step = lambda name: reverse("liaison:item-step", args=[ledger.item.pk, name])  # noqa: E731
    officer.post(step("submit-plan"))
    leader.post(step("approve-plan"))
    officer.post(step("start"))
    response = officer.post(
        reverse("liaison:item-progress", args=[ledger.item.pk]), {"progress_pct": 150, "note": "已召开专题会"}
    )
    assert response.status_code == 200
    form = response.context["progress_form"]
    assert list(form.errors) == ["progress_pct"]
    assert "已召开专题会" in response.content.decode()
    assert not ledger.item.updates.exists()
