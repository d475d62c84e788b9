from django.contrib import admin

from core.admin import AuditedModelAdmin
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound


class InspectionGroupInline(admin.TabularInline):
    model = InspectionGroup
    extra = 0
    exclude = ["created_by"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(AuditedModelAdmin):
    list_display = ["title", "year", "round_no", "round_type", "status", "kickoff_date"]
    list_filter = ["status", "round_type", "year"]
    search_fields = ["title"]
    exclude = ["created_by"]
    inlines = [InspectionGroupInline]


@admin.register(InspectionGroup)
class InspectionGroupAdmin(AuditedModelAdmin):
    list_display = ["__str__", "inspection_round", "status"]
    list_filter = ["inspection_round", "status"]
    list_select_related = ["inspection_round"]
    exclude = ["created_by"]


@admin.register(InspectedUnit)
class InspectedUnitAdmin(AuditedModelAdmin):
    list_display = ["org_unit", "inspection_round", "group", "status"]
    list_filter = ["inspection_round", "status"]
    list_select_related = ["org_unit", "inspection_round", "group"]
    autocomplete_fields = ["org_unit"]
    exclude = ["created_by"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(AuditedModelAdmin):
    list_display = ["person", "group", "role", "is_seconded", "is_group_liaison"]
    list_filter = ["inspection_round", "role", "is_seconded"]
    list_select_related = ["person", "group", "group__inspection_round"]
    autocomplete_fields = ["person"]
    exclude = ["created_by"]
