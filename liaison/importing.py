"""Import of a ledger a unit keeps in Excel (整改台账), in the customary layout of the export.

The parser reads the first visible sheet through core.excel, finds the header in the first rows
and checks every row against the feedback's problem list; it never writes. `import_ledger`
then adds every row through ledger_services.add_item in one transaction, or nothing at all.
Rows identical to an existing item of the same problem (same measure) are skipped, so that an
exported ledger, or the same file twice, adds nothing twice.

The Chinese names here are workbook content (headers, list values), not interface text.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.excel import normalize as norm
from core.excel.columns import Column, header_text, lookup
from core.excel.errors import build_error_workbook
from core.excel.reader import Cell, Row
from core.excel.table import Issue, TableResult, body_rows, locate_columns, read_table
from core.models import User
from liaison.models import Feedback, FeedbackProblem, RectificationItem
from liaison.services import ledger as ledger_services

# parse_date refuses future dates (it was written for received dates); a deadline lies ahead.
_FAR_FUTURE = date(2099, 12, 31)
_SEQ = re.compile(r"^(\d{1,4})(?:[.、-]\d{1,4})?$")  # "3" or "3.2" (problem 3, its item 2)

COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号", "问题序号", "问题编号", "序")),
    Column("problem", "问题描述", ("问题", "存在问题", "问题内容", "具体问题", "反馈问题", "问题清单")),
    Column("measure", "整改措施", ("措施", "整改举措", "具体措施", "整改措施及目标"), True),
    Column("responsible_leader", "责任领导", ("分管领导", "牵头领导", "领导"), True),
    Column("lead_department", "牵头部门", ("责任部门", "牵头单位", "责任单位", "牵头科室"), True),
    Column("responsible_person", "责任人", ("具体责任人", "经办人"), True),
    Column("co_departments", "配合部门", ("配合单位", "协同部门", "协办部门")),
    Column("rectification_type", "整改类型", ("类型", "整改类别", "整改方式"), True),
    Column("deadline", "整改时限", ("时限", "完成时限", "整改期限", "完成时间", "整改完成时限"), True),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
_HEADERS = {header_text(name): column.key for column in COLUMNS for name in (column.label, *column.aliases)}
TYPES: dict[str, tuple[str, ...]] = {
    RectificationItem.Type.IMMEDIATE: ("立行立改", "即知即改", "立即整改", "立查立改"),
    RectificationItem.Type.TIME_BOUND: ("限期整改", "限时整改", "按期整改"),
    RectificationItem.Type.LONG_TERM: ("长期整改", "长期坚持", "持续整改", "长期"),
}
_LENGTHS = {"responsible_leader": 100, "lead_department": 100, "responsible_person": 100, "co_departments": 200}


def column_key(text: str) -> str | None:
    """The key a header cell names; spacing, full-width forms and (必填) marks do not matter."""
    return _HEADERS.get(header_text(text)) if text else None


def column_issue(row: int, key: str, message: str) -> Issue:
    return Issue(row, key, message, BY_KEY[key].label)


@dataclass
class LedgerRow:
    row: int
    problem: FeedbackProblem
    plan: dict[str, Any]  # the fields add_item takes


@dataclass
class LedgerResult(TableResult):
    rows: list[LedgerRow] = field(default_factory=list)


def parse_ledger(path: str, *, kind: str, feedback: Feedback) -> LedgerResult:
    result = LedgerResult()
    read_table(
        path,
        result,
        kind=kind,
        read_sheet=lambda rows: _read_sheet(rows, result, feedback),
        nothing_found=_("The ledger lists no item."),
    )
    return result


def build_ledger_error_workbook(path: str, *, kind: str, result: LedgerResult, watermark: str) -> bytes:
    """The uploaded ledger with every problem marked on its cell, after a sheet listing them all."""
    return build_error_workbook(path, kind=kind, marks=result.marks(), watermark=watermark)


def _read_sheet(rows: list[Row], result: LedgerResult, feedback: Feedback) -> None:
    header = locate_columns(
        rows,
        result,
        column_key=column_key,
        labels={key: column.label for key, column in BY_KEY.items()},
        required=("seq/problem", *REQUIRED),
        no_header=_("No header row was found: the first rows must name the ledger's columns (序号, 整改措施, …)."),
    )
    if header is None:
        return
    reader = _RowReader(result.columns, feedback)
    # A merged problem cell alone does not make a row.
    for row in body_rows(rows, header, lambda row: any(reader.text(row, key) for key in result.columns)):
        problem, plan, issues = reader.read(row)
        result.issues.extend(issues)
        if not issues and problem is not None:  # a row without issues has its problem
            result.rows.append(LedgerRow(row.number, problem, plan))
    order = list(BY_KEY)
    result.issues.sort(key=lambda issue: (issue.row, order.index(issue.column) if issue.column else -1))


class _RowReader:
    def __init__(self, columns: dict[str, int], feedback: Feedback) -> None:
        self.columns, self.feedback = columns, feedback
        problems = list(FeedbackProblem.objects.filter(feedback=feedback).order_by("seq"))
        self.by_seq = {problem.seq: problem for problem in problems}
        self.by_text = {_key(problem.description): problem for problem in problems}
        # The export writes the type's label in the language of whoever exported it.
        self.type_labels = {norm.compact(str(label)).lower(): code for code, label in RectificationItem.Type.choices}
        with translation.override("en"):
            self.type_labels |= {
                norm.compact(str(label)).lower(): code for code, label in RectificationItem.Type.choices
            }

    def cell(self, row: Row, key: str) -> Cell:
        return row.cell(self.columns[key]) if key in self.columns else Cell()

    def text(self, row: Row, key: str) -> str:
        return norm.clean_prose(norm.cell_text(self.cell(row, key).value))

    def merged_text(self, row: Row, key: str) -> str:
        """The cell's text, or the merged range's when a problem spans several item rows."""
        cell = self.cell(row, key)
        return norm.clean_prose(norm.cell_text(cell.value if cell.value is not None else cell.merge_value))

    def read(self, row: Row) -> tuple[FeedbackProblem | None, dict[str, Any], list[Issue]]:
        issues: list[Issue] = []

        def problem(key: str, message: str) -> None:
            issues.append(column_issue(row.number, key, message))

        found = self._problem(row, problem)
        plan: dict[str, Any] = {"measure": self.text(row, "measure")}
        if not plan["measure"]:
            problem("measure", _("The measure is missing."))
        for key, limit in _LENGTHS.items():
            plan[key] = norm.clean_line(self.text(row, key))
            if not plan[key] and key != "co_departments":
                problem(key, _("This column must be filled in."))
            elif len(plan[key]) > limit:
                problem(key, _("This is longer than %(limit)s characters.") % {"limit": limit})
        plan["rectification_type"] = self._type(row, problem)
        plan["deadline"] = self._deadline(row, problem)
        return found, plan, issues

    def _problem(self, row: Row, problem: Any) -> FeedbackProblem | None:
        seq_text = norm.compact(self.merged_text(row, "seq"))
        text = self.merged_text(row, "problem")
        by_seq = by_text = None
        if seq_text:
            matched = _SEQ.match(seq_text)
            by_seq = self.by_seq.get(int(matched[1])) if matched else None
            if by_seq is None and not text:
                message = _("The feedback has no problem number %(seq)s.") % {"seq": seq_text}
                problem("seq", message)
                return None
        if text:
            by_text = self.by_text.get(_key(text))
            if by_text is None and by_seq is None:
                problem("problem", _("No problem of the feedback reads “%(text)s”.") % {"text": text[:60]})
                return None
        if by_seq and by_text and by_seq != by_text:
            problem("seq", _("The number and the description name different problems of the feedback."))
            return None
        if by_seq is None and by_text is None:
            problem("seq", _("Give the problem's number in the feedback, or its description."))
        return by_seq or by_text

    def _type(self, row: Row, problem: Any) -> str | None:
        text = norm.clean_line(self.text(row, "rectification_type"))
        if not text:
            problem("rectification_type", _("This column must be filled in."))
            return None
        code = self.type_labels.get(norm.compact(text).lower()) or lookup(TYPES, text)
        if code is None:
            allowed = "、".join(names[0] for names in TYPES.values())
            problem(
                "rectification_type", _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            )
        return code

    def _deadline(self, row: Row, problem: Any) -> date | None:
        value = self.cell(row, "deadline").value
        meeting = self.feedback.meeting_date
        parsed = norm.parse_date(value, default_year=(meeting or _FAR_FUTURE).year, today=_FAR_FUTURE)
        if parsed.error:
            problem("deadline", parsed.error)
            return None
        if parsed.value is None:
            problem("deadline", _("The deadline is missing."))
            return None
        deadline = parsed.value
        if parsed.precision == "month":  # "2017年9月": by the end of that month
            deadline = deadline.replace(day=calendar.monthrange(deadline.year, deadline.month)[1])
        elif parsed.precision == "year":
            deadline = date(deadline.year, 12, 31)
        if meeting and deadline < meeting:
            problem("deadline", _("The deadline cannot be before the feedback meeting."))
            return None
        return deadline


def _key(text: str) -> str:
    """Text reduced for comparing problems and measures: no spacing, full-width forms folded."""
    return norm.fold_variants(norm.compact(norm.clean_text(text)))


@transaction.atomic
def import_ledger(*, by: User, feedback: Feedback, result: LedgerResult) -> tuple[list[RectificationItem], int]:
    """Add every row of a checked ledger through add_item (issued, notices scheduled); rows that
    repeat an item of the same problem with the same measure are skipped. Returns the new items
    and the number skipped. Any refusal undoes the whole import."""
    if not result.ok:
        raise ValidationError(_("The ledger has problems; nothing was imported."))
    # One import of a ledger at a time, so two uploads of the same file cannot both add its rows.
    Feedback.objects.select_for_update(no_key=True).filter(pk=feedback.pk).first()
    current = RectificationItem.objects.filter(problem__feedback=feedback).values_list("problem_id", "measure")
    existing = {(problem_id, _key(measure)) for problem_id, measure in current}
    items: list[RectificationItem] = []
    skipped = 0
    refusals: list[str] = []
    for row in result.rows:
        key = (row.problem.pk, _key(row.plan["measure"]))
        if key in existing:
            skipped += 1
            continue
        existing.add(key)
        try:
            items.append(ledger_services.add_item(by=by, problem=row.problem, **row.plan))
        except ValidationError as exc:
            refusals.extend(_("Row %(row)s: %(message)s") % {"row": row.row, "message": m} for m in exc.messages)
    if refusals:
        raise ValidationError(refusals)
    return items, skipped
