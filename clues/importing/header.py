"""Finding the header row (one or two levels, anywhere in the first rows) and reading the
metadata line above it (docs/domain.md §6.1, §6.3 quirks 1, 2, 8)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from clues.importing import spec
from core.excel.normalize import cell_text, clean_line, compact
from core.excel.reader import Row

HEADER_SCAN_ROWS = 12  # the template puts it in row 3; free-form files have it by row 6
MIN_MATCHES = 4


@dataclass
class Header:
    first_row: int
    last_row: int
    columns: dict[str, int]  # key → 1-based column
    labels: dict[int, str]  # column → header text, unique, used as the keys of `raw`
    category_flags: dict[int, str] = field(default_factory=dict)  # tick column → category code
    amount_unit: Decimal | None = None
    duplicates: list[str] = field(default_factory=list)  # header texts of columns ignored as repeats

    def repeats_in(self, row: Row) -> bool:
        """The header copied again further down (files pasted together, quirk 7)."""
        # One cheap test first: a repeated header names its allegation (or first) column.
        probe_key, probe_column = next(iter(self.columns.items()))
        if "allegation" in self.columns:
            probe_key, probe_column = "allegation", self.columns["allegation"]
        if not _names(row, probe_column, probe_key):
            return False
        found = sum(1 for key, column in self.columns.items() if _names(row, column, key))
        return found >= min(MIN_MATCHES, len(self.columns))


def _names(row: Row, column: int, key: str) -> bool:
    value = row.cell(column).value
    return isinstance(value, str) and len(value) <= 30 and spec.column_key(value, first_column=column == 1) == key


def _texts(row: Row, *, horizontal_merges: bool) -> list[str]:
    """Cell texts; a horizontally merged header cell lends its text to the columns it spans."""
    texts = []
    for cell in row.cells:
        value = cell.value
        if value is None and horizontal_merges and cell.merge and cell.merge.min_row == row.number:
            value = cell.merge_value
        texts.append(clean_line(cell_text(value)))
    return texts


def _score(texts: list[str]) -> int:
    keys = {spec.column_key(text, first_column=index == 0) for index, text in enumerate(texts)}
    keys.discard(None)
    return len(keys)


def find_header(rows: list[Row]) -> Header | None:
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _score(_texts(row, horizontal_merges=False))
        if score >= MIN_MATCHES and (best is None or score > best[1]):
            best = (index, score)
    if best is None:
        return None
    index = best[0]
    parents = _texts(rows[index], horizontal_merges=True)
    children: list[str] = []
    if index + 1 < len(rows) and _is_sub_header(rows[index], rows[index + 1]):
        children = _texts(rows[index + 1], horizontal_merges=False)
    return _build(rows[index].number, rows[index].number + (1 if children else 0), parents, children)


def _is_sub_header(row: Row, below: Row) -> bool:
    """Two-level header: some header cell spans several columns and the row below names them."""
    spans = [cell.merge for cell in row.cells if cell.merge and cell.merge.min_row == row.number]
    wide = [merge for merge in spans if merge.max_col > merge.min_col]
    if not wide:
        return False
    below_texts = _texts(below, horizontal_merges=False)
    return any(
        below_texts[column - 1]
        for merge in wide
        for column in range(merge.min_col, merge.max_col + 1)
        if column <= len(below_texts)
    )


def _build(first_row: int, last_row: int, parents: list[str], children: list[str]) -> Header:
    header = Header(first_row, last_row, {}, {})
    width = max(len(parents), len(children))
    seen: set[str] = set()
    for column in range(1, width + 1):
        parent = parents[column - 1] if column <= len(parents) else ""
        child = children[column - 1] if column <= len(children) else ""
        label = f"{parent}/{child}" if parent and child and parent != child else parent or child
        if not label:
            continue
        key = _column_key(parent, child, column)
        flag = (
            spec.category_flag(child or parent)
            if key is None or (child and spec.column_key(parent) == "category")
            else None
        )
        if flag:
            header.category_flags[column] = flag
        elif key and key not in header.columns:
            header.columns[key] = column
            if key == "amount":
                header.amount_unit = spec.amount_unit(label)
        elif key:
            header.duplicates.append(label)
        unique = label if label not in seen else f"{label}[{get_column_letter(column)}]"
        seen.add(unique)
        header.labels[column] = unique
    return header


def _column_key(parent: str, child: str, column: int) -> str | None:
    first = column == 1
    if parent and child:
        return spec.column_key(parent + child, first_column=first) or spec.column_key(child, first_column=first)
    return spec.column_key(parent or child, first_column=first)


def raw_label(header: Header, column: int) -> str:
    return header.labels.get(column) or f"列{get_column_letter(column)}"


# --- metadata row -----------------------------------------------------------------------------

_META_LABELS = {
    "reporting_unit": re.compile(r"填报单位(\(盖章\))?|报送单位(\(盖章\))?"),
    "filled_by": re.compile(r"填报人|填表人|经办人"),
    "phone": re.compile(r"联系电话|电话|手机"),
    "filled_date": re.compile(r"填报日期|填表日期|报送日期"),
    "doc_number": re.compile(r"来函文号|函号|文号"),
}
_ANY_LABEL = re.compile("|".join(pattern.pattern for pattern in _META_LABELS.values()))


def read_metadata(rows: list[Row]) -> dict[str, str]:
    """填报单位(盖章):…  填报人:…  联系电话:…  填报日期:… from the rows above the header; the
    value may follow the label in the same cell or sit in the next cell."""
    metadata: dict[str, str] = {}
    for row in rows:
        texts = [clean_line(cell_text(cell.value)) for cell in row.cells if cell.value is not None]
        line = "  ".join(texts)
        if not _ANY_LABEL.search(compact(line)):
            if not metadata.get("title") and line and len(texts) == 1:
                metadata["title"] = line
            continue
        for key, pattern in _META_LABELS.items():
            if key in metadata:
                continue
            if found := pattern.search(line):
                rest = line[found.end() :]
                following = _ANY_LABEL.search(rest)
                value = rest[: following.start()] if following else rest
                value = value.strip().lstrip(":：").strip().strip("_").strip()
                if value:
                    metadata[key] = value
    return metadata
