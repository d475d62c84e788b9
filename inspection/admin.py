from typing import Any

from django.contrib import admin

from core.admin import AuditedModelAdmin
from inspection import services
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound


@admin.register(InspectionRound)
class InspectionRoundAdmin(AuditedModelAdmin):
    list_display = ["title", "year", "round_no", "round_type", "status", "kickoff_date"]
    list_filter = ["status", "round_type", "year"]
    search_fields = ["title"]
    # The work plan is uploaded on the round's page; an editable field would list every stored
    # file's name (partners' workbooks included) in a dropdown to the system administrator.
    exclude = ["created_by", "work_plan"]


class CreateThroughServiceAdmin(AuditedModelAdmin):
    """Adding a row here runs the same service as the product, so its grants and audit happen."""

    def create(self, request: Any, obj: Any) -> Any:
        raise NotImplementedError

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = self.create(request, obj)
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(InspectionGroup)
class InspectionGroupAdmin(CreateThroughServiceAdmin):
    list_display = ["__str__", "inspection_round", "status"]
    list_filter = ["inspection_round", "status"]
    list_select_related = ["inspection_round"]
    exclude = ["created_by"]

    def create(self, request: Any, obj: InspectionGroup) -> InspectionGroup:
        return services.create_group(by=request.user, inspection_round=obj.inspection_round, number=obj.number)


@admin.register(InspectedUnit)
class InspectedUnitAdmin(CreateThroughServiceAdmin):
    list_display = ["org_unit", "inspection_round", "group", "status"]
    list_filter = ["inspection_round", "status"]
    list_select_related = ["org_unit", "inspection_round", "group"]
    autocomplete_fields = ["org_unit"]
    exclude = ["created_by", "inspection_round"]

    def create(self, request: Any, obj: InspectedUnit) -> InspectedUnit:
        return services.assign_unit(by=request.user, group=obj.group, org_unit=obj.org_unit)


@admin.register(GroupMembership)
class GroupMembershipAdmin(CreateThroughServiceAdmin):
    list_display = ["person", "group", "role", "is_seconded", "is_group_liaison"]
    list_filter = ["inspection_round", "role", "is_seconded"]
    list_select_related = ["person", "group", "group__inspection_round"]
    autocomplete_fields = ["person"]
    exclude = ["created_by", "inspection_round"]

    def create(self, request: Any, obj: GroupMembership) -> GroupMembership:
        return services.add_member(
            by=request.user,
            group=obj.group,
            person=obj.person,
            role=obj.role,
            is_seconded=obj.is_seconded,
            is_group_liaison=obj.is_group_liaison,
            start_date=obj.start_date,
        )
