from collections.abc import Callable
from typing import Any

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import audit
from core.models import (
    AuditLog,
    CalendarDay,
    CalendarYear,
    Delivery,
    DocumentNumber,
    DocumentTemplate,
    Heartbeat,
    Job,
    Notification,
    Organisation,
    OutboundEmail,
    PaperDelivery,
    Person,
    Reminder,
    StoredFile,
    User,
)
from core.roles import DATA_ROLES, Role
from core.services.calendar import load_holidays, package_version
from core.services.directory import deactivate_user
from core.services.reminders import STEP_LABELS
from core.services.roles import NO_ROLES, record_role_change, role_state
from core.transitions import status_fields


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the services do, and never move a status.

    A status changes only through its declared transitions (core.transitions: who, guards,
    effects), so the admin shows it read-only; a new row starts in the model's first status.
    """

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [name for name in status_fields(self.model) if name not in fields]

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


class OperatorViewAdmin(admin.ModelAdmin):
    """A read-only list, for the operator, of rows the product's own workflows write.

    The system administrator answers "was the letter delivered, which number comes next, which
    delivery is stuck" here, from metadata only: the columns name no content field, there is
    no detail page (its form would print every field) and nothing can be added, changed or
    deleted, by a superuser either: rows are written by the services, statuses move only
    through their transitions. A model whose rows are case content even as metadata (a clue,
    its handling, a case, a recusal) sets `content = True` and is listed to superusers only
    (docs/domain.md §5.2 rule 10). tests/core/test_admin_models.py checks the columns.
    """

    content = False
    list_display_links = None

    def may_view(self, request: Any) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or (not self.content and user.has_role(Role.SYSTEM_ADMIN)))

    def has_module_permission(self, request: Any) -> bool:
        return self.may_view(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return obj is None and self.may_view(request)

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: Any, extra_context: Any = None) -> Any:
        if not self.may_view(request):
            raise Http404  # as everywhere in the product: not yours, not there
        return super().changelist_view(request, extra_context)

    def change_view(self, *args: Any, **kwargs: Any) -> Any:
        raise Http404  # no detail page, for anyone (see above)

    def get_list_select_related(self, request: Any) -> Any:
        if self.list_select_related:
            return self.list_select_related  # set where a name reads further (a partner's organisation)
        # The foreign keys shown, read in the list's one query.
        return [name for name in self.get_list_display(request) if _is_foreign_key(self.model, name)]


def _is_foreign_key(model: type[models.Model], name: Any) -> bool:
    """A column showing a related row (not its bare key, "problem_id", nor a method)."""
    try:
        field = model._meta.get_field(name)
    except (FieldDoesNotExist, TypeError):
        return False
    return isinstance(field, models.ForeignKey) and field.name == name


@admin.register(Delivery)
class DeliveryAdmin(OperatorViewAdmin):
    list_display = ["target_type", "target_id", "state", "attempts", "retry_at", "created_at", "done_at", "last_error"]
    list_filter = ["state", "target_type"]
    date_hierarchy = "created_at"


@admin.register(PaperDelivery)
class PaperDeliveryAdmin(OperatorViewAdmin):
    # When and how, not to whom: the receiver's name stays on the record's page.
    list_display = ["delivery_id", "delivered_on", "method", "recorded_by", "recorded_at"]
    list_filter = ["method"]
    date_hierarchy = "recorded_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(OperatorViewAdmin):
    # Address and delivery state only: the subject and body may name case records.
    list_display = ["recipient", "status", "attempts", "next_attempt_at", "created_at", "sent_at", "last_error"]
    list_filter = ["status"]
    date_hierarchy = "created_at"


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(OperatorViewAdmin):
    # Which kinds the office replaced, by whom and when; the office head manages them in the app.
    list_display = ["kind", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    date_hierarchy = "uploaded_at"


@admin.register(Job)
class JobAdmin(OperatorViewAdmin):
    # Not its arguments, message or error: they may name what was exported or accepted.
    list_display = [
        "kind",
        "owner",
        "status",
        "progress_done",
        "progress_total",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"


@admin.register(DocumentNumber)
class DocumentNumberAdmin(OperatorViewAdmin):
    list_display = ["series", "year", "last"]
    list_filter = ["year"]
    search_fields = ["series"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Accounts, administered without a way to grant oneself or anyone else access to cases.

    A non-superuser (the system administrator) grants no data role, scope circle, raw
    permission or superuser flag, never edits their own access, and cannot take over a
    superuser or a holder of a data role by setting their password. Every change of access
    is audited and reported to the office heads (core.services.roles.record_role_change).
    """

    list_display = ["username", "last_name", "first_name", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups"]
    list_select_related = ["organisation"]
    search_fields = ["username", "last_name", "first_name", "email"]
    autocomplete_fields = ["organisation", "person"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation", "person", "phone")}),
    )

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        fields += ["is_superuser", "user_permissions"]
        if obj is not None and obj.pk == request.user.pk:
            # The person decides which group memberships (and their grants) reach the account.
            fields += ["groups", "is_staff", "person"]
        return fields

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser or "groups" not in form.base_fields:
            return form
        return type(form.__name__, (GrantsNoDataRoleForm, form), {})

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> Any:
        user = self.get_object(request, unquote(id))
        if user is not None and not request.user.is_superuser and holds_data_role(user):
            # Setting their password would let the administrator sign in as them.
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        form.role_state_before = role_state(obj) if change else NO_ROLES
        super().save_model(request, obj, form, change)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_role_change(user=form.instance, by=request.user, before=form.role_state_before, request=request)

    def get_actions(self, request: Any) -> dict[str, Any]:
        # Deleting in bulk would bypass the deactivation below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs: Any, request: Any) -> tuple[Any, ...]:
        if any(has_audit_entries(user) for user in objs):
            # Nothing will be deleted (see delete_model); listing the audit entries that
            # protect the account would show the administrator what was read.
            return [str(user) for user in objs], {User._meta.verbose_name_plural: len(objs)}, set(), []
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request: Any, obj: Any) -> None:
        if has_audit_entries(obj):
            deactivate_user(user=obj, by=request.user, request=request)
            self.message_user(
                request,
                _("%(user)s has audit entries, so the account was deactivated instead of deleted.") % {"user": obj},
                messages.WARNING,
            )
            return
        super().delete_model(request, obj)

    def response_delete(self, request: Any, obj_display: str, obj_id: Any) -> Any:
        if User.objects.filter(pk=obj_id).exists():  # deactivated, not deleted: no "deleted" message
            return HttpResponseRedirect(reverse("admin:core_user_changelist"))
        return super().response_delete(request, obj_display, obj_id)


class GrantsNoDataRoleForm(forms.ModelForm):
    """The user form of a non-superuser: only roles that open no case content may be added."""

    def clean_groups(self) -> Any:
        chosen = self.cleaned_data["groups"]
        held = set(self.instance.groups.values_list("pk", flat=True)) if self.instance.pk else set()
        refused = [group.name for group in chosen if group.pk not in held and group.name not in GRANTABLE_ROLES]
        if refused:
            labels = dict(Role.choices)
            raise forms.ValidationError(
                _("Only a superuser can grant: %(groups)s.")
                % {"groups": "、".join(str(labels.get(name, name)) for name in refused)}
            )
        return chosen


# What a system administrator may grant: roles that open no clue, reporter or case content.
GRANTABLE_ROLES = frozenset(role.value for role in Role) - DATA_ROLES


def holds_data_role(user: User) -> bool:
    return user.is_superuser or user.groups.filter(name__in=DATA_ROLES).exists()


def has_audit_entries(user: User) -> bool:
    return AuditLog.objects.filter(user=user).exists()


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
    """Holidays and make-up workdays, one row per date. A year counts only once it is listed
    under the complete calendar years (CalendarYearAdmin): enter all its days first."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not CalendarYear.objects.filter(year=obj.date.year).exists():
            self.message_user(
                request,
                _(
                    "%(year)s is not yet a complete calendar year: dates in it are counted in natural days. "
                    "Once every holiday and make-up workday of %(year)s is entered, add %(year)s to the "
                    "complete calendar years."
                )
                % {"year": obj.date.year},
                messages.WARNING,
            )


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    """The years whose days are all in the calendar: the table ends with the last of them.

    Adding a year here says its holidays and make-up workdays are all entered; the action
    loads years from the chinese-calendar package (as `manage.py load_holidays` does)."""

    list_display = ["year", "source", "holidays", "workdays", "loaded_at", "reached_past_date", "reached_past_at"]
    fields = ["year", "source", "loaded_at", "reached_past_date", "reached_past_at"]
    readonly_fields = ["loaded_at", "reached_past_date", "reached_past_at"]
    actions = ["reload_from_package"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "year", "source"] if obj is not None else fields

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # a year is added (complete) or deleted (incomplete again), never edited

    @admin.display(description=_("holidays"))
    def holidays(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=CalendarDay.Kind.HOLIDAY).count()

    @admin.display(description=_("make-up workdays"))
    def workdays(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=CalendarDay.Kind.WORKDAY).count()

    @admin.action(description=_("Reload the selected years from the chinese-calendar package"))
    def reload_from_package(self, request: Any, queryset: Any) -> None:
        result = load_holidays(years=[row.year for row in queryset])
        if result.loaded:
            self.message_user(
                request,
                _("Loaded %(years)s: %(days)s days added or changed.")
                % {"years": ", ".join(map(str, result.loaded)), "days": result.days},
            )
        if result.missing:
            self.message_user(
                request,
                _("The chinese-calendar package %(version)s has no data for %(years)s: enter them by hand.")
                % {"version": package_version(), "years": ", ".join(map(str, result.missing))},
                messages.WARNING,
            )


def _step_text(kind: str, target_type: ContentType) -> str:
    """A reminder's record and step in words (函件：逾期 for letter.overdue), not their codes."""
    step = kind.rpartition(".")[2]
    model = target_type.model_class()
    record = str(model._meta.verbose_name) if model is not None else target_type.model
    return f"{record}：{STEP_LABELS.get(step, step)}"


class ReminderStepFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        kinds = Reminder.objects.order_by("kind").values_list("kind", "target_type").distinct()
        types = ContentType.objects.in_bulk({target_type for _kind, target_type in kinds})
        return sorted({(kind, _step_text(kind, types[target_type])) for kind, target_type in kinds})

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["step", "target_type", "target_id", "due_at", "level", "status", "sent_at"]
    list_select_related = ["target_type"]
    list_filter = ["status", ReminderStepFilter, "level"]
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    @admin.display(description=_("kind"), ordering="kind")
    def step(self, reminder: Reminder) -> str:
        return _step_text(reminder.kind, reminder.target_type)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """The trail without its content for a non-superuser: action, type and id, actor, time.

    What was read or changed in a case (object names, snapshots, notes) would hand the
    system administrator the case content it is kept away from (docs/domain.md §5.2 rule 10).
    """

    list_display = ["at", "username", "action", "content_type", "object_id", "ip"]
    list_filter = ["action", "content_type"]
    list_select_related = ["content_type"]
    # Without content, so the search box cannot be used to probe it either.
    search_fields = ["username", "object_id"]
    BASE_FIELDS = ["at", "username", "user", "action", "content_type", "object_id", "ip", "prev_hash", "entry_hash"]
    CONTENT_FIELDS = ["object_repr", "changes", "note"]

    def get_list_display(self, request: Any) -> list[str | Callable[[Any], str | bool]]:
        if request.user.is_superuser:
            return [*self.list_display[:-1], "object_repr", "ip"]
        return list(self.list_display)

    def get_search_fields(self, request: Any) -> list[str]:
        if request.user.is_superuser:
            return [*self.search_fields, "object_repr", "note"]
        return self.search_fields

    def get_fields(self, request: Any, obj: Any = None) -> list[str | list[str] | tuple[str, ...] | tuple[()]]:
        return [*self._shown_fields(request, obj)]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return self._shown_fields(request, obj)

    def _shown_fields(self, request: Any, obj: Any) -> list[str]:
        if request.user.is_superuser or (obj is not None and audit.shows_content(obj)):
            return self.BASE_FIELDS + self.CONTENT_FIELDS
        return self.BASE_FIELDS

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


# Unlocking a login is deleting its failed attempts here (README); the system administrator may,
# and every unlock is audited like any other admin edit.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AxesAccessAttemptAdmin):
    def delete_model(self, request: Any, obj: Any) -> None:
        self.delete_queryset(request, AccessAttempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for attempt in queryset:
            audit.log_action(
                user=request.user,
                action=AuditLog.Action.DELETE,
                obj=attempt,
                note=_("Unlocked log-in of %(username)s from %(address)s")
                % {"username": attempt.username, "address": attempt.ip_address},
                request=request,
            )
        super().delete_queryset(request, queryset)
