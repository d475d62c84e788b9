"""What the clue-workbook parser returns. Frozen dataclasses holding JSON-safe values only, so
that callers can store them (`dataclasses.asdict`) in JSON fields as they are."""

from dataclasses import dataclass, field
from typing import Any

JSON = Any  # str | int | float | bool | None | list[JSON] | dict[str, JSON]

ROW_KINDS = ("data", "blank", "subtotal", "note", "section_heading", "repeated_header", "signature")


@dataclass(frozen=True, slots=True)
class Issue:
    row: int  # 1-based row in its sheet; 0 for the whole file
    column: str  # a column key of docs/domain.md §6.2; "" for the whole row or file
    severity: str  # "error" | "warning"
    message: str
    sheet: str = ""


@dataclass(frozen=True, slots=True)
class ParsedRow:
    sheet: str
    row_number: int
    kind: str  # one of ROW_KINDS
    raw: dict[str, str]  # header text → cell text, every non-empty cell of the row
    values: dict[str, JSON]  # normalised values by key (data rows; unit_id on section headings)
    issues: list[Issue] = field(default_factory=list)
    # The reporter cell (normalised on data rows): never in raw or values, which are stored in
    # clear; the staging keeps it in a sealed column (docs/domain.md §5.2, issue 11).
    reporter: str = ""

    @property
    def has_errors(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)


@dataclass(frozen=True, slots=True)
class ParseResult:
    status: str  # "ok" | "invalid" (some error) | "rejected" (nothing usable)
    file_issues: list[Issue]
    sheet: str  # the data sheet(s) used, comma-joined
    header_row: int  # first header row of the first data sheet; 0 when none was found
    metadata: dict[str, str]  # reporting_unit, filled_by, phone, filled_date, doc_number, title
    nil_return: bool  # nothing to report: no data rows (a 经查未发现… sentence is a note row)
    rows: list[ParsedRow]
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet → key → 1-based column

    @property
    def data_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.kind == "data"]
