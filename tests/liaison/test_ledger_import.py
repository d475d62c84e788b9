"""Ledger import: a clean workbook adds every item through add_item (notices scheduled); any
problem imports nothing and is listed with its row and column, and marked in a downloadable
workbook; an exported ledger imports back; rows already in the ledger are skipped."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.models import AuditLog, Reminder
from liaison.models import FeedbackProblem, RectificationItem
from liaison.services import ledger as ledger_services
from tests.conftest import assert_matrix, role_keys
from tests.core.test_files import encrypted_ooxml_bytes, zip_bytes
from tests.helpers import logged_in
from tests.liaison.ledger_fixtures import PLAN, ledger_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

HEADER = ["序号", "问题描述", "整改措施", "责任领导", "牵头部门", "责任人", "配合部门", "整改类型", "整改时限"]


def workbook_bytes(rows, *, header=HEADER, above=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in (*above, header, *rows):
        sheet.append(list(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, unit, data: bytes, name: str = "整改台账.xlsx"):
    url = reverse("liaison:ledger-import", args=[unit.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def message_of(response) -> str:
    return str(next(iter(response.wsgi_request._messages)))


def imported(count: int, skipped: int) -> str:
    with translation.override("zh-hans"):
        return _("%(count)s items imported; %(skipped)s rows already in the ledger were skipped.") % {
            "count": count,
            "skipped": skipped,
        }


def second_problem(ledger) -> FeedbackProblem:
    return FeedbackProblem.objects.create(
        feedback=ledger.feedback, seq=2, category="选人用人", description="干部档案管理不规范"
    )


def reminders_of(item) -> int:
    content_type = ContentType.objects.get_for_model(RectificationItem)
    return Reminder.objects.filter(target_type=content_type, target_id=str(item.pk)).count()


def test_a_clean_ledger_adds_every_item_issued_with_its_notices(ledger):
    second_problem(ledger)
    rows = [
        ["1", "", "规范公务接待审批", "张书记", "办公室", "李主任", "财务科", "限期整改", "2017年10月31日"],
        ["", "干部档案管理不规范", "开展档案专项审核", "王部长", "组织部", "赵科长", "", "长期整改", "2017.12"],
        ["2.1", "", "建立档案管理制度", "王部长", "组织部", "赵科长", "", "立行立改", date(2017, 7, 1)],
    ]
    response = upload(logged_in(ledger.officer), ledger.world.unit_a, workbook_bytes(rows))
    assert response.status_code == 302
    new = RectificationItem.objects.exclude(pk=ledger.item.pk).select_related("problem").order_by("pk")
    assert [(i.problem.seq, i.seq, i.rectification_type, i.deadline, i.status) for i in new] == [
        (1, 2, "time_bound", date(2017, 10, 31), "issued"),
        (2, 1, "long_term", date(2017, 12, 31), "issued"),
        (2, 2, "immediate", date(2017, 7, 1), "issued"),
    ]
    first = new[0]
    assert (first.measure, first.responsible_leader, first.lead_department, first.responsible_person) == (
        "规范公务接待审批",
        "张书记",
        "办公室",
        "李主任",
    )
    assert first.co_departments == "财务科"
    assert all(reminders_of(item) == 3 for item in new)


def test_a_messy_ledger_imports_nothing_and_lists_every_problem(ledger):
    header = ["序　号", " 问题 描述", "整改措施（必填）", "责 任 领 导", "牵头部门", "责任人", "整改类型", "整改时限"]
    rows = [
        ["9", "", "措施甲", "张书记", "办公室", "李主任", "限期整改", "2017-10-01"],  # row 3: unknown problem
        ["", "", "", "", "", "", "", ""],  # blank: skipped
        ["1", "", "", "张书记", "办公室", "李主任", "限期整改", "2017-10-01"],  # row 5: no measure
        ["1", "", "措施丙", "张书记", "办公室", "李主任", "限期整改", "2017年13月45日"],  # row 6: bad date
        ["1", "", "措施丁", "张书记", "办公室", "李主任", "尽快整改", "2017-10-01"],  # row 7: bad type
        ["1", "", "措施戊", "张书记", "办公室", "", "限期整改", "2017-05-01"],  # row 8: no person, too early
        ["", "没有这个问题", "措施己", "张书记", "办公室", "李主任", "限期整改", "2017-10-01"],  # row 9
        ["1", "", "措施庚", "张书记", "办公室", "李主任", "限期整改", "2017-10-01"],  # row 10: fine
    ]
    data = workbook_bytes(rows, header=header, above=[["某单位整改台账"]])
    client = logged_in(ledger.officer)
    reminders = Reminder.objects.count()
    response = upload(client, ledger.world.unit_a, data)
    assert response.status_code == 200
    issues = [(issue.row, issue.column) for issue in response.context["import_issues"]]
    assert issues == [
        (3, "seq"),
        (5, "measure"),
        (6, "deadline"),
        (7, "rectification_type"),
        (8, "responsible_person"),
        (8, "deadline"),
        (9, "problem"),
    ]
    assert RectificationItem.objects.count() == 1
    assert Reminder.objects.count() == reminders
    assert "ledger-import-issues" in response.content.decode()

    errors = client.get(reverse("liaison:ledger-import-errors", args=[ledger.world.unit_a.pk]))
    assert errors.status_code == 200
    marked = openpyxl.load_workbook(io.BytesIO(errors.content))
    assert marked.sheetnames[0] == "错误说明"
    assert marked.worksheets[0].max_row == 2 + len(issues)  # the watermark line, the header, one per issue
    assert "下载" in marked.worksheets[0]["A1"].value
    assert AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD, object_id=str(ledger.world.unit_a.pk)).exists()
    assert marked.worksheets[1]["C5"].comment is not None  # the missing measure, marked on its cell


def test_a_workbook_without_the_required_columns_is_refused(ledger):
    data = workbook_bytes([["1", "措施", "张书记"]], header=["序号", "整改措施", "责任领导"])
    response = upload(logged_in(ledger.officer), ledger.world.unit_a, data)
    assert response.status_code == 200
    assert [issue.row for issue in response.context["import_issues"]] == [1]
    assert RectificationItem.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02 not a workbook",
        encrypted_ooxml_bytes(),
        zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/s.xml": b"0" * 30_000_000}),
        b"PK\x03\x04 broken",
        b"",
    ],
    ids=["binary", "encrypted", "zip-bomb", "broken-zip", "empty"],
)
def test_a_hostile_or_broken_file_is_refused_with_a_message(ledger, data):
    response = upload(logged_in(ledger.officer), ledger.world.unit_a, data)
    assert response.status_code == 200
    assert response.context["import_form"].errors["file"]
    assert RectificationItem.objects.count() == 1


def test_an_exported_ledger_imports_back_and_again_adds_nothing(ledger):
    ledger_services.add_item(
        by=ledger.officer,
        problem=ledger.problem,
        **{**PLAN, "measure": "退赔超标准接待费用", "rectification_type": "immediate", "co_departments": "财务科"},
    )
    fields = ("measure", "responsible_leader", "lead_department", "responsible_person", "co_departments",
              "rectification_type", "deadline")  # fmt: skip
    before = sorted(RectificationItem.objects.values_list(*fields))
    client = logged_in(ledger.officer)
    exported = client.get(reverse("liaison:ledger-export", args=[ledger.world.unit_a.pk])).content

    response = upload(client, ledger.world.unit_a, exported)  # the same rows: all skipped
    assert response.status_code == 302
    assert RectificationItem.objects.count() == 2
    assert message_of(response) == imported(0, 2)

    for item in RectificationItem.objects.all():
        Reminder.objects.filter(target_id=str(item.pk)).delete()
        item.delete()
    assert upload(client, ledger.world.unit_a, exported).status_code == 302
    assert sorted(RectificationItem.objects.values_list(*fields)) == before
    assert set(RectificationItem.objects.values_list("status", flat=True)) == {"issued"}


def test_reimporting_skips_rows_already_in_the_ledger_and_says_how_many(ledger):
    rows = [
        ["1", "", PLAN["measure"], "张书记", "办公室", "李主任", "", "限期整改", "2017-09-01"],  # the fixture's
        ["1", "", "新增措施", "张书记", "办公室", "李主任", "", "限期整改", "2017-09-01"],
        ["1", "", "新增措施", "张书记", "办公室", "李主任", "", "限期整改", "2017-09-01"],  # twice in the file
    ]
    client = logged_in(ledger.officer)
    response = upload(client, ledger.world.unit_a, workbook_bytes(rows))
    assert response.status_code == 302
    assert RectificationItem.objects.count() == 2
    assert message_of(response) == imported(1, 2)
    upload(client, ledger.world.unit_a, workbook_bytes(rows))
    assert RectificationItem.objects.count() == 2


def test_who_may_import(ledger):
    world = ledger.world
    # Posting no file shows the form again to those who may add items; everyone else gets a 404.
    url = reverse("liaison:ledger-import", args=[world.unit_a.pk])
    allowed = role_keys("office_head", "office_staff", "leader_a", "liaison_a")
    assert_matrix(world, url, allowed, method="post")
    data = workbook_bytes([["1", "", "越权措施", "张书记", "办公室", "李主任", "", "限期整改", "2017-09-01"]])
    for key in ("liaison_b", "member_a", "member_b", "partner_x", "outsider"):
        assert upload(logged_in(world.users[key]), world.unit_a, data).status_code == 404
    assert RectificationItem.objects.count() == 1
    page = logged_in(world.users["member_a"]).get(reverse("liaison:ledger", args=[world.unit_a.pk]))
    assert "ledger-import-form" not in page.content.decode()
    page = logged_in(ledger.officer).get(reverse("liaison:ledger", args=[world.unit_a.pk]))
    assert "ledger-import-form" in page.content.decode()


def test_the_error_workbook_is_only_for_the_uploaders_unit(ledger):
    world = ledger.world
    bad = workbook_bytes([["9", "", "措施", "张书记", "办公室", "李主任", "", "限期整改", "2017-09-01"]])
    leader = logged_in(world.users["office_staff"])
    assert upload(leader, world.unit_a, bad).status_code == 200
    errors_a = reverse("liaison:ledger-import-errors", args=[world.unit_a.pk])
    errors_b = reverse("liaison:ledger-import-errors", args=[world.unit_b.pk])
    assert leader.get(errors_a).status_code == 200
    assert leader.get(errors_b).status_code == 404  # the session's workbook belongs to unit A
    assert logged_in(ledger.officer).get(errors_a).status_code == 404  # nothing refused in their session
    assert logged_in(ledger.officer_b).get(errors_a).status_code == 404
