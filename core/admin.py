from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core import audit
from core.models import AuditLog, CalendarDay, Heartbeat, Notification, Organisation, Person, Reminder, StoredFile, User


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the services do."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        if not change and hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit.log_change(user=request.user, obj=obj, before=before, request=request)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. a round's groups) are audited like the parent."""
        # Form cleaning has already changed the in-memory instances: read "before" from the database.
        model = formset.model
        befores = {
            row.pk: audit.snapshot(row)
            for row in model._default_manager.filter(pk__in=[f.instance.pk for f in formset.initial_forms])
        }
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                audit.log_action(
                    user=request.user,
                    action=AuditLog.Action.DELETE,
                    obj=deleted.instance,
                    changes=befores.get(deleted.instance.pk, {}),
                    request=request,
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.log_change(user=request.user, obj=obj, before=None, request=request)
        for obj, _fields in formset.changed_objects:
            audit.log_change(user=request.user, obj=obj, before=befores.get(obj.pk), request=request)

    def delete_model(self, request: Any, obj: Any) -> None:
        audit.log_action(
            user=request.user, action=AuditLog.Action.DELETE, obj=obj, changes=audit.snapshot(obj), request=request
        )
        super().delete_model(request, obj)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups"]
    list_select_related = ["organisation"]
    search_fields = ["username", "last_name", "first_name", "email"]
    autocomplete_fields = ["organisation", "person"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation", "person", "phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "unit_type", "parent"]
    list_filter = ["unit_type"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    exclude = ["created_by"]


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["name", "home_unit", "position", "rank"]
    list_filter = ["rank"]
    list_select_related = ["home_unit"]
    search_fields = ["name"]
    autocomplete_fields = ["home_unit"]
    exclude = ["created_by", "id_card_no"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "target_type", "target_id", "due_at", "level", "status", "sent_at"]
    list_filter = ["status", "kind", "level"]
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "content_type", "object_repr", "ip"]
    list_filter = ["action", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "user__username"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [f.name for f in StoredFile._meta.fields if f.name != "owner"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]
