"""Workbooks of the clue registry and the transfer ledger: what the pages list, never the reporter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clues.models import Clue
from clues.models.categories import CATEGORY_LABELS
from core.excel.export import write_table

if TYPE_CHECKING:
    from clues.selectors.letters import BoardLetter
    from clues.selectors.transfers import BoardTransfer


def clues_workbook(
    clues: QuerySet[Clue], *, watermark: str, filters: str = "", progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """The registry's rows as on screen; read as plain values (no model instances: 100,000 rows stream)."""
    headers = [
        _("Code"), _("Round"), _("Inspected unit"), _("Group"), _("Source"), _("Partner unit"),
        _("Received on"), _("Reported persons"), _("Allegation summary"), _("Problem categories"),
        _("Grade"), _("Status"),
    ]  # fmt: skip
    sources = {value: str(label) for value, label in Clue.SourceType.choices}
    statuses = {value: str(label) for value, label in Clue.Status.choices}
    group = _("Inspection group %(number)s")
    rows = (
        [
            code,
            round_title,
            unit_short or unit_name,
            group % {"number": group_number},
            sources.get(source, source),
            partner_short or partner_name or "",
            received,
            "、".join(p.get("name", "") for p in persons),
            summary,
            "、".join(CATEGORY_LABELS.get(c, c) for c in categories),
            grade,
            statuses.get(status, status),
        ]
        for (
            code, round_title, unit_short, unit_name, group_number, source, partner_short, partner_name,
            received, persons, summary, categories, grade, status,
        ) in clues.values_list(*_EXPORTED).iterator(chunk_size=2000)
    )  # fmt: skip
    return write_table(_("Clue registry"), headers, rows, watermark=watermark, filters=filters, progress=progress)


# The columns the export reads, in the order it unpacks them; long texts are never loaded.
_EXPORTED = (
    "code", "inspection_round__title", "inspected_unit__org_unit__short_name", "inspected_unit__org_unit__name",
    "assigned_group__number", "source_type", "source_partner__org_unit__short_name",
    "source_partner__org_unit__name", "received_date", "reported_persons", "allegation_summary", "categories",
    "grade", "status",
)  # fmt: skip


def transfers_workbook(transfers: QuerySet[BoardTransfer], *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    headers = [
        _("Document number"), _("Round"), _("Group"), _("Receiver"), _("Receiver type"), pgettext("time", "Transferred"),
        _("Feedback due"), pgettext("time received", "Received"), _("Clues"), _("Still open"), _("No feedback yet"),
    ]  # fmt: skip
    rows = (
        [
            t.doc_number,
            t.inspection_round.title,
            t.group.label if t.group else "",
            t.receiver.display_name,
            t.get_receiver_type_display(),
            timezone.localdate(t.transferred_at),
            t.feedback_due,
            timezone.localdate(t.received_at) if t.received_at else None,
            t.clue_count,
            t.open_count,
            t.no_feedback_count,
        ]
        for t in transfers
    )
    return write_table(_("Transfers"), headers, rows, watermark=watermark, filters=filters)


def letter_board_workbook(letters: list[BoardLetter], *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    """The round's letter board as on screen: partner, number, status, deadline, days left, reminders."""
    headers = [
        _("Partner"), _("Document number"), _("Kind"), _("Status"), pgettext("time", "Sent"), _("Deadline"),
        _("Working days left"), pgettext("time", "Answered"), _("Answered late"), _("Reminders sent"),
    ]  # fmt: skip
    rows = (
        [
            letter.partner.org_unit.display_name,
            letter.doc_number,
            letter.get_kind_display(),
            letter.get_status_display(),
            timezone.localdate(letter.sent_at) if letter.sent_at else None,
            letter.deadline,
            letter.days_left,
            timezone.localdate(letter.answered_at) if letter.answered_at else None,
            _("Yes") if letter.answered_late else "",
            letter.reminders_sent,
        ]
        for letter in letters
    )
    return write_table(_("Letters"), headers, rows, watermark=watermark, filters=filters)


def meetings_workbook(meetings, *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    """Standing-committee meetings with their agenda size and the office head's attendance."""
    headers = [_("Session"), _("Date"), _("Agenda items"), _("Office head invited"), _("Office head attended")]
    rows = (
        [m.session_no, m.date, m.item_count, _("Yes") if m.office_head_invited else _("No"),
         _("Yes") if m.office_head_attended else _("No")]
        for m in meetings
    )  # fmt: skip
    return write_table(_("Standing-committee meetings"), headers, rows, watermark=watermark, filters=filters)


def opinion_workbook(items, *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    """A round's online public-opinion items, as the page lists them."""
    headers = [_("Title"), _("Website"), _("URL"), _("Published"), _("Unit"), _("Relevance"), _("Summary"), _("Clue")]
    rows = (
        [i.title, i.site_name, i.url, i.published_at, i.inspected_unit.org_unit.display_name if i.inspected_unit else "",
         i.get_relevance_display(), i.summary, i.converted_clue.code if i.converted_clue else ""]
        for i in items
    )  # fmt: skip
    return write_table(_("Online public opinion"), headers, rows, watermark=watermark, filters=filters)
