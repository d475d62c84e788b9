"""The reports' workbooks, made in the worker (reports.jobs) or in a request (reports.views)."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.excel.export import percent, write_sheets, write_table
from inspection.models import InspectionRound
from inspection.selectors import share_of
from reports.selectors import dashboard as selectors
from reports.selectors.deadlines import EXPORT_HEADERS, DeadlineRow, export_rows


def dashboard_workbook(inspection_round: InspectionRound | None, *, watermark: str) -> bytes:
    """The dashboard as a workbook, one sheet per section, the same values as the page."""
    board = selectors.dashboard(inspection_round)
    round_title = board.selected.title if board.selected else "—"
    headers = [_("Figure"), round_title, _("Cumulative")]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    for section in selectors.rows(board):
        rows = [
            [str(m["label"]), _cell(m["code"], m["round_value"]), _cell(m["code"], m["cumulative_value"])]
            for m in section["metrics"]
        ]
        sheets.append((str(section["title"]), headers, rows))
    sheets.append(
        (
            _("Seconded share per round"),
            [_("Round"), _("Members"), _("Seconded"), _("Share")],
            [[r.title, r.n_members, r.n_seconded, percent(share_of(r))] for r in board.all_rounds],
        )
    )
    sheets.append(
        (
            _("Rectification per unit"),
            [
                _("Unit"),
                _("Items"),
                pgettext("count", "Signed off"),
                _("Overdue"),
                _("Completion rate"),
                _("On-time rate"),
            ],
            [
                [
                    u.unit.org_unit.name,
                    u.items,
                    u.signed_off,
                    u.overdue,
                    percent(u.completion_rate),
                    percent(u.on_time_rate),
                ]
                for u in board.units
            ],
        )
    )
    sheets.append(
        (
            _("Clues by source and category"),
            [_("Dimension"), _("Value"), _("Clues")],
            [[_("Source"), label, n] for _c, label, n in board.by_source]
            + [[_("Category"), label, n] for _c, label, n in board.by_category],
        )
    )
    letters = board.letters or selectors.LetterTimeliness(0, 0, 0, 0)
    sheets.append(
        (
            _("Letters"),
            [_("Answered on time"), _("Answered late"), _("Not yet answered"), _("Overdue")],
            [[letters.on_time, letters.late, letters.awaiting, letters.overdue]],
        )
    )
    sheets.append(
        (
            _("Round progress"),
            [_("Round"), _("Stage")],
            [[p["round"].title, p["round"].get_status_display()] for p in board.progress],
        )
    )
    return write_sheets(sheets, watermark=watermark, filters=_("Round: %(round)s") % {"round": round_title})


def _cell(code: str, value: Any) -> Any:
    """Numbers stay numbers, rates are percentages; the per-round seconded shares become one
    line of text, and a figure with no cumulative reads 「—」."""
    if value is None or isinstance(value, dict):
        return selectors.display(code, value)
    if code in selectors.RATES:
        return percent(value)
    return value


def deadlines_workbook(
    rows: list[DeadlineRow], *, watermark: str, filters: str = "", progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """What the deadline board shows under its filters; returns the file and its row count."""
    return write_table(
        str(_("Deadlines")),
        [str(h) for h in EXPORT_HEADERS],
        export_rows(rows),
        watermark=watermark,
        filters=filters,
        progress=progress,
    )
