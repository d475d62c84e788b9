"""The office's statistics dashboard (docs/domain.md §4.1) and its two exports."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.decorators import role_required
from core.docx import TITLE_FONT, Paragraph, build_docx
from core.excel.export import write_sheets
from core.http import DOCX, XLSX, attachment
from core.roles import Role
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectionRound
from inspection.selectors import first_round, share_of
from reports.selectors import dashboard as selectors
from reports.selectors.links import add_links

DASHBOARD_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.LEADING_GROUP_VIEWER, Role.CLUE_CUSTODIAN)


def _board(request: AuthenticatedHttpRequest) -> selectors.Dashboard:
    wanted = request.GET.get("round", "")
    selected = InspectionRound(pk=int(wanted)) if wanted.isdigit() else None
    return selectors.dashboard(selected)


@role_required(*DASHBOARD_ROLES)
def dashboard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts for everyone allowed here; links to the clues counted only for who may read clues."""
    board = _board(request)
    sections = selectors.rows(board)
    add_links(sections, request.user, board.selected, first_round())
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "sections": sections,
            "chart_data": selectors.chart_data(board),
            "can_drill": request.user.has_perm("clues.view_clue"),
            "can_see_letters": request.user.has_perm("clues.view_inforequestletter"),
            "round_query": f"round={board.selected.pk}" if board.selected else "",
        },
    )


@role_required(*DASHBOARD_ROLES)
def dashboard_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboard as a workbook, one sheet per section, the same values as the page."""
    board = _board(request)
    round_title = board.selected.title if board.selected else "—"
    headers = [_("Code"), _("Figure"), round_title, _("Overall")]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    for section in selectors.rows(board):
        rows = [
            [m["code"], str(m["label"]), _cell(m["code"], m["round_value"]), _cell(m["code"], m["overall_value"])]
            for m in section["metrics"]
        ]
        sheets.append((str(section["title"]), headers, rows))
    sheets.append(
        (
            _("Seconded share per round"),
            [_("Round"), _("Members"), _("Seconded"), _("Share")],
            [[r.title, r.n_members, r.n_seconded, share_of(r)] for r in board.all_rounds],
        )
    )
    sheets.append(
        (
            _("Rectification per unit"),
            [_("Unit"), _("Items"), _("Signed off"), _("Overdue"), _("Completion rate"), _("On-time rate")],
            [
                [
                    u.unit.org_unit.name,
                    u.items,
                    u.signed_off,
                    u.overdue,
                    _ratio(u.completion_rate),
                    _ratio(u.on_time_rate),
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
    return attachment(write_sheets(sheets, watermark=watermark_for(request)), _("dashboard.xlsx"), XLSX)


def _cell(code: str, value: Any) -> Any:
    """Numbers stay numbers; the per-round seconded shares become one line of text."""
    if isinstance(value, dict):
        return selectors.display(code, value)
    return value


def _ratio(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


@role_required(*DASHBOARD_ROLES)
def dashboard_docx(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The source report's figures (docs/domain.md §4.1) as sentences the office can paste into its report."""
    figures = selectors.figures()
    shown = {code: selectors.display(code, value) for code, value in figures.items()}
    shares = [v for v in figures["seconded_share"].values() if v is not None]
    lines = [
        _(
            "In the first round, information-request letters were sent to %(partners)s partner units "
            "(%(letters)s letters), which reported %(clues)s clues; %(opinion)s relevant online-opinion "
            "items were collected."
        )
        % {
            "partners": shown["partner_unit_count"],
            "letters": shown["letters_sent"],
            "clues": shown["partner_clue_count"],
            "opinion": shown["online_opinion_count"],
        },
        _("The first round inspected %(units)s units, each with one liaison officer (%(officers)s in all).")
        % {"units": shown["inspected_unit_count"], "officers": shown["liaison_officer_count"]},
        _(
            "The inspection talent pool holds %(pool)s cadres; %(pools)s pools are in use. Seconded cadres "
            "made up more than half of every round's groups (lowest %(lowest)s)."
        )
        % {
            "pool": shown["talent_pool_size"],
            "pools": shown["pool_count"],
            "lowest": selectors.display("rate", min(shares)) if shares else "—",
        },
        _(
            "Since the first round, %(transferred)s clues have been transferred; %(concluded)s are concluded, "
            "%(filed)s of them with a case filed: a case conversion rate of %(rate)s (filed ÷ concluded)."
        )
        % {
            "transferred": shown["transferred_clue_count"],
            "concluded": shown["concluded_clue_count"],
            "filed": shown["case_filed_count"],
            "rate": shown["case_conversion_rate"],
        },
        _(
            "%(case_work)s inspection cadres joined case work in batches, and %(discipline)s discipline "
            "cadres served in inspection groups."
        )
        % {
            "case_work": shown["inspection_cadres_in_case_work"],
            "discipline": shown["discipline_cadres_in_inspection"],
        },
    ]
    paragraphs = [Paragraph(_("Inspection work in figures"), align="center", font=TITLE_FONT, size=44, space_after=400)]
    paragraphs += [Paragraph(line, indent_first_line=True) for line in lines]
    return attachment(build_docx(paragraphs, watermark=watermark_for(request)), _("dashboard-summary.docx"), DOCX)
