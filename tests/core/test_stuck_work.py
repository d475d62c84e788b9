"""Stuck work resolved by the office (issue 12 item 5): re-queue or cancel a stuck reminder or delivery.

Only the office head and the system administrator (and a superuser) may; everyone else gets a
404. Re-queueing sends or delivers exactly once; cancelling means never; a stale page or a
double click is a message, never a second action; every action is audited.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clues.models import InfoRequestLetter
from core import delivery
from core.audit import history
from core.models import AuditLog, Delivery, Notification, Organisation, Reminder
from core.services import reminders, stuck
from liaison.models import HandoverRecord
from tests.conftest import World, assert_matrix, make_user, role_keys
from tests.core.stuck_fixtures import (
    ERROR,
    STUCK_KIND,
    fail,
    letter_delivery,
    sent_letter,
    stuck_letter_delivery,
    stuck_reminder,
)
from tests.helpers import logged_in, page_queries

RESOLVERS = role_keys("office_head", "sysadmin")


@pytest.fixture
def admin_world(world: World) -> World:
    world.users["sysadmin"] = make_user("sysadmin", "system_admin")
    return world


def _staff_notices() -> int:
    return Notification.objects.filter(recipient__username="staff", title="请按时报送材料").count()


def _partner_notices(world: World, letter: InfoRequestLetter) -> int:
    return Notification.objects.filter(recipient=world.users["partner_x"], title__contains=letter.doc_number).count()


def _transitions(row) -> list[AuditLog]:
    return list(history(row).filter(action=AuditLog.Action.TRANSITION).order_by("pk"))


# ------------------------------------------------------------------ who


def test_only_the_office_head_and_the_system_administrator_see_the_stuck_work_page(admin_world):
    stuck_reminder(admin_world)
    assert_matrix(admin_world, reverse("core:stuck-work"), RESOLVERS)


def test_only_resolvers_open_the_confirmation_of_a_row(admin_world):
    reminder = stuck_reminder(admin_world)
    row = stuck_letter_delivery(admin_world)
    assert_matrix(admin_world, reverse("core:stuck-reminder", args=[reminder.pk, "cancel"]), RESOLVERS)
    assert_matrix(admin_world, reverse("core:stuck-delivery", args=[row.pk, "requeue"]), RESOLVERS)
    assert_matrix(admin_world, reverse("core:stuck-requeue-all"), RESOLVERS)


def test_an_unknown_action_or_row_is_a_404(admin_world):
    head = logged_in(admin_world.users["office_head"])
    reminder = stuck_reminder(admin_world)
    assert head.get(reverse("core:stuck-reminder", args=[reminder.pk, "delete"])).status_code == 404
    assert head.get(reverse("core:stuck-delivery", args=[999999, "requeue"])).status_code == 404


@pytest.mark.parametrize("key", ["office_staff", "clue_custodian", "partner_x", "liaison_a", "leader_a", "outsider"])
def test_others_get_a_404_and_change_nothing(admin_world, key):
    reminder = stuck_reminder(admin_world)
    client = logged_in(admin_world.users[key])
    url = reverse("core:stuck-reminder", args=[reminder.pk, "cancel"])
    assert client.post(url, {"reason": "不需要了"}).status_code == 404
    assert client.post(reverse("core:stuck-requeue-all")).status_code == 404
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENDING


def test_the_status_page_and_the_navigation_link_to_stuck_work_for_resolvers_only(admin_world):
    url = reverse("core:stuck-work")
    for key in ("office_head", "sysadmin"):
        assert url in logged_in(admin_world.users[key]).get(reverse("core:health")).content.decode()
        assert url in logged_in(admin_world.users[key]).get(reverse("core:home")).content.decode()
    assert url not in logged_in(admin_world.users["office_staff"]).get(reverse("core:health")).content.decode()
    assert url not in logged_in(admin_world.users["office_staff"]).get(reverse("core:home")).content.decode()


# ------------------------------------------------------------------ what the page shows


def test_the_page_lists_rows_by_type_and_document_number_with_attempts_and_a_truncated_error(admin_world):
    letter = sent_letter(admin_world)
    fail(letter_delivery(letter), attempts=3, error="X" * 500)
    stuck_reminder(admin_world)
    for key in ("office_head", "sysadmin"):
        response = logged_in(admin_world.users[key]).get(reverse("core:stuck-work"))
        body = response.content.decode()
        assert letter.doc_number in body
        assert STUCK_KIND in body
        assert "X" * 159 + "…" in body
        assert "X" * 161 not in body
        assert "重新排队" in body
        assert "取消" in body
        [item] = response.context["deliveries"]
        assert item.attempts == 3


def test_the_page_never_prints_what_a_record_is_about(admin_world):
    """A handover's item (and a rectification measure, a clue code) is content: type and id only."""
    from tests.security.test_post_endpoints import _handover

    handover = HandoverRecord.objects.get(pk=_handover(admin_world))
    row = Delivery.objects.get(target_type=ContentType.objects.get_for_model(handover), target_id=handover.pk)
    fail(row)
    body = logged_in(admin_world.users["sysadmin"]).get(reverse("core:stuck-work")).content.decode()
    assert f"#{handover.pk}" in body
    assert handover.item not in body


def test_a_delivery_pending_for_long_is_listed_and_a_fresh_one_is_not(admin_world, settings):
    letter = sent_letter(admin_world)
    assert list(delivery.stuck_deliveries()) == []  # pending, just scheduled: the task is on its way
    settings.DELIVERY_STUCK_AFTER = timedelta(0)
    assert list(delivery.stuck_deliveries()) == [letter_delivery(letter)]


def test_the_page_keeps_its_query_count_as_rows_grow(admin_world):
    head = admin_world.users["office_head"]
    url = reverse("core:stuck-work")
    org_type = ContentType.objects.get_for_model(Organisation)

    def add(count: int, offset: int) -> None:
        for n in range(count):
            stuck_reminder(admin_world, n=offset + n)
            org = Organisation.objects.create(name=f"单位{offset + n}")
            Delivery.objects.create(target_type=org_type, target_id=org.pk, attempts=1, last_error=ERROR)

    add(2, 0)
    few = page_queries(head, url)
    add(20, 2)
    assert page_queries(head, url) == few


# ------------------------------------------------------------------ re-queue


def test_a_requeued_delivery_is_delivered_exactly_once(admin_world, django_capture_on_commit_callbacks):
    letter = sent_letter(admin_world)
    row = fail(letter_delivery(letter))
    head = logged_in(admin_world.users["office_head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(reverse("core:stuck-delivery", args=[row.pk, "requeue"]), follow=True)
    assert "已重新排队" in response.content.decode()
    row.refresh_from_db()
    assert row.state == Delivery.State.DONE
    assert _partner_notices(admin_world, letter) == 1
    assert InfoRequestLetter.objects.for_user(admin_world.users["partner_x"]).filter(pk=letter.pk).exists()
    # The sweep and a stray second task find nothing left to do.
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()
    assert delivery.deliver(row.pk) is False
    assert _partner_notices(admin_world, letter) == 1
    [entry] = _transitions(row)
    assert entry.user == admin_world.users["office_head"]
    assert entry.changes["attempts"] == [2, 0]


def test_a_requeued_reminder_is_sent_exactly_once(admin_world, django_capture_on_commit_callbacks):
    reminder = stuck_reminder(admin_world)
    head = logged_in(admin_world.users["sysadmin"])
    with django_capture_on_commit_callbacks(execute=True):
        head.post(reverse("core:stuck-reminder", args=[reminder.pk, "requeue"]))
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert _staff_notices() == 1
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep_due_reminders()
    assert reminders.send_reminder(reminder_id=reminder.pk) is None
    assert _staff_notices() == 1
    [entry] = _transitions(reminder)
    assert entry.changes["status"] == ["sending", "pending"]
    assert entry.user == admin_world.users["sysadmin"]


def test_a_double_click_on_requeue_gives_a_message_and_acts_once(admin_world):
    row = stuck_letter_delivery(admin_world)
    head = logged_in(admin_world.users["office_head"])
    url = reverse("core:stuck-delivery", args=[row.pk, "requeue"])
    head.post(url)
    response = head.post(url, follow=True)  # the task is not run here: the row is still pending
    assert response.status_code == 200
    assert "重新排队" in response.content.decode()
    assert any("刷新" in str(m) for m in response.context["messages"])
    assert len(_transitions(row)) == 1


def test_acting_on_a_row_delivered_meanwhile_says_so(admin_world, django_capture_on_commit_callbacks):
    letter = sent_letter(admin_world)
    row = fail(letter_delivery(letter))
    Delivery.objects.filter(pk=row.pk).update(attempts=0, retry_at=None)  # as a worker about to succeed
    with django_capture_on_commit_callbacks(execute=True):
        delivery.deliver(row.pk)
    head = logged_in(admin_world.users["office_head"])
    response = head.post(reverse("core:stuck-delivery", args=[row.pk, "cancel"]), {"reason": "纸质送达"}, follow=True)
    assert response.status_code == 200
    assert any("已完成" in str(m) for m in response.context["messages"])
    row.refresh_from_db()
    assert row.state == Delivery.State.DONE
    assert _transitions(row) == []


def test_the_confirmation_of_a_row_resolved_meanwhile_goes_back_to_the_list_with_a_message(admin_world):
    reminder = stuck_reminder(admin_world)
    stuck.cancel_reminder(reminder=reminder, by=admin_world.users["sysadmin"], reason="已电话通知")
    response = logged_in(admin_world.users["office_head"]).get(
        reverse("core:stuck-reminder", args=[reminder.pk, "requeue"]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:stuck-work")
    assert any("已取消" in str(m) for m in response.context["messages"])


def test_a_reminder_a_worker_claimed_just_now_is_not_requeued(admin_world):
    reminder = stuck_reminder(admin_world, claimed_minutes_ago=1)
    with pytest.raises(ValidationError):
        stuck.requeue_reminder(reminder=reminder, by=admin_world.users["office_head"])
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENDING


def test_requeue_all_takes_every_stuck_row_once(admin_world, django_capture_on_commit_callbacks):
    letter = sent_letter(admin_world)
    row = fail(letter_delivery(letter))
    first, second = stuck_reminder(admin_world, n=0), stuck_reminder(admin_world, n=1)
    head = logged_in(admin_world.users["office_head"])
    confirm = head.get(reverse("core:stuck-requeue-all"))
    assert (confirm.context["reminders"], confirm.context["deliveries"]) == (2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        head.post(reverse("core:stuck-requeue-all"))
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(reverse("core:stuck-requeue-all"), follow=True)  # the double click
    assert [str(m) for m in response.context["messages"]][-1] == "已重新排队 0 条提醒和 0 条送达。"
    assert _staff_notices() == 2
    assert _partner_notices(admin_world, letter) == 1
    for resolved in (row, first, second):
        assert len(_transitions(resolved)) == 1


# ------------------------------------------------------------------ cancel


def test_a_cancelled_reminder_is_never_sent(admin_world, django_capture_on_commit_callbacks):
    reminder = stuck_reminder(admin_world)
    head = logged_in(admin_world.users["office_head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(
            reverse("core:stuck-reminder", args=[reminder.pk, "cancel"]), {"reason": "已电话通知"}, follow=True
        )
    assert "不会再发送" in response.content.decode()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.cancel_reason) == (Reminder.Status.CANCELLED, "已电话通知")
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep_due_reminders()
    assert reminders.send_reminder(reminder_id=reminder.pk) is None
    assert _staff_notices() == 0
    [entry] = _transitions(reminder)
    assert entry.note == "已电话通知"
    assert entry.changes["cancel_reason"] == ["", "已电话通知"]


def test_a_cancel_needs_a_reason(admin_world):
    reminder = stuck_reminder(admin_world)
    response = logged_in(admin_world.users["office_head"]).post(
        reverse("core:stuck-reminder", args=[reminder.pk, "cancel"]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENDING


def test_a_worker_whose_claim_was_resolved_meanwhile_sends_nothing(admin_world, settings, monkeypatch):
    """The worker that looked dead comes back after the office cancelled its reminder."""
    reminder = stuck_reminder(admin_world)
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.PENDING, claimed_at=None)
    settings.REMINDER_STUCK_AFTER = timedelta(0)
    render = reminders._KINDS[STUCK_KIND]

    def cancelled_while_rendering(row):
        stuck.cancel_reminder(reminder=row, by=admin_world.users["office_head"], reason="已电话通知")
        return render(row)

    monkeypatch.setitem(reminders._KINDS, STUCK_KIND, cancelled_while_rendering)
    assert reminders.send_reminder(reminder_id=reminder.pk, now=timezone.now() - timedelta(seconds=1)) is None
    assert _staff_notices() == 0
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED


def test_a_cancelled_delivery_is_never_attempted_and_its_owners_are_told(
    admin_world, django_capture_on_commit_callbacks
):
    letter = sent_letter(admin_world)
    row = fail(letter_delivery(letter))
    head = logged_in(admin_world.users["sysadmin"])
    with django_capture_on_commit_callbacks(execute=True):
        head.post(reverse("core:stuck-delivery", args=[row.pk, "cancel"]), {"reason": "已纸质送达"})
    row.refresh_from_db()
    assert (row.state, row.cancel_reason) == (Delivery.State.CANCELLED, "已纸质送达")
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()
    assert delivery.deliver(row.pk) is False
    assert _partner_notices(admin_world, letter) == 0
    assert not InfoRequestLetter.objects.for_user(admin_world.users["partner_x"]).filter(pk=letter.pk).exists()
    # The letter keeps its status; its approver (the office head) is told, with the reason.
    letter.refresh_from_db()
    assert letter.status == InfoRequestLetter.Status.SENT
    [notice] = Notification.objects.filter(
        recipient=admin_world.users["office_head"], title__contains=letter.doc_number
    )
    assert "已纸质送达" in notice.body
    [entry] = _transitions(row)
    assert (entry.user, entry.note) == (admin_world.users["sysadmin"], "已纸质送达")


def test_a_cancelled_delivery_scheduled_again_is_delivered(admin_world, django_capture_on_commit_callbacks):
    letter = sent_letter(admin_world)
    row = fail(letter_delivery(letter))
    stuck.cancel_delivery(row=row, by=admin_world.users["office_head"], reason="稍后重发")
    with django_capture_on_commit_callbacks(execute=True):
        delivery.schedule(letter)
    row.refresh_from_db()
    assert row.state == Delivery.State.DONE
    assert _partner_notices(admin_world, letter) == 1
