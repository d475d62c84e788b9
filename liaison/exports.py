"""A unit's contact log, handovers and rectification ledger as workbooks, for the same readers
as the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.excel.export import percent, write_table
from liaison.models import ContactLogEntry, HandoverRecord

if TYPE_CHECKING:
    from liaison.selectors import LedgerItem


def _day(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def contact_log_workbook(entries: QuerySet[ContactLogEntry], *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    headers = [_("Time"), _("Recorded by"), _("Channel"), _("Subject"), _("Follow-up")]
    rows = (
        [_day(e.at), e.author.display_name, e.get_channel_display(), e.subject, e.follow_up]
        for e in entries.select_related("author")
    )
    return write_table(_("Contact log"), headers, rows, watermark=watermark, filters=filters)


def handovers_workbook(handovers: QuerySet[HandoverRecord], *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    headers = [_("Item"), _("Category"), _("Requested by"), _("Requested at"), _("Due on"), _("Status"),
               _("Delivered at"), _("Received at"), _("Returned at"), _("Note")]  # fmt: skip
    rows = (
        [h.item, h.get_category_display(), h.requested_by.display_name, _day(h.requested_at), h.due_at,
         h.get_status_display(), _day(h.delivered_at), _day(h.received_at), _day(h.returned_at), h.note]
        for h in handovers.select_related("requested_by")
    )  # fmt: skip
    return write_table(_("Handovers"), headers, rows, watermark=watermark, filters=filters)


# The customary Excel layout of a ledger: one row per item.
LEDGER_HEADERS = ("序号", "问题类别", "问题描述", "整改措施", "责任领导", "牵头部门", "责任人", "配合部门",
                  "整改类型", "整改时限", "整改进度", "最新进展", "状态", "是否超期", "佐证材料(份)", "销号时间", "销号人")  # fmt: skip


def ledger_workbook(unit_name: str, items: Iterable[LedgerItem], *, watermark: str) -> tuple[bytes, int]:
    """items come from selectors.ledger_items (problem, evidence count and overdue flag loaded)."""
    rows = (
        (
            f"{item.problem.seq}.{item.seq}",
            item.problem.category,
            item.problem.description,
            item.measure,
            item.responsible_leader,
            item.lead_department,
            item.responsible_person,
            item.co_departments,
            item.get_rectification_type_display(),
            item.deadline,
            percent(item.progress_pct / 100 if item.progress_pct is not None else None),
            item.latest_note,
            item.get_status_display(),
            _("Yes") if item.is_overdue else _("No"),
            item.evidence_count,
            item.signed_off_at.date() if item.signed_off_at else None,
            item.signed_off_by.display_name if item.signed_off_by else "",
        )
        for item in items
    )
    return write_table(
        f"{unit_name}整改台账",
        LEDGER_HEADERS,
        rows,
        watermark=watermark,
        filters=_("Inspected unit: %(unit)s") % {"unit": unit_name},
    )
