"""Operators' read-only lists (core.admin.OperatorViewAdmin): metadata only. A recusal (who is
tied to which unit) and an evaluation (how a cadre was rated) are content: superusers only."""

from django.contrib import admin

from core.admin import OperatorViewAdmin
from talentpool.models import (
    CaseWorkAssignment,
    CollaborationZone,
    Draw,
    RecusalDeclaration,
    SecondmentEvaluation,
    SecondmentRequest,
    TalentPoolEntry,
)


@admin.register(TalentPoolEntry)
class TalentPoolEntryAdmin(OperatorViewAdmin):
    list_display = ["person", "pool_type", "nominated_by_unit", "status", "nominated_at", "approved_at"]
    list_filter = ["pool_type", "status"]
    search_fields = ["person__name"]


@admin.register(Draw)
class DrawAdmin(OperatorViewAdmin):
    list_display = ["group", "created_at", "seed", "yearly_cap"]


@admin.register(SecondmentRequest)
class SecondmentRequestAdmin(OperatorViewAdmin):
    list_display = [
        "doc_number", "person", "home_unit", "inspection_round", "group", "status", "sent_at", "delivered_at",
        "response_due", "responded_at",
    ]  # fmt: skip
    list_filter = ["status", "inspection_round"]
    search_fields = ["doc_number", "person__name"]


@admin.register(CaseWorkAssignment)
class CaseWorkAssignmentAdmin(OperatorViewAdmin):
    list_display = ["person", "handling_office", "batch_label", "role", "start_date", "end_date"]


@admin.register(CollaborationZone)
class CollaborationZoneAdmin(OperatorViewAdmin):
    list_display = ["name", "supervision_office", "investigation_office", "status", "active_from"]


@admin.register(RecusalDeclaration)
class RecusalDeclarationAdmin(OperatorViewAdmin):
    content = True
    list_display = [
        "person",
        "inspection_round",
        "inspected_unit",
        "declared_at",
        "has_conflict",
        "decision",
        "recorded_by",
    ]


@admin.register(SecondmentEvaluation)
class SecondmentEvaluationAdmin(OperatorViewAdmin):
    content = True
    list_display = ["secondment", "evaluator", "rating", "sent_to_home_unit_at"]
