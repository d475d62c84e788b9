"""Workbooks of the secondment requests and the case-work list, as the pages show them."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.excel.export import write_table
from talentpool.models import CaseWorkAssignment, SecondmentRequest


def secondments_workbook(
    requests: QuerySet[SecondmentRequest], *, watermark: str, filters: str = ""
) -> tuple[bytes, int]:
    headers = [
        _("Document number"), _("Name"), _("Home unit"), _("Round"), _("Group"), pgettext("time", "Sent"), _("Reply due"),
        _("Status"), _("Reason declined"), _("Reason declined, in words"),
    ]  # fmt: skip
    rows = (
        [
            r.doc_number,
            r.person.name,
            r.home_unit.display_name,
            r.inspection_round.title,
            r.group.label if r.group else "",
            timezone.localdate(r.sent_at) if r.sent_at else None,
            r.response_due,
            r.get_status_display(),
            r.get_decline_code_display() if r.decline_code else "",
            r.decline_reason,
        ]
        for r in requests.iterator(chunk_size=2000)
    )
    return write_table(_("Secondment requests"), headers, rows, watermark=watermark, filters=filters)


def case_work_workbook(assignments: QuerySet[CaseWorkAssignment], *, watermark: str) -> tuple[bytes, int]:
    headers = [_("Person"), _("Home unit"), _("Batch"), _("Handling office"), _("From"), _("To"), _("Role")]
    rows = (
        [
            a.person.name,
            a.person.home_unit.display_name,
            a.batch_label,
            a.handling_office.display_name if a.handling_office else (a.case.case_number if a.case else ""),
            a.start_date,
            a.end_date,
            a.role,
        ]
        for a in assignments
    )
    return write_table(_("Case-work assignments"), headers, rows, watermark=watermark)
