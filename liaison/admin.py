"""Operators' read-only lists (core.admin.OperatorViewAdmin): metadata only, never a subject,
a problem's description or a measure (their __str__ prints them, so rows link by id)."""

from django.contrib import admin

from core.admin import OperatorViewAdmin
from liaison.models import (
    ContactLogEntry,
    Feedback,
    FeedbackProblem,
    FollowUpCheck,
    HandoverRecord,
    LiaisonAssignment,
    LiaisonOffice,
    RectificationItem,
    RectificationReport,
    RectificationUpdate,
)


@admin.register(LiaisonOffice)
class LiaisonOfficeAdmin(OperatorViewAdmin):
    list_display = ["inspected_unit", "established_at", "location", "phone"]


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(OperatorViewAdmin):
    list_display = ["person", "liaison_office", "start_date", "end_date"]


@admin.register(ContactLogEntry)
class ContactLogEntryAdmin(OperatorViewAdmin):
    list_display = ["inspected_unit", "at", "author", "channel"]
    list_filter = ["channel"]


@admin.register(HandoverRecord)
class HandoverRecordAdmin(OperatorViewAdmin):
    list_display = ["inspected_unit", "category", "status", "requested_at", "due_at", "delivered_at", "received_at"]
    list_filter = ["status", "category"]


@admin.register(Feedback)
class FeedbackAdmin(OperatorViewAdmin):
    list_display = ["inspected_unit", "meeting_date", "status", "delivered_at"]
    list_filter = ["status"]


@admin.register(FeedbackProblem)
class FeedbackProblemAdmin(OperatorViewAdmin):
    list_display = ["feedback", "seq", "category", "is_immediate_fix"]


@admin.register(RectificationItem)
class RectificationItemAdmin(OperatorViewAdmin):
    list_display = ["problem_id", "seq", "rectification_type", "status", "deadline", "progress_pct", "signed_off_at"]
    list_filter = ["status", "rectification_type"]


@admin.register(RectificationUpdate)
class RectificationUpdateAdmin(OperatorViewAdmin):
    list_display = ["item_id", "date", "progress_pct"]


@admin.register(RectificationReport)
class RectificationReportAdmin(OperatorViewAdmin):
    list_display = ["inspected_unit", "kind", "due_date", "submitted_at", "principal_signed"]
    list_filter = ["kind"]


@admin.register(FollowUpCheck)
class FollowUpCheckAdmin(OperatorViewAdmin):
    list_display = ["inspected_unit", "date", "rating"]
