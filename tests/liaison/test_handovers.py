"""Handovers: the lifecycle and who may move it, overdue reminders exactly once, the signed list."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import delivery
from core.documents import document_text
from core.models import Notification, Reminder
from core.services.reminders import send_reminder, sweep_due_reminders
from liaison.documents import handover_list_docx
from liaison.models import HandoverRecord
from liaison.services import handovers
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db
DUE = date(2017, 9, 1)  # a Friday


def _request(world, item: str = "2016年党委会议记录", key: str = "member_a", due: date | None = DUE) -> HandoverRecord:
    """Asked, and delivered to the officer as the queued task would."""
    handover = handovers.request_materials(
        by=world.users[key], inspected_unit=world.unit_a, item=item, category="minutes", due_at=due
    )
    assert delivery.deliver_record(handover)
    return handover


def _reminders(handover: HandoverRecord):
    return Reminder.objects.filter(target_id=str(handover.pk), kind__startswith="handover.")


def test_requested_delivered_received_returned(liaison_world):  # noqa: F811 - fixture
    users = liaison_world.users
    handover = _request(liaison_world)
    handover = handovers.deliver(by=users["liaison_a"], handover=handover)
    assert (handover.status, handover.delivered_by) == ("delivered", users["liaison_a"])
    handover = handovers.confirm_receipt(by=users["member_a"], handover=handover)
    assert (handover.status, handover.received_by) == ("received", users["member_a"])
    handover = handovers.record_return(by=users["leader_a"], handover=handover)
    assert handover.status == "returned"
    assert handover.returned_at is not None


def test_each_side_does_only_its_own_steps(liaison_world):  # noqa: F811 - fixture
    users = liaison_world.users
    for key in ("liaison_a", "member_b", "clue_custodian", "outsider"):
        with pytest.raises(ValidationError):
            _request(liaison_world, key=key)
    handover = _request(liaison_world)
    for key in ("member_a", "liaison_b", "member_b"):
        with pytest.raises(ValidationError):
            handovers.deliver(by=users[key], handover=handover)
    handovers.deliver(by=users["liaison_a"], handover=handover)
    with pytest.raises(ValidationError, match="刷新页面"):
        handovers.deliver(by=users["liaison_a"], handover=handover)  # a double click
    with pytest.raises(ValidationError):
        handovers.confirm_receipt(by=users["liaison_a"], handover=handover)
    with pytest.raises(ValidationError):
        handovers.cancel(by=users["member_a"], handover=handover)  # delivered already
    assert HandoverRecord.objects.get(pk=handover.pk).status == "delivered"


def test_overdue_reminders_are_sent_exactly_once(liaison_world, time_machine):  # noqa: F811 - fixture
    handover = _request(liaison_world)
    assert _reminders(handover).count() == 3
    # One, two and three working days after the due date: Mon 4th, Tue 5th, Wed 6th of September.
    assert sorted(timezone.localdate(r.due_at) for r in _reminders(handover)) == [
        date(2017, 9, 4),
        date(2017, 9, 5),
        date(2017, 9, 6),
    ]
    for day in (4, 5, 6):  # each step on its day, sent by the task at that time
        time_machine.move_to(timezone.make_aware(datetime.combine(date(2017, 9, day), time(12))), tick=False)
        assert sweep_due_reminders() == 1
        assert sweep_due_reminders() == 0
    late = timezone.make_aware(datetime.combine(date(2017, 9, 20), time(12)))
    for reminder in _reminders(handover):
        assert send_reminder(reminder_id=reminder.pk, now=late) is None
    for key in ("liaison_a", "member_a"):
        titles = Notification.objects.filter(recipient=liaison_world.users[key], title__startswith="已逾期")
        assert titles.count() == 3, key
    assert not Notification.objects.filter(recipient=liaison_world.users["liaison_b"]).exists()


def test_a_sweep_after_several_steps_passed_sends_only_the_latest(liaison_world):  # noqa: F811 - fixture
    """A handover entered after its due date, or sweeps stopped for days: one notice, not each
    step in the same second (QA saw three identical "已逾期" notices at once)."""
    handover = _request(liaison_world)
    late = timezone.make_aware(datetime.combine(date(2017, 9, 20), time(12)))
    assert sweep_due_reminders(now=late) == 3
    assert sweep_due_reminders(now=late) == 0
    for key in ("liaison_a", "member_a"):
        titles = Notification.objects.filter(recipient=liaison_world.users[key], title__startswith="已逾期")
        assert titles.count() == 1, key
    statuses = dict(_reminders(handover).order_by("-due_at").values_list("due_at", "status")[:1])
    assert list(statuses.values()) == [Reminder.Status.SENT]
    assert _reminders(handover).filter(status=Reminder.Status.CANCELLED).count() == 2


def test_reminders_for_a_unit_whose_officer_has_no_account_go_to_the_office_staff(liaison_world):  # noqa: F811 - fixture
    handover = _request(liaison_world)
    officer = liaison_world.users["liaison_a"]
    officer.is_active = False  # left, or never had an account: the unit is asked by phone
    officer.save(update_fields=["is_active"])
    late = timezone.make_aware(datetime.combine(date(2017, 9, 20), time(12)))
    assert sweep_due_reminders(now=late) == 3
    for key in ("office_staff", "member_a"):
        titles = Notification.objects.filter(recipient=liaison_world.users[key], title__startswith="已逾期")
        assert titles.count() == 1, key
    assert _reminders(handover).filter(status=Reminder.Status.SENT).count() == 1


@pytest.mark.parametrize("step", ["deliver", "cancel"])
def test_reminders_stop_once_delivered_or_cancelled(liaison_world, step):  # noqa: F811 - fixture
    users = liaison_world.users
    handover = _request(liaison_world)
    by = users["liaison_a"] if step == "deliver" else users["member_a"]
    getattr(handovers, step)(by=by, handover=handover)
    assert not _reminders(handover).filter(status=Reminder.Status.PENDING).exists()
    late = timezone.make_aware(datetime.combine(date(2017, 9, 20), time(12)))
    assert sweep_due_reminders(now=late) == 0


def test_a_request_without_due_date_plans_no_reminder_and_tells_the_officer(liaison_world):  # noqa: F811 - fixture
    handover = _request(liaison_world, due=None)
    assert not _reminders(handover).exists()
    assert (
        Notification.objects.filter(recipient=liaison_world.users["liaison_a"], title__contains=handover.item).count()
        == 1
    )


def test_the_handover_list_docx_has_the_rows_and_both_signature_lines(liaison_world):  # noqa: F811 - fixture
    users = liaison_world.users
    returned = _request(liaison_world, item="2016年财务凭证")
    for step, key in (("deliver", "liaison_a"), ("confirm_receipt", "member_a"), ("record_return", "member_a")):
        returned = getattr(handovers, step)(by=users[key], handover=returned)
    _request(liaison_world, item="干部人事档案")
    handovers.cancel(by=users["member_a"], handover=_request(liaison_world, item="作废的请求"))
    text = document_text(handover_list_docx(liaison_world.unit_a, watermark="组长A（leader）于2017-08-03 09:00下载"))
    assert "被巡察单位A" in text
    assert "第1巡察组" in text
    day = f"{timezone.localdate():%Y-%m-%d}"
    assert f"1. 2016年财务凭证（会议记录）　调取：{day}　提供：{day}　归还：{day}" in text
    assert "2. 干部人事档案（会议记录）　调取：" in text
    assert text.count("归还：—") == 1
    assert "作废的请求" not in text
    assert "巡察组经办人（签字）" in text
    assert "被巡察单位联络员（签字）" in text


def test_the_pages_move_a_handover_by_role(liaison_world, time_machine):  # noqa: F811 - fixture
    users = liaison_world.users
    unit = liaison_world.unit_a
    member, officer = Client(), Client()
    member.force_login(users["member_a"])
    officer.force_login(users["liaison_a"])
    list_url = reverse("liaison:handover-list", args=[unit.pk])
    time_machine.move_to(timezone.make_aware(datetime.combine(date(2017, 9, 2), time(10))), tick=False)
    refused = member.post(list_url, {"item": "三重一大台账", "category": "documents", "due_at": "2017-09-01"})
    assert "已过" in refused.content.decode()  # a day already past: the unit would start overdue
    assert not unit.handovers.exists()
    time_machine.move_to(timezone.make_aware(datetime.combine(date(2017, 8, 28), time(10))), tick=False)
    member.post(list_url, {"item": "三重一大台账", "category": "documents", "due_at": "2017-09-01"})
    handover = unit.handovers.get()
    assert officer.post(list_url, {"item": "x", "category": "documents"}).status_code == 404  # officers do not ask

    def act(client, action):
        return client.post(reverse("liaison:handover-action", args=[handover.pk, action]))

    act(member, "deliver")  # refused: a message, nothing changes
    assert HandoverRecord.objects.get(pk=handover.pk).status == "requested"
    act(officer, "deliver")
    act(member, "receive")
    act(member, "return")
    assert HandoverRecord.objects.get(pk=handover.pk).status == "returned"
    assert act(officer, "no-such-step").status_code == 404


def test_the_officer_s_workbench_lists_what_the_unit_owes_and_no_other_unit_s(liaison_world):  # noqa: F811 - fixture
    """QA: a liaison officer's workbench said only that no round was open to them."""
    ours = _request(liaison_world, item="2016年党委会议记录")
    client = Client()
    client.force_login(liaison_world.users["liaison_a"])
    due = client.get("/").content.decode().split('id="home-due"')[1]
    assert ours.item in due
    assert "已逾期" in due  # due in 2017
    client.force_login(liaison_world.users["liaison_b"])
    assert ours.item not in client.get("/").content.decode()
    client.force_login(liaison_world.users["office_head"])
    assert 'id="home-due"' not in client.get("/").content.decode()  # the office has the deadline board
