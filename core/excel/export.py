"""Streaming .xlsx exports laid out like the office's own ledgers.

Written with XlsxWriter in constant-memory mode (issue 16: faster than openpyxl's write-only
mode, rows go to a temporary file as they come); openpyxl stays for templates and error
workbooks, which edit cells out of order.

Every sheet reads, top to bottom: a title row (what was exported, the filters in force and
the export time in Beijing time), the reader's watermark (core.watermark, also in the
workbook's properties), a bold header row, then the rows; the three top rows stay frozen
while scrolling. Cells never run as formulas (`safe_cell_value`). Dates read as dates
(「2026年12月7日」), `Percent` values as percentages, every other value as given.

Column widths. A streamed sheet must state its widths before its first row, and an export
streams (100,000 rows, flat memory), so the widths are fitted to the header and the first
`WIDTH_SAMPLE` rows, which are held back until then: the longest text of each column, a CJK
character counting double, a date or a percentage at its printed width, capped at
`MAX_WIDTH` (longer text wraps in its cell). Rows past the sample do not widen a column.
"""

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from itertools import chain, islice
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

if TYPE_CHECKING:
    import xlsxwriter  # type: ignore[import-untyped]  # ships no types, has no stubs package

# A cell starting with one of these is read as a formula (or DDE) by Excel and WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WATERMARK_FONT = {"italic": True, "font_color": "#808080"}
_TITLE_FONT = {"bold": True, "font_size": 14}
_HEADER_FONT = {"bold": True}
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


# xlsxwriter states a column's width in Excel's UI units and writes `(7w + 5) / 7` (Calibri 11:
# 7-pixel digits, 5 pixels of padding) into the file; the widths here are the file's own, as
# openpyxl wrote them, so they are handed over less the padding and the file reads the same.
_XLSX_PADDING = 5 / 7


class _Writer:
    """Writes plain rows into a constant-memory sheet: neutralised text, dates and percentages
    formatted, text wrapped in the columns too wide for MAX_WIDTH.

    Every value goes through its typed write_* call, never `write`, which would take text
    starting with "=" for a formula and text looking like a URL for a link; the formats are
    made once per kind (and per wrapped column)."""

    def __init__(self, workbook: "xlsxwriter.Workbook", sheet: Any, wrap: set[int]) -> None:
        self.sheet = sheet
        self.wrap = wrap
        self.formats = {kind: workbook.add_format({"num_format": fmt}) for kind, (fmt, _w) in _FORMATS.items()}
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.wrapped_formats = {
            kind: workbook.add_format({"num_format": fmt, "text_wrap": True, "valign": "top"})
            for kind, (fmt, _w) in _FORMATS.items()
        }

    def row(self, number: int, values: Sequence[Any]) -> None:
        sheet, wrap = self.sheet, self.wrap
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value.startswith(_FORMULA_START):
                    value = "'" + value
                if index in wrap:
                    sheet.write_string(number, index, value, self.wrapped)
                else:
                    sheet.write_string(number, index, value)
            elif value is None:
                continue
            elif kind is int or kind is float:
                sheet.write_number(number, index, value)
            elif kind in _FORMATS:
                formats = self.wrapped_formats if index in wrap else self.formats
                if kind is Percent:
                    sheet.write_number(number, index, float(value), formats[kind])
                else:
                    sheet.write_datetime(number, index, value, formats[kind])
            elif kind is bool:
                sheet.write_boolean(number, index, value)
            elif isinstance(value, Decimal):
                sheet.write_number(number, index, float(value))
            elif isinstance(value, datetime | date):  # a subclass (time-machine, pendulum)
                base = datetime if isinstance(value, datetime) else date
                sheet.write_datetime(number, index, value, self.formats[base])
            else:  # lazy translations and other objects: their text
                text = str(value)
                sheet.write_string(number, index, "'" + text if text.startswith(_FORMULA_START) else text)


def _fill_sheet(
    workbook: "xlsxwriter.Workbook",
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
    sheet = workbook.add_worksheet(title[:31])
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
        sheet.set_column(index, index, min(max(width + 2, MIN_WIDTH), MAX_WIDTH) - _XLSX_PADDING)
    sheet.freeze_panes(FIRST_DATA_ROW - 1, 0)
    sheet.write_string(0, 0, safe_cell_value(title_line(title, filters, at)), workbook.add_format(_TITLE_FONT))
    sheet.write_string(1, 0, safe_cell_value(watermark), workbook.add_format(_WATERMARK_FONT))
    header_format = workbook.add_format(_HEADER_FONT)
    for index, text in enumerate(headers):
        sheet.write_string(2, index, safe_cell_value(str(text)), header_format)
    writer = _Writer(workbook, sheet, wrap)
    count = 0
    number = FIRST_DATA_ROW - 1  # xlsxwriter counts rows from 0
    for row in chain(sample, iterator):
        writer.row(number, row)
        number += 1
        count += 1
        if progress is not None:
            progress(1)
    return count


def _new_workbook(buffer: BytesIO, watermark: str) -> "xlsxwriter.Workbook":
    """A constant-memory workbook: each row goes to a temporary file as it is written (rows
    must come in order, as they do here), so memory stays flat however many rows."""
    # Imported here: processes that never export (an import's) need not load it.
    import xlsxwriter

    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "remove_timezone": True})
    # The same properties as mark_properties gives an openpyxl workbook.
    workbook.set_properties({"author": watermark, "comments": watermark, "keywords": watermark})
    return workbook


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
    buffer = BytesIO()
    workbook = _new_workbook(buffer, watermark)
    count = _fill_sheet(workbook, title, headers, rows, watermark=watermark, filters=filters, at=at, progress=progress)
    workbook.close()
    return buffer.getvalue(), count


def write_sheets(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    watermark: str,
    filters: str = "",
    at: datetime | None = None,
) -> bytes:
    """Several sheets, each (title, headers, rows) as in write_table, in one workbook."""
    buffer = BytesIO()
    workbook = _new_workbook(buffer, watermark)
    for title, headers, rows in sheets:
        _fill_sheet(workbook, title, headers, rows, watermark=watermark, filters=filters, at=at)
    workbook.close()
    return buffer.getvalue()
