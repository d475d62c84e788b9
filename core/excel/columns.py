"""What every spreadsheet import shares about its columns: the column spec, header reduction,
the synonym lookup of freely written values, the split of multi-value cells, and the cadre
rank vocabulary (the clue workbook and the pool roster both record ranks)."""

import re
from dataclasses import dataclass

from core.excel.normalize import compact, fold_variants


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # the template's header
    aliases: tuple[str, ...]
    required: bool = False
    width: int = 14  # template column width, in characters


RANKS: dict[str, tuple[str, ...]] = {
    "county": ("县处级", "处级", "县级", "正处", "副处", "县处级正职", "县处级副职", "正县级", "副县级"),
    "section_chief": ("乡科级正职", "正科", "正科级", "科级正职", "乡科级正职干部"),
    "deputy_section_chief": ("乡科级副职", "副科", "副科级", "科级副职"),
    "staff": ("科员及以下", "科员", "办事员", "一般干部", "工作人员", "科员以下"),
    "other": ("其他", "其它"),
    "unknown": ("不详", "未知", "不清楚"),
}
_DECORATION = re.compile(r"^[*※★]+|[*※★]+$|\((必填|选填|可选|可多选|多选|必选|下拉选择|选择)\)")
SPLIT_VALUES = re.compile(r"[、,;/\n]+|和|及")


def header_text(text: str) -> str:
    """A header cell reduced for matching: no spaces or line breaks, no required-field marks."""
    return _DECORATION.sub("", fold_variants(compact(text))).lower()


def lookup(
    table: dict[str, tuple[str, ...]], text: str, *, exact: bool = False, strip: re.Pattern[str] | None = None
) -> str | None:
    """The code for a freely written enumeration value: exact synonym first (also with `strip`
    removed), then (unless `exact`) the one code whose synonym the text contains, when only one does."""
    cache_key = (id(table), text, exact, id(strip))  # the tables and patterns are module constants
    if cache_key not in _LOOKUPS:
        if len(_LOOKUPS) > 4096:
            _LOOKUPS.clear()
        _LOOKUPS[cache_key] = _lookup(table, text, exact, strip)
    return _LOOKUPS[cache_key]


_LOOKUPS: dict[tuple[int, str, bool, int], str | None] = {}


def _lookup(table: dict[str, tuple[str, ...]], text: str, exact: bool, strip: re.Pattern[str] | None) -> str | None:
    reduced = fold_variants(compact(text))
    candidates = [reduced, strip.sub("", reduced)] if strip else [reduced]
    for candidate in candidates:
        for code, names in table.items():
            if candidate in names:
                return code
    if exact:
        return None
    contained = {code for code, names in table.items() for name in names if len(name) >= 2 and name in reduced}
    return contained.pop() if len(contained) == 1 else None
