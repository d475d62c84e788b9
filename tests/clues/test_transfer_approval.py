"""The office head approves transfers deliberately (issue 13 item 3): nothing ticked, each proposal
to its group's recommended receiver unless changed, the approving meeting required, a confirmation
page that lists what is sent, and a stale or repeated confirmation that sends nothing more."""

import re
import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clues.models import Clue, ClueTransfer, Receiver
from clues.services import transfers
from core.models import AuditLog
from tests.clues.lifecycle import MEETING, approve, proposed
from tests.conftest import World, assert_matrix, role_keys
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

PROPOSALS = reverse("clues:transfer-proposals")
SEND = reverse("clues:transfer-send")
MEETING_FIELDS = {
    "approved_by_text": "区委书记专题会",
    "approval_meeting_date": "2017-10-18",
    "approval_minutes": "专题会议纪要〔2017〕12号",
}


def _head(world: World) -> Client:
    return logged_in(world.users["office_head"])


def _selected(html: str, clue: Clue) -> str:
    """The option selected in the clue's receiver select."""
    select = re.search(rf'<select name="receiver-{clue.pk}".*?</select>', html, re.S)
    assert select is not None, f"no receiver select for {clue.code}"
    (value,) = re.findall(r'<option value="([^"]*)"\s+selected', select.group(0))
    return value


def _review(client: Client, clues: list[Clue], **fields: str) -> str:
    """Tick the clues on the approval page and ask for the confirmation page; its text."""
    data: dict = {**MEETING_FIELDS, "clue": [str(clue.pk) for clue in clues], **fields}
    response = client.post(PROPOSALS, data)
    assert response.status_code == 200
    return response.content.decode()


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match is not None, "no confirmation token on the page"
    return match.group(1)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_nothing_is_ticked_and_each_row_starts_at_its_group_s_recommendation(world):
    to_commission = proposed(world)
    to_orgdept = proposed(world, Receiver.ORGANIZATION_DEPT)
    to_unit = proposed(world, Receiver.INSPECTED_UNIT)
    html = _head(world).get(PROPOSALS).content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*name="clue"[^>]*>', html)
    assert len(boxes) == 3
    assert not [box for box in boxes if "checked" in box]
    assert _selected(html, to_commission) == f"discipline_commission:{world.commission.pk}"
    assert _selected(html, to_orgdept) == f"organization_dept:{world.org_dept.pk}"
    assert _selected(html, to_unit) == "inspected_unit"


def test_each_proposal_keeps_its_receiver_unless_the_head_changes_that_row(world):
    kept = proposed(world)
    kept_orgdept = proposed(world, Receiver.ORGANIZATION_DEPT)
    changed = proposed(world)  # recommended to the commission; the head hands it back to its unit (交办)
    client = _head(world)
    html = _review(client, [kept, kept_orgdept, changed], **{f"receiver-{changed.pk}": "inspected_unit"})
    client.post(SEND, {"token": _token(html)})
    sent = {t.receiver_type: [i.clue_id for i in t.items.all()] for t in ClueTransfer.objects.all()}
    assert sent == {
        Receiver.DISCIPLINE_COMMISSION: [kept.pk],
        Receiver.ORGANIZATION_DEPT: [kept_orgdept.pk],
        Receiver.INSPECTED_UNIT: [changed.pk],
    }
    assert ClueTransfer.objects.get(receiver_type=Receiver.INSPECTED_UNIT).receiver == world.unit_a.org_unit


def test_the_service_keeps_the_recommendation_when_the_choice_names_no_receiver(world):
    commission, orgdept = proposed(world), proposed(world, Receiver.ORGANIZATION_DEPT)
    sent = transfers.approve_and_send(
        choices=[transfers.Choice(commission), transfers.Choice(orgdept)],
        by=world.users["office_head"],
        meeting=MEETING,
    )
    assert sorted((t.receiver_type, t.receiver_id) for t in sent) == sorted(
        [(Receiver.DISCIPLINE_COMMISSION, world.commission.pk), (Receiver.ORGANIZATION_DEPT, world.org_dept.pk)]
    )


def test_the_approving_meeting_is_required(world):
    clue = proposed(world)
    with pytest.raises(ValidationError) as refused:
        transfers.approve_and_send(
            choices=[transfers.Choice(clue)], by=world.users["office_head"], meeting=transfers.Meeting()
        )
    assert refused.value.messages == [
        "请写明批准移交的会议名称。",
        "请填写批准会议的日期。",
        "请填写批准会议的纪要文号。",
    ]
    with pytest.raises(ValidationError) as future:
        transfers.approve_and_send(
            choices=[transfers.Choice(clue)],
            by=world.users["office_head"],
            meeting=transfers.Meeting(name="书记专题会", held_on=date(2099, 1, 1), minutes="纪要1号"),
        )
    assert future.value.messages == ["批准会议的日期不能晚于今天。"]
    # The page asks for the meeting too, and shows no confirmation without it.
    response = _head(world).post(PROPOSALS, {"clue": [clue.pk]})
    assert response.status_code == 200
    assert 'name="token"' not in response.content.decode()
    assert set(response.context["form"].errors) == {"approved_by_text", "approval_meeting_date", "approval_minutes"}
    assert not ClueTransfer.objects.exists()
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.PROPOSED_FOR_TRANSFER


def test_a_setting_relaxes_the_meeting(world, settings):
    settings.TRANSFER_APPROVAL_REQUIRES_MEETING = False
    clue = proposed(world)
    html = _review(_head(world), [clue], approved_by_text="", approval_meeting_date="", approval_minutes="")
    assert 'name="token"' in html
    (sent,) = transfers.approve_and_send(
        choices=[transfers.Choice(proposed(world))], by=world.users["office_head"], meeting=transfers.Meeting()
    )
    assert sent.doc_number
    assert sent.approved_by_text == ""
    assert sent.approval_meeting_date is None


def test_the_confirmation_lists_exactly_the_ticked_proposals_and_sends_nothing_yet(world):
    ticked = [proposed(world), proposed(world, Receiver.ORGANIZATION_DEPT)]
    left = proposed(world)
    html = _review(_head(world), ticked)
    assert set(re.findall(r'data-clue="(\d+)"', html)) == {str(clue.pk) for clue in ticked}
    assert left.code not in html
    for clue in ticked:
        assert clue.code in html
    assert html.count('class="card confirm-letter"') == 2  # one letter per receiver
    for text in ("纪委监委", "组织部", "区委书记专题会", "专题会议纪要〔2017〕12号"):
        assert text in html
    assert not ClueTransfer.objects.exists()
    assert set(Clue.objects.values_list("status", flat=True)) == {Clue.Status.PROPOSED_FOR_TRANSFER}


def test_changing_the_confirmation_redraws_the_head_s_choices(world):
    clue, other = proposed(world), proposed(world)
    client = _head(world)
    html = _review(client, [clue], **{f"receiver-{clue.pk}": "inspected_unit"})
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    data: dict = {}
    for name, value in pairs:
        if name not in ("token", "next", "csrfmiddlewaretoken"):
            data.setdefault(name, []).append(value)
    page = client.post(PROPOSALS, {**data, "revise": "1"}).content.decode()
    boxes = {box for box in re.findall(r'<input type="checkbox"[^>]*>', page) if "checked" in box}
    assert [f'value="{clue.pk}"' in box for box in boxes] == [True]
    assert _selected(page, clue) == "inspected_unit"
    assert _selected(page, other) == f"discipline_commission:{world.commission.pk}"
    assert 'value="专题会议纪要〔2017〕12号"' in page


def test_the_approval_is_recorded_on_the_transfer_and_audited(world):
    clue = proposed(world)
    client = _head(world)
    client.post(SEND, {"token": _token(_review(client, [clue]))})
    sent = ClueTransfer.objects.get()
    assert (sent.approved_by, sent.approved_by_text, sent.approval_meeting_date, sent.approval_minutes) == (
        world.users["office_head"],
        "区委书记专题会",
        date(2017, 10, 18),
        "专题会议纪要〔2017〕12号",
    )
    assert sent.approved_at is not None
    assert sent.doc_number
    entry = AuditLog.objects.get(
        action=AuditLog.Action.CREATE, object_id=str(sent.pk), content_type=ContentType.objects.get_for_model(sent)
    )
    assert entry.user == world.users["office_head"]
    assert entry.changes["approval_minutes"] == [None, "专题会议纪要〔2017〕12号"]
    assert "区委书记专题会 2017年10月18日 专题会议纪要〔2017〕12号" in entry.note
    detail = client.get(reverse("clues:transfer-detail", args=[sent.pk])).content.decode()
    assert "专题会议纪要〔2017〕12号" in detail


def test_a_confirmation_drawn_before_someone_else_approved_sends_nothing(world):
    clue, other = proposed(world), proposed(world)
    client = _head(world)
    token = _token(_review(client, [clue, other]))
    approve(world, [clue])  # another head approved one of them meanwhile
    response = client.post(SEND, {"token": token}, follow=True)
    assert _messages(response) == [
        f"线索{clue.code}已不在待审批状态（已被审批或退回）。未发送任何移交函，请重新核对拟移交线索。"
    ]
    assert response.request["PATH_INFO"] == PROPOSALS
    assert ClueTransfer.objects.count() == 1
    assert Clue.objects.get(pk=other.pk).status == Clue.Status.PROPOSED_FOR_TRANSFER


def test_a_confirmation_drawn_before_the_proposal_changed_sends_nothing(world):
    clue = proposed(world)
    client = _head(world)
    token = _token(_review(client, [clue]))
    # The head sends it back in another tab; the leader proposes it again, to the organisation department.
    transfers.send_back(clue=clue, by=world.users["office_head"], note="补充谈话笔录")
    transfers.record_assessment(
        clue=clue, by=world.users["leader_a"], conclusion="recommend_transfer", recommended_receiver="organization_dept"
    )
    response = client.post(SEND, {"token": token}, follow=True)
    assert _messages(response) == [f"线索{clue.code}的移交建议已变更。未发送任何移交函，请重新核对拟移交线索。"]
    assert not ClueTransfer.objects.exists()


def test_a_double_post_sends_one_numbered_transfer(world):
    clue = proposed(world)
    client = _head(world)
    token = _token(_review(client, [clue]))
    first = client.post(SEND, {"token": token}, follow=True)
    second = client.post(SEND, {"token": token}, follow=True)
    sent = ClueTransfer.objects.get()
    assert sent.doc_number.endswith("〕1号")
    assert _messages(first) == _messages(second) == [f"已发出1份移交函：{sent.doc_number}"]
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.TRANSFERRED


def test_a_forged_or_foreign_confirmation_is_refused(world):
    clue = proposed(world)
    client = _head(world)
    token = _token(_review(client, [clue]))
    refused = "确认页无法识别。未发送任何移交函，请重新核对拟移交线索。"
    assert _messages(client.post(SEND, {"token": token[:-2] + "xx"}, follow=True)) == [refused]
    second_head = world.users["office_staff"]
    second_head.groups.add(*world.users["office_head"].groups.all())
    assert _messages(logged_in(second_head).post(SEND, {"token": token}, follow=True)) == [refused]
    assert not ClueTransfer.objects.exists()


def test_another_department_needs_its_organisation(world):
    clue = proposed(world)
    response = _head(world).post(PROPOSALS, {**MEETING_FIELDS, "clue": [clue.pk], f"receiver-{clue.pk}": "other_dept"})
    assert "other_receiver" in response.context["form"].errors
    html = _review(
        _head(world), [clue], **{f"receiver-{clue.pk}": "other_dept", "other_receiver": str(world.partner_x.pk)}
    )
    assert "协作单位X" in html
    with pytest.raises(ValidationError):
        transfers.approve_and_send(
            choices=[transfers.Choice(clue, Receiver.OTHER_DEPT)], by=world.users["office_head"], meeting=MEETING
        )


def test_only_the_office_head_approves(world):
    proposed(world)
    assert_matrix(world, PROPOSALS, role_keys("office_head"))
    assert_matrix(world, PROPOSALS, role_keys("office_head"), method="post")
    assert_matrix(world, SEND, role_keys("office_head", status=302), method="post")
    assert not ClueTransfer.objects.exists()


def test_the_approval_and_confirmation_pages_do_not_grow_with_their_rows(world):
    client = _head(world)

    def measure() -> tuple[int, int]:
        clues = list(Clue.objects.filter(status=Clue.Status.PROPOSED_FOR_TRANSFER))
        with CaptureQueriesContext(connection) as queue:
            client.get(PROPOSALS)
        with CaptureQueriesContext(connection) as confirmation:
            _review(client, clues)
        return len(queue), len(confirmation)

    for receiver in (Receiver.DISCIPLINE_COMMISSION, Receiver.ORGANIZATION_DEPT):
        proposed(world, receiver)
    few = measure()
    for _ in range(4):
        for receiver in (Receiver.DISCIPLINE_COMMISSION, Receiver.ORGANIZATION_DEPT):
            proposed(world, receiver)
    assert measure() == few


def test_a_confirmation_left_open_too_long_sends_nothing(world):
    clue = proposed(world)
    client = _head(world)
    token = _token(_review(client, [clue]))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.post(SEND, {"token": token}, follow=True)
    assert _messages(response) == ["确认页已过期。未发送任何移交函，请重新核对拟移交线索。"]
    assert not ClueTransfer.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_posts_of_one_confirmation_racing_send_one_letter(world):
    clue = proposed(world)
    version = transfers.proposals_of([clue])[clue.pk].version
    start = threading.Barrier(2)
    sent: list[list[int]] = []
    errors: list[Exception] = []

    def post() -> None:
        try:
            start.wait()
            letters = transfers.approve_and_send(
                choices=[transfers.Choice(clue, proposal=version)],
                by=world.users["office_head"],
                meeting=MEETING,
                key="one-confirmation-page",
            )
            sent.append([letter.pk for letter in letters])
        except Exception as exc:  # a thread cannot raise into the test: kept and asserted below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    (letter,) = ClueTransfer.objects.all()
    assert sent == [[letter.pk], [letter.pk]]  # the second post found the first one's letter
    assert letter.doc_number.endswith("〕1号")
