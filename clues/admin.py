from django.contrib import admin

from clues.models import PartnerUnit
from core.admin import AuditedModelAdmin


@admin.register(PartnerUnit)
class PartnerUnitAdmin(AuditedModelAdmin):
    list_display = ["org_unit", "category", "active", "sort_order"]
    list_filter = ["category", "active"]
    list_select_related = ["org_unit"]
    autocomplete_fields = ["org_unit"]
    exclude = ["created_by"]
