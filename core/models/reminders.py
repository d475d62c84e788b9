from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionQuerySet


class Reminder(models.Model):
    """One reminder to send about one record at one moment.

    The unique key (record, kind, due moment) makes scheduling idempotent; the status claim
    (pending -> sending) makes sending at-most-once across retries and concurrent workers.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    class Level(models.TextChoices):
        """How loud a reminder is: the colour of its step on the ladder, shown to people in words."""

        GREEN = "green", _("Notice")
        YELLOW = "yellow", _("Yellow warning")
        RED = "red", _("Red warning")

    target_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    target_id = models.CharField(_("record id"), max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("kind"), max_length=50)
    due_at = models.DateTimeField(_("due at"))
    level = models.CharField(_("escalation level"), max_length=10, choices=Level.choices, default=Level.GREEN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PermissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        # Model-wide only (core.roles): Reminder.objects.for_user(user, "resolve").
        permissions = [("resolve_reminder", _("Can re-queue or cancel a stuck reminder"))]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "kind", "due_at"], name="reminder_once_per_target_kind_moment"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="reminder_due_idx"),
            models.Index(fields=["target_type", "target_id"], name="reminder_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.due_at:%Y-%m-%d %H:%M}"
