"""A unit's contact log and handovers as workbooks, for the same readers as the pages."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.excel.export import write_table
from liaison.models import ContactLogEntry, HandoverRecord


def _day(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def contact_log_workbook(entries: QuerySet[ContactLogEntry], *, watermark: str) -> tuple[bytes, int]:
    headers = [_("Time"), _("Recorded by"), _("Channel"), _("Subject"), _("Follow-up")]
    rows = (
        [_day(e.at), e.author.display_name, e.get_channel_display(), e.subject, e.follow_up]
        for e in entries.select_related("author")
    )
    return write_table(_("Contact log"), headers, rows, watermark=watermark)


def handovers_workbook(handovers: QuerySet[HandoverRecord], *, watermark: str) -> tuple[bytes, int]:
    headers = [_("Item"), _("Category"), _("Requested by"), _("Requested at"), _("Due on"), _("Status"),
               _("Delivered at"), _("Received at"), _("Returned at"), _("Note")]  # fmt: skip
    rows = (
        [h.item, h.get_category_display(), h.requested_by.display_name, _day(h.requested_at), h.due_at,
         h.get_status_display(), _day(h.delivered_at), _day(h.received_at), _day(h.returned_at), h.note]
        for h in handovers.select_related("requested_by")
    )  # fmt: skip
    return write_table(_("Handovers"), headers, rows, watermark=watermark)
