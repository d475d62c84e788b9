"""The reports' long work as background jobs (core.jobs), registered in ReportsConfig.ready: the
dashboard workbook and a large deadline-board export, made as their owner may see them."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import GeneratedFile, Outcome, Progress, register_job
from core.models import Job
from core.roles import Role
from inspection.models import InspectionRound
from reports.exports import dashboard_workbook, deadlines_workbook
from reports.selectors.deadlines import DeadlineFilters, deadlines_for, may_see_board

DASHBOARD_WORKBOOK = "reports.dashboard_workbook"
EXPORT_DEADLINES = "reports.export_deadlines"
# Who may see the dashboard (reports.views.dashboard checks the same on the page).
DASHBOARD_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.LEADING_GROUP_VIEWER, Role.CLUE_CUSTODIAN)


def make_dashboard_workbook(job: Job, progress: Progress) -> Outcome:
    owner = job.owner
    if not (owner.is_superuser or owner.has_role(*DASHBOARD_ROLES)):
        raise ValidationError(_("The dashboard is no longer open to you."))
    round_id = job.args.get("round")
    data = dashboard_workbook(InspectionRound(pk=round_id) if round_id else None, watermark=job.watermark)
    return Outcome(message=_("The dashboard workbook is ready."), file=GeneratedFile(data, _("dashboard.xlsx")))


def export_deadlines(job: Job, progress: Progress) -> Outcome:
    if not may_see_board(job.owner):
        raise ValidationError(_("The deadline board is no longer open to you."))
    # The owner stands in for the request: the drop-downs name what the owner may see.
    filters = DeadlineFilters.from_query(QueryDict(job.args.get("query", "")), request=SimpleNamespace(user=job.owner))
    rows = deadlines_for(job.owner, filters)
    progress.set_total(len(rows))
    data, count = deadlines_workbook(
        rows, watermark=job.watermark, filters=filters.describe(), progress=progress.advance
    )
    return Outcome(
        message=_("%(count)s deadlines exported.") % {"count": count}, file=GeneratedFile(data, _("deadlines.xlsx"))
    )


def register() -> None:
    register_job(DASHBOARD_WORKBOOK, make_dashboard_workbook, label=gettext_lazy("Dashboard workbook"))
    register_job(EXPORT_DEADLINES, export_deadlines, label=gettext_lazy("Deadline board export"))
