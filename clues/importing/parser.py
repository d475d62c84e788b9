"""Entry point of the partner clue-workbook import: file in, staged rows out (docs/domain.md §6).

The parser never writes to the database and never fails a whole file because of bad rows:
every row comes back with its kind, raw cells, normalised values and issues, and the caller
stages them for review (clue_import_batch / clue_import_row).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date

from django.utils.translation import gettext as _

from clues.importing import spec
from clues.importing.header import HEADER_SCAN_ROWS, Header, find_header, read_metadata
from clues.importing.result import Issue, ParsedRow, ParseResult
from clues.importing.rows import SheetRows
from core.excel.errors import Mark, build_error_workbook
from core.excel.reader import CellValue, Row, Sheet, UnreadableWorkbook, read_workbook
from core.excel.units import UnitMatcher, UnitRef

_IGNORED_SHEETS = ("填表说明", "字典", "说明", "数据字典", "下拉")


def parse_clue_workbook(
    path: str, *, kind: str, units: Sequence[UnitRef], letter_year: int, today: date
) -> ParseResult:
    """Every sheet with a recognisable header is read (one sheet per unit is common); the unit
    of a row comes from its unit cell, else the section heading above it, else the sheet name.
    The whole result in memory: for a large file, stage from a ParseStream instead."""
    stream = ParseStream(path, kind=kind, units=units, letter_year=letter_year, today=today)
    rows = list(stream)
    summary = stream.result()
    return replace(summary, rows=rows) if summary.status != "rejected" else summary


class ParseStream:
    """The parse as it goes (issue 16): iterate it once for the rows, each interpreted as it is
    read, then `result()` gives the rest (status, file issues, sheets, metadata, columns) with
    no rows. Nothing holds the rows, so a caller that writes them in batches (the staging)
    keeps memory flat however long the file. When the result is "rejected" (the file became
    unreadable part-way), the rows already yielded are not to be kept.

    `watch`, if given, is called with each row as it is yielded (the command's report)."""

    def __init__(
        self,
        path: str,
        *,
        kind: str,
        units: Sequence[UnitRef],
        letter_year: int,
        today: date,
        watch: Callable[[ParsedRow], None] | None = None,
    ) -> None:
        self.path, self.kind, self.letter_year, self.today = path, kind, letter_year, today
        self.matcher = UnitMatcher(units)
        self.watch = watch
        self.file_issues: list[Issue] = []
        self.sheets: list[str] = []
        self.columns: dict[str, dict[str, int]] = {}
        self.header_row = 0
        self.metadata: dict[str, str] = {}
        self.unreadable = False
        self.has_data = False
        self.has_row_error = False
        self._started = self._finished = False

    def __iter__(self) -> Iterator[ParsedRow]:
        if self._started:
            raise RuntimeError("A ParseStream is read once.")
        self._started = True
        watch = self.watch
        try:
            for sheet in read_workbook(self.path, kind=self.kind):
                for row in self._sheet(sheet):
                    if row.kind == "data":
                        self.has_data = True
                    if not self.has_row_error and row.has_errors:
                        self.has_row_error = True
                    if watch is not None:
                        watch(row)
                    yield row
        except UnreadableWorkbook:
            self.unreadable = True
            self.file_issues.append(Issue(0, "", "error", _("The file cannot be read as a spreadsheet.")))
        if not self.unreadable and not self.sheets:
            message = _("No header row was found: the first rows must name at least four of the template's columns.")
            self.file_issues.append(Issue(0, "", "error", message))
        self._finished = True

    def _sheet(self, sheet: Sheet) -> Iterator[ParsedRow]:
        if sheet.hidden or any(word in sheet.name for word in _IGNORED_SHEETS):
            return
        head, rest = _first_rows(sheet.rows)
        header = find_header(head)
        if header is None:
            if any(any(cell.value is not None for cell in row.cells) for row in head):
                message = _("Sheet “%(sheet)s” has no recognisable header and is ignored.") % {"sheet": sheet.name}
                self.file_issues.append(Issue(0, "", "warning", message, sheet.name))
            return
        if not self.sheets:
            self.header_row = header.first_row
            self.metadata = read_metadata([row for row in head if row.number < header.first_row])
        self.sheets.append(sheet.name)
        self.columns[sheet.name] = dict(header.columns)
        yield from _sheet_rows(sheet, header, head, rest, self.matcher, self.letter_year, self.today, self.file_issues)

    @property
    def status(self) -> str:
        if self.unreadable or not self.sheets:
            return "rejected"
        has_error = self.has_row_error or any(issue.severity == "error" for issue in self.file_issues)
        return "invalid" if has_error else "ok"

    def result(self) -> ParseResult:
        """What parse_clue_workbook returns, without the rows; once the rows are read."""
        if not self._finished:
            raise RuntimeError("Read the rows of a ParseStream before its result.")
        if self.unreadable:
            return ParseResult("rejected", self.file_issues, "", 0, {}, False, [])
        if not self.sheets:
            return ParseResult("rejected", self.file_issues, "", 0, self.metadata, False, [])
        nil_return = not self.has_data
        return ParseResult(
            self.status, self.file_issues, ",".join(self.sheets), self.header_row, self.metadata, nil_return, [],
            self.columns,
        )  # fmt: skip


def _first_rows(rows: Iterator[Row]) -> tuple[list[Row], Iterator[Row]]:
    head: list[Row] = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    return head, rows


def _sheet_rows(
    sheet: Sheet,
    header: Header,
    head: list[Row],
    rest: Iterator[Row],
    matcher: UnitMatcher,
    letter_year: int,
    today: date,
    file_issues: list[Issue],
) -> Iterator[ParsedRow]:
    sheet_unit = matcher.match(sheet.name.strip(), fuzzy=False).unit_id
    for label in header.duplicates:
        message = _("The column “%(label)s” repeats another column and is ignored.") % {"label": label}
        file_issues.append(Issue(header.first_row, "", "warning", message, sheet.name))
    if "amount" in header.columns and header.amount_unit is None:
        message = _("The amount column gives no unit; numbers without a unit are read as 万元.")
        file_issues.append(Issue(header.first_row, "amount", "warning", message, sheet.name))
    for key, column in header.columns.items():
        if column in sheet.hidden_columns:
            message = _("The column %(label)s is hidden; its cells are read all the same.") % {
                "label": spec.BY_KEY[key].label
            }
            file_issues.append(Issue(header.first_row, key, "warning", message, sheet.name))
    interpreter = SheetRows(
        sheet=sheet.name, header=header, units=matcher, sheet_unit=sheet_unit, letter_year=letter_year, today=today
    )
    for row in head:
        if row.number > header.last_row:
            yield interpreter.interpret(row)
    for row in rest:
        yield interpreter.interpret(row)
    missing = [key for key in spec.REQUIRED if key not in header.columns]
    if "category" in missing and header.category_flags:
        missing.remove("category")
    if "inspected_unit" in missing and (sheet_unit is not None or interpreter.unit_from_context):
        missing.remove("inspected_unit")
    if missing:
        labels = "、".join(spec.BY_KEY[key].label for key in missing)
        message = _("Required columns are missing: %(columns)s.") % {"columns": labels}
        file_issues.append(Issue(header.first_row, "", "error", message, sheet.name))


def error_marks(result: ParseResult) -> list[Mark]:
    """The result's issues placed on cells, for `core.excel.errors.build_error_workbook`."""
    marks = []
    for issue in result.file_issues:
        column = result.columns.get(issue.sheet, {}).get(issue.column) if issue.column else None
        marks.append(Mark(issue.sheet, issue.row, column, issue.severity, issue.message, _label(issue.column)))
    for row in result.rows:
        positions = result.columns.get(row.sheet, {})
        for issue in row.issues:
            column = positions.get(issue.column) if issue.column else None
            marks.append(Mark(row.sheet, row.row_number, column, issue.severity, issue.message, _label(issue.column)))
    return marks


def _label(key: str) -> str:
    return spec.BY_KEY[key].label if key in spec.BY_KEY else ""


def sealed_columns(columns: dict[str, dict[str, int]]) -> dict[str, list[int]]:
    """Per sheet, the columns holding the reporter's identity, which an error workbook seals."""
    return {
        sheet: [column for key, column in positions.items() if key in spec.RESTRICTED]
        for sheet, positions in columns.items()
    }


def names_restricted_column(value: CellValue) -> bool:
    """A header cell naming a sealed column (反映人) stays readable in the error workbook."""
    return isinstance(value, str) and spec.column_key(value) in spec.RESTRICTED


def table_start(rows: list[Row]) -> int | None:
    """The row a sheet's table starts at (its header, found as the parser finds it), from which
    its reporter column is sealed; the form's lines above it (填报单位, 文号) are not the table's."""
    header = find_header(rows)
    return header.first_row if header is not None else None


def build_clue_error_workbook(path: str, *, kind: str, result: ParseResult, watermark: str) -> bytes:
    """The uploaded file with every problem of `result` marked on its cell, the reporter sealed."""
    return build_error_workbook(
        path,
        kind=kind,
        marks=error_marks(result),
        watermark=watermark,
        sealed=sealed_columns(result.columns),
        is_label=names_restricted_column,
        table_start=table_start,
    )
