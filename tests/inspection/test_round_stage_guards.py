"""Round stages to the archive are guarded (issue 13 item 2, docs/domain.md §3.1): each guard lists
what is missing per unit, then lets the move pass once it is fixed; the archive closes the round's
clues to its groups and keeps them for the office; every move is confirmed on a page that says
what will change; only the office head moves a round (page, service, admin)."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from clues.models import Clue
from clues.services import screening, transfers
from core.models import AuditLog
from core.permissions import user_can
from inspection.models import InspectionRound
from inspection.services.workflow import check_move, move_round
from liaison.models import RectificationItem
from liaison.services import feedback as feedback_services
from liaison.services import ledger as ledger_services
from tests.clues.lifecycle import handed, proposed, register, transfer
from tests.conftest import World, status_for
from tests.helpers import logged_in
from tests.liaison.ledger_fixtures import evidence, ledger_fixture, to_pending  # noqa: F401 - fixture

R = InspectionRound.Status
pytestmark = pytest.mark.django_db


def _at(world: World, status: str) -> InspectionRound:
    """Put the round at a stage directly: the stages before it are another test's business."""
    InspectionRound.objects.filter(pk=world.round.pk).update(status=status, actual_exit_date=date(2017, 10, 10))
    return InspectionRound.objects.get(pk=world.round.pk)


def _refused(inspection_round: InspectionRound, to: str, by) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        move_round(inspection_round=inspection_round, to=to, by=by)
    assert InspectionRound.objects.get(pk=inspection_round.pk).status == inspection_round.status
    return refused.value.messages


# ---------------------------------------------------------------- leaving the site


def test_leaving_the_site_lists_unscreened_clues_and_unsent_transfers_per_unit(world):
    head = world.users["office_head"]
    unscreened = [register(world), register(world), register(world, world.unit_b)]
    waiting = proposed(world)
    onsite = _at(world, R.ONSITE)
    problems = _refused(onsite, R.REPORTING, head)
    unit_a, unit_b = world.unit_a.org_unit.display_name, world.unit_b.org_unit.display_name
    assert f"{unit_a}：2条线索尚未筛查。" in problems
    assert f"{unit_b}：1条线索尚未筛查。" in problems
    assert any(unit_a in p and "1条拟移交线索" in p for p in problems)
    assert len(problems) == 3
    assert check_move(onsite, R.REPORTING).problems == problems  # the page shows the same list

    # Screening, handing over or setting aside each clue; the proposal sent back with a note.
    custodian = world.users["clue_custodian"]
    screening.screen(clue=unscreened[0], by=custodian, grade="B")
    screening.hand_over(clues=[unscreened[1]], by=custodian)
    screening.mark_out_of_scope(clue=unscreened[2], by=custodian, reason="不属于巡察范围")
    transfers.send_back(clue=waiting, by=head, note="请补充核实")
    assert move_round(inspection_round=onsite, to=R.REPORTING, by=head).status == R.REPORTING


def test_a_sent_transfer_lets_the_groups_leave(world):
    waiting = proposed(world)
    onsite = _at(world, R.ONSITE)
    assert not check_move(onsite, R.REPORTING).ok
    transfer(world, [waiting])
    assert Clue.objects.get(pk=waiting.pk).status == Clue.Status.TRANSFERRED
    assert check_move(onsite, R.REPORTING).ok


# ---------------------------------------------------------------- feedback


def test_the_feedback_stage_ends_once_every_unit_has_its_feedback_delivered(ledger):
    world = ledger.world
    feedback = _at(world, R.FEEDBACK)
    problems = _refused(feedback, R.RECTIFYING, world.users["office_head"])
    # Unit A's feedback is delivered (the fixture); unit B has none yet.
    assert problems == [f"{world.unit_b.org_unit.display_name}：反馈意见尚未送达。"]

    leader = world.users["office_staff"]  # group B has no leader in the world; the office writes it
    draft = feedback_services.record_feedback(by=leader, inspected_unit=world.unit_b, meeting_date=date(2017, 6, 2))
    feedback_services.add_problem(by=leader, feedback=draft, category="作风建设", description="会议过多")
    approved = feedback_services.approve_feedback(by=leader, feedback=draft)
    assert _refused(feedback, R.RECTIFYING, world.users["office_head"])  # approved is not delivered
    feedback_services.deliver_feedback(by=leader, feedback=approved)
    assert move_round(inspection_round=feedback, to=R.RECTIFYING, by=world.users["office_head"]).status == R.RECTIFYING


# ---------------------------------------------------------------- the ledger


def _long_term_in_progress(ledger) -> RectificationItem:
    leader = ledger.world.users["leader_a"]
    item = ledger_services.add_item(
        by=ledger.officer,
        problem=ledger.problem,
        measure="建立长效监督机制",
        responsible_leader="张书记",
        lead_department="纪检组",
        responsible_person="王主任",
        rectification_type=RectificationItem.Type.LONG_TERM,
        deadline=date(2017, 12, 31),
    )
    item = ledger_services.submit_plan(by=ledger.officer, item=item)
    item = ledger_services.approve_plan(by=leader, item=item)
    return ledger_services.start_work(by=ledger.officer, item=item)


@pytest.mark.parametrize(("source", "to"), [(R.RECTIFYING, R.REVIEWING), (R.REVIEWING, R.ARCHIVED)])
def test_evaluation_and_archive_need_every_item_signed_off_or_long_term_with_a_date(ledger, source, to):
    world, head, leader = ledger.world, ledger.world.users["office_head"], ledger.world.users["leader_a"]
    long_term = _long_term_in_progress(ledger)
    inspection_round = _at(world, source)
    unit = world.unit_a.org_unit.display_name
    assert _refused(inspection_round, to, head) == [f"{unit}：2项整改既未销号，也未转为长期坚持。"]

    ledger_services.sign_off(by=leader, item=to_pending(ledger), note="核验通过")
    ledger_services.keep_as_long_term(by=leader, item=long_term, follow_up_on=date(2018, 6, 1))
    # A long-term item kept before the date was asked for (an old record) still blocks.
    RectificationItem.objects.filter(pk=long_term.pk).update(follow_up_on=None)
    assert _refused(inspection_round, to, head) == [f"{unit}：1项长期坚持的整改未定回头看日期。"]

    RectificationItem.objects.filter(pk=long_term.pk).update(follow_up_on=date(2018, 6, 1))
    assert move_round(inspection_round=inspection_round, to=to, by=head).status == to


def test_the_item_page_asks_for_the_follow_up_date_when_keeping_an_item_long_term(ledger):
    item = _long_term_in_progress(ledger)
    client = logged_in(ledger.world.users["leader_a"])
    page = client.get(reverse("liaison:item-detail", args=[item.pk])).content.decode()
    assert 'name="follow_up_on"' in page
    step = reverse("liaison:item-step", args=[item.pk, "keep-long-term"])
    client.post(step, {"note": "阶段任务完成"})
    assert RectificationItem.objects.get(pk=item.pk).status == RectificationItem.Status.IN_PROGRESS
    client.post(step, {"note": "阶段任务完成", "follow_up_on": "2018-06-01"})
    kept = RectificationItem.objects.get(pk=item.pk)
    assert (kept.status, kept.follow_up_on) == (RectificationItem.Status.LONG_TERM_MAINTAINED, date(2018, 6, 1))


# ---------------------------------------------------------------- the archive


def test_archive_closes_the_round_s_clues_to_members_and_leaders_and_keeps_the_office_s(world):
    clue = handed(world)
    sent = transfer(world, [proposed(world)])
    detail = reverse("clues:clue-detail", args=[clue.pk])
    members = [world.users[key] for key in ("leader_a", "member_a")]
    office = [world.users[key] for key in ("office_head", "clue_custodian")]
    for user in members + office:
        assert status_for(user, detail) == 200, user.username
    assert user_can(world.users["leader_a"], "view", sent)

    archived = move_round(inspection_round=_at(world, R.REVIEWING), to=R.ARCHIVED, by=world.users["office_head"])
    assert archived.status == R.ARCHIVED
    for user in members:
        assert status_for(user, detail) == 404, user.username
        assert not user_can(user, "reveal", clue)
        assert not user_can(user, "view", sent)
    for user in office:
        assert status_for(user, detail) == 200, user.username
    # The receiver keeps its transferred clues; the revocation is on the round's audit trail.
    assert user_can(world.users["commission_receiver"], "view", sent.items.first().clue)
    entry = AuditLog.objects.filter(object_id=str(world.round.pk), changes__has_key="group_clue_access").get()
    assert entry.changes["group_clue_access"] == [2, 0]


# ---------------------------------------------------------------- the confirmation page


def test_the_confirmation_page_lists_what_will_change_and_posts_the_stage_it_showed(world):
    handed(world)
    handed(world, world.unit_b)
    reviewing = _at(world, R.REVIEWING)
    head = logged_in(world.users["office_head"])
    round_page = head.get(reverse("inspection:round-detail", args=[reviewing.pk])).content.decode()
    confirm = reverse("inspection:round-move-confirm", args=[reviewing.pk, R.ARCHIVED])
    assert confirm in round_page

    page = head.get(confirm).content.decode()
    assert "2条线索将不再对第1巡察组、第2巡察组的组员和组长开放" in page
    assert "2个巡察组将变为" in page
    assert 'name="seen" value="reviewing"' in page
    assert InspectionRound.objects.get(pk=reviewing.pk).status == R.REVIEWING  # a GET moves nothing

    response = head.post(reverse("inspection:round-move", args=[reviewing.pk]), {"to": "archived", "seen": "reviewing"})
    assert response.status_code == 302
    assert InspectionRound.objects.get(pk=reviewing.pk).status == R.ARCHIVED


def test_a_blocked_move_s_confirmation_page_lists_what_is_missing_and_offers_no_button(world):
    register(world)
    page = logged_in(world.users["office_head"]).get(
        reverse("inspection:round-move-confirm", args=[_at(world, R.ONSITE).pk, R.REPORTING])
    )
    body = page.content.decode()
    assert "1条线索尚未筛查" in body
    assert 'id="confirm-move"' not in body


def test_a_page_drawn_at_another_stage_is_refused(world):
    """Cancelling is offered from draft, approved and preparing: a page drawn at draft must not cancel an approved round."""
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.APPROVED)
    head = logged_in(world.users["office_head"])
    response = head.post(
        reverse("inspection:round-move", args=[world.round.pk]), {"to": "cancelled", "seen": "draft"}, follow=True
    )
    assert "请刷新页面" in response.content.decode()
    assert InspectionRound.objects.get(pk=world.round.pk).status == R.APPROVED
    # A double click: the second post finds the round moved on.
    move = reverse("inspection:round-move", args=[world.round.pk])
    head.post(move, {"to": "cancelled", "seen": "approved"})
    response = head.post(move, {"to": "cancelled", "seen": "approved"}, follow=True)
    assert "请刷新页面" in response.content.decode()


# ---------------------------------------------------------------- who may move a round


def test_only_the_office_head_moves_a_round_page_service_and_admin(world):
    reviewing = _at(world, R.REVIEWING)
    confirm = reverse("inspection:round-move-confirm", args=[reviewing.pk, R.ARCHIVED])
    move = reverse("inspection:round-move", args=[reviewing.pk])
    for key in ("office_staff", "clue_custodian", "leader_a", "member_a", "liaison_a", "outsider"):
        assert status_for(world.users[key], confirm) == 404, key
        assert status_for(world.users[key], move, "post", {"to": "archived", "seen": "reviewing"}) == 404, key
        with pytest.raises(ValidationError, match="无权"):
            move_round(inspection_round=reviewing, to=R.ARCHIVED, by=world.users[key])
    assert status_for(world.users["office_head"], confirm) == 200
    assert status_for(world.users["office_head"], reverse("inspection:round-move-confirm", args=[1, "nowhere"])) == 404
    assert InspectionRound.objects.get(pk=reviewing.pk).status == R.REVIEWING

    # The admin shows the status read-only and offers no picker over every stored file.
    model_admin = admin.site._registry[InspectionRound]
    request = RequestFactory().get("/admin/")
    request.user = world.users["office_head"]
    assert "status" in model_admin.get_readonly_fields(request, reviewing)
    form = model_admin.get_form(request, reviewing)
    assert "status" not in form.base_fields
    assert "work_plan" not in form.base_fields
