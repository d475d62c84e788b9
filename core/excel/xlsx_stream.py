"""Cell values of a large .xlsx sheet read as a stream, a chunk of rows at a time (issue 16).

python-calamine reads a whole sheet into native memory before the first row: about 100 MiB
for 100,000 rows of a partner workbook, most of an import's memory. For sheets larger than
`STREAM_ABOVE` bytes of XML, `core.excel.reader` reads the values here instead, with the
same byte-level pass over the sheet XML as `core.excel.xlsx_scan` (chunks cut at row ends,
regular expressions): memory holds one chunk and the shared-string table, whatever the
number of rows.

Values come out as python-calamine gives them to the reader: text as written (shared,
inline or a formula's text result), numbers as float, booleans, dates (cells with a date
number format) as datetime, None for empty cells and error values (the scan gives those).
tests/core/test_xlsx_stream.py checks both readers give the same rows.
"""

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

STREAM_ABOVE = 16 * 2**20  # sheet XML bytes (about 20,000 rows of the template); smaller sheets: calamine

_CHUNK = 1 << 20
_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
# The common spelling first (Excel, WPS, openpyxl: r, s, t in that order, then a value or an
# inline string of one run), then any cell.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb"(?:<v>([^<]*)</v>|(<is>)<t\b[^>]*>([^<]*)</t></is>)</c>"
    rb"|<c\b([^>]*?)(?:/>|>(.*?)</c>)",
    re.S,
)
# A character reference outside markup characters: resolved in the bytes of a text, before decoding.
# One group: split() gives text and references alternately, resolved by a dict in a comprehension
# (re.sub with a callback per reference was about a third of the read's profile on a sheet openpyxl wrote).
_CHARREF = re.compile(rb"&#(x[0-9A-Fa-f]+|[0-9]+);")
_MARKUP = frozenset("<>&\"'")
_RESOLVED: dict[bytes, bytes] = {}
_REF = re.compile(rb'\br="([A-Z]+)(\d*)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_TEXT = re.compile(rb"<t\b[^>]*?(?:/>|>([^<]*)</t>)")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _PH = f"{_NS}si", f"{_NS}t", f"{_NS}rPh"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _text(raw: bytes) -> str:
    """XML text as the document means it: entities resolved, Excel's _xHHHH_ escapes decoded."""
    return _short_text(raw) if len(raw) <= _SHORT else _resolved_text(raw)


# Units, enumerations, dates and names repeat down a sheet: a short text is resolved once.
_SHORT = 64


@lru_cache(maxsize=8192)
def _short_text(raw: bytes) -> str:
    return _resolved_text(raw)


def _resolved_text(raw: bytes) -> str:
    if b"&#" in raw:
        parts = _CHARREF.split(raw)
        known = _RESOLVED
        parts[1::2] = [known.get(number) or _resolve(number) for number in parts[1::2]]
        raw = b"".join(parts)
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    return _unescape_x(text)


def _rich_text(content: bytes) -> str:
    """The text of a shared or inline string: its <t> runs, without phonetic guides."""
    if b"<rPh" in content:
        content = _PHONETIC.sub(b"", content)
    return "".join(_text(t[1]) for t in _TEXT.finditer(content) if t[1])


def _chunks(archive: zipfile.ZipFile, member: str, end: bytes) -> Iterator[bytes]:
    """The part's bytes in pieces cut just after an `end` tag, so no element is split."""
    tail = b""
    with archive.open(member) as source:
        while chunk := source.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(end)
            if cut < 0:
                tail = buffer
                continue
            cut += len(end)
            yield buffer[:cut]
            tail = buffer[cut:]
    if tail:
        yield tail


def shared_strings(archive: zipfile.ZipFile, member: str | None) -> list[str]:
    """The shared-string table. Parsed with expat (ElementTree), element by element: writers
    such as openpyxl spell every CJK character as a character reference, which expat resolves
    in C, far faster than a regular expression could."""
    if member is None or member not in archive.namelist():
        return []
    table: list[str] = []
    with archive.open(member) as source:
        # Python's expat caps entity expansion and never fetches external entities (read_comments).
        for _event, element in ElementTree.iterparse(source):  # noqa: S314
            if element.tag == _SI:
                texts = [t.text or "" for t in element.iter(_T)]
                if len(texts) > 1:  # rich text: its runs, without phonetic guides (<rPh>)
                    guides = {id(t) for ph in element.iter(_PH) for t in ph.iter(_T)}
                    texts = [t.text or "" for t in element.iter(_T) if id(t) not in guides]
                table.append(_unescape_x("".join(texts)))
                element.clear()
    return table


def _unescape_x(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def shared_strings_part(archive: zipfile.ZipFile, workbook: str) -> str | None:
    """The shared-string part the workbook's relationships name, if any."""
    folder, name = posixpath.split(workbook)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return None
    root = ElementTree.fromstring(archive.read(rels))  # noqa: S314 - see xlsx_scan.read_comments
    for rel in root.iter(f"{_REL_NS}Relationship"):
        if rel.get("Type", "").endswith("/sharedStrings"):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return None


def uses_1904(archive: zipfile.ZipFile, workbook: str) -> bool:
    """Dates count from 1904 in workbooks saved so (old Mac Excel): <workbookPr date1904="1">."""
    if workbook not in archive.namelist():
        return False
    root = ElementTree.fromstring(archive.read(workbook))  # noqa: S314 - see xlsx_scan.read_comments
    properties = root.find(f"{_NS}workbookPr")
    return properties is not None and properties.get("date1904", "0").lower() in ("1", "true")


def sheet_values(
    archive: zipfile.ZipFile, member: str, strings: list[str], date_styles: frozenset[int], date1904: bool
) -> Iterator[tuple[int, list[object]]]:
    """(row number, values from column 1) for each <row> of the sheet, in order; rows without
    any value element are skipped (the reader fills the gaps)."""
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    number = 0
    for chunk in _chunks(archive, member, b"</row>"):
        for row in _ROW.finditer(chunk):
            found = _ROW_NUMBER.search(row[1])
            number = int(found[1]) if found else number + 1
            content = row[2]
            if not content:
                continue
            values: list[object] = []
            column = 0
            # findall: tuples of groups, no match object per cell; an unmatched group reads b"",
            # hence the <is> group, which tells an empty inline string from an empty <v>.
            for letters, style, kind, raw, inline_string, inline, attributes, inner in _CELL.findall(content):
                value: object
                if letters:
                    column = _column(letters)
                    if inline_string:  # _text, inlined: most cells of a sheet openpyxl wrote
                        value = _short_text(inline) if len(inline) <= _SHORT else _resolved_text(inline)
                    else:
                        value = _plain(kind or b"n", raw, style or None, strings, date_styles, epoch)
                else:
                    ref = _REF.search(attributes)
                    column = _column(ref[1]) if ref else column + 1
                    if not inner:
                        continue
                    found = _TYPE.search(attributes)
                    found_style = _STYLE.search(attributes)
                    value = _value(
                        found[1] if found else b"n", inner, found_style[1] if found_style else None, strings,
                        date_styles, epoch,
                    )  # fmt: skip
                if value is None:
                    continue
                if len(values) < column:
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
            yield number, values


def _resolve(number: bytes) -> bytes:
    """The UTF-8 bytes of a character reference &#number; (openpyxl writes every CJK character
    as one); references to markup characters stay, for _text to resolve inside the value."""
    try:
        char = chr(int(number[1:], 16) if number[:1] == b"x" else int(number))
    except (ValueError, OverflowError):
        char = "&"
    resolved = b"&#" + number + b";" if char in _MARKUP else char.encode("utf-8", "surrogatepass")
    if len(_RESOLVED) < 100_000:
        _RESOLVED[number] = resolved
    return resolved


_COLUMNS: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    column = _COLUMNS.get(letters)
    if column is None:
        column = _COLUMNS[letters] = column_index_from_string(letters.decode())
    return column


def _value(
    kind: bytes,
    inner: bytes,
    style: bytes | None,
    strings: list[str],
    date_styles: frozenset[int],
    epoch: datetime,
) -> object:
    if kind == b"inlineStr":
        return _rich_text(inner)
    found = _VALUE.search(inner)
    return None if found is None else _plain(kind, found[1], style, strings, date_styles, epoch)


def _plain(
    kind: bytes, raw: bytes, style: bytes | None, strings: list[str], date_styles: frozenset[int], epoch: datetime
) -> object:
    """The value of a cell of type `kind` whose <v> holds `raw`."""
    if kind == b"s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else None
    if kind == b"n":
        if not raw:
            return None
        number = float(raw)
        if style is not None and date_styles and int(style) in date_styles:
            try:
                return from_excel(number, epoch)
            except (ValueError, OverflowError):
                return number
        return number
    if kind == b"str":
        return _text(raw)
    if kind == b"b":
        return raw.strip() in (b"1", b"true")
    if kind == b"d":
        try:
            return datetime.fromisoformat(raw.decode())
        except ValueError:
            return _text(raw)
    return None  # an error value: the scan gives its text
