"""The round list as a workbook, as the page shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.excel.export import write_table

if TYPE_CHECKING:
    from inspection.selectors import CountedRound


def rounds_workbook(rounds: QuerySet[CountedRound], *, watermark: str) -> tuple[bytes, int]:
    headers = [
        _("Round"),
        _("Type"),
        _("Status"),
        _("Kickoff date"),
        _("Entry"),
        _("Exit"),
        _("Groups"),
        _("Inspected units"),
    ]
    rows = (
        [r.title, r.get_round_type_display(), r.get_status_display(), r.kickoff_date,
         r.actual_entry_date or r.planned_entry_date, r.actual_exit_date or r.planned_exit_date, r.group_count, r.unit_count]
        for r in rounds
    )  # fmt: skip
    return write_table(_("Inspection rounds"), headers, rows, watermark=watermark)
