"""Streaming .xlsx exports (write-only workbooks) whose cells can never run as formulas."""

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell starting with one of these is read as a formula (or DDE) by Excel and WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_value(value: Any) -> Any:
    """Text that would be read as a formula is kept as text, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """One sheet with a bold header row; returns the file and the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([safe_cell_value(v) for v in row])
        count += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def write_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Several sheets, each (title, headers, rows) as in write_table, in one write-only workbook."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=str(text))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([safe_cell_value(v) for v in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
