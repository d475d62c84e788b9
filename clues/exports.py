"""The clue registry as a workbook: what the page lists, never the reporter's identity."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clues.importing.spec import CATEGORY_LABELS
from clues.models import Clue
from core.excel.export import write_table


def clues_workbook(clues: QuerySet[Clue]) -> tuple[bytes, int]:
    headers = [
        _("Code"), _("Round"), _("Inspected unit"), _("Group"), _("Source"), _("Partner unit"),
        _("Received on"), _("Reported persons"), _("Allegation summary"), _("Problem categories"),
        _("Grade"), _("Status"),
    ]  # fmt: skip
    rows = (
        [
            clue.code,
            clue.inspection_round.title,
            clue.inspected_unit.org_unit.display_name,
            clue.assigned_group.label,
            clue.get_source_type_display(),
            clue.source_partner.org_unit.display_name if clue.source_partner else "",
            clue.received_date,
            "、".join(p.get("name", "") for p in clue.reported_persons),
            clue.allegation_summary,
            "、".join(CATEGORY_LABELS.get(c, c) for c in clue.categories),
            clue.grade,
            clue.get_status_display(),
        ]
        for clue in clues.iterator(chunk_size=2000)
    )
    return write_table(_("Clues"), headers, rows)
