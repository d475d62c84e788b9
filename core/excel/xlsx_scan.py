"""What openpyxl's read-only mode skips in an .xlsx sheet: merged ranges, hidden rows and
columns, formulas saved without a result, and cell comments.

One pass over the sheet XML as bytes, in chunks cut at row boundaries, with regular
expressions: much cheaper than a second XML parse, and memory stays flat however long the
sheet is (the <mergeCells> element comes after all the rows, so a pass is needed anyway).
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl.utils.cell import coordinate_from_string, range_boundaries

_CHUNK = 1 << 20
_ROW_END = b"</row>"
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN_COL = re.compile(rb'<col\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL_SPAN = re.compile(rb'\bmin="(\d+)"[^>]*?\bmax="(\d+)"|\bmax="(\d+)"[^>]*?\bmin="(\d+)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')
# A formula cell whose <v> is missing or empty: tools that never calculated the workbook.
_FORMULA_NO_VALUE = re.compile(rb"<c\b([^>]*[^/>])?>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True, slots=True)
class MergedRange:
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def ref(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.min_col)}{self.min_row}:{get_column_letter(self.max_col)}{self.max_row}"


@dataclass
class SheetScan:
    merges: list[MergedRange] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: frozenset[int] = frozenset()
    formulas_without_value: dict[int, list[int]] = field(default_factory=dict)


def scan_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    scan = SheetScan()
    hidden_columns: set[int] = set()
    tail = b""
    with archive.open(member) as source:
        while True:
            chunk = source.read(_CHUNK)
            buffer = tail + chunk
            cut = len(buffer) if not chunk else buffer.rfind(_ROW_END)
            if cut < 0:
                tail = buffer
                continue
            cut = cut if not chunk else cut + len(_ROW_END)
            _scan_part(buffer[:cut], scan, hidden_columns)
            tail = buffer[cut:]
            if not chunk:
                break
    scan.hidden_columns = frozenset(hidden_columns)
    return scan


def _scan_part(part: bytes, scan: SheetScan, hidden_columns: set[int]) -> None:
    if b"hidden=" in part:
        for tag in _HIDDEN_ROW.finditer(part):
            if number := _ROW_NUMBER.search(tag.group()):
                scan.hidden_rows.add(int(number[1]))
        for tag in _HIDDEN_COL.finditer(part):
            if span := _COL_SPAN.search(tag.group()):
                low, high = (int(span[1]), int(span[2])) if span[1] else (int(span[4]), int(span[3]))
                hidden_columns.update(range(low, min(high, 256) + 1))
    if b"<f" in part:
        from openpyxl.utils import column_index_from_string

        for cell in _FORMULA_NO_VALUE.finditer(part):
            if ref := _CELL_REF.search(cell.group(1) or b""):
                row, column = int(ref[2]), column_index_from_string(ref[1].decode())
                scan.formulas_without_value.setdefault(row, []).append(column)
    if b"<mergeCell" in part:
        for ref in _MERGE.finditer(part):
            min_col, min_row, max_col, max_row = range_boundaries(ref[1].decode())
            scan.merges.append(MergedRange(min_row, min_col, max_row, max_col))


def read_comments(archive: zipfile.ZipFile, member: str) -> dict[int, dict[int, str]]:
    """Comment text by row and column, from the comments part the sheet's relationships name."""
    folder, name = posixpath.split(member)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {}
    target = None
    # Python's expat caps entity expansion and ElementTree never fetches external entities;
    # openpyxl parses the other parts of the same file the same way.
    root = ElementTree.fromstring(archive.read(rels))  # noqa: S314
    for rel in root.iter(f"{_REL_NS}Relationship"):
        if rel.get("Type", "").endswith("/comments"):
            target = rel.get("Target", "")
            break
    if not target:
        return {}
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    if path not in archive.namelist():
        return {}
    comments: dict[int, dict[int, str]] = {}
    from openpyxl.utils import column_index_from_string

    with archive.open(path) as source:
        for _event, element in ElementTree.iterparse(source):  # noqa: S314 - see above
            if element.tag != f"{_NS}comment":
                continue
            letters, row = coordinate_from_string(element.get("ref", "A1"))
            text = "".join(t.text or "" for t in element.iter(f"{_NS}t")).strip()
            if text:
                comments.setdefault(row, {})[column_index_from_string(letters)] = text
            element.clear()
    return comments
