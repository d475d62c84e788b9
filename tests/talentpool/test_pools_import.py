"""Roster import: a clean roster nominates everyone at once; any problem imports nobody and is
listed with its row and column, and marked in a downloadable workbook."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import AuditLog, Person
from talentpool.models import TalentPoolEntry
from tests.core.test_files import encrypted_ooxml_bytes, zip_bytes
from tests.talentpool.conftest import HEADER, roster_bytes

pytestmark = pytest.mark.django_db

URL = reverse("talentpool:pool-import")


def upload(world, data: bytes, name: str = "名册.xlsx"):
    client = Client()
    client.force_login(world.users["pool_manager"])
    response = client.post(URL, {"file": SimpleUploadedFile(name, data)})
    return client, response


CLEAN = [
    ["李明", "男", 1975, "区财政局", "副局长", "副科", "财务审计", "巡察人才库", "区财政局", 13800000001],
    ["李明", "男", "1975年", "财政局", "副局长", "副科", "审计", "办案人才库", "", ""],
    ["王芳", "女", "1982.05", "区审计", "科员", "科员", "审计、财务", "巡察", "", "'13900000002"],
]


def test_a_clean_roster_nominates_everyone_and_a_person_may_be_in_both_pools(pool_world):
    # "区审计" is not a name of the audit bureau; fix it to the short name first.
    rows = [row[:] for row in CLEAN]
    rows[2][3] = "审计局"
    _client, response = upload(pool_world, roster_bytes(rows))
    assert response.status_code == 302
    entries = TalentPoolEntry.objects.select_related("person__home_unit").order_by("pk")
    assert [(e.person.name, e.pool_type, e.status) for e in entries] == [
        ("李明", "inspection", "nominated"),
        ("李明", "investigation", "nominated"),
        ("王芳", "inspection", "nominated"),
    ]
    li = entries[0].person
    assert entries[1].person == li  # one person, in both pools
    assert (li.gender, li.birth_year, li.home_unit.name, li.rank, li.phone) == (
        "male",
        1975,
        "区财政局",
        "deputy_section_chief",
        "13800000001",
    )
    assert entries[0].nominated_by_unit.name == "区财政局"
    wang = entries[2].person
    assert (wang.birth_year, wang.specialties, wang.phone) == (1982, ["finance_audit"], "13900000002")


def test_a_status_column_saying_in_the_pool_enters_cadres_active(pool_world):
    rows = [["张伟", "男", 1980, "区财政局", "", "", "纪检监察", "办案人才库", "", "", "在库"]]
    upload(pool_world, roster_bytes(rows, header=[*HEADER, "状态"]))
    entry = TalentPoolEntry.objects.get()
    assert entry.status == "active"
    assert entry.approved_at is not None


def test_full_width_and_spaced_headers_below_a_title_are_found(pool_world):
    header = [
        "姓　名",
        "性 别",
        "出生年份（必填）",
        "原 单 位",
        "职务",
        "职级",
        "专业特长",
        "人才库",
        "推荐单位",
        "联系电话",
    ]
    rows = [["赵强", "男", 1979, "区审计局", "", "", "审计", "巡察人才库", "", ""]]
    _client, response = upload(pool_world, roster_bytes(rows, header=header, above=[["2017年巡察人才库推荐名册"]]))
    assert response.status_code == 302
    assert TalentPoolEntry.objects.get().person.name == "赵强"


def test_a_messy_roster_imports_nobody_and_lists_every_problem(pool_world):
    persons_before = Person.objects.count()
    rows = [
        ["钱一", "男", 1975, "区财政局", "", "", "审计", "巡察人才库", "", ""],  # clean
        [None, "男", 1975, "区财政局", "", "", "审计", "巡察人才库", "", ""],  # no name
        [],
        [None, None, None, None],
        ["孙二", "男", "七五年", "火星局", "", "", "审计", "巡察人才库", "", ""],  # bad year, unknown unit
        ["周三", "男", 1976, "区财政局", "", "", "跳舞", "随便库", "", ""],  # bad specialty and pool
        ["钱一", "男", 1975, "区财政局", "", "", "审计", "巡察人才库", "", ""],  # listed twice
    ]
    client, response = upload(pool_world, roster_bytes(rows))
    assert response.status_code == 200
    found = [(issue.row, issue.column) for issue in response.context["issues"]]
    assert found == [
        (3, "name"),
        (6, "birth_year"),
        (6, "home_unit"),
        (7, "specialty"),
        (7, "pool"),
        (8, "name"),
    ]
    assert not TalentPoolEntry.objects.exists()
    assert Person.objects.count() == persons_before
    errors = client.get(reverse("talentpool:pool-import-errors"))
    assert errors.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(errors.content))
    summary = list(workbook["错误说明"].iter_rows(min_row=3, values_only=True))
    assert AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD, note="错误标注-人才库名册").exists()
    assert [(row[1], row[2]) for row in summary] == [
        (3, "姓名"),
        (6, "出生年份"),
        (6, "原单位"),
        (7, "专业特长"),
        (7, "人才库"),
        (8, "姓名"),
    ]
    assert workbook.worksheets[1]["D6"].comment is not None


def test_a_cadre_already_in_the_pool_is_refused(pool_world):
    rows = [["李明", "男", 1975, "区财政局", "", "", "审计", "巡察人才库", "", ""]]
    upload(pool_world, roster_bytes(rows))
    _client, response = upload(pool_world, roster_bytes(rows))
    assert [(issue.row, issue.column) for issue in response.context["issues"]] == [(2, "pool")]
    assert TalentPoolEntry.objects.count() == 1
    assert Person.objects.filter(name="李明").count() == 1


def test_a_roster_without_the_required_columns_is_refused(pool_world):
    _client, response = upload(pool_world, roster_bytes([["李明", "男"]], header=["姓名", "性别", "职务"]))
    assert response.status_code == 200
    assert response.context["issues"]
    assert not TalentPoolEntry.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"name,unit\n\xe6\x9d\x8e,x\n",
        b"\x00\x01\x02 not a workbook",
        encrypted_ooxml_bytes(),
        zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/s.xml": b"0" * 30_000_000}),
        b"PK\x03\x04 broken",
        b"",
    ],
    ids=["csv", "binary", "encrypted", "zip-bomb", "broken-zip", "empty"],
)
def test_a_hostile_or_broken_file_is_refused_with_a_message(pool_world, data):
    _client, response = upload(pool_world, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TalentPoolEntry.objects.exists()
    assert not AuditLog.objects.filter(content_type__model="talentpoolentry").exists()


def test_the_template_has_the_headers_and_drop_downs(pool_world):
    client = Client()
    client.force_login(pool_world.users["office_staff"])
    response = client.get(reverse("talentpool:pool-import-template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["人才库名册"]
    assert [cell.value for cell in sheet[1]] == [*HEADER, "状态"]
    starts = {part.split(":")[0] for v in sheet.data_validations.dataValidation for part in str(v.sqref).split()}
    assert starts == {"B2", "D2", "F2", "G2", "H2", "I2", "K2"}
    assert workbook["字典"].sheet_state == "hidden"
