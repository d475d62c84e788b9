"""One streaming view of .xlsx/.xlsm, .xls and .csv files: sheets → rows → cells.

Each cell carries its value as read, its number format and the formatting that people use to
mean something (red text, a coloured fill, strikethrough, a comment), plus the merged range
covering it. Rows stream; sheets must be consumed in order.

For .xlsx, python-calamine reads the cell values (a whole sheet at a time, in native memory:
about twelve times faster than openpyxl's read-only mode). It gives no styles, merged ranges,
hidden rows, comments or error values, so one cheap byte-level pass over the same sheet XML
(`core.excel.xlsx_scan`) collects them, with the style ids of the cells whose style means
something, before the rows are read; the style table is read once per workbook. The number
format is kept for those cells only (dates arrive as dates); other cells read as "General".
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple
from xml.etree import ElementTree

import python_calamine
import xlrd
from openpyxl.styles.numbers import is_date_format

from core.excel import xlsx_stream
from core.excel.xlsx_scan import (
    MergedRange,
    SheetScan,
    StyleFlags,
    office_document,
    read_comments,
    read_styles,
    scan_sheet,
    sheet_list,
    sheet_parts,
)

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

CellValue = str | int | float | bool | datetime | None
MAX_COLUMNS = 256  # cells styled out to column XFD would otherwise make 16,384-wide rows
_INT_LIMIT = 1e15  # whole numbers below this read as int, as openpyxl reads Excel's plain digits
MAX_BLANK_RUN = 2000  # formatting-only rows after the data end the sheet; longer than the template's 1,000 rows


class UnreadableWorkbook(Exception):
    """The file cannot be read as the spreadsheet kind it claims to be."""


class Cell(NamedTuple):
    value: CellValue = None
    number_format: str = "General"
    red: bool = False
    filled: bool = False
    strike: bool = False
    comment: str | None = None
    merge: MergedRange | None = None
    merge_value: CellValue = None  # the merged range's top-left value, also on covered cells
    formula_without_value: bool = False

    @property
    def covered(self) -> bool:
        """Inside a merged range but not its top-left cell: reads as empty in Excel's model."""
        return self.merge is not None and self.value is None and self.merge_value is not None


EMPTY = Cell()


@dataclass(slots=True)
class Row:
    number: int  # 1-based, as Excel shows it
    cells: list[Cell]
    hidden: bool = False

    def cell(self, column: int) -> Cell:
        """The cell at a 1-based column; EMPTY beyond the row's last cell."""
        return self.cells[column - 1] if 0 < column <= len(self.cells) else EMPTY


@dataclass
class Sheet:
    name: str
    index: int
    hidden: bool
    rows: Iterator[Row]
    merges: list[MergedRange] = field(default_factory=list)
    hidden_columns: frozenset[int] = frozenset()


def read_workbook(path: str, *, kind: str) -> Iterator[Sheet]:
    """The sheets of the file, in workbook order. `kind` comes from content sniffing."""
    if kind in {"xlsx", "xlsm"}:
        return _read_xlsx(path)
    if kind == "xls":
        return _read_xls(path)
    if kind == "csv":
        return _read_csv(path)
    raise UnreadableWorkbook(kind)


def _blank(cells: list[Cell]) -> bool:
    for cell in cells:
        value = cell.value
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return False
    return True


def _with_blank_cutoff(rows: Iterator[Row]) -> Iterator[Row]:
    """Hold blank rows back until data follows them; stop after MAX_BLANK_RUN in a row."""
    pending: list[Row] = []
    for row in rows:
        if _blank(row.cells) and not any(cell.comment or cell.covered for cell in row.cells):
            pending.append(row)
            if len(pending) >= MAX_BLANK_RUN:
                return
            continue
        yield from pending
        pending.clear()
        yield row


class _Merges:
    """Applies merged ranges to rows streaming in order, holding only the ranges still open."""

    def __init__(self, merges: list[MergedRange]) -> None:
        self._waiting = sorted(merges, key=lambda m: m.min_row, reverse=True)
        self._open: dict[MergedRange, CellValue] = {}

    def apply(self, number: int, cells: list[Cell]) -> None:
        if self._open:
            self._open = {m: v for m, v in self._open.items() if m.max_row >= number}
        while self._waiting and self._waiting[-1].min_row <= number:
            merge = self._waiting.pop()
            if merge.max_row >= number:
                top_left = cells[merge.min_col - 1].value if merge.min_col <= len(cells) else None
                self._open[merge] = top_left
        for merge, top_left in self._open.items():
            last = min(merge.max_col, MAX_COLUMNS)
            if len(cells) < last:
                cells.extend([EMPTY] * (last - len(cells)))
            for index in range(merge.min_col - 1, last):
                # Cell(...) rather than _replace, which is Python code: merged units cover most rows.
                value, number_format, red, filled, strike, comment, _m, _v, formula = cells[index]
                cells[index] = Cell(value, number_format, red, filled, strike, comment, merge, top_left, formula)


# --- xlsx -------------------------------------------------------------------------------------


def _read_xlsx(path: str) -> Iterator[Sheet]:
    # A file object, not the path: readers that pick the format by the file's suffix would
    # refuse it, and private storage keeps files under random names.
    with open(path, "rb") as handle:  # noqa: PTH123 - a local storage path string
        yield from _read_xlsx_handle(handle)


def _read_xlsx_handle(handle: IO[bytes]) -> Iterator[Sheet]:
    try:
        archive = zipfile.ZipFile(handle)
        parts = sheet_parts(archive)
        styles = read_styles(archive)
        large = any(
            member in archive.namelist() and archive.getinfo(member).file_size > xlsx_stream.STREAM_ABOVE
            for member in parts.values()
        )
        if large:
            # Every sheet streamed, python-calamine not opened: it would hold the whole file.
            yield from _streamed_sheets(archive, styles)
            return
        handle.seek(0)
        workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as exc:
        raise UnreadableWorkbook(str(exc)) from exc
    except python_calamine.CalamineError as exc:
        raise UnreadableWorkbook(str(exc)) from exc
    try:
        for index, metadata in enumerate(workbook.sheets_metadata):
            member = parts.get(metadata.name)
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet or member not in archive.namelist():
                continue  # a chartsheet holds no cells
            try:
                values = workbook.get_sheet_by_index(index)
                scan = scan_sheet(archive, member, styles.keys())
                comments = read_comments(archive, member)
            except (python_calamine.CalamineError, zipfile.BadZipFile, OSError, ElementTree.ParseError) as exc:
                raise UnreadableWorkbook(str(exc)) from exc
            yield Sheet(
                name=metadata.name,
                index=index,
                hidden=metadata.visible != python_calamine.SheetVisibleEnum.Visible,
                rows=_with_blank_cutoff(_xlsx_rows(values, scan, comments, styles)),
                merges=scan.merges,
                hidden_columns=scan.hidden_columns,
            )
    finally:
        workbook.close()
        archive.close()


def _streamed_sheets(archive: zipfile.ZipFile, styles: dict[int, StyleFlags]) -> Iterator[Sheet]:
    """The sheets of a workbook with a sheet larger than xlsx_stream.STREAM_ABOVE, every one
    read by core.excel.xlsx_stream, the list of sheets from the workbook part."""
    streamed = _Streamed(archive, styles)
    try:
        for index, (name, hidden, member) in enumerate(sheet_list(archive)):
            if not member or member not in archive.namelist():
                continue  # a chartsheet holds no cells
            try:
                scan = scan_sheet(archive, member, styles.keys())
                comments = read_comments(archive, member)
                values = streamed.values(member)
            except (zipfile.BadZipFile, OSError, ElementTree.ParseError, ValueError) as exc:
                raise UnreadableWorkbook(str(exc)) from exc
            yield Sheet(
                name=name,
                index=index,
                hidden=hidden,
                rows=_with_blank_cutoff(_xlsx_streamed_rows(values, scan, comments, styles)),
                merges=scan.merges,
                hidden_columns=scan.hidden_columns,
            )
    finally:
        archive.close()


def _xlsx_rows(
    values: "CalamineSheet", scan: SheetScan, comments: dict[int, dict[int, str]], styles: dict[int, StyleFlags]
) -> Iterator[Row]:
    """Cell values from python-calamine, made what openpyxl gave: empty cells None, whole
    numbers int, whole-day dates datetime; then error values, styles, formulas without a
    result, comments and merges from the XML pass, by row and column."""
    # The value iterator yields every row from row 1 but the columns from the first used one.
    offset = values.start[1] if values.start else 0
    width = max(MAX_COLUMNS - offset, 0)
    lead = [EMPTY] * min(offset, MAX_COLUMNS)
    merges = _Merges(scan.merges)
    number = 0
    for number, source in enumerate(values.iter_rows(), start=1):
        yield _xlsx_row(number, _values(source, lead, width), scan, comments, styles, merges)
    # Rows after the last value may still hold covered merged cells or comments.
    for number_after in range(number + 1, scan.last_row + 1):
        yield _xlsx_row(number_after, [], scan, comments, styles, merges)


class _Streamed:
    """What reading a sheet as a stream needs of the workbook, read on the first such sheet."""

    def __init__(self, archive: zipfile.ZipFile, styles: dict[int, StyleFlags]) -> None:
        self.archive = archive
        self.date_styles = frozenset(i for i, flags in styles.items() if is_date_format(flags.number_format))
        self.strings: list[str] | None = None
        self.date1904 = False

    def values(self, member: str) -> Iterator[tuple[int, list[Any]]]:
        if self.strings is None:
            workbook = office_document(self.archive)
            self.strings = xlsx_stream.shared_strings(
                self.archive, xlsx_stream.shared_strings_part(self.archive, workbook)
            )
            self.date1904 = xlsx_stream.uses_1904(self.archive, workbook)
        return xlsx_stream.sheet_values(self.archive, member, self.strings, self.date_styles, self.date1904)


def _xlsx_streamed_rows(
    values: Iterator[tuple[int, list[Any]]],
    scan: SheetScan,
    comments: dict[int, dict[int, str]],
    styles: dict[int, StyleFlags],
) -> Iterator[Row]:
    """_xlsx_rows for a sheet streamed by core.excel.xlsx_stream: the rows missing from the XML
    (or holding no value) are given empty, as python-calamine gives them."""
    merges = _Merges(scan.merges)
    number = 0
    try:
        for found, source in values:
            for empty in range(number + 1, found):
                yield _xlsx_row(empty, [], scan, comments, styles, merges)
            number = found
            yield _xlsx_row(number, _values(source, [], MAX_COLUMNS), scan, comments, styles, merges)
    except (zipfile.BadZipFile, OSError, ValueError, IndexError, UnicodeDecodeError) as exc:
        # Read lazily, past the checks of _read_xlsx_handle: a damaged part shows only here.
        raise UnreadableWorkbook(str(exc)) from exc
    for number_after in range(number + 1, scan.last_row + 1):
        yield _xlsx_row(number_after, [], scan, comments, styles, merges)


def _values(source: list[Any], lead: list[Cell], width: int) -> list[Cell]:
    # Any: the hot path dispatches on type(value), which mypy does not narrow.
    cells = lead.copy()
    for value in source[:width]:
        kind = type(value)
        if kind is str:
            cells.append(Cell(value) if value else EMPTY)
        elif kind is float:
            cells.append(Cell(int(value) if value.is_integer() and -_INT_LIMIT < value < _INT_LIMIT else value))
        elif kind is date:
            cells.append(Cell(datetime(value.year, value.month, value.day)))  # noqa: DTZ001 - naive, as in the file
        else:
            cells.append(Cell(value))
    return cells


def _xlsx_row(
    number: int,
    cells: list[Cell],
    scan: SheetScan,
    comments: dict[int, dict[int, str]],
    styles: dict[int, StyleFlags],
    merges: _Merges,
) -> Row:
    errors, cell_styles, formulas = scan.errors, scan.styles, scan.formulas_without_value
    if errors and number in errors:
        for column, text in errors[number].items():
            if column <= MAX_COLUMNS:
                _ensure(cells, column)
                cells[column - 1] = cells[column - 1]._replace(value=text)
    if cell_styles and number in cell_styles:
        for column, style_id in cell_styles[number].items():
            if column <= MAX_COLUMNS:
                flags = styles[style_id]
                value = cells[column - 1].value if column <= len(cells) else None
                if value is not None or flags.strike:
                    _ensure(cells, column)
                    cells[column - 1] = cells[column - 1]._replace(
                        number_format=flags.number_format, red=flags.red, filled=flags.filled, strike=flags.strike
                    )
    if formulas and number in formulas:
        for column in formulas[number]:
            if column <= MAX_COLUMNS:
                _ensure(cells, column)
                cells[column - 1] = cells[column - 1]._replace(formula_without_value=True)
    if comments and number in comments:
        for column, text in comments[number].items():
            if column <= MAX_COLUMNS:
                _ensure(cells, column)
                cells[column - 1] = cells[column - 1]._replace(comment=text)
    merges.apply(number, cells)
    return Row(number, cells, number in scan.hidden_rows)


def _ensure(cells: list[Cell], column: int) -> None:
    if len(cells) < column:
        cells.extend([EMPTY] * (column - len(cells)))


# --- xls --------------------------------------------------------------------------------------


def _read_xls(path: str) -> Iterator[Sheet]:
    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True, logfile=io.StringIO())
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, IndexError, KeyError) as exc:
        raise UnreadableWorkbook(str(exc)) from exc
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            merges = [MergedRange(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]
            hidden_columns = frozenset(c + 1 for c, info in sheet.colinfo_map.items() if info.hidden)
            yield Sheet(
                name=sheet.name,
                index=index,
                hidden=sheet.visibility != 0,
                rows=_with_blank_cutoff(_xls_rows(book, sheet, merges)),
                merges=merges,
                hidden_columns=hidden_columns,
            )
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_rows(book: Any, sheet: Any, merges: list[MergedRange]) -> Iterator[Row]:
    applier = _Merges(merges)
    notes = {key: note.text for key, note in getattr(sheet, "cell_note_map", {}).items()}
    for r in range(sheet.nrows):
        cells: list[Cell] = []
        for c, cell in enumerate(sheet.row(r)[:MAX_COLUMNS]):
            value: CellValue
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            elif cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = cell.value
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                value = int(cell.value) if float(cell.value).is_integer() else cell.value
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(cell.value, "#ERROR")
            else:
                value = cell.value
            number_format, red, filled, strike = _xls_flags(book, cell.xf_index)
            cells.append(Cell(value, number_format, red, filled, strike, notes.get((r, c))))
        applier.apply(r + 1, cells)
        info = sheet.rowinfo_map.get(r)
        yield Row(r + 1, cells, bool(info and info.hidden))


def _xls_flags(book: Any, xf_index: int | None) -> tuple[str, bool, bool, bool]:
    if xf_index is None:
        return "General", False, False, False
    xf = book.xf_list[xf_index]
    font = book.font_list[xf.font_index]
    fmt = book.format_map.get(xf.format_key)
    red_rgb = book.colour_map.get(font.colour_index)
    red = bool(red_rgb and red_rgb[0] >= 0xC0 and red_rgb[1] < 0x70 and red_rgb[2] < 0x70)
    fill_rgb = book.colour_map.get(xf.background.pattern_colour_index)
    filled = bool(xf.background.fill_pattern and fill_rgb and fill_rgb not in ((255, 255, 255), (0, 0, 0)))
    return (fmt.format_str if fmt else "General"), red, filled, bool(font.struck_out)


# --- csv --------------------------------------------------------------------------------------


def _csv_encoding(path: str) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else GB18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with Path(path).open("rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


# A CSV has one sheet and no sheet name. Not the file's name: a sealed upload is read from a
# temporary copy under a random name each time (core.files.clear_path), and the staged rows'
# sheet must match the sheet of the error workbook built from the file later.
CSV_SHEET = "CSV"


def _read_csv(path: str) -> Iterator[Sheet]:
    encoding = _csv_encoding(path)
    yield Sheet(name=CSV_SHEET, index=0, hidden=False, rows=_with_blank_cutoff(_csv_rows(path, encoding)))


def _csv_rows(path: str, encoding: str) -> Iterator[Row]:
    with Path(path).open(encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        for number, values in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            yield Row(number, [Cell(value) if value else EMPTY for value in values[:MAX_COLUMNS]])
