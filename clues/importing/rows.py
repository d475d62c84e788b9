"""Reading one sheet's rows below the header: what kind each row is, and for data rows the
normalised values and every problem found (docs/domain.md §6.2 row rules, §6.3 quirks 3-7, 13-30)."""

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _

from clues.importing import spec
from clues.importing.header import Header, raw_label
from clues.importing.result import JSON, Issue, ParsedRow
from clues.models.categories import CATEGORIES
from core.excel import normalize as norm
from core.excel.columns import RANKS, SPLIT_VALUES
from core.excel.reader import Cell, CellValue, Row
from core.excel.units import UnitMatcher
from core.sealing import SEALED_MARK

_SUBTOTAL = re.compile(r"^(合计|小计|总计|共计|累计)|^共\d+(条|件|项)")
_NOTE = re.compile(r"^(注|备注|说明|填表说明)\d*[:.、]|^注\d|以下空白|以下无内容|此页无正文|^\(以下")
_SIGNATURE = re.compile(
    r"^(审核人|审核|负责人|单位负责人|主要负责人|分管领导|填表人|填报人|制表人|经办人|签字|签名)[:(]"
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+部分)(.+)$"
)
_NIL = re.compile(
    r"^(经查|经核查|经查询|经梳理)?.{0,12}(未发现|没有发现|未收到|没有收到|未查到|暂无|无相关|无此类|无问题线索)|^无$|^没有$"
)
_SEQ = re.compile(r"^(\d+)[、.]?$")
_MIN_ALLEGATION, _MAX_ALLEGATION = 10, 2000
_CORE_KEYS = ("inspected_unit", "reported_name", "allegation")
_WAN = Decimal(10000)


# Dates and amounts repeat down a column; the results are immutable, so they are shared.
@lru_cache(maxsize=4096)
def _parse_date(value: CellValue, letter_year: int, today: date) -> norm.ParsedDate:
    return norm.parse_date(value, default_year=letter_year, today=today)


@lru_cache(maxsize=4096)
def _parse_amount(value: CellValue, bare_unit: Decimal) -> norm.ParsedAmount:
    return norm.parse_amount(value, bare_unit=bare_unit)


class SheetRows:
    """Interprets the rows of one data sheet in order, carrying what rows pass to the rows below
    them: the unit of the last section heading and the last data row (for ditto marks)."""

    def __init__(
        self, *, sheet: str, header: Header, units: UnitMatcher, sheet_unit: int | None, letter_year: int, today: date
    ) -> None:
        self.sheet, self.header, self.units = sheet, header, units
        self.sheet_unit, self.letter_year, self.today = sheet_unit, letter_year, today
        self.section_unit: int | None = None
        self.previous: dict[str, CellValue] = {}
        self.data_count = 0
        self.unit_from_context = False
        self._keys = {column: key for key, column in header.columns.items()}
        self._labels: dict[int, str] = {}  # column → label of raw cells, filled as columns appear
        self._sealed = {column for key, column in header.columns.items() if key in spec.RESTRICTED}
        self._bare_unit = header.amount_unit or _WAN

    # --- classification ----------------------------------------------------------------------

    def interpret(self, row: Row) -> ParsedRow:
        raw: dict[str, str] = {}
        texts: dict[int, str] = {}
        labels = self._labels
        sealed_cell = ""
        for index, cell in enumerate(row.cells, start=1):
            value = cell.value
            if value is None:
                continue
            if index not in labels:
                labels[index] = raw_label(self.header, index)
            # Text is kept as written in raw; other values as they read (cell_text).
            if isinstance(value, str):
                raw[labels[index]] = value
                text = norm.clean_text(value)
            else:
                raw[labels[index]] = text = norm.cell_text(value)
            if text:
                texts[index] = text
            if index in self._sealed:
                raw[labels[index]], sealed_cell = SEALED_MARK, text
        kind, issues, values = self._classify(row, texts)
        if kind == "data":
            values, issues = self._data(row, texts)
            # Its normalised value leaves values too: only the sealed column keeps the reporter.
            sealed_cell = values.pop("reporter_name") or ""
        return ParsedRow(self.sheet, row.number, kind, raw, values, issues, reporter=sealed_cell)

    def _classify(self, row: Row, texts: dict[int, str]) -> tuple[str, list[Issue], dict[str, JSON]]:
        if not texts:
            return "blank", [], {}
        if self.header.repeats_in(row):
            return "repeated_header", [], {}
        first = norm.compact(next(iter(texts.values())))
        if _SUBTOTAL.search(first):
            return "subtotal", [], {}
        if _SIGNATURE.search(first):
            return "signature", [], {}
        if _NOTE.search(first):
            return "note", [], {}
        if len(texts) == 1 or len(set(texts.values())) == 1:
            heading = _HEADING.match(first)
            if heading or self._is_wide(row, next(iter(texts))):
                name = heading[1] if heading else first
                found = self.units.match(name)
                if found.unit_id is not None:
                    self.section_unit = found.unit_id
                    return "section_heading", [], {"unit_id": found.unit_id}
                if heading:
                    message = _("Section heading “%(text)s” does not name a unit of the letter.") % {"text": first}
                    return "section_heading", [self._issue(row, "", "warning", message)], {}
            if self.data_count == 0 and _NIL.search(first):
                return "note", [], {"nil_return": True}
        columns = {self._keys.get(column) for column in texts} | self._ticked(texts)
        if not columns & {*_CORE_KEYS, "category_flag"}:
            if columns <= {"seq", None} and all(_SEQ.match(text) or not text for text in texts.values()):
                return "blank", [], {}
            message = _("The row has content but no unit, name or allegation; it is not imported.")
            return "note", [self._issue(row, "", "warning", message)], {}
        return "data", [], {}

    def _ticked(self, texts: dict[int, str]) -> set[str | None]:
        return {"category_flag"} if any(column in self.header.category_flags for column in texts) else set()

    @staticmethod
    def _is_wide(row: Row, column: int) -> bool:
        merge = row.cell(column).merge
        return merge is not None and merge.max_col - merge.min_col >= 2

    def _issue(self, row: Row, column: str, severity: str, message: str) -> Issue:
        return Issue(row.number, column, severity, message, self.sheet)

    # --- data rows ---------------------------------------------------------------------------

    def _cell_value(self, row: Row, key: str, column: int, texts: dict[int, str], issues: list[Issue]) -> CellValue:
        """The value a column holds once merges and ditto marks are resolved."""
        cell: Cell = row.cell(column)
        value = cell.value
        if cell.merge is not None and cell.covered and cell.merge.min_row < row.number:
            if key in spec.FORWARD_FILL:
                value = cell.merge_value
            elif key != "seq":
                message = _("This cell is inside a merged range; the merged value is not copied into this column.")
                issues.append(self._issue(row, key, "warning", message))
        if cell.formula_without_value and key != "seq":
            message = _("The cell holds a formula without a saved result; type the value instead.")
            issues.append(self._issue(row, key, "warning", message))
        # clean_text, not clean_line: the marks hold no spaces, so both read the same marks; the
        # row's classification cleaned the cell's own text already (texts).
        if isinstance(value, str) and (
            ditto := norm.ditto_kind(texts.get(column, "") if value is cell.value else norm.clean_text(value))
        ):
            if ditto == "dash" and key not in spec.DASH_IS_DITTO:
                return None
            if key not in self.previous:
                message = _("A ditto mark (“%(text)s”) with no row above to copy from.") % {"text": value.strip()}
                issues.append(self._issue(row, key, "error", message))
                return None
            return self.previous[key]
        return value

    def _data(self, row: Row, texts: dict[int, str]) -> tuple[dict[str, JSON], list[Issue]]:
        issues: list[Issue] = []
        raw_values = {
            key: self._cell_value(row, key, column, texts, issues) for key, column in self.header.columns.items()
        }
        values: dict[str, JSON] = {}
        values["seq"] = self._seq(raw_values.get("seq"))
        values["unit_id"] = self._unit(row, raw_values.get("inspected_unit"), issues)
        values["reported_persons"], values["reported_position"] = self._persons(row, raw_values, issues)
        values["reported_rank"] = self._enum(row, "reported_rank", raw_values, RANKS, "other", issues)
        values["is_party_member"] = self._yes_no(row, raw_values.get("is_party_member"), issues)
        values["categories"] = self._categories(row, raw_values.get("category"), texts, issues)
        values["allegation"] = self._allegation(row, raw_values.get("allegation"), issues)
        values["source_channel"] = self._enum(row, "source_channel", raw_values, spec.SOURCES, "other", issues)
        values.update(self._date(row, raw_values.get("received_date"), issues))
        values.update(self._amount(row, raw_values.get("amount"), issues))
        values["handling_status"] = self._enum(row, "handling_status", raw_values, spec.STATUSES, "unknown", issues)
        for key in spec.TEXT_KEYS:
            if key != "reported_position":
                values[key] = self._text(row, key, raw_values.get(key), issues)
        self._formatting(row, issues)
        if row.hidden:
            issues.append(self._issue(row, "", "warning", _("This row is hidden in the file.")))
        self.previous = {key: value for key, value in raw_values.items() if value is not None}
        self.data_count += 1
        return values, issues

    def _required(self, row: Row, key: str, issues: list[Issue]) -> None:
        label = spec.BY_KEY[key].label
        issues.append(self._issue(row, key, "error", _("%(label)s is required.") % {"label": label}))

    @staticmethod
    def _seq(value: CellValue) -> int | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
        matched = _SEQ.match(norm.compact(value)) if isinstance(value, str) else None
        return int(matched[1]) if matched else None

    def _unit(self, row: Row, value: CellValue, issues: list[Issue]) -> int | None:
        text = norm.clean_line(norm.cell_text(value))
        if not text:
            unit = self.section_unit or self.sheet_unit
            if unit is None:
                self._required(row, "inspected_unit", issues)
            self.unit_from_context = self.unit_from_context or unit is not None
            return unit
        found = self.units.match(text)
        if found.unit_id is None:
            message = _("“%(text)s” is not one of the units in the letter: %(units)s.")
            issues.append(
                self._issue(row, "inspected_unit", "error", message % {"text": text, "units": self.units.allowed()})
            )
        elif found.approximate:
            message = _("“%(text)s” was read as %(unit)s; please check.") % {"text": text, "unit": found.name}
            issues.append(self._issue(row, "inspected_unit", "warning", message))
        return found.unit_id

    def _persons(self, row: Row, values: dict[str, CellValue], issues: list[Issue]) -> tuple[JSON, str]:
        position = norm.clean_prose(norm.cell_text(values.get("reported_position"))).replace("\n", " ")
        people = norm.split_people(norm.cell_text(values.get("reported_name")))
        if not people.persons:
            self._required(row, "reported_name", issues)
            return [], position
        positions = [part for part in SPLIT_VALUES.split(position) if part] if position else []
        if len(positions) != len(people.persons):
            positions = [position] * len(people.persons)
        persons = []
        for person, fallback in zip(people.persons, positions, strict=True):
            if person.placeholder:
                message = _("“%(name)s” is not a full name.") % {"name": person.name}
                issues.append(self._issue(row, "reported_name", "warning", message))
            persons.append(
                {"name": person.name, "position": person.position or fallback, "placeholder": person.placeholder}
            )
        if people.unnamed_others:
            message = _("Only some of the people are named (等); the others are not recorded.")
            issues.append(self._issue(row, "reported_name", "warning", message))
        return persons, position

    def _enum(
        self,
        row: Row,
        key: str,
        values: dict[str, CellValue],
        table: dict[str, tuple[str, ...]],
        fallback: str,
        issues: list[Issue],
    ) -> str | None:
        text = norm.clean_line(norm.cell_text(values.get(key)))
        if not text:
            if spec.BY_KEY[key].required:
                self._required(row, key, issues)
            return None
        code = spec.lookup(table, text)
        if code is None:
            message = _("“%(text)s” is not a known value; recorded as %(value)s.")
            issues.append(self._issue(row, key, "warning", message % {"text": text, "value": table[fallback][0]}))
            return fallback
        return code

    def _yes_no(self, row: Row, value: CellValue, issues: list[Issue]) -> bool | None:
        answer = norm.parse_yes_no(value)
        if not answer.recognised:
            message = _("“%(text)s” is not read as yes or no; left empty.") % {"text": norm.cell_text(value)}
            issues.append(self._issue(row, "is_party_member", "warning", message))
        return answer.value

    def _categories(self, row: Row, value: CellValue, texts: dict[int, str], issues: list[Issue]) -> list[str]:
        codes: list[str] = []
        for part in SPLIT_VALUES.split(norm.clean_text(norm.cell_text(value))):
            if not part.strip():
                continue
            code = spec.lookup(CATEGORIES, part)
            if code is None:
                message = _("“%(text)s” is not a known value; recorded as %(value)s.") % {"text": part, "value": "其他"}
                issues.append(self._issue(row, "category", "warning", message))
                code = "other"
            if code not in codes:
                codes.append(code)
        for column, code in self.header.category_flags.items():
            if spec.is_tick(texts.get(column, "")) and code not in codes:
                codes.append(code)
        if not codes:
            self._required(row, "category", issues)
        return codes

    def _allegation(self, row: Row, value: CellValue, issues: list[Issue]) -> str:
        text = norm.clean_prose(value if isinstance(value, str) else norm.cell_text(value))
        if not text:
            self._required(row, "allegation", issues)
        elif len(text) < _MIN_ALLEGATION:
            message = _("The allegation is too short (%(count)s characters; at least 10).") % {"count": len(text)}
            issues.append(self._issue(row, "allegation", "error", message))
        elif len(text) > _MAX_ALLEGATION:
            message = _("The allegation is too long (%(count)s characters; at most 2000).") % {"count": len(text)}
            issues.append(self._issue(row, "allegation", "error", message))
        return text

    def _date(self, row: Row, value: CellValue, issues: list[Issue]) -> dict[str, JSON]:
        parsed = _parse_date(value, self.letter_year, self.today)
        if not parsed.text:
            self._required(row, "received_date", issues)
        if parsed.error:
            issues.append(self._issue(row, "received_date", "error", parsed.error))
        issues.extend(self._issue(row, "received_date", "warning", warning) for warning in parsed.warnings)
        return {
            "received_date": parsed.value.isoformat() if parsed.value else None,
            "received_date_precision": parsed.precision,
            "received_date_text": parsed.text,
        }

    def _amount(self, row: Row, value: CellValue, issues: list[Issue]) -> dict[str, JSON]:
        parsed = _parse_amount(value, self._bare_unit)
        if parsed.error:
            issues.append(self._issue(row, "amount", "error", parsed.error))
        return {
            "amount_yuan": str(parsed.yuan) if parsed.yuan is not None else None,
            "amount_approximate": parsed.approximate,
        }

    def _text(self, row: Row, key: str, value: CellValue, issues: list[Issue]) -> str:
        if (isinstance(value, int | float) and not isinstance(value, bool)) or (
            isinstance(value, str) and key == "source_ref"
        ):
            identifier = norm.identifier_text(value)
            if identifier.possibly_corrupted:
                # Issues are stored in clear: a reporter's number is named by the seal mark.
                shown = SEALED_MARK if key in spec.RESTRICTED else identifier.text
                message = _("“%(text)s” was stored as a number and may have lost digits; enter it as text.")
                issues.append(self._issue(row, key, "warning", message % {"text": shown}))
            return identifier.text
        return norm.clean_prose(value if isinstance(value, str) else norm.cell_text(value))

    def _formatting(self, row: Row, issues: list[Issue]) -> None:
        """Formatting that people use to mean something is passed on, never dropped (quirk 30)."""
        for index, cell in enumerate(row.cells, start=1):
            if not (cell.red or cell.filled or cell.strike or cell.comment):
                continue
            key = self._keys.get(index) or ("category" if index in self.header.category_flags else "")
            if cell.red and cell.value is not None:
                issues.append(self._issue(row, key, "warning", _("Red text (often marks something important).")))
            if cell.filled:
                issues.append(self._issue(row, key, "warning", _("Coloured fill (often marks something important).")))
            if cell.strike and cell.value is not None:
                issues.append(self._issue(row, key, "warning", _("Struck-through text (often means withdrawn).")))
            if cell.comment:
                issues.append(self._issue(row, key, "warning", _("Cell comment: %(text)s") % {"text": cell.comment}))
