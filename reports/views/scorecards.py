"""The responsiveness scorecards page and its two exports (office and leading group only)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import audit
from core.http import XLSX, attachment
from core.models import AuditLog
from core.types import AuthenticatedHttpRequest
from core.watermark import watermark_for
from inspection.models import InspectionRound
from reports.selectors import scorecards
from talentpool.models import SecondmentRequest


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not scorecards.may_see_scorecards(request.user):
        raise Http404


def _round_id(request: AuthenticatedHttpRequest) -> int | None:
    value = request.GET.get("round", "").strip()
    return int(value) if value.isdigit() else None


def _log_export(request: AuthenticatedHttpRequest, what: str, count: int) -> None:
    audit.log_action(
        user=request.user,
        action=AuditLog.Action.EXPORT,
        obj=request.user,
        request=request,
        note=_("%(what)s: %(count)s rows") % {"what": what, "count": count},
    )


@login_required
def scorecard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    round_id = _round_id(request)
    context: dict[str, Any] = {
        "partners": scorecards.partner_scorecard(round_id),
        "home_units": scorecards.home_unit_scorecard(round_id),
        "reasons": SecondmentRequest.DeclineReason.labels,
        "rounds": InspectionRound.objects.for_user(request.user).order_by("-year", "-round_no"),
        "selected_round": str(round_id or ""),
    }
    return render(request, "reports/scorecards.html", context)


def _shown(request: AuthenticatedHttpRequest) -> str:
    """The round filter in words for the workbook's title row ("" when every round is counted)."""
    round_id = _round_id(request)
    chosen = InspectionRound.objects.for_user(request.user).filter(pk=round_id).first() if round_id else None
    return _("Round: %(round)s") % {"round": chosen.title} if chosen else ""


@login_required
def partner_scorecard_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    data, count = scorecards.partner_scorecard_workbook(
        scorecards.partner_scorecard(_round_id(request)), watermark=watermark_for(request), filters=_shown(request)
    )
    _log_export(request, _("Partner scorecard"), count)
    return attachment(data, _("partner-scorecard.xlsx"), XLSX)


@login_required
def home_unit_scorecard_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    data, count = scorecards.home_unit_scorecard_workbook(
        scorecards.home_unit_scorecard(_round_id(request)), watermark=watermark_for(request), filters=_shown(request)
    )
    _log_export(request, _("Home unit scorecard"), count)
    return attachment(data, _("home-unit-scorecard.xlsx"), XLSX)
