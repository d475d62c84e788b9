"""The error workbook an uploader gets back: their own rows, with every cell that has a problem
filled (red for errors, yellow for warnings) and carrying a comment that says what is wrong,
after a first sheet 错误说明 that lists every problem.

The workbook is always rebuilt from the values, whatever the original kind, with a write-only
workbook so that memory stays flat for 50,000 rows. Editing an .xlsx original in place would
keep its styling but needs openpyxl's full mode, which holds the whole sheet in memory and
drops what openpyxl does not understand (pictures, pivot tables) anyway. Merged ranges are kept.

Columns named sealed (a reporter's identity) never come back in clear: their cells read
SEALED, whoever downloads the workbook. The reader's watermark (core.watermark) is the first
line of 错误说明 and in the file's properties; the copied sheets keep the original row numbers,
which the marks and the uploader's corrections refer to.
"""

import io
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.excel.export import mark_properties
from core.excel.reader import CellValue, read_workbook

ERROR_FILL = PatternFill("solid", fgColor="FFFF8080")
WARNING_FILL = PatternFill("solid", fgColor="FFFFFF80")
_AUTHOR = "巡察协同平台"
_SEVERITY_LABEL = {"error": "错误", "warning": "警告"}
_SUMMARY_SHEET = "错误说明"
SEALED = "（已密封）"


@dataclass(frozen=True, slots=True)
class Mark:
    """One problem to show. `row` and `column` are 1-based; row 0 is about the whole file and
    column None about the whole row (its first cell is marked)."""

    sheet: str
    row: int
    column: int | None
    severity: str  # "error" | "warning"
    message: str
    column_label: str = ""


def _safe(value: CellValue) -> CellValue:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def build_error_workbook(
    path: str,
    *,
    kind: str,
    marks: Sequence[Mark],
    watermark: str,
    sealed: Mapping[str, Collection[int]] | None = None,
    is_label: Callable[[CellValue], bool] = lambda value: False,
) -> bytes:
    """xlsx bytes: 错误说明 first, then every sheet of the original with the marked cells.

    sealed: sheet → 1-based columns whose cells are written as SEALED, except the header
    cells that name the column (is_label).
    """
    workbook = Workbook(write_only=True)
    mark_properties(workbook, watermark)
    _write_summary(workbook, marks, watermark)
    sealed = sealed or {}
    by_cell: dict[str, dict[int, dict[int, list[Mark]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for mark in marks:
        if mark.row > 0:
            by_cell[mark.sheet][mark.row][mark.column or 1].append(mark)
    for sheet in read_workbook(path, kind=kind):
        if sheet.hidden and sheet.name not in by_cell:
            continue
        worksheet = workbook.create_sheet(sheet.name[:31])
        for merge in sheet.merges:
            worksheet.merged_cells.add(merge.ref)
        sheet_marks = by_cell.get(sheet.name, {})
        sealed_columns = frozenset(sealed.get(sheet.name, ()))
        expected = 1
        for row in sheet.rows:
            # Rows the reader skipped (trailing blanks are never yielded) keep their numbers.
            for _ in range(expected, row.number):
                worksheet.append([])
            expected = row.number + 1
            row_marks = sheet_marks.get(row.number, {})
            width = max(len(row.cells), max(row_marks, default=0))
            out: list[Cell] = []
            for column in range(1, width + 1):
                value = row.cell(column).value
                if column in sealed_columns and value not in (None, "") and not is_label(value):
                    value = SEALED
                out.append(_cell(worksheet, value, row_marks.get(column)))
            worksheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(worksheet: WriteOnlyWorksheet, value: CellValue, marks: list[Mark] | None) -> Cell:
    cell = WriteOnlyCell(worksheet, value=_safe(value))
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
    elif isinstance(value, datetime | date):
        cell.number_format = "yyyy-mm-dd"
    if marks:
        worst = "error" if any(mark.severity == "error" for mark in marks) else "warning"
        cell.fill = ERROR_FILL if worst == "error" else WARNING_FILL
        text = "\n".join(f"[{_SEVERITY_LABEL.get(mark.severity, mark.severity)}] {mark.message}" for mark in marks)
        cell.comment = Comment(text, _AUTHOR, width=300, height=40 + 20 * len(marks))
    return cell


def _write_summary(workbook: Workbook, marks: Sequence[Mark], watermark: str) -> None:
    summary = workbook.create_sheet(_SUMMARY_SHEET)
    for letter, width in zip("ABCDE", (16, 8, 18, 8, 70), strict=True):
        summary.column_dimensions[letter].width = width
    line = WriteOnlyCell(summary, value=_safe(watermark))
    line.font = Font(italic=True, color="FF808080")
    summary.append([line])
    bold = Font(bold=True)
    header = []
    for label in ("工作表", "行", "列", "级别", "说明"):
        cell = WriteOnlyCell(summary, value=label)
        cell.font = bold
        header.append(cell)
    summary.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    ordered = sorted(marks, key=lambda m: (m.sheet, m.row, m.column or 0, m.severity != "error"))
    for mark in ordered:
        column = mark.column_label or (get_column_letter(mark.column) if mark.column else "")
        message = WriteOnlyCell(summary, value=_safe(mark.message))
        message.alignment = wrap
        level = WriteOnlyCell(summary, value=_SEVERITY_LABEL.get(mark.severity, mark.severity))
        level.fill = ERROR_FILL if mark.severity == "error" else WARNING_FILL
        summary.append([mark.sheet, mark.row or "", column, level, message])
