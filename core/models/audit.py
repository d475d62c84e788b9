from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """Who did what to which record, when, from where; with field values before and after.

    Rows form a hash chain (core.audit.chain_hash): each stores the hash of the row before it
    and its own hash over its content, so `manage.py verify_audit` finds a changed or removed row.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        TRANSITION = "transition", _("Status changed")
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")
        EXPORT = "export", _("Exported")
        REVEAL = "reveal", _("Revealed the reporter")

    # Set before the insert (not auto_now_add) because the entry's hash covers it.
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT: an account that left a trace is deactivated, never deleted (core.admin.UserAdmin).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, null=True, blank=True
    )
    # The actor's username at the time, so the row names its actor on its own.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        # Not object_repr: the admin prints this in titles and breadcrumbs, and the name of a
        # case record is case content (docs/domain.md §5.2 rule 10).
        return f"{self.get_action_display()} {self.content_type.model} #{self.object_id}"
