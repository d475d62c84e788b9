from django.contrib import admin

from clues.models import (
    CaseRecord,
    Clue,
    ClueAssessment,
    ClueCategoryTally,
    ClueDisposition,
    ClueGroupObjectPermission,
    ClueHandover,
    ClueImportBatch,
    ClueImportRow,
    ClueReceiverTally,
    ClueTally,
    ClueTransfer,
    ClueTransferItem,
    ClueTransferTally,
    ClueUserObjectPermission,
    InfoRequestLetter,
    LetterGroupObjectPermission,
    LetterReply,
    LetterUserObjectPermission,
    MeetingAgendaItem,
    OnlineOpinionItem,
    PartnerUnit,
    StandingCommitteeMeeting,
    TransferGroupObjectPermission,
    TransferUserObjectPermission,
)
from core.admin import AuditedModelAdmin, OperatorViewAdmin


@admin.register(PartnerUnit)
class PartnerUnitAdmin(AuditedModelAdmin):
    list_display = ["org_unit", "category", "active", "sort_order"]
    list_filter = ["category", "active"]
    list_select_related = ["org_unit"]
    autocomplete_fields = ["org_unit"]
    exclude = ["created_by"]


# Operators' read-only lists (core.admin.OperatorViewAdmin): metadata only. Clues, their
# handling and cases are content even as metadata, so only a superuser lists them.


@admin.register(InfoRequestLetter)
class InfoRequestLetterAdmin(OperatorViewAdmin):
    list_display = [
        "doc_number", "partner", "inspection_round", "kind", "status", "deadline", "sent_at", "delivered_at",
        "answered_at", "accepted_at",
    ]  # fmt: skip
    list_filter = ["status", "kind", "inspection_round"]
    list_select_related = ["partner__org_unit", "inspection_round"]
    search_fields = ["doc_number"]


@admin.register(LetterReply)
class LetterReplyAdmin(OperatorViewAdmin):
    list_display = ["letter", "version", "status", "on_paper", "is_nil_return", "submitted_at", "reviewed_at"]
    list_filter = ["status", "on_paper"]


@admin.register(ClueImportBatch)
class ClueImportBatchAdmin(OperatorViewAdmin):
    list_display = ["reply", "status", "rows_total", "rows_data", "rows_with_errors", "uploaded_at", "committed_at"]
    list_filter = ["status"]


@admin.register(ClueTransfer)
class ClueTransferAdmin(OperatorViewAdmin):
    list_display = [
        "doc_number", "inspection_round", "group", "receiver_type", "receiver", "approved_at", "transferred_at",
        "delivered_at", "received_at", "feedback_due",
    ]  # fmt: skip
    list_filter = ["receiver_type", "inspection_round"]
    search_fields = ["doc_number"]


@admin.register(StandingCommitteeMeeting)
class StandingCommitteeMeetingAdmin(OperatorViewAdmin):
    list_display = ["session_no", "date", "commission", "office_head_invited", "office_head_attended"]


@admin.register(OnlineOpinionItem)
class OnlineOpinionItemAdmin(OperatorViewAdmin):
    list_display = ["inspection_round", "inspected_unit", "site_name", "captured_at", "relevance"]
    list_filter = ["relevance", "inspection_round"]


class ContentAdmin(OperatorViewAdmin):
    content = True


@admin.register(Clue)
class ClueAdmin(ContentAdmin):
    list_display = ["code", "inspection_round", "inspected_unit", "source_type", "received_date", "status", "grade"]
    list_filter = ["status", "source_type", "inspection_round"]
    search_fields = ["code"]


@admin.register(ClueImportRow)
class ClueImportRowAdmin(ContentAdmin):
    list_display = ["batch_id", "sheet", "row_number", "kind", "has_error"]


@admin.register(ClueHandover)
class ClueHandoverAdmin(ContentAdmin):
    list_display = ["clue", "group", "handed_at", "received_at"]


@admin.register(ClueAssessment)
class ClueAssessmentAdmin(ContentAdmin):
    list_display = ["clue", "assessed_at", "forum", "recommended_receiver"]


@admin.register(ClueTransferItem)
class ClueTransferItemAdmin(ContentAdmin):
    list_display = ["transfer", "clue"]


@admin.register(ClueDisposition)
class ClueDispositionAdmin(ContentAdmin):
    list_display = ["clue", "decided_at", "handling_office", "outcome_date"]


@admin.register(CaseRecord)
class CaseRecordAdmin(ContentAdmin):
    list_display = ["case_number", "receiver", "handling_office", "filed_at", "concluded_at"]


@admin.register(MeetingAgendaItem)
class MeetingAgendaItemAdmin(ContentAdmin):
    list_display = ["meeting", "kind", "clue_id", "case_id"]


# Who holds which object permission (django-guardian's direct tables): access is content too.
for _permissions in (
    ClueUserObjectPermission,
    ClueGroupObjectPermission,
    LetterUserObjectPermission,
    LetterGroupObjectPermission,
    TransferUserObjectPermission,
    TransferGroupObjectPermission,
):
    holder = "user" if "User" in _permissions.__name__ else "group"
    admin.site.register(
        _permissions,
        type(
            f"{_permissions.__name__}Admin",
            (ContentAdmin,),
            {"list_display": ["permission", holder, "content_object_id"]},
        ),
    )


# The dashboard's counters (clues.tallies): clue counts per group and status read like the
# clues' own metadata, so only a superuser lists them; written by clues.tallies alone.
@admin.register(ClueTally)
class ClueTallyAdmin(ContentAdmin):
    list_display = ["round_pk", "group_pk", "partner_pk", "source_type", "status", "transferred", "n"]
    list_filter = ["transferred", "status"]


@admin.register(ClueCategoryTally)
class ClueCategoryTallyAdmin(ContentAdmin):
    list_display = ["round_pk", "category", "status", "n"]


@admin.register(ClueReceiverTally)
class ClueReceiverTallyAdmin(ContentAdmin):
    list_display = ["receiver_pk", "status", "n"]


@admin.register(ClueTransferTally)
class ClueTransferTallyAdmin(ContentAdmin):
    list_display = ["transfer_pk", "status", "n"]
