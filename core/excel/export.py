"""Streaming .xlsx exports (write-only workbooks) laid out like the office's own ledgers.

Every sheet reads, top to bottom: a title row (what was exported, the filters in force and
the export time in Beijing time), the reader's watermark (core.watermark, also in the
workbook's properties), a bold header row, then the rows; the three top rows stay frozen
while scrolling. Cells never run as formulas (`safe_cell_value`). Dates read as dates
(「2026年12月7日」), `Percent` values as percentages, every other value as given.

Column widths. A write-only sheet must state its widths before its first row, and an export
streams (100,000 rows, flat memory), so the widths are fitted to the header and the first
`WIDTH_SAMPLE` rows, which are held back until then: the longest text of each column, a CJK
character counting double, a date or a percentage at its printed width, capped at
`MAX_WIDTH` (longer text wraps in its cell). Rows past the sample do not widen a column.
"""

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from io import BytesIO
from itertools import chain, islice
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula (or DDE) by Excel and WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WATERMARK_FONT = Font(italic=True, color="FF808080")
_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
PERCENT_FORMAT = "0.0%"
SHANGHAI = ZoneInfo("Asia/Shanghai")
WIDTH_SAMPLE = 200  # rows held back to fit the widths
MIN_WIDTH, MAX_WIDTH = 6, 50  # in characters (one CJK character counts two)
FIRST_DATA_ROW = 4  # title, watermark, header, then the rows


class Percent(float):
    """A ratio (0.25) written as a percentage (25.0%): wrap a float to have it shown so."""

    __slots__ = ()


# The number format and printed width of the values that are not written as given.
_FORMATS: dict[type, tuple[str, int]] = {
    date: (DATE_FORMAT, 13),
    datetime: (DATETIME_FORMAT, 19),
    Percent: (PERCENT_FORMAT, 7),
}


def safe_cell_value(value: Any) -> Any:
    """Text that would be read as a formula is kept as text, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def text_width(text: str) -> int:
    """The printed width of a text in Excel's character units: CJK (wide) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def percent(value: float | None) -> Percent | None:
    """A ratio as a `Percent` cell, None (an empty cell) kept."""
    return None if value is None else Percent(value)


def mark_properties(workbook: Workbook, watermark: str) -> None:
    """The watermark in the file's properties, where it survives a copy of the cells elsewhere."""
    workbook.properties.creator = watermark
    workbook.properties.description = watermark
    workbook.properties.keywords = watermark


def title_line(title: str, filters: str = "", at: datetime | None = None) -> str:
    """「线索（筛选条件：…；导出时间：2026年12月7日 17:36）」: what, under which filters, when."""
    moment = (at or timezone.now()).astimezone(SHANGHAI)
    stamp = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return _("%(title)s (filters: %(filters)s; exported %(time)s Beijing time)") % {
        "title": title,
        "filters": filters or _("none (everything)"),
        "time": stamp,
    }


def _width(value: Any) -> int:
    if value is None:
        return 0
    fitted = _FORMATS.get(type(value))
    if fitted is not None:
        return fitted[1]
    text = str(value)
    if "\n" in text:
        return max(text_width(line) for line in text.splitlines())
    return text_width(text)


class _Writer:
    """Turns plain rows into write-only rows: neutralised text, dates and percentages styled.

    A styled cell per column and kind is made once and refilled for every row: openpyxl
    writes each row out before the next is appended, so the refill costs no style lookup.
    """

    def __init__(self, sheet: Any, wrap: set[int]) -> None:
        self.sheet = sheet
        self.wrap = wrap
        self.cells: dict[tuple[int, type], Cell] = {}

    def _cell(self, index: int, kind: type) -> Cell:
        cell = WriteOnlyCell(self.sheet)
        if kind is not str:
            cell.number_format = _FORMATS[kind][0]
        if index in self.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.cells[index, kind] = cell
        return cell

    def row(self, values: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        wrap = self.wrap
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value.startswith(_FORMULA_START):
                    value = "'" + value
                if index in wrap:
                    cell = self.cells.get((index, str)) or self._cell(index, str)
                    cell.value = value
                    value = cell
            elif kind in _FORMATS:
                cell = self.cells.get((index, kind)) or self._cell(index, kind)
                cell.value = float(value) if kind is Percent else value
                value = cell
            out.append(value)
        return out


def _fill_sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    watermark: str,
    filters: str,
    at: datetime | None,
    progress: Callable[[int], None] | None = None,
) -> int:
    iterator: Iterator[Sequence[Any]] = iter(rows)
    sample = list(islice(iterator, WIDTH_SAMPLE))
    sheet = workbook.create_sheet(title[:31])
    widths = [text_width(str(h)) for h in headers]
    for row in sample:
        for index, value in enumerate(row):
            width = _width(value)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    wrap = set()
    for index, width in enumerate(widths):
        if width > MAX_WIDTH:
            wrap.add(index)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    line = WriteOnlyCell(sheet, value=safe_cell_value(title_line(title, filters, at)))
    line.font = _TITLE_FONT
    sheet.append([line])
    mark = WriteOnlyCell(sheet, value=safe_cell_value(watermark))
    mark.font = _WATERMARK_FONT
    sheet.append([mark])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell_value(str(text)))
        cell.font = _HEADER_FONT
        header_cells.append(cell)
    sheet.append(header_cells)
    writer = _Writer(sheet, wrap)
    count = 0
    for row in chain(sample, iterator):
        sheet.append(writer.row(row))
        count += 1
        if progress is not None:
            progress(1)
    return count


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
    filters: str = "",
    at: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """One sheet laid out as the module says; returns the file and the number of data rows.

    `filters` describes the filters in force in words (QueryFilterSet.describe); `progress`
    is told of each row written (a background job's count)."""
    workbook = Workbook(write_only=True)
    mark_properties(workbook, watermark)
    count = _fill_sheet(workbook, title, headers, rows, watermark=watermark, filters=filters, at=at, progress=progress)
    return _save(workbook), count


def write_sheets(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    watermark: str,
    filters: str = "",
    at: datetime | None = None,
) -> bytes:
    """Several sheets, each (title, headers, rows) as in write_table, in one write-only workbook."""
    workbook = Workbook(write_only=True)
    mark_properties(workbook, watermark)
    for title, headers, rows in sheets:
        _fill_sheet(workbook, title, headers, rows, watermark=watermark, filters=filters, at=at)
    return _save(workbook)
