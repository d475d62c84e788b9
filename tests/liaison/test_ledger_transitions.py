"""Every rectification transition of docs/domain.md §3.4, with who may take it and its guards."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from liaison.models import FollowUpCheck, RectificationItem
from liaison.services import ledger as ledger_services
from tests.liaison.ledger_fixtures import evidence, ledger_fixture, to_pending  # noqa: F401 - fixture

Status = RectificationItem.Status


def test_the_ordinary_path_ends_signed_off_with_signer(ledger):
    leader = ledger.world.users["leader_a"]
    item = to_pending(ledger)
    assert item.status == Status.PENDING_SIGNOFF
    item = ledger_services.sign_off(by=leader, item=item, note="三方核验")
    assert item.status == Status.SIGNED_OFF
    assert item.signed_off_by == leader
    assert item.signed_off_at is not None


def test_no_sign_off_submission_without_evidence(ledger):
    leader = ledger.world.users["leader_a"]
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    item = ledger_services.approve_plan(by=leader, item=item)
    item = ledger_services.start_work(by=ledger.officer, item=item)
    ledger_services.record_progress(by=ledger.officer, item=item, note="完成", progress_pct=100)
    with pytest.raises(ValidationError, match="佐证材料"):
        ledger_services.submit_for_signoff(by=ledger.officer, item=item)
    assert RectificationItem.objects.get(pk=item.pk).status == Status.IN_PROGRESS


def test_no_submission_below_full_progress(ledger):
    leader = ledger.world.users["leader_a"]
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    item = ledger_services.approve_plan(by=leader, item=item)
    item = ledger_services.start_work(by=ledger.officer, item=item)
    ledger_services.record_progress(by=ledger.officer, item=item, note="半", progress_pct=50, files=[evidence()])
    with pytest.raises(ValidationError):
        ledger_services.submit_for_signoff(by=ledger.officer, item=item)


def test_return_needs_a_note_and_goes_back_to_in_progress(ledger):
    leader = ledger.world.users["leader_a"]
    item = to_pending(ledger)
    with pytest.raises(ValidationError):
        ledger_services.return_item(by=leader, item=item, note=" ")
    item = ledger_services.return_item(by=leader, item=item, note="佐证不足")
    assert item.status == Status.IN_PROGRESS
    assert item.sign_off_note == "佐证不足"


def test_officer_steps_are_the_officers_and_group_steps_the_groups(ledger):
    users = ledger.world.users
    with pytest.raises(ValidationError):
        ledger_services.submit_plan(by=users["leader_a"], item=ledger.item)
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    for outsider in (ledger.officer, users["member_a"], ledger.officer_b):
        with pytest.raises(ValidationError):
            ledger_services.approve_plan(by=outsider, item=item)
    item = ledger_services.approve_plan(by=users["office_staff"], item=item)
    assert item.status == Status.PLAN_APPROVED


def test_officer_cannot_sign_off_own_item(ledger):
    item = to_pending(ledger)
    with pytest.raises(ValidationError):
        ledger_services.sign_off(by=ledger.officer, item=item)


def test_a_step_from_the_wrong_status_is_refused(ledger):
    with pytest.raises(ValidationError):
        ledger_services.start_work(by=ledger.officer, item=ledger.item)
    with pytest.raises(ValidationError):
        ledger_services.sign_off(by=ledger.world.users["leader_a"], item=ledger.item)


def test_long_term_item_can_be_kept_as_maintained(ledger):
    leader = ledger.world.users["leader_a"]
    ledger_services.change_plan(by=ledger.officer, item=ledger.item, rectification_type="long_term")
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    item = ledger_services.approve_plan(by=leader, item=item)
    item = ledger_services.start_work(by=ledger.officer, item=item)
    with pytest.raises(ValidationError, match="回头看"):
        ledger_services.keep_as_long_term(by=leader, item=item, follow_up_on=None)
    item = ledger_services.keep_as_long_term(by=leader, item=item, follow_up_on=date(2018, 12, 1))
    assert item.status == Status.LONG_TERM_MAINTAINED
    assert item.follow_up_on == date(2018, 12, 1)


def test_follow_up_check_reopens_a_signed_off_item_and_work_restarts(ledger):
    users = ledger.world.users
    item = ledger_services.sign_off(by=users["leader_a"], item=to_pending(ledger))
    with pytest.raises(ValidationError):
        ledger_services.record_follow_up_check(
            by=users["leader_a"], inspected_unit=ledger.world.unit_a, on=date(2018, 3, 1), rating="poor"
        )
    check = ledger_services.record_follow_up_check(
        by=users["office_staff"],
        inspected_unit=ledger.world.unit_a,
        on=date(2018, 3, 1),
        rating=FollowUpCheck.Rating.POOR,
        reopen=[item],
    )
    item.refresh_from_db()
    assert item.status == Status.REOPENED
    assert list(check.reopened_items.all()) == [item]
    assert ledger_services.start_work(by=ledger.officer, item=item).status == Status.IN_PROGRESS


def test_deadline_before_the_feedback_meeting_is_refused(ledger):
    with pytest.raises(ValidationError):
        ledger_services.change_plan(by=ledger.officer, item=ledger.item, deadline=date(2017, 1, 1))
