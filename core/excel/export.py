"""Streaming .xlsx exports (write-only workbooks) whose cells can never run as formulas, each
carrying its reader's watermark (core.watermark) as a visible first line above the header and
in the workbook's properties."""

from collections.abc import Callable, Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell starting with one of these is read as a formula (or DDE) by Excel and WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WATERMARK_FONT = Font(italic=True, color="FF808080")


def safe_cell_value(value: Any) -> Any:
    """Text that would be read as a formula is kept as text, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def mark_properties(workbook: Workbook, watermark: str) -> None:
    """The watermark in the file's properties, where it survives a copy of the cells elsewhere."""
    workbook.properties.creator = watermark
    workbook.properties.description = watermark
    workbook.properties.keywords = watermark


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], watermark: str) -> Any:
    sheet = workbook.create_sheet(title[:31])
    line = WriteOnlyCell(sheet, value=safe_cell_value(watermark))
    line.font = _WATERMARK_FONT
    sheet.append([line])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    return sheet


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    watermark: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """One sheet: the watermark line, a bold header row, the rows; returns the file and the
    number of data rows. `progress` is told of each row written (a background job's count)."""
    workbook = Workbook(write_only=True)
    mark_properties(workbook, watermark)
    sheet = _sheet(workbook, title, headers, watermark)
    count = 0
    for row in rows:
        sheet.append([safe_cell_value(v) for v in row])
        count += 1
        if progress is not None:
            progress(1)
    return _save(workbook), count


def write_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], *, watermark: str) -> bytes:
    """Several sheets, each (title, headers, rows) as in write_table, in one write-only workbook."""
    workbook = Workbook(write_only=True)
    mark_properties(workbook, watermark)
    for title, headers, rows in sheets:
        sheet = _sheet(workbook, title, headers, watermark)
        for row in rows:
            sheet.append([safe_cell_value(v) for v in row])
    return _save(workbook)
