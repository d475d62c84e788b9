"""The office's statistics dashboard (docs/domain.md §4.1) and its two exports."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.decorators import role_required
from core.http import DOCX, attachment, export_or_job
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectionRound
from reports import jobs
from reports.documents import summary_docx
from reports.jobs import DASHBOARD_ROLES
from reports.selectors import dashboard as selectors
from reports.selectors.links import add_links


def _board(request: AuthenticatedHttpRequest) -> selectors.Dashboard:
    wanted = request.GET.get("round", "")
    selected = InspectionRound(pk=int(wanted)) if wanted.isdigit() else None
    return selectors.dashboard(selected)


@role_required(*DASHBOARD_ROLES)
def dashboard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts for everyone allowed here; links to the clues counted only for who may read clues."""
    board = _board(request)
    sections = selectors.rows(board)
    add_links(sections, request.user, board.selected)
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
@require_http_methods(["GET", "POST"])  # POST starts the workbook's background job
def dashboard_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboard as a workbook, one sheet per section, the same values as the page; made
    in the worker (it computes every figure again), offered on the job's page (core.jobs)."""
    wanted = request.GET.get("round", "")
    args = {"round": int(wanted) if wanted.isdigit() else None}
    return export_or_job(request, kind=jobs.DASHBOARD_WORKBOOK, rows=None, args=args, inline=None)


@role_required(*DASHBOARD_ROLES)
def dashboard_docx(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The source report's figures (docs/domain.md §4.1) as sentences the office can paste into its
    report: of the round chosen on the dashboard (?round=), or of the first round as the source
    report has them; the pools and the clue funnel since the first round."""
    wanted = request.GET.get("round", "")
    chosen = InspectionRound.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    figures = selectors.figures()
    if chosen is not None:
        figures.update(selectors.figures(chosen))
    shown = {code: selectors.display(code, value) for code, value in figures.items()}
    shares = [v for v in figures["seconded_share"].values() if v is not None]
    round_name = chosen.title if chosen is not None else _("the first round")
    lines = [
        _(
            "In %(round)s, information-request letters were sent to %(partners)s partner units "
            "(%(letters)s letters), which reported %(clues)s clues; %(opinion)s relevant online-opinion "
            "items were collected."
        )
        % {
            "round": round_name,
            "partners": shown["partner_unit_count"],
            "letters": shown["letters_sent"],
            "clues": shown["partner_clue_count"],
            "opinion": shown["online_opinion_count"],
        },
        _("%(round)s inspected %(units)s units, each with one liaison officer (%(officers)s in all).")
        % {"round": round_name, "units": shown["inspected_unit_count"], "officers": shown["liaison_officer_count"]},
        (
            _(
                "The inspection talent pool holds %(pool)s cadres; %(pools)s pools are in use. Seconded cadres "
                "made up more than half of every round's groups (lowest %(lowest)s)."
            )
            if chosen is None
            else _(
                "The inspection talent pool holds %(pool)s cadres; %(pools)s pools are in use. Seconded cadres "
                "made up %(lowest)s of the groups of %(round)s."
            )
        )
        % {
            "round": round_name,
            "pool": shown["talent_pool_size"],
            "pools": shown["pool_count"],
            "lowest": selectors.display("rate", min(shares)) if shares else "—",
        },
        (
            _(
                "Since the first round, %(transferred)s clues have been transferred; %(concluded)s are concluded, "
                "%(filed)s of them with a case filed: a case conversion rate of %(rate)s (filed ÷ concluded)."
            )
            if chosen is None
            else _(
                "Of %(round)s, %(transferred)s clues have been transferred; %(concluded)s are concluded, "
                "%(filed)s of them with a case filed: a case conversion rate of %(rate)s (filed ÷ concluded)."
            )
        )
        % {
            "round": round_name,
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
    title = _("Inspection work in figures")
    if chosen is not None:
        title = _("%(round)s: inspection work in figures") % {"round": chosen.title}
    return attachment(
        summary_docx(lines, title=title, watermark=watermark_for(request)), _("dashboard-summary.docx"), DOCX
    )
