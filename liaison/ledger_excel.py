"""The ledger as the customary Excel layout: one row per item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.excel.export import write_table

if TYPE_CHECKING:
    from liaison.selectors import LedgerItem

HEADERS = ("序号", "问题类别", "问题描述", "整改措施", "责任领导", "牵头部门", "责任人", "配合部门",
           "整改类型", "整改时限", "进度(%)", "最新进展", "状态", "是否超期", "佐证材料(份)", "销号时间", "销号人")  # fmt: skip


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
            item.progress_pct,
            item.latest_note,
            item.get_status_display(),
            _("Yes") if item.is_overdue else _("No"),
            item.evidence_count,
            item.signed_off_at.date() if item.signed_off_at else None,
            item.signed_off_by.display_name if item.signed_off_by else "",
        )
        for item in items
    )
    return write_table(f"{unit_name}整改台账", HEADERS, rows, watermark=watermark)
