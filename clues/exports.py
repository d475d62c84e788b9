"""Workbooks of the clue registry and the transfer ledger: what the pages list, never the reporter."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.importing.spec import CATEGORY_LABELS
from clues.models import Clue, ClueTransfer, InfoRequestLetter
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
        for clue in clues.only(*_EXPORTED).iterator(chunk_size=2000)
    )
    return write_table(_("Clues"), headers, rows)


# The columns the export reads: long texts (allegation, remarks, reporter) are never loaded.
_EXPORTED = (
    "code", "source_type", "received_date", "reported_persons", "allegation_summary", "categories", "grade",
    "status", "inspection_round__title", "inspected_unit__org_unit__name", "inspected_unit__org_unit__short_name",
    "assigned_group__number", "source_partner__org_unit__name", "source_partner__org_unit__short_name",
)  # fmt: skip


def transfers_workbook(transfers: QuerySet[ClueTransfer]) -> tuple[bytes, int]:
    headers = [
        _("Document number"), _("Round"), _("Group"), _("Receiver"), _("Receiver type"), _("Transferred"),
        _("Feedback due"), _("Received"), _("Clues"), _("Still open"), _("No feedback yet"),
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
    return write_table(_("Transfers"), headers, rows)


def letter_board_workbook(letters: list[InfoRequestLetter]) -> tuple[bytes, int]:
    """The round's letter board as on screen: partner, number, status, deadline, days left, reminders."""
    headers = [
        _("Partner"), _("Document number"), _("Kind"), _("Status"), _("Sent"), _("Deadline"),
        _("Working days left"), _("Answered"), _("Answered late"), _("Reminders sent"),
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
    return write_table(_("Letters"), headers, rows)


def meetings_workbook(meetings) -> tuple[bytes, int]:
    """Standing-committee meetings with their agenda size and the office head's attendance."""
    headers = [_("Session"), _("Date"), _("Agenda items"), _("Office head invited"), _("Office head attended")]
    rows = (
        [m.session_no, m.date, m.item_count, _("Yes") if m.office_head_invited else _("No"),
         _("Yes") if m.office_head_attended else _("No")]
        for m in meetings
    )  # fmt: skip
    return write_table(_("Standing-committee meetings"), headers, rows)


def opinion_workbook(items) -> tuple[bytes, int]:
    """A round's online public-opinion items, as the page lists them."""
    headers = [_("Title"), _("Website"), _("URL"), _("Published"), _("Unit"), _("Relevance"), _("Summary"), _("Clue")]
    rows = (
        [i.title, i.site_name, i.url, i.published_at, i.inspected_unit.org_unit.display_name if i.inspected_unit else "",
         i.get_relevance_display(), i.summary, i.converted_clue.code if i.converted_clue else ""]
        for i in items
    )  # fmt: skip
    return write_table(_("Online public opinion"), headers, rows)
