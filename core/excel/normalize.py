"""Text helpers for spreadsheet cells typed by hand: Unicode clean-up, names, yes/no, ditto
marks, long identifiers, lists of people, Chinese dates and amounts.

Nothing here knows about clues; callers decide which helper fits which column.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext as _

# NFKC already turns U+3000 and U+00A0 into a plain space; these survive it and must go.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e\u202a\u202c"), None)
_SPACES = re.compile(r"[ \t\f\v]+")
_ALL_SPACE = re.compile(r"\s+")

# Traditional and variant forms seen in partners' files; folded for matching only, never stored.
_VARIANTS = str.maketrans(
    "區黨紀組織廉潔違規設號會衛國財審計稅務環發體醫療鎮鄉縣員長處級職間時簽報舉訪來萬圓類別屬辦專導監區幹礎與門戶歲實際錄",
    "区党纪组织廉洁违规设号会卫国财审计税务环发体医疗镇乡县员长处级职间时签报举访来万圆类别属办专导监区干础与门户岁实际录",
)


def clean_text(value: object) -> str:
    """Cell text with full-width forms folded (NFKC), invisible characters removed, runs of spaces
    collapsed and line breaks kept (Alt+Enter inside a cell is meaningful in long text)."""
    if value is None:
        return ""
    return _clean(value if isinstance(value, str) else str(value))


# Cached: one row's cell is cleaned for several purposes, and units and enumerations repeat.
@lru_cache(maxsize=8192)
def _clean(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in text:
        lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        return "\n".join(line for line in lines if line)
    return _SPACES.sub(" ", text).strip()


# Full-width letters and digits and odd spaces, but not punctuation: prose keeps its ，。
_PROSE: dict[int, int | str | None] = {
    code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()
}
_PROSE |= {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " "} | _INVISIBLE


def clean_prose(value: object) -> str:
    """Like clean_text for free text that is stored as written: Chinese punctuation is kept."""
    if value is None:
        return ""
    text = (value if isinstance(value, str) else str(value)).translate(_PROSE)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:  # most cells: one line, no generator (issue 16, the import's hot path)
        return _SPACES.sub(" ", text).strip()
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_line(value: object) -> str:
    """Like clean_text, with line breaks turned into single spaces."""
    return _clean_line(value if isinstance(value, str) else "" if value is None else str(value))


# Cached: units and enumerations repeat down a column.
@lru_cache(maxsize=8192)
def _clean_line(text: str) -> str:
    return _ALL_SPACE.sub(" ", _clean(text)).strip()


def compact(value: object) -> str:
    """Text with every space and line break removed: for names, headers and enumerations
    (张  三 is padded to align with three-character names)."""
    return _compact(value) if isinstance(value, str) else _ALL_SPACE.sub("", clean_text(value))


@lru_cache(maxsize=8192)
def _compact(text: str) -> str:
    return _ALL_SPACE.sub("", _clean(text))


def fold_variants(text: str) -> str:
    """Traditional and variant characters mapped to simplified ones, for matching."""
    return text.translate(_VARIANTS)


def cell_text(value: object) -> str:
    """How a cell reads as text: integral floats without ".0", dates as YYYY-MM-DD."""
    if value.__class__ is str:  # most cells, first
        return _clean(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value)


# --- ditto marks ------------------------------------------------------------------------------

_DITTO = frozenset({"同上", "〃", '"', "''", "同前", "同左", "仝上"})
# A dash means "same as above" in some files and "nothing" in others; callers decide per column.
_DASHES = frozenset({"—", "——", "-", "--", "―", "–", "一一"})


_MARK_STARTS = frozenset(mark[0] for mark in _DITTO | _DASHES)


def ditto_kind(text: str) -> str | None:
    """ "ditto" for an unambiguous ditto mark, "dash" for a lone dash, otherwise None."""
    first = text[:1]
    if first not in _MARK_STARTS and not first.isspace():  # most cells: one look at one character
        return None
    text = text.strip().rstrip("。.")
    if text in _DITTO:
        return "ditto"
    if text in _DASHES:
        return "dash"
    return None


# --- yes / no ---------------------------------------------------------------------------------

_YES = frozenset(
    {"是", "y", "yes", "√", "✓", "✔", "有", "1", "党员", "中共党员", "预备党员", "中共预备党员", "true", "对"}
)
_NO = frozenset(
    {"否", "n", "no", "×", "✗", "✘", "x", "无", "0", "群众", "非党员", "非中共党员", "false", "共青团员", "团员"}
)
_NO_PREFIXES = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟", "无党派")
UNKNOWN_WORDS = frozenset({"不详", "未知", "不清楚", "不明", "待查", "?", "??"})


@dataclass(frozen=True, slots=True)
class YesNo:
    value: bool | None
    recognised: bool


def parse_yes_no(value: object) -> YesNo:
    """是/否, Y/N, √/×, 有/无, 1/0 and political status words; 不详 is a recognised None."""
    text = fold_variants(compact(cell_text(value))).lower()
    if not text or text in UNKNOWN_WORDS:
        return YesNo(None, True)
    if text in _YES:
        return YesNo(True, True)
    if text in _NO or text.startswith(_NO_PREFIXES):
        return YesNo(False, True)
    return YesNo(None, False)


# --- long identifiers -------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?e\+?\d+$", re.IGNORECASE)
# Excel keeps 15 significant digits; from 12 digits on, a number is more likely an ID than a count.
_LONG_NUMBER = 10**11


@dataclass(frozen=True, slots=True)
class Identifier:
    text: str
    possibly_corrupted: bool


def identifier_text(value: object) -> Identifier:
    """A reference number kept as text. A leading apostrophe (forced text) is dropped. A long
    number stored as a number, or one shown in scientific notation, may have lost digits."""
    if isinstance(value, bool) or value is None:
        return Identifier(cell_text(value), False)
    if isinstance(value, int | float):
        text = cell_text(value) if abs(value) < 1e15 else f"{value:.0f}"
        return Identifier(text, abs(value) >= _LONG_NUMBER)
    text = clean_line(value).lstrip("'")
    return Identifier(text, bool(_SCIENTIFIC.match(text)))


# --- names and people -------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"^(不详|未知|不清楚|匿名|某某|某+|[\u4e00-\u9fff]{1,2}某{1,2}|[\u4e00-\u9fff]{1,2}[*＊xX×]{1,3}"
    r"|[*xX×]{2,4}|某.{1,6})$"
)
_PERSON_SEPARATORS = re.compile(r"[、,;/\n|]+")
_WITH_POSITION = re.compile(r"^(?P<name>[^()]+)\((?P<position>[^()]*)\)$")
_OTHERS = re.compile(r"等(?P<count>\d+|[一二两三四五六七八九十]+)?(人|名|同志)?$")


def is_placeholder_name(name: str) -> bool:
    """张某某, 王**, 某局长, 不详: a person the partner did not or could not name."""
    return bool(_PLACEHOLDER.match(name))


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    position: str
    placeholder: bool


@dataclass(frozen=True, slots=True)
class People:
    persons: tuple[Person, ...]
    unnamed_others: bool


def split_people(value: object) -> People:
    """张三、李四 / 张三(局长)、李四(副局长) / 张三等3人 → one Person each; "等" marks others
    who are not named."""
    persons: list[Person] = []
    unnamed = False
    for part in _PERSON_SEPARATORS.split(clean_text(value)):
        part = _ALL_SPACE.sub("", part)
        others = _OTHERS.search(part)
        if others:
            unnamed = True
            part = part[: others.start()]
        position = ""
        matched = _WITH_POSITION.match(part)
        if matched:
            part, position = matched["name"], matched["position"]
        if part:
            persons.append(Person(name=part, position=position, placeholder=is_placeholder_name(part)))
    return People(tuple(persons), unnamed)


# --- Chinese numerals -------------------------------------------------------------------------

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3}
_CN_DIGIT |= {
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")


def chinese_number(text: str) -> tuple[Decimal, bool] | None:
    """壹万伍仟 → 15000, 1.5万 → 15000, 三十一 → 31; the flag says whether a unit character
    (十/百/千/万/亿) scaled the number. None when the text is not a number."""
    total = section = Decimal(0)
    digit: Decimal | None = None
    scaled = False
    for token in _NUMBER_TOKEN.findall(text):
        if token[0].isdigit():
            digit = Decimal(token)
        elif token in _CN_DIGIT:
            digit = Decimal(_CN_DIGIT[token])
        elif token in _CN_SMALL:
            section += (Decimal(1) if digit is None else digit) * _CN_SMALL[token]
            digit, scaled = None, True
        elif token in _CN_BIG:
            unit = _CN_BIG[token]
            part = section + (digit or 0)
            # 一亿二千万: 万 scales only its own section, 亿 scales everything before it.
            total = (total + part) * unit if unit > 10**4 else total + (part or 1) * unit
            section, digit, scaled = Decimal(0), None, True
        else:
            return None
    if digit is None and not scaled:
        return None
    return total + section + (digit or 0), scaled


_CN_RUN = re.compile(r"[0-9〇零○Oo一二三四五六七八九十]+")


def _arabic_digits(text: str) -> str:
    """二〇一七年八月三十一日 → 2017年8月31日; 〇/零/O mistyped inside years become 0."""

    def convert(match: re.Match[str]) -> str:
        run = match.group()
        if "十" in run:
            number = chinese_number(run)
            return str(number[0]) if number else run
        return "".join(str(_CN_DIGIT[ch]) if ch in _CN_DIGIT else ch for ch in run)

    return _CN_RUN.sub(convert, text)


# --- dates ------------------------------------------------------------------------------------

EARLIEST_DATE = date(1990, 1, 1)
_EXCEL_EPOCH = date(1899, 12, 30)  # 1900 date system, past Excel's fictitious 1900-02-29
_SERIALS = range(20000, 80000)  # 1954..2119: a five-digit number in a date column is a serial
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_APPROX_SUFFIX = re.compile(r"(左右|前后|许|初|底|末|上旬|中旬|下旬)$")
_DAY = re.compile(r"^(\d{4}|\d{2})[.\-/年](\d{1,2})[.\-/月](\d{1,2})[日号]?$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})[.\-/年](\d{1,2})月?份?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_HALF = re.compile(r"^(\d{4})年?(上|下)半年$")
_QUARTER = re.compile(r"^(\d{4})年?第?([1-4])季度$")
_NO_YEAR = re.compile(r"^(\d{1,2})月(?:(\d{1,2})[日号]?)?$")
_RANGE = re.compile(r"至|到|~|—|–|-(?=\d{4})")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: date | None
    precision: str | None  # "day" | "month" | "year"
    text: str
    warnings: tuple[str, ...] = ()
    error: str | None = None


def _two_digit_year(year: int, today: date) -> int:
    return 2000 + year if 2000 + year <= today.year else 1900 + year


def _match_date(text: str, default_year: int, today: date) -> tuple[int, int | None, int | None, list[str]] | None:
    """(year, month, day, warnings) for a compact text date, or None when it is not one."""
    warnings: list[str] = []
    if (matched := _APPROX_SUFFIX.search(text)) and len(text) > len(matched.group()):
        text = text[: matched.start()]
        warnings.append(_("The date is approximate."))
    if matched := _COMPACT_DAY.match(text) or _DAY.match(text):
        year = int(matched[1])
        year = _two_digit_year(year, today) if len(matched[1]) == 2 else year
        return year, int(matched[2]), int(matched[3]), warnings
    if matched := _MONTH.match(text):
        return int(matched[1]), int(matched[2]), None, warnings
    if matched := _YEAR.match(text):
        return int(matched[1]), None, None, warnings
    if matched := _HALF.match(text):
        warnings.append(_("Only the half-year is given; its first month is stored."))
        return int(matched[1]), 1 if matched[2] == "上" else 7, None, warnings
    if matched := _QUARTER.match(text):
        warnings.append(_("Only the quarter is given; its first month is stored."))
        return int(matched[1]), int(matched[2]) * 3 - 2, None, warnings
    if matched := _NO_YEAR.match(text):
        warnings.append(_("No year is given; %(year)s, the year of the letter, is assumed.") % {"year": default_year})
        return default_year, int(matched[1]), int(matched[2]) if matched[2] else None, warnings
    return None


def _from_number(number: float, text: str) -> tuple[int, int | None, int | None] | date | None:
    if number.is_integer() and 1900 <= number <= 2100:
        return int(number), None, None
    if number.is_integer() and 19000101 <= number <= 21001231:
        matched = _COMPACT_DAY.match(str(int(number)))
        return (int(matched[1]), int(matched[2]), int(matched[3])) if matched else None
    if int(number) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(number))
    return None


def parse_date(value: object, *, default_year: int, today: date) -> ParsedDate:
    """A received date in any of the forms partners write (docs/domain.md §6.3 quirks 24-26), with its
    precision. Impossible, future and pre-1990 dates are errors: never guessed or corrected."""
    if value is None or value == "":
        return ParsedDate(None, None, "")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, value.isoformat(), [], today)
    text = cell_text(value) if isinstance(value, int | float) else clean_line(value)
    warnings: list[str] = []
    parts: tuple[int, int | None, int | None] | date | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        parts = _from_number(float(value), text)
    else:
        compacted = _arabic_digits(fold_variants(compact(_TIME_SUFFIX.sub("", text))))
        if compacted in UNKNOWN_WORDS:
            return ParsedDate(None, None, text, (_("The date is not known (不详)."),))
        if compacted.isdigit() and len(compacted) == 5:
            parts = _from_number(float(compacted), text)
        else:
            found = _match_date(compacted, default_year, today)
            if found is None and (split := _RANGE.split(compacted, maxsplit=1)) and len(split) == 2:
                found = _match_date(split[0], default_year, today)
                if found:
                    found[3].append(_("A period is given; its start is stored."))
            if found:
                parts, warnings = found[:3], found[3]
    if parts is None:
        return ParsedDate(None, None, text, error=_("“%(text)s” is not a date that can be read.") % {"text": text})
    if isinstance(parts, date):
        return _checked(parts.year, parts.month, parts.day, text, warnings, today)
    return _checked(*parts, text, warnings, today)


def _checked(year: int, month: int | None, day: int | None, text: str, warnings: list[str], today: date) -> ParsedDate:
    precision = "day" if day else "month" if month else "year"
    try:
        value = date(year, month or 1, day or 1)
    except ValueError:
        return ParsedDate(None, None, text, error=_("The date %(text)s does not exist.") % {"text": text})
    if value < EARLIEST_DATE:
        return ParsedDate(None, None, text, error=_("The date %(text)s is before 1990.") % {"text": text})
    if value > today:
        return ParsedDate(None, None, text, error=_("The date %(text)s is in the future.") % {"text": text})
    return ParsedDate(value, precision, text, tuple(warnings))


# --- amounts ----------------------------------------------------------------------------------

_APPROX_WORDS = re.compile(r"约合|大约|约|将近|接近|近|超过|逾|余|多|左右|以上|许")
_CURRENCY = re.compile(r"人民币|rmb|¥|圆")
_NO_AMOUNT = frozenset({"无", "/", "-", "—", "——", "没有", "未涉及", "不涉及"})
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    yuan: Decimal | None
    approximate: bool
    text: str
    bare: bool = False  # no unit in the cell: the column's unit was applied
    error: str | None = None


def parse_amount(value: object, *, bare_unit: Decimal) -> ParsedAmount:
    """1.5万元, 15000元, 约2万, 1,500.00, 2万余元, 壹万伍仟元 → yuan. A bare number takes the
    column's unit (`bare_unit` yuan per unit: 10000 for a 万元 column). 约/余/多 make it approximate."""
    if value is None or value == "":
        return ParsedAmount(None, False, "")
    text = cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return _amount(amount * bare_unit, False, text, bare=True)
    compacted = compact(text).lower().lstrip("'").replace(",", "")
    if compacted in UNKNOWN_WORDS or compacted in _NO_AMOUNT:
        return ParsedAmount(None, False, text)
    approximate = bool(_APPROX_WORDS.search(compacted))
    compacted = _CURRENCY.sub("", _APPROX_WORDS.sub("", compacted))
    in_yuan = compacted.endswith("元")
    number = chinese_number(compacted.removesuffix("元"))
    if number is None:
        return ParsedAmount(
            None, approximate, text, error=_("“%(text)s” is not an amount that can be read.") % {"text": text}
        )
    amount, scaled = number
    if scaled or in_yuan:
        return _amount(amount, approximate, text, bare=False)
    return _amount(amount * bare_unit, approximate, text, bare=True)


def _amount(yuan: Decimal, approximate: bool, text: str, *, bare: bool) -> ParsedAmount:
    if yuan < 0:
        return ParsedAmount(None, approximate, text, bare, _("The amount %(text)s is negative.") % {"text": text})
    return ParsedAmount(yuan.quantize(_CENT), approximate, text, bare)
