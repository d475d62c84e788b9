"""Transfer letters: delivery once, feedback reminders exactly once, the .docx, the export."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from clues.models import Clue, ClueTransfer
from core import delivery
from core.documents import document_text
from core.models import AuditLog, Notification, Reminder
from core.services.reminders import send_reminder, sweep_due_reminders
from core.wording import office_name
from tests.clues.lifecycle import SHANGHAI, approve, handed, proposed, received, step, transfer
from tests.exports import export_rows

pytestmark = pytest.mark.django_db


def _reminders(sent: ClueTransfer):
    return Reminder.objects.filter(target_id=str(sent.pk), kind__startswith="transfer.")


def test_delivery_runs_once_whatever_retries_happen(world):
    clue = proposed(world)
    (sent,) = approve(world, [clue], now=None)
    assert delivery.deliver_record(sent) is True
    assert delivery.deliver_record(sent) is False
    assert Notification.objects.filter(recipient=world.users["commission_receiver"]).count() == 1
    assert _reminders(sent).count() == 2 + 3  # before, on the day, three overdue


def test_a_transfer_sent_while_the_broker_was_down_is_delivered_by_the_sweep(world):
    from core.tasks import sweep_deliveries

    clue = proposed(world)
    (sent,) = approve(world, [clue], now=None)
    assert [row.target_id for row in delivery.pending_for(ClueTransfer)] == [sent.pk]
    assert sweep_deliveries.apply().get() == 1
    assert ClueTransfer.objects.get(pk=sent.pk).delivered_at is not None


def test_feedback_reminders_are_sent_exactly_once_and_escalate(world, time_machine):
    clue = received(world)
    sent = ClueTransfer.objects.get(items__clue=clue)
    moments = sorted(_reminders(sent).values_list("due_at", flat=True))
    assert len(moments) == 5
    for moment in moments:  # each step on its day, sent by the task at that time
        time_machine.move_to(moment, tick=False)
        assert sweep_due_reminders() == 1
        assert sweep_due_reminders() == 0
    late = datetime.combine(sent.feedback_due + timedelta(days=40), datetime.min.time(), tzinfo=SHANGHAI)
    for reminder in _reminders(sent):
        assert send_reminder(reminder_id=reminder.pk, now=late) is None  # claimed already
    titles = list(
        Notification.objects.filter(recipient=world.users["commission_receiver"]).values_list("title", flat=True)
    )
    assert len([t for t in titles if sent.doc_number in t]) == 1 + 5  # the delivery notice and five reminders
    assert (
        Notification.objects.filter(recipient=world.users["office_head"], title__contains=sent.doc_number).count() == 2
    )


def test_feedback_reminders_for_a_receiver_without_an_account_go_to_the_office_staff(world, time_machine):
    clue = received(world)
    sent = ClueTransfer.objects.get(items__clue=clue)
    receiver = world.users["commission_receiver"]
    receiver.is_active = False  # the commission's office has no account left: the letter went on paper
    receiver.save(update_fields=["is_active"])
    for moment in sorted(_reminders(sent).values_list("due_at", flat=True)):
        time_machine.move_to(moment, tick=False)
        assert sweep_due_reminders() == 1
    staff = Notification.objects.filter(recipient=world.users["office_staff"], title__contains=sent.doc_number)
    assert staff.count() == 5
    # The delivery notice only: no reminder to an account nobody uses.
    assert Notification.objects.filter(recipient=receiver, title__contains=sent.doc_number).count() == 1


def test_reminders_stop_once_every_clue_has_its_disposition(world):
    clue = received(world)
    sent = ClueTransfer.objects.get(items__clue=clue)
    step(world, clue, "talk_or_letter_inquiry")
    assert not _reminders(sent).filter(status=Reminder.Status.PENDING).exists()


def test_the_transfer_letter_lists_the_clues_and_keeps_the_reporter_sealed(world):
    clue = proposed(world)
    sent = transfer(world, [clue])
    client = Client()
    client.force_login(world.users["commission_receiver"])
    response = client.get(reverse("clues:transfer-docx", args=[sent.pk]))
    text = document_text(response.content)
    lines = text.splitlines()
    assert lines[:4] == [office_name(), "示巡办移〔2017〕1号", "关于移交问题线索的函", "纪委监委："]
    assert "经区委书记专题会同意" in text
    assert "2018年1月18日前" in text
    assert clue.code in text
    assert "钱某某 局长" in text
    assert "举报人甲" not in text


def test_an_included_reporter_is_printed_only_for_a_reader_who_may_reveal_it_and_logged(world):
    sent = transfer(world, [proposed(world)], include_reporter=True)
    clue = sent.items.get().clue
    printed = {}
    for key in ("clue_custodian", "leader_a", "commission_receiver", "office_head", "member_a"):
        client = Client()
        client.force_login(world.users[key])
        response = client.get(reverse("clues:transfer-docx", args=[sent.pk]))
        assert response.status_code == 200, key
        printed[key] = "反映人：举报人甲 13800000000" in document_text(response.content)
    # The head does not reveal (CONTRIBUTING: the custodian and the group leader, and a receiver
    # whose transfer includes it); a group member never gets a letter that prints the reporter.
    assert printed == {
        "clue_custodian": True,
        "leader_a": True,
        "commission_receiver": True,
        "office_head": False,
        "member_a": False,
    }
    reveals = AuditLog.objects.filter(action=AuditLog.Action.REVEAL, object_id=str(clue.pk))
    assert sorted(reveals.values_list("user__username", flat=True)) == ["commission_rx", "custodian", "leader_a"]


def test_the_export_lists_the_filtered_clues_and_neutralises_formulas(world):
    handed(world, allegation_summary='=HYPERLINK("http://x")反映其违规')
    handed(world, world.unit_b, allegation_summary="另一单位的问题")
    client = Client()
    client.force_login(world.users["office_head"])
    response = client.get(reverse("clues:clue-export"), {"unit": world.unit_a.pk})
    rows = export_rows(response.content)
    assert len(rows) == 2  # header and the one clue of unit A
    assert rows[1][8].startswith("'=HYPERLINK")
    assert rows[1][2:5] == ("被巡察单位A", "第1巡察组", str(Clue.SourceType.PETITION.label))
    assert rows[1][7] == "钱某某"
    assert rows[1][11] == "已转交巡察组"
    assert "举报人甲" not in str(rows)


def test_downloading_a_transfer_letter_is_logged(world):
    from core.models import AuditLog

    sent = transfer(world, [proposed(world)])
    client = Client()
    client.force_login(world.users["commission_receiver"])
    client.get(reverse("clues:transfer-docx", args=[sent.pk]))
    entry = AuditLog.objects.get(action=AuditLog.Action.DOWNLOAD)
    assert (entry.user, entry.object_id) == (world.users["commission_receiver"], str(sent.pk))


def test_the_office_filters_its_transfers_by_receipt_and_overdue_feedback(world):
    from datetime import date

    from clues.selectors.transfers import TransferFilters, transfer_board

    waiting = transfer(world, [proposed(world)])
    answered_clue = received(world)
    step(world, answered_clue, "talk_or_letter_inquiry")
    head = world.users["office_head"]

    def board(state: str, today: date = date(2018, 3, 1)) -> set[int]:
        return {t.pk for t in transfer_board(head, TransferFilters(state=state), today=today)}

    answered = ClueTransfer.objects.get(items__clue=answered_clue).pk
    assert board("unreceived") == {waiting.pk}
    assert board("no_feedback") == {waiting.pk}
    assert board("overdue") == {waiting.pk}  # due 2018-01-18
    assert board("overdue", today=date(2018, 1, 10)) == set()
    assert board("open") == {waiting.pk, answered}


def test_the_transfer_ledger_exports_for_the_office_only(world):
    from tests.conftest import assert_matrix, role_keys

    transfer(world, [proposed(world)])
    assert_matrix(world, reverse("clues:transfer-export"), role_keys("office_head", "clue_custodian"))
    client = Client()
    client.force_login(world.users["clue_custodian"])
    rows = export_rows(client.get(reverse("clues:transfer-export")).content)
    assert rows[1][0] == "示巡办移〔2017〕1号"
    assert rows[1][8:] == (1, 1, 1)
