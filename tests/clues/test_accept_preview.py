"""Accepting an answer shows the rows as read first (issue 14 item 5): the first rows of each
workbook and every flagged row, from the staged import rows, before the accept button."""

import pytest
from django.urls import reverse

from clues.models import Clue, ClueImportRow, LetterReply
from clues.selectors import accept_preview
from clues.services import replies
from core.models import AuditLog
from tests.clues.test_replies import cover_letter, good_rows, workbook
from tests.conftest import assert_matrix, role_keys
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def _submitted(world, letter, rows) -> LetterReply:
    partner = world.users["partner_x"]
    replies.upload_workbook(letter=letter, by=partner, upload=workbook(rows), name="线索.xlsx")
    cover_letter(letter, partner)
    return replies.submit_reply(letter=letter, by=partner)


def test_the_preview_holds_the_first_rows_and_every_flagged_row(world, sent):
    reply = _submitted(world, sent["x"], good_rows(14))
    batch = reply.batches.get()
    late = ClueImportRow.objects.filter(batch=batch, kind="data").order_by("row_number").last()
    late.issues = [{"severity": "warning", "column": "received_date", "message": "日期晚于来函日期"}]
    late.save()
    (part,) = accept_preview(list(reply.batches.all()), first=3)
    numbers = [item["row"].row_number for item in part["rows"]]
    data = list(batch.rows.filter(kind="data").order_by("row_number").values_list("row_number", flat=True))
    assert numbers == [*data[:3], data[-1]]
    assert part["flagged"] == 1
    assert part["hidden"] == 14 - 4


def test_the_accept_button_leads_to_the_preview_which_changes_nothing(world, sent):
    reply = _submitted(world, sent["x"], good_rows(3))
    client = logged_in(world.users["clue_custodian"])
    detail = client.get(reverse("clues:letter-detail", args=[sent["x"].pk])).content.decode()
    assert f'href="{reverse("clues:reply-accept", args=[reply.pk])}"' in detail
    page = client.get(reverse("clues:reply-accept", args=[reply.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "被巡察单位A" in html
    assert "张三" in html
    assert 'id="confirm-accept"' in html
    assert not Clue.objects.exists()
    assert AuditLog.objects.filter(action="view", object_id=str(reply.pk)).exists()
    client.post(reverse("clues:reply-accept", args=[reply.pk]))
    assert Clue.objects.count() == 3


def test_the_preview_of_an_answer_no_longer_pending_goes_back_to_the_letter(world, sent):
    reply = _submitted(world, sent["x"], good_rows(1))
    replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    response = logged_in(world.users["clue_custodian"]).get(reverse("clues:reply-accept", args=[reply.pk]))
    assert response.status_code == 302


def test_the_preview_page_by_role(world, sent):
    reply = _submitted(world, sent["x"], good_rows(1))
    assert_matrix(world, reverse("clues:reply-accept", args=[reply.pk]), role_keys("clue_custodian", "office_head"))
