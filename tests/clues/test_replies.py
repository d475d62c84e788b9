"""Answering letters (portal and paper), the office's review, and the clues an acceptance creates."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clues.models import Clue, ClueImportBatch, InfoRequestLetter, LetterReply
from clues.services import replies
from core.files import FileRejected
from core.models import AuditLog, Notification
from tests.conftest import assert_matrix, role_keys

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HEADERS = [
    "序号",
    "被巡察单位",
    "被反映人姓名",
    "单位及职务",
    "问题类别",
    "反映的主要问题",
    "线索来源",
    "收到(发现)时间",
]


def workbook(rows: list[list], *, headers: list[str] = HEADERS) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "问题线索"
    sheet.append(["关于提供被巡察单位问题线索情况统计表"])
    sheet.append(["填报单位(盖章):", "协作单位X"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_rows(n: int = 2) -> list[list]:
    names = ["张三", "李四", "王五", "赵六"]
    return [
        [
            i + 1,
            "被巡察单位A",
            names[i % 4],
            "科长",
            "廉洁纪律",
            f"反映其在工程项目中收受好处费第{i}次，金额较大。",
            "信访举报",
            "2017年7月3日",
        ]
        for i in range(n)
    ]


def cover_letter(letter: InfoRequestLetter, user) -> None:
    replies.attach_file(letter=letter, by=user, upload=io.BytesIO(PDF), name="回函.pdf", cover_letter=True)


def answer_with_nil_return(letter: InfoRequestLetter, user) -> LetterReply:
    replies.declare_nil_return(letter=letter, by=user, statement="经查，无相关情况。")
    cover_letter(letter, user)
    return replies.submit_reply(letter=letter, by=user)


def test_a_nil_return_answers_the_letter(world, sent):
    reply = answer_with_nil_return(sent["x"], world.users["partner_x"])
    letter = InfoRequestLetter.objects.get(pk=sent["x"].pk)
    assert letter.status == InfoRequestLetter.Status.ANSWERED
    assert letter.first_viewed_at is not None  # answering without a view records the view
    assert reply.status == LetterReply.Status.PENDING
    assert reply.is_nil_return
    assert not reply.on_paper


def test_the_reviewers_are_told_of_an_answer_and_the_partner_of_its_acceptance(world, sent):
    letter = sent["x"]
    reply = answer_with_nil_return(letter, world.users["partner_x"])
    for key in ("clue_custodian", "office_head"):
        told = Notification.objects.filter(recipient=world.users[key], url=f"/letters/{letter.pk}/")
        assert [n.title for n in told] == [
            f"函件{letter.doc_number}：{letter.partner.org_unit.display_name}已报送回函，请审核"
        ]
    assert not Notification.objects.filter(recipient=world.users["member_a"]).exists()
    replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    accepted = Notification.objects.filter(recipient=world.users["partner_x"], title__contains="已通过审核")
    assert accepted.count() == 1


def test_an_answer_needs_the_stamped_cover_letter(world, sent):
    replies.declare_nil_return(letter=sent["x"], by=world.users["partner_x"], statement="无")
    with pytest.raises(ValidationError):
        replies.submit_reply(letter=sent["x"], by=world.users["partner_x"])


def test_a_clean_workbook_becomes_clues_only_when_the_office_accepts(world, sent):
    partner = world.users["partner_x"]
    batch = replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(good_rows(3)), name="线索.xlsx")
    assert batch.status == ClueImportBatch.Status.STAGED
    assert batch.rows_data == 3
    cover_letter(sent["x"], partner)
    reply = replies.submit_reply(letter=sent["x"], by=partner)
    assert not Clue.objects.exists()
    replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    clues = list(Clue.objects.order_by("code"))
    assert [c.code for c in clues] == ["XC2017-01-0001", "XC2017-01-0002", "XC2017-01-0003"]
    first = clues[0]
    assert first.inspected_unit == world.unit_a
    assert first.assigned_group == world.group_a
    assert first.source_type == Clue.SourceType.PARTNER_LETTER
    assert first.source_partner == sent["x"].partner
    assert first.received_date == date(2017, 7, 3)
    assert first.categories == ["integrity"]
    assert first.reported_persons[0]["name"] == "张三"
    assert InfoRequestLetter.objects.get(pk=sent["x"].pk).status == InfoRequestLetter.Status.ACCEPTED


def test_a_workbook_with_a_bad_row_cannot_be_submitted_and_a_corrected_one_supersedes_it(world, sent):
    partner = world.users["partner_x"]
    rows = good_rows(2)
    rows[1][1] = "不存在的单位"
    bad = replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(rows), name="线索.xlsx")
    assert bad.status == ClueImportBatch.Status.INVALID
    bad_row = bad.rows.get(has_error=True)
    assert bad_row.row_number == 5
    assert bad_row.issues[0]["column"] == "inspected_unit"
    cover_letter(sent["x"], partner)
    with pytest.raises(ValidationError):
        replies.submit_reply(letter=sent["x"], by=partner)
    fixed = replies.upload_workbook(
        letter=sent["x"], by=partner, upload=workbook(good_rows(2)), name="线索（改）.xlsx", replaces=bad
    )
    bad.refresh_from_db()
    assert bad.status == ClueImportBatch.Status.SUPERSEDED
    assert fixed.status == ClueImportBatch.Status.STAGED
    replies.submit_reply(letter=sent["x"], by=partner)


def test_a_pdf_renamed_to_xlsx_is_refused_and_nothing_is_written(world, sent):
    with pytest.raises(FileRejected):
        replies.upload_workbook(letter=sent["x"], by=world.users["partner_x"], upload=io.BytesIO(PDF), name="线索.xlsx")
    assert not ClueImportBatch.objects.exists()
    assert not LetterReply.objects.exists()


def test_accepting_is_all_or_nothing(world, sent, monkeypatch):
    partner = world.users["partner_x"]
    replies.upload_workbook(letter=sent["x"], by=partner, upload=workbook(good_rows(3)), name="a.xlsx")
    cover_letter(sent["x"], partner)
    reply = replies.submit_reply(letter=sent["x"], by=partner)
    from clues.services import importing

    real = importing._clue_from_row
    calls = []

    def fail_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_clue_from_row", fail_on_third)
    with pytest.raises(RuntimeError):
        replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    assert not Clue.objects.exists()
    assert LetterReply.objects.get(pk=reply.pk).status == LetterReply.Status.PENDING
    assert ClueImportBatch.objects.get().status == ClueImportBatch.Status.STAGED


def test_returning_an_answer_notifies_the_partner_and_reopens_the_letter(world, sent):
    partner = world.users["partner_x"]
    reply = answer_with_nil_return(sent["x"], partner)
    replies.return_reply(reply=reply, by=world.users["clue_custodian"], note="请补充盖章件")
    letter = InfoRequestLetter.objects.get(pk=sent["x"].pk)
    assert letter.status == InfoRequestLetter.Status.RETURNED
    assert Notification.objects.filter(recipient=partner, body="请补充盖章件").exists()
    again = answer_with_nil_return(letter, partner)
    assert again.version == 2


def test_returning_needs_a_note(world, sent):
    reply = answer_with_nil_return(sent["x"], world.users["partner_x"])
    with pytest.raises(ValidationError):
        replies.return_reply(reply=reply, by=world.users["clue_custodian"], note=" ")


def test_the_custodian_can_record_a_paper_reply(world, sent):
    reply = answer_with_nil_return(sent["x"], world.users["clue_custodian"])
    assert reply.on_paper


def test_duplicates_across_partners_are_flagged_not_dropped(world, sent):
    for key in ("x", "y"):
        user = world.users[f"partner_{key}"]
        replies.upload_workbook(letter=sent[key], by=user, upload=workbook(good_rows(1)), name="a.xlsx")
        cover_letter(sent[key], user)
        reply = replies.submit_reply(letter=sent[key], by=user)
        replies.accept_reply(reply=reply, by=world.users["clue_custodian"])
    first, second = Clue.objects.order_by("code")
    assert first.possible_duplicate_of is None
    assert second.possible_duplicate_of == first
    assert second.source_import_row.duplicate_of == first  # the staged row names it too
    assert first.source_import_row.duplicate_of is None
    assert second.status == Clue.Status.REGISTERED


def _partner_client(world, key="partner_x") -> Client:
    client = Client()
    client.force_login(world.users[key])
    return client


def test_the_portal_shows_every_problem_and_offers_the_marked_workbook(world, sent):
    rows = good_rows(2)
    rows[0][7] = "2017-02-30"
    client = _partner_client(world)
    upload = workbook(rows)
    upload.name = "线索.xlsx"
    response = client.post(reverse("clues:letter-upload", args=[sent["x"].pk]), {"file": upload}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "收到(发现)时间" in body  # the column's header, not its key
    batch = ClueImportBatch.objects.get()
    marked = client.get(reverse("clues:batch-errors", args=[batch.pk]))
    assert marked.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(marked.content))
    assert book.sheetnames[0] == "错误说明"


def test_staged_rows_and_files_are_private_to_the_partner_the_custodian_and_the_head(world, sent):
    batch = replies.upload_workbook(
        letter=sent["x"], by=world.users["partner_x"], upload=workbook(good_rows(1)), name="a.xlsx"
    )
    # Office staff run the letter workflow but see no reply content (issue 11, docs/domain.md §5.2 rule 6).
    expected = role_keys("office_head", "clue_custodian", "partner_x")
    assert_matrix(world, reverse("clues:batch-detail", args=[batch.pk]), expected)
    assert_matrix(world, reverse("clues:batch-errors", args=[batch.pk]), expected)
    assert_matrix(world, reverse("core:file-download", args=[batch.file.pk]), expected)


def test_partner_y_cannot_upload_to_partner_xs_letter(world, sent):
    client = _partner_client(world, "partner_y")
    upload = workbook(good_rows(1))
    upload.name = "a.xlsx"
    assert client.post(reverse("clues:letter-upload", args=[sent["x"].pk]), {"file": upload}).status_code == 404
    assert not ClueImportBatch.objects.exists()


def test_the_custodian_records_a_paper_reply_and_office_staff_cannot(world, sent):
    client = Client()
    client.force_login(world.users["clue_custodian"])
    response = client.get(reverse("clues:letter-detail", args=[sent["x"].pk]))
    assert response.context["can_answer"] is True
    upload = workbook(good_rows(1))
    upload.name = "纸质回函.xlsx"
    client.post(reverse("clues:letter-upload", args=[sent["x"].pk]), {"file": upload})
    assert LetterReply.objects.get().on_paper
    staff = Client()
    staff.force_login(world.users["office_staff"])
    assert staff.get(reverse("clues:letter-detail", args=[sent["x"].pk])).context["can_answer"] is False
    upload.seek(0)
    assert staff.post(reverse("clues:letter-upload", args=[sent["x"].pk]), {"file": upload}).status_code == 404


def test_office_staff_see_a_replys_status_and_counts_without_links_to_its_workbooks(world, sent):
    batch = replies.upload_workbook(
        letter=sent["x"], by=world.users["partner_x"], upload=workbook(good_rows(2)), name="某局线索.xlsx"
    )
    cover_letter(sent["x"], world.users["partner_x"])
    replies.submit_reply(letter=sent["x"], by=world.users["partner_x"])
    staff = Client()
    staff.force_login(world.users["office_staff"])
    body = staff.get(reverse("clues:letter-detail", args=[sent["x"].pk])).content.decode()
    assert "2 条线索行" in body
    assert reverse("clues:batch-detail", args=[batch.pk]) not in body
    assert "某局线索.xlsx" not in body
    head = Client()
    head.force_login(world.users["office_head"])
    assert (
        reverse("clues:batch-detail", args=[batch.pk])
        in head.get(reverse("clues:letter-detail", args=[sent["x"].pk])).content.decode()
    )


def test_a_partner_cannot_answer_a_letter_it_has_answered(world, sent):
    answer_with_nil_return(sent["x"], world.users["partner_x"])
    client = _partner_client(world)
    response = client.get(reverse("clues:letter-detail", args=[sent["x"].pk]))
    assert response.context["can_answer"] is False
    response = client.post(reverse("clues:letter-answer", args=[sent["x"].pk]), follow=True)
    assert "当前不需要答复" in response.content.decode()


def test_the_error_workbook_seals_the_reporter_carries_the_readers_watermark_and_is_logged(world, sent):
    rows = [[*row, "实名举报人丙 13900000000"] for row in good_rows(2)]
    rows[0][7] = "2017-02-30"
    batch = replies.upload_workbook(
        letter=sent["x"],
        by=world.users["partner_x"],
        upload=workbook(rows, headers=[*HEADERS, "反映人"]),
        name="a.xlsx",
    )
    client = _partner_client(world)
    response = client.get(reverse("clues:batch-errors", args=[batch.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "实名举报人丙" not in text
    assert "13900000000" not in text
    assert text.count("（已密封）") == 2
    assert "反映人" in [cell.value for cell in book["问题线索"][3]]  # the header still names the column
    assert "partner_x" in book["错误说明"]["A1"].value
    assert "partner_x" in book.properties.creator
    log = AuditLog.objects.get(action=AuditLog.Action.DOWNLOAD)
    assert (log.user, log.object_id) == (world.users["partner_x"], str(batch.pk))
