"""The error workbook an uploader gets back: their own rows, with every cell that has a problem
filled (red for errors, yellow for warnings) and carrying a comment that says what is wrong,
after a first sheet 错误说明 that lists every problem.

The workbook is always rebuilt from the values, whatever the original kind, with a write-only
workbook so that memory stays flat for 50,000 rows. Editing an .xlsx original in place would
keep its styling but needs openpyxl's full mode, which holds the whole sheet in memory and
drops what openpyxl does not understand (pictures, pivot tables) anyway. Merged ranges are kept.

Columns named sealed (a reporter's identity) never come back in clear: their cells read
SEALED from the table's header row down, whoever downloads the workbook; the form's lines
above the header (填报单位, 文号) are not the table's and stay as written. The same copy
without marks (build_sealed_copy) is what a download of an original partner workbook serves.
The reader's watermark (core.watermark) is the first line of 错误说明 and in the file's
properties; the copied sheets keep the original row numbers, which the marks and the
uploader's corrections refer to.
"""

import io
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.excel.export import mark_properties
from core.excel.reader import CellValue, Row, read_workbook

ERROR_FILL = PatternFill("solid", fgColor="FFFF8080")
WARNING_FILL = PatternFill("solid", fgColor="FFFFFF80")
_AUTHOR = "巡察协同平台"
_SEVERITY_LABEL = {"error": "错误", "warning": "警告"}
_SUMMARY_SHEET = "错误说明"
SEALED = "（已密封）"
# Rows where a header naming a sealed column is looked for, and that table_start reads (a header
# sits in the first dozen).
LABEL_ROWS = 20
_NOTICE_SHEET = "说明"
_NOTICE = "反映人信息已密封，原件不提供下载。本文件是报送工作簿的数值副本，不含隐藏的工作表和格式。"


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
    table_start: Callable[[list[Row]], int | None] = lambda rows: None,
) -> bytes:
    """xlsx bytes: 错误说明 first, then every sheet of the original with the marked cells.

    sealed: sheet → 1-based columns whose cells are written as SEALED from the sheet's
    table_start row down (the whole column when it says None), except the header cells that
    name the column (is_label); see _copy_sheets.
    """
    workbook = Workbook(write_only=True)
    with _closed_on_error(workbook):
        mark_properties(workbook, watermark)
        _write_summary(workbook, marks, watermark)
        by_cell: dict[str, dict[int, dict[int, list[Mark]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(list))
        )
        for mark in marks:
            if mark.row > 0:
                by_cell[mark.sheet][mark.row][mark.column or 1].append(mark)
        _copy_sheets(workbook, path, kind, by_cell, sealed or {}, is_label, table_start)
        return _save(workbook)


def build_sealed_copy(
    path: str,
    *,
    kind: str,
    watermark: str,
    sealed: Mapping[str, Collection[int]],
    is_label: Callable[[CellValue], bool],
    table_start: Callable[[list[Row]], int | None],
) -> bytes:
    """xlsx bytes: a first sheet 说明 with the reader's watermark, then every visible sheet of
    the original with the sealed columns' cells written as SEALED: the copy of an uploaded
    workbook that is served instead of it (core.files)."""
    workbook = Workbook(write_only=True)
    with _closed_on_error(workbook):
        mark_properties(workbook, watermark)
        notice = workbook.create_sheet(_NOTICE_SHEET)
        notice.column_dimensions["A"].width = 90
        line = WriteOnlyCell(notice, value=_safe(watermark))
        line.font = Font(italic=True, color="FF808080")
        notice.append([line])
        notice.append([_NOTICE])
        _copy_sheets(workbook, path, kind, {}, sealed, is_label, table_start)
        return _save(workbook)


def _copy_sheets(
    workbook: Workbook,
    path: str,
    kind: str,
    by_cell: Mapping[str, Mapping[int, Mapping[int, list[Mark]]]],
    sealed: Mapping[str, Collection[int]],
    is_label: Callable[[CellValue], bool],
    table_start: Callable[[list[Row]], int | None],
) -> None:
    """Every visible sheet of the original (a hidden one only when it has marks), values only,
    merged ranges kept. The columns named in `sealed` are sealed from the row where the sheet's
    table starts (table_start of its first LABEL_ROWS rows: the caller's own header rule; from
    the first row when it finds none); besides them, a column is sealed below a cell of the first
    LABEL_ROWS rows that names a sealed column: a sheet whose header the caller did not
    recognise may still hold one."""
    for sheet in read_workbook(path, kind=kind):
        if sheet.hidden and sheet.name not in by_cell:
            continue
        worksheet = workbook.create_sheet(sheet.name[:31])
        for merge in sheet.merges:
            worksheet.merged_cells.add(merge.ref)
        sheet_marks = by_cell.get(sheet.name, {})
        head = list(islice(sheet.rows, LABEL_ROWS))
        table_columns = set(sealed.get(sheet.name, ()))
        first_sealed_row = table_start(head) or 1
        labelled_columns: set[int] = set()
        expected = 1
        for row in chain(head, sheet.rows):
            # Rows the reader skipped (trailing blanks are never yielded) keep their numbers.
            for _ in range(expected, row.number):
                worksheet.append([])
            expected = row.number + 1
            if row.number <= LABEL_ROWS:
                labelled_columns.update(i for i, cell in enumerate(row.cells, 1) if is_label(cell.value))
            in_table = row.number >= first_sealed_row
            row_marks = sheet_marks.get(row.number, {})
            width = max(len(row.cells), max(row_marks, default=0))
            out: list[Cell] = []
            for column in range(1, width + 1):
                value = row.cell(column).value
                sealed_here = column in labelled_columns or (in_table and column in table_columns)
                if sealed_here and value not in (None, "") and not is_label(value):
                    value = SEALED
                out.append(_cell(worksheet, value, row_marks.get(column)))
            worksheet.append(out)


@contextmanager
def _closed_on_error(workbook: Workbook) -> Iterator[None]:
    """Close the sheets of a write-only workbook that an error leaves unsaved (an unreadable
    upload part-way through). Left open, a sheet's row writer is finalised by the garbage
    collector after the XML stream it writes into, and lxml raises inside the finaliser: an
    "exception ignored" far from its cause, in whatever runs next."""
    try:
        yield
    except BaseException:
        for sheet in workbook.worksheets:
            with suppress(Exception):  # the error being raised is the one to report
                sheet.close()
        raise


def _save(workbook: Workbook) -> bytes:
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
