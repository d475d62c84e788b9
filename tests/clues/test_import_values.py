"""Staging and commit write plain value tuples (core.bulk.insert_values), not model instances:
the rows they store are exactly those the ORM writes from instances, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from clues.models import Clue, ClueImportBatch, ClueImportRow
from clues.services import importing, replies
from core.bulk import insert_values
from core.files import clear_path
from core.models import Notification, StoredFile
from tests.clues.test_replies import HEADERS, cover_letter, workbook
from tests.conftest import make_user

TRICKY = "制表\t换行\n回车\r反斜杠\\N 引号\"' 结尾\\"
EXTRA_HEADERS = ["涉及金额", "办理情况", "办理结果", "反映人", "备注"]


def _rows() -> list[list[Any]]:
    """Data rows with amounts, anonymous and named reporters, text that COPY must escape and a
    warning, between a blank row, a subtotal and a note (rows that are staged but not clues)."""
    data = [
        [
            1,
            "被巡察单位A",
            "张三",
            "科长",
            "廉洁纪律",
            "反映其在工程项目中收受好处费，金额较大。",
            "信访举报",
            "2017年7月3日",
        ],
        [
            2,
            "被巡察单位A",
            "李四、王五",
            "副科长",
            "群众纪律、工作纪律",
            "反映其在低保审批中优亲厚友。",
            "来电",
            "2017.7",
        ],
        [3, "被巡察单位A", "赵六", "主任", "组织纪律", f"反映其违规提拔干部。{TRICKY}", "审计发现", "20170803"],
    ]
    extra = [["约2万", "未办理", None, "匿名", "见附件"], ["15000元", "已办结", "已了结", "李明", TRICKY], [None] * 5]
    return [
        data[0] + extra[0],
        [None] * 13,
        data[1] + extra[1],
        data[2] + extra[2],
        ["合计", None, "3人"],
        ["注:以上线索仅供参考"],
    ]


@pytest.fixture
def batch(world, sent) -> ClueImportBatch:
    upload = workbook(_rows(), headers=HEADERS + EXTRA_HEADERS)
    staged = replies.upload_workbook(letter=sent["x"], by=world.users["partner_x"], upload=upload, name="a.xlsx")
    assert staged.status == ClueImportBatch.Status.STAGED
    return staged


def _stored(model: type, where: str, params: list[Any], exclude: set[str]) -> list[tuple]:
    """The rows as the database holds them (JSON as stored, not decoded by the ORM)."""
    columns = [f.column for f in model._meta.concrete_fields if f.column not in exclude]
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} WHERE {where} ORDER BY {quote('id')}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def test_staged_rows_are_what_the_orm_writes(batch):
    with clear_path(batch.file) as path:
        result = importing.parse_for_letter(path=path, kind=batch.file.kind, letter=batch.reply.letter)
    twin = ClueImportBatch.objects.create(reply=batch.reply, file=batch.file, status=batch.status)
    ClueImportRow.objects.bulk_create(
        ClueImportRow(
            batch=twin,
            sheet=row.sheet[:200],
            row_number=row.row_number,
            kind=row.kind,
            raw=row.raw,
            values=row.values,
            issues=[importing._issue(i) for i in row.issues],
            has_error=any(i.severity == "error" for i in row.issues),
            reporter=row.reporter,
        )
        for row in result.rows
    )
    # Sealing draws a fresh IV per value: the sealed column is compared opened.
    exclude = {"id", "batch_id", "reporter"}
    staged = _stored(ClueImportRow, "batch_id = %s", [batch.pk], exclude)
    assert len(staged) == len(result.rows) == 6
    assert {row[2] for row in staged} == {"data", "blank", "subtotal", "note"}
    assert staged == _stored(ClueImportRow, "batch_id = %s", [twin.pk], exclude)
    assert _opened_reporters(batch) == _opened_reporters(twin) == ["匿名", "", "李明", "", "", ""]


def _opened_reporters(batch: ClueImportBatch) -> list[str]:
    return [sealed.open() for sealed in batch.rows.order_by("pk").values_list("reporter", flat=True)]


def _orm_clue(row: ClueImportRow, clue: Clue, by: Any) -> Clue:
    """The clue as the import built it before it wrote tuples: a model instance per row."""
    values = row.values
    letter, unit = row.batch.reply.letter, clue.inspected_unit
    allegation = values.get("allegation") or ""
    amount = values.get("amount_yuan")
    reporter = row.reporter.open()
    return Clue(
        code=clue.code,
        inspection_round_id=letter.inspection_round_id,
        inspected_unit=unit,
        assigned_group_id=unit.group_id,
        source_type=Clue.SourceType.PARTNER_LETTER,
        source_partner_id=letter.partner_id,
        source_import_row_id=row.pk,
        source_ref=(values.get("source_ref") or "")[:100],
        source_channel=values.get("source_channel") or "",
        received_date=date.fromisoformat(values["received_date"]),
        received_date_precision=values.get("received_date_precision") or Clue.Precision.DAY,
        reported_persons=values.get("reported_persons", []),
        allegation_summary=allegation[:300],
        allegation_detail=allegation,
        categories=values.get("categories", []),
        amount_involved_yuan=Decimal(amount) if amount else None,
        amount_approximate=bool(values.get("amount_approximate")),
        handling_status=values.get("handling_status") or "",
        handling_result=values.get("handling_result") or "",
        remarks=values.get("remarks") or "",
        reporter_name="" if reporter == "匿名" else reporter[:100],
        is_anonymous=reporter == "匿名",
        created_by=by,
    )


def test_committed_clues_are_what_the_orm_writes(world, sent, batch):
    cover_letter(sent["x"], world.users["partner_x"])
    reply = replies.submit_reply(letter=sent["x"], by=world.users["partner_x"])
    office = world.users["office_staff"]
    replies.accept_reply(reply=reply, by=office)
    clues = list(Clue.objects.select_related("source_import_row__batch__reply__letter", "inspected_unit"))
    assert len(clues) == 3
    assert {(c.is_anonymous, c.reporter_name.open(), c.amount_involved_yuan) for c in clues} == {
        (True, "", Decimal("20000.00")),
        (False, "李明", Decimal("15000.00")),
        (False, "", None),
    }
    # Sealing draws a fresh IV per value: the sealed columns are compared opened.
    exclude = {"id", "created_at", "updated_at", "reporter_name", "reporter_contact"}
    committed = _stored(Clue, "1 = 1", [], exclude)
    reporters = _opened_clue_reporters()
    expected = [_orm_clue(c.source_import_row, c, office) for c in clues]
    assert all(c.created_at is not None and c.updated_at is not None for c in clues)
    Clue.objects.all().delete()
    Clue.objects.bulk_create(expected)
    assert committed == _stored(Clue, "1 = 1", [], exclude)
    assert reporters == _opened_clue_reporters()


def _opened_clue_reporters() -> list[tuple[str, str]]:
    rows = Clue.objects.order_by("code").values_list("reporter_name", "reporter_contact")
    return [(name.open(), contact.open()) for name, contact in rows]


def test_insert_values_escapes_text_and_fills_defaults(db):
    user = make_user("reader")
    written = insert_values(Notification, ("recipient", "title"), [(user.pk, TRICKY), (user.pk, "二")], batch_size=1)
    assert written == 2
    first, second = Notification.objects.order_by("pk")
    assert (first.title, second.title) == (TRICKY, "二")
    assert first.body == ""  # the field's default
    assert first.read_at is None
    assert first.created_at is not None  # auto_now_add applied


def test_insert_values_refuses_to_share_a_default_computed_per_row(db):
    with pytest.raises(ValueError, match="default computed per row"):
        insert_values(StoredFile, ("kind",), [("pdf",)])  # its primary key is a fresh UUID per row
