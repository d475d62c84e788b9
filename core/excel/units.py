"""Matching a unit name as written in a workbook to one of the expected units (quirk 22).

Shared by every import that names units: the partner clue workbook, the pool roster, the
rectification ledger."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.excel.normalize import compact, fold_variants

_PARTY_PREFIX = re.compile(r"^中共|^中国共产党")
_PARTY_SUFFIX = re.compile(r"(党组|党委|党工委|党总支|党支部|机关党委)$")
_AREA_PREFIX = re.compile(r"^(示范区|新区|区|县|市)")


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit the file may name, with every name it may be written as (full, short, aliases)."""

    id: int
    names: tuple[str, ...]


def canonical(name: str) -> str:
    """区住建局 and 中共示范区住建局党组 both become 住建局."""
    text = fold_variants(compact(name))
    text = _PARTY_SUFFIX.sub("", _PARTY_PREFIX.sub("", text))
    return _AREA_PREFIX.sub("", text)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    unit_id: int | None
    approximate: bool = False
    name: str = ""


def _subsequence(short: str, long: str) -> bool:
    position = 0
    for char in short:
        position = long.find(char, position) + 1
        if position == 0:
            return False
    return True


class UnitMatcher:
    """Exact name, short name or alias after normalisation; then a conservative fuzzy match:
    the one unit whose name contains the text (or the text the name), or failing that the one
    unit whose name holds the text's characters in order with the same first and last one
    (住建局 in 住房和城乡建设局). Fuzzy matches are reported so a person can check them."""

    def __init__(self, units: Sequence[UnitRef]) -> None:
        self.units = list(units)
        self._exact: dict[str, set[int]] = {}
        self._names: list[tuple[int, str]] = []
        for unit in self.units:
            for name in unit.names:
                if key := canonical(name):
                    self._exact.setdefault(key, set()).add(unit.id)
                    self._names.append((unit.id, key))
        self._display = {unit.id: unit.names[0] for unit in self.units if unit.names}
        self._cache: dict[str, UnitMatch] = {}

    def allowed(self) -> str:
        return "、".join(self._display.values())

    def name(self, unit_id: int) -> str:
        return self._display.get(unit_id, str(unit_id))

    def match(self, text: str, *, fuzzy: bool = True) -> UnitMatch:
        key = canonical(text)
        cache_key = f"{fuzzy}:{key}"
        if cache_key not in self._cache:
            self._cache[cache_key] = self._match(key, fuzzy)
        return self._cache[cache_key]

    def _match(self, key: str, fuzzy: bool) -> UnitMatch:
        if not key:
            return UnitMatch(None)
        exact = self._exact.get(key, set())
        if len(exact) == 1:
            unit_id = next(iter(exact))
            return UnitMatch(unit_id, False, self.name(unit_id))
        if exact or not fuzzy or len(key) < 2:
            return UnitMatch(None)
        for test in (
            lambda name: key in name or name in key,
            lambda name: len(key) >= 3 and key[0] == name[0] and key[-1] == name[-1] and _subsequence(key, name),
        ):
            found = {unit_id for unit_id, name in self._names if len(name) >= 2 and test(name)}
            if len(found) == 1:
                unit_id = found.pop()
                return UnitMatch(unit_id, True, self.name(unit_id))
            if found:
                return UnitMatch(None)
        return UnitMatch(None)
