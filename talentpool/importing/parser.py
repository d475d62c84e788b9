"""Reading a roster workbook into rows ready to nominate, with every problem found on the way.

The parser never writes. It reads the first visible sheet, finds the header in the first rows,
and checks each row against the directory (home and nominating units, people already in a
pool), so that the caller can write all rows or, if any row has a problem, none.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from core.excel import normalize as norm
from core.excel.columns import SPLIT_VALUES, lookup
from core.excel.errors import build_error_workbook
from core.excel.reader import Row
from core.excel.table import Issue, TableResult, body_rows, locate_columns, read_table
from core.excel.units import UnitMatcher, UnitRef
from core.models import Organisation, Person
from talentpool.importing import spec
from talentpool.models import TalentPoolEntry

_YEAR = re.compile(r"^((?:19|20)\d{2})(?:$|[年.\-/]|\d{2}$)")
OLDEST_YEAR = 1940
YOUNGEST_AGE = 18


def column_issue(row: int, key: str, message: str) -> Issue:
    return Issue(row, key, message, spec.BY_KEY[key].label)


@dataclass
class RosterRow:
    row: int
    values: dict[str, Any]  # name, gender, birth_year, home_unit_id, position, rank, phone,
    # specialties, pool_type, nominated_by_id, admitted
    person_id: int | None = None  # an existing person the row names


@dataclass
class RosterResult(TableResult):
    rows: list[RosterRow] = field(default_factory=list)


def parse_roster(path: str, *, kind: str, today: date) -> RosterResult:
    result = RosterResult()
    read_table(
        path,
        result,
        kind=kind,
        read_sheet=lambda rows: _read_sheet(rows, result, today),
        nothing_found=_("The roster lists nobody."),
    )
    return result


def build_roster_error_workbook(path: str, *, kind: str, result: RosterResult, watermark: str) -> bytes:
    """The uploaded roster with every problem marked on its cell, after a sheet listing them all."""
    return build_error_workbook(path, kind=kind, marks=result.marks(), watermark=watermark)


def _read_sheet(rows: list[Row], result: RosterResult, today: date) -> None:
    header = locate_columns(
        rows,
        result,
        column_key=spec.column_key,
        labels={key: column.label for key, column in spec.BY_KEY.items()},
        required=spec.REQUIRED,
        no_header=_("No header row was found: the first rows must name the template's columns (姓名, 原单位, …)."),
    )
    if header is None:
        return
    reader = _RowReader(result.columns, today)
    for row in body_rows(rows, header, lambda row: any(reader.text(row, key) for key in result.columns)):
        values, issues = reader.read(row)
        result.issues.extend(issues)
        if not issues:
            result.rows.append(RosterRow(row.number, values))
    _match_people(result)


class _RowReader:
    """Normalises one row's cells; units are matched by full name, short name or alias."""

    def __init__(self, columns: dict[str, int], today: date) -> None:
        self.columns, self.today = columns, today
        organisations = Organisation.objects.values_list("pk", "name", "short_name", "aliases")
        self.units = UnitMatcher(
            [
                UnitRef(pk, tuple(n for n in (name, short, *(aliases or [])) if n))
                for pk, name, short, aliases in organisations
            ]
        )

    def value(self, row: Row, key: str) -> Any:
        return row.cell(self.columns[key]).value if key in self.columns else None

    def text(self, row: Row, key: str) -> str:
        return norm.clean_line(norm.cell_text(self.value(row, key)))

    def read(self, row: Row) -> tuple[dict[str, Any], list[Issue]]:
        issues: list[Issue] = []

        def problem(key: str, message: str) -> None:
            issues.append(column_issue(row.number, key, message))

        name = norm.compact(self.text(row, "name"))
        if not name:
            problem("name", _("The name is missing."))
        elif len(name) > 50:
            problem("name", _("The name is longer than 50 characters."))
        values: dict[str, Any] = {
            "name": name,
            "position": self.text(row, "position")[:100],
            "phone": norm.identifier_text(self.value(row, "phone")).text[:30],
        }
        values["home_unit_id"] = self._unit(row, "home_unit", problem, required=True)
        values["nominated_by_id"] = self._unit(row, "nominated_by", problem, required=False)
        values["gender"] = self._choice(row, "gender", spec.GENDERS, problem, default="")
        values["rank"] = self._choice(row, "rank", spec.RANK_CHOICES, problem, default="")
        values["pool_type"] = self._choice(row, "pool", spec.POOLS, problem, default=None)
        values["admitted"] = self._choice(row, "status", spec.STATUSES, problem, default="nominated") == "active"
        values["birth_year"] = self._birth_year(row, problem)
        values["specialties"] = self._specialties(row, problem)
        return values, issues

    def _unit(self, row: Row, key: str, problem: Any, *, required: bool) -> int | None:
        text = self.text(row, key)
        if not text:
            if required:
                problem(key, _("The unit is missing."))
            return None
        unit_id = self.units.match(text, fuzzy=False).unit_id
        if unit_id is None:
            problem(key, _("“%(unit)s” is not a unit in the directory; use its full or short name.") % {"unit": text})
        return unit_id

    def _choice(
        self, row: Row, key: str, table: dict[str, tuple[str, ...]], problem: Any, *, default: str | None
    ) -> str | None:
        text = self.text(row, key)
        if not text:
            if default is None:
                problem(key, _("This column must be filled in."))
            return default
        code = lookup(table, text)
        if code is None:
            problem(key, _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": _allowed(table)})
        return code

    def _birth_year(self, row: Row, problem: Any) -> int | None:
        value = self.value(row, "birth_year")
        if value is None or value == "":
            return None
        if isinstance(value, datetime | date):
            year = value.year
        else:
            found = _YEAR.match(norm.compact(norm.cell_text(value)))
            year = int(found[1]) if found else 0
        latest = self.today.year - YOUNGEST_AGE
        if not OLDEST_YEAR <= year <= latest:
            text = norm.cell_text(value)
            problem(
                "birth_year",
                _("“%(value)s” is not a birth year between %(first)s and %(last)s.")
                % {"value": text, "first": OLDEST_YEAR, "last": latest},
            )
            return None
        return year

    def _specialties(self, row: Row, problem: Any) -> list[str]:
        text = self.text(row, "specialty")
        if not text:
            problem("specialty", _("This column must be filled in."))
            return []
        codes: list[str] = []
        for part in filter(None, (p.strip() for p in SPLIT_VALUES.split(text))):
            code = lookup(spec.SPECIALTIES, part)
            if code is None:
                message = _("“%(value)s” is not one of: %(allowed)s.") % {
                    "value": part,
                    "allowed": _allowed(spec.SPECIALTIES),
                }
                problem("specialty", message)
            elif code not in codes:
                codes.append(code)
        return codes


def _allowed(table: dict[str, tuple[str, ...]]) -> str:
    return "、".join(spec.labels(table))


def _match_people(result: RosterResult) -> None:
    """Link rows to people already in the directory (same name and home unit, and birth year
    when both give one), and refuse a row that puts someone twice into the same pool."""
    if not result.rows:
        return
    names = {row.values["name"] for row in result.rows}
    people: dict[tuple[str, int], list[Person]] = {}
    for person in Person.objects.filter(name__in=names):
        people.setdefault((person.name, person.home_unit_id), []).append(person)
    live = set(
        TalentPoolEntry.objects.filter(person__name__in=names)
        .filter(~Q(status=TalentPoolEntry.Status.REMOVED))
        .values_list("person_id", "pool_type")
    )
    seen: dict[tuple[str, int, int | None, str], int] = {}
    for row in result.rows:
        values = row.values
        year = values["birth_year"]
        candidates = [
            person
            for person in people.get((values["name"], values["home_unit_id"]), [])
            if year is None or person.birth_year in (None, year)
        ]
        if candidates:
            row.person_id = candidates[0].pk
        key = (values["name"], values["home_unit_id"], year, values["pool_type"])
        if key in seen:
            message = _("This person is listed twice for the same pool (also in row %(row)s).") % {"row": seen[key]}
            result.issues.append(column_issue(row.row, "name", message))
        seen.setdefault(key, row.row)
        if (row.person_id, values["pool_type"]) in live:
            message = _("%(name)s is already in this pool.") % {"name": values["name"]}
            result.issues.append(column_issue(row.row, "pool", message))
    result.issues.sort(key=lambda issue: (issue.row, list(spec.BY_KEY).index(issue.column) if issue.column else -1))
