"""Builders for the partner workbooks the importer tests read: the template's layout by default,
with every messy variation of docs/domain.md §6.3 available through arguments."""

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from clues.importing.parser import parse_clue_workbook
from clues.importing.result import ParseResult
from clues.importing.spec import COLUMNS
from core.excel.units import UnitRef

HEADER = [column.label for column in COLUMNS]
TITLE = "关于提供被巡察单位问题线索情况统计表"
METADATA = [
    "填报单位(盖章):区审计局",
    None,
    None,
    None,
    "填报人:王五",
    None,
    "联系电话:",
    "13812345678",
    "填报日期:2017年9月1日",
]
UNITS = [
    UnitRef(1, ("示范区住房和城乡建设局", "住建局")),
    UnitRef(2, ("区民政局", "民政局")),
    UnitRef(3, ("区教育局",)),
]
TODAY = date(2017, 9, 1)
ALLEGATION = "反映其在工程招投标中收受他人财物，数额较大。"
VALID = {
    "seq": 1,
    "inspected_unit": "示范区住房和城乡建设局",
    "reported_name": "张三",
    "reported_position": "局长",
    "reported_rank": "乡科级正职",
    "is_party_member": "是",
    "category": "廉洁纪律",
    "allegation": ALLEGATION,
    "source_channel": "信访举报",
    "source_ref": "信2017-001",
    "received_date": "2017-08-03",
    "amount": None,
    "handling_status": "未办理",
    "handling_result": None,
    "reporter_name": "匿名",
    "evidence_note": None,
    "remarks": None,
}


def data_row(**changes: Any) -> list[Any]:
    """A valid data row in template column order, with some cells changed."""
    values = VALID | changes
    return [values[column.key] for column in COLUMNS]


def standard_rows(*rows: Sequence[Any]) -> list[Sequence[Any]]:
    """Title, metadata and header rows (rows 1-3), then the given rows from row 4."""
    return [[TITLE], METADATA, HEADER, *rows]


def write_xlsx(
    path: Path,
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "问题线索",
    merges: Iterable[str] = (),
    hidden_rows: Iterable[int] = (),
    fonts: dict[str, Font] | None = None,
    fills: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
    extra_sheets: dict[str, list[Sequence[Any]]] | None = None,
    hidden_sheets: Iterable[str] = (),
    formatted_rows: int = 0,
) -> Path:
    """An .xlsx with one data sheet (and optional extra sheets), cells as given."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    _fill(worksheet, rows)
    for ref in merges:
        worksheet.merge_cells(ref)
    for number in hidden_rows:
        worksheet.row_dimensions[number].hidden = True
    for ref, font in (fonts or {}).items():
        worksheet[ref].font = font
    for ref, colour in (fills or {}).items():
        worksheet[ref].fill = PatternFill("solid", fgColor=colour)
    for ref, text in (comments or {}).items():
        worksheet[ref].comment = Comment(text, "审计局")
    # Formatting-only trailing rows, as when a whole column was formatted (quirk 4).
    for number in range(worksheet.max_row + 1, worksheet.max_row + 1 + formatted_rows):
        worksheet.cell(number, 2).number_format = "@"
    for name, sheet_rows in (extra_sheets or {}).items():
        _fill(workbook.create_sheet(name), sheet_rows)
    for name in hidden_sheets:
        workbook[name].sheet_state = "hidden"
    workbook.save(path)
    return path


def _fill(worksheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                worksheet.cell(number, column, value)


def write_csv(path: Path, rows: Iterable[Sequence[Any]], *, encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([["" if value is None else value for value in row] for row in rows])
    return path


def parse(path: Path, *, kind: str = "xlsx", units: Sequence[UnitRef] = UNITS) -> ParseResult:
    return parse_clue_workbook(str(path), kind=kind, units=units, letter_year=2017, today=TODAY)


def issues_of(result: ParseResult, row_number: int) -> list[tuple[str, str]]:
    """(column, severity) of every issue on a row."""
    row = next(row for row in result.rows if row.row_number == row_number)
    return [(issue.column, issue.severity) for issue in row.issues]


def row_at(result: ParseResult, row_number: int, sheet: str | None = None) -> Any:
    return next(row for row in result.rows if row.row_number == row_number and (sheet is None or row.sheet == sheet))
