"""Small tables read from a workbook (a pool roster, a rectification ledger): the first visible
sheet, a header found among the first rows, and every problem at once, placed on its cell.

The clue importer has its own richer engine (clues/importing); these share the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.excel.errors import Mark
from core.excel.reader import Row, read_workbook

HEADER_SCAN_ROWS = 10  # a title line or two may sit above the header
MIN_MATCHES = 3


@dataclass
class TableResult:
    """What a parse found: the sheet, where each column is, the good rows and every issue.

    An issue has `row` (1-based; 0 for the file), `column` (a column key, "" for the row or file),
    `message` and a `column_label` (the header the key stands for).
    """

    sheet: str = ""
    columns: dict[str, int] = field(default_factory=dict)  # key → 1-based column
    rows: list[Any] = field(default_factory=list)
    issues: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.rows)

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
    from core.excel import normalize as norm

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
