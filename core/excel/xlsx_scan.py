"""What the cell-value reader (python-calamine) does not give for an .xlsx sheet: merged
ranges, hidden rows and columns, formulas saved without a result, error values, the style of
the cells whose formatting means something, and cell comments; plus the workbook's sheet parts
and its style table.

One pass over the sheet XML as bytes, in chunks cut at row boundaries, with regular
expressions: much cheaper than a second XML parse, and memory stays flat however long the
sheet is (the <mergeCells> element comes after all the rows, so a pass is needed anyway).
"""

import posixpath
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple, cast
from xml.etree import ElementTree

from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

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
# An error value (#N/A, #DIV/0!...): the value reader gives those cells as empty.
_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(?:\s*<f\b[^>]*(?:/>|>[^<]*</f>))?\s*<v>([^<]+)</v>')
_STYLE_ID = re.compile(rb'\ss="(\d+)"')
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass(frozen=True, slots=True)
class MergedRange:
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.min_col)}{self.min_row}:{get_column_letter(self.max_col)}{self.max_row}"


@dataclass
class SheetScan:
    merges: list[MergedRange] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: frozenset[int] = frozenset()
    formulas_without_value: dict[int, list[int]] = field(default_factory=dict)
    errors: dict[int, dict[int, str]] = field(default_factory=dict)  # row → column → "#N/A"
    styles: dict[int, dict[int, int]] = field(default_factory=dict)  # row → column → style id
    last_row: int = 0  # the number of the last <row> element, valued or not


def scan_sheet(archive: zipfile.ZipFile, member: str, styled: Collection[int] = ()) -> SheetScan:
    """One pass over the sheet XML; `styled` names the style ids whose cells are worth noting."""
    scan = SheetScan()
    styled_cell = (
        re.compile(rb'<c\b[^>]*?\ss="(?:' + b"|".join(str(i).encode() for i in sorted(styled)) + rb')"[^>]*>')
        if styled
        else None
    )
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
            _scan_part(buffer[:cut], scan, hidden_columns, styled_cell)
            tail = buffer[cut:]
            if not chunk:
                break
    scan.hidden_columns = frozenset(hidden_columns)
    return scan


def _scan_part(part: bytes, scan: SheetScan, hidden_columns: set[int], styled_cell: re.Pattern[bytes] | None) -> None:
    if (start := part.rfind(b"<row ")) >= 0 and (number := _ROW_NUMBER.search(part, start)):
        scan.last_row = int(number[1])
    if b"hidden=" in part:
        for tag in _HIDDEN_ROW.finditer(part):
            if number := _ROW_NUMBER.search(tag.group()):
                scan.hidden_rows.add(int(number[1]))
        for tag in _HIDDEN_COL.finditer(part):
            if span := _COL_SPAN.search(tag.group()):
                low, high = (int(span[1]), int(span[2])) if span[1] else (int(span[4]), int(span[3]))
                hidden_columns.update(range(low, min(high, 256) + 1))
    if b"<f" in part:
        for cell in _FORMULA_NO_VALUE.finditer(part):
            if ref := _CELL_REF.search(cell.group(1) or b""):
                row, column = int(ref[2]), column_index_from_string(ref[1].decode())
                scan.formulas_without_value.setdefault(row, []).append(column)
    if b't="e"' in part:
        for cell in _ERROR_CELL.finditer(part):
            if ref := _CELL_REF.search(cell[1]):
                row, column = int(ref[2]), column_index_from_string(ref[1].decode())
                scan.errors.setdefault(row, {})[column] = cell[2].decode().strip()
    if styled_cell is not None:
        for cell in styled_cell.finditer(part):
            cell_tag = cell.group()
            # styled_cell only matches tags with an s="…" attribute, so style is always found.
            if (ref := _CELL_REF.search(cell_tag)) and (style := _STYLE_ID.search(cell_tag)):
                row, column = int(ref[2]), column_index_from_string(ref[1].decode())
                scan.styles.setdefault(row, {})[column] = int(style[1])
    if b"<mergeCell" in part:
        for ref in _MERGE.finditer(part):
            # A mergeCell ref is always a full A1:B2 range, so no bound is None.
            bounds = cast("tuple[int, int, int, int]", range_boundaries(ref[1].decode()))
            min_col, min_row, max_col, max_row = bounds
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


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The XML part of each sheet, by sheet name, from the workbook part and its relationships."""
    workbook = office_document(archive)
    folder, name = posixpath.split(workbook)
    targets = _relationship_targets(archive, posixpath.join(folder, "_rels", name + ".rels"), folder)
    if workbook not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(workbook))  # noqa: S314 - see read_comments
    parts = {}
    for sheet in root.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(f"{_DOC_REL_NS}id", ""))
        if target:
            parts[sheet.get("name", "")] = target
    return parts


def sheet_list(archive: zipfile.ZipFile) -> list[tuple[str, bool, str]]:
    """(name, hidden, XML part) of each sheet in workbook order, as python-calamine lists them;
    a part outside worksheets/ (a chartsheet, a macro sheet) is given as ""."""
    workbook = office_document(archive)
    folder, name = posixpath.split(workbook)
    targets = _relationship_targets(archive, posixpath.join(folder, "_rels", name + ".rels"), folder)
    if workbook not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read(workbook))  # noqa: S314 - see read_comments
    sheets = []
    for sheet in root.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(f"{_DOC_REL_NS}id", ""), "")
        hidden = sheet.get("state", "visible") != "visible"
        sheets.append((sheet.get("name", ""), hidden, target if "/worksheets/" in f"/{target}" else ""))
    return sheets


def office_document(archive: zipfile.ZipFile) -> str:
    if "_rels/.rels" in archive.namelist():
        root = ElementTree.fromstring(archive.read("_rels/.rels"))  # noqa: S314 - see read_comments
        for rel in root.iter(f"{_REL_NS}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _relationship_targets(archive: zipfile.ZipFile, rels: str, folder: str) -> dict[str, str]:
    if rels not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels))  # noqa: S314 - see read_comments
    targets = {}
    for rel in root.iter(f"{_REL_NS}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[rel.get("Id", "")] = path
    return targets


class StyleFlags(NamedTuple):
    number_format: str
    red: bool
    filled: bool
    strike: bool


def read_styles(archive: zipfile.ZipFile) -> dict[int, StyleFlags]:
    """Number format and meaningful formatting of each cell style id (cellXfs) that has any: red
    font, coloured fill, strikethrough or a date/time number format. Other ids are left out, so
    a sheet pass notes only the cells that carry something (openpyxl's reading of styles.xml)."""
    if "xl/styles.xml" not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))  # noqa: S314 - see read_comments
    custom = {int(fmt.get("numFmtId", -1)): fmt.get("formatCode", "") for fmt in root.iter(f"{_NS}numFmt")}
    fonts = [
        (_is_red(font.find(f"{_NS}color")), _is_on(font.find(f"{_NS}strike"))) for font in _children(root, "fonts")
    ]
    fills = [_is_filled(fill) for fill in _children(root, "fills")]
    table = {}
    for style_id, xf in enumerate(_children(root, "cellXfs")):
        number_format_id = _int(xf.get("numFmtId"))
        if number_format_id in custom:
            number_format = custom[number_format_id] or "General"
        else:
            number_format = BUILTIN_FORMATS.get(number_format_id, "General")
        font_id, fill_id = _int(xf.get("fontId")), _int(xf.get("fillId"))
        red, strike = fonts[font_id] if 0 <= font_id < len(fonts) else (False, False)
        filled = fills[fill_id] if 0 <= fill_id < len(fills) else False
        if red or filled or strike or is_date_format(number_format):
            table[style_id] = StyleFlags(number_format, red, filled, strike)
    return table


def _children(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    parent = root.find(f"{_NS}{name}")
    return list(parent) if parent is not None else []


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _is_on(element: ElementTree.Element | None) -> bool:
    """A boolean property such as <strike/>: on unless val says false."""
    return element is not None and element.get("val", "1").lower() not in ("0", "false")


def _rgb(color: ElementTree.Element | None) -> tuple[int, int, int] | None:
    """The colour's RGB: an rgb attribute or an entry of the standard indexed palette (theme
    and automatic colours have none), taking the attributes in openpyxl's order."""
    if color is None:
        return None
    if (indexed := color.get("indexed")) is not None:
        index = _int(indexed)
        rgb = COLOR_INDEX[index] if index < len(COLOR_INDEX) else None
    elif color.get("theme") is not None or color.get("auto") is not None:
        return None
    else:
        rgb = color.get("rgb", "00000000")
    if not isinstance(rgb, str) or len(rgb) < 6:
        return None
    try:
        return int(rgb[-6:-4], 16), int(rgb[-4:-2], 16), int(rgb[-2:], 16)
    except ValueError:
        return None


def _is_red(color: ElementTree.Element | None) -> bool:
    rgb = _rgb(color)
    return rgb is not None and rgb[0] >= 0xC0 and rgb[1] < 0x70 and rgb[2] < 0x70


def _is_filled(fill: ElementTree.Element) -> bool:
    """A pattern fill whose foreground is a colour (not white, black or the background theme
    colour), or any gradient fill."""
    if fill.find(f"{_NS}gradientFill") is not None:
        return True
    pattern = fill.find(f"{_NS}patternFill")
    if pattern is None or pattern.get("patternType", "none") == "none":
        return False
    color = pattern.find(f"{_NS}fgColor")
    if color is not None and color.get("indexed") is None and (theme := color.get("theme")) is not None:
        return _int(theme) != 0  # theme 0 is the background (white)
    rgb = _rgb(color) if color is not None else (0, 0, 0)
    return rgb is not None and rgb not in ((255, 255, 255), (0, 0, 0))
