"""Small tables read from a workbook (a pool roster, a rectification ledger): the first visible
sheet, a header found among the first rows, and every problem at once, placed on its cell.

The clue importer has its own richer engine (clues/importing); these share the rest.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.excel import normalize as norm
from core.excel.errors import Mark
from core.excel.reader import Row, UnreadableWorkbook, read_workbook

HEADER_SCAN_ROWS = 10  # a title line or two may sit above the header
MIN_MATCHES = 3


@dataclass(frozen=True, slots=True)
class Issue:
    row: int  # 1-based row of the sheet; 0 for the whole file
    column: str  # a column key; "" for the whole row or file
    message: str
    column_label: str = ""  # the header the key stands for


@dataclass
class TableResult:
    """What a parse found: the sheet, where each column is, the good rows and every issue."""

    sheet: str = ""
    columns: dict[str, int] = field(default_factory=dict)  # key → 1-based column
    rows: list[Any] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.rows)

    def add_issue(self, message: str, *, row: int = 0) -> None:
        """A problem of the whole file (row 0) or of a whole row."""
        self.issues.append(Issue(row, "", message))

    def marks(self) -> list[Mark]:
        """The issues placed on their cells, for the error workbook."""
        return [
            Mark(
                self.sheet,
                issue.row,
                self.columns.get(issue.column) if issue.column else None,
                "error",
                issue.message,
                issue.column_label,
            )
            for issue in self.issues
        ]


def first_visible_sheet(path: str, *, kind: str) -> tuple[str, list[Row]] | None:
    """The name and rows of the workbook's first visible sheet (raises UnreadableWorkbook)."""
    for sheet in read_workbook(path, kind=kind):
        if not sheet.hidden:
            return sheet.name, list(sheet.rows)
    return None


def find_header(rows: list[Row], column_key: Callable[[str], str | None]) -> tuple[Row, dict[str, int]] | None:
    """The row among the first few that names the most known columns (at least MIN_MATCHES)."""
    best: tuple[Row, dict[str, int]] | None = None
    for row in rows[:HEADER_SCAN_ROWS]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(row.cells, start=1):
            key = column_key(norm.cell_text(cell.value))
            if key and key not in columns:
                columns[key] = index
        if len(columns) >= MIN_MATCHES and (best is None or len(columns) > len(best[1])):
            best = (row, columns)
    return best


def read_table(
    path: str, result: TableResult, *, kind: str, read_sheet: Callable[[list[Row]], None], nothing_found: str
) -> None:
    """Read the first visible sheet into result with read_sheet; a file that cannot be read, or
    gives neither a row nor an issue, is one issue of the file."""
    try:
        found = first_visible_sheet(path, kind=kind)
    except UnreadableWorkbook:
        result.add_issue(_("The file cannot be read as a spreadsheet."))
        return
    if found is not None:
        result.sheet, rows = found
        read_sheet(rows)
    if not result.issues and not result.rows:
        result.add_issue(nothing_found)


def locate_columns(
    rows: list[Row],
    result: TableResult,
    *,
    column_key: Callable[[str], str | None],
    labels: Mapping[str, str],
    required: Iterable[str],
    no_header: str,
) -> Row | None:
    """The header row, with result.columns set; None (and the issue recorded) when there is no
    header or a required column (a key, or a "key/key" choice of one of several) is missing."""
    found = find_header(rows, column_key)
    if found is None:
        result.add_issue(no_header)
        return None
    header, result.columns = found
    missing = [
        "/".join(labels[key] for key in keys.split("/"))
        for keys in required
        if not any(key in result.columns for key in keys.split("/"))
    ]
    if missing:
        result.add_issue(
            _("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)}, row=header.number
        )
        return None
    return header


def body_rows(rows: list[Row], header: Row, has_text: Callable[[Row], bool]) -> Iterator[Row]:
    """The rows below the header that hold any text in the known columns."""
    return (row for row in rows if row.number > header.number and has_text(row))
