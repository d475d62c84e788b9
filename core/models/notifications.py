from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's in-app inbox; the same message may also go out by email.

    Its kind is what a user's preference is set for (the profile page): inbox only, or inbox and
    e-mail (User.wants_email). Kinds are few on purpose: a user decides per kind of duty, not per
    sender.
    """

    class Kind(models.TextChoices):
        # Someone handed work on and you act next: an answer, a refusal, a sign-off, materials.
        HANDOFF = "handoff", _("Hand-offs: work that now waits for you")
        # A letter, a secondment request or a materials request reached you.
        DELIVERY = "delivery", _("Letters and requests sent to you")
        # Deadline reminders and escalations of the reminder ladders.
        REMINDER = "reminder", _("Deadline reminders and escalations")
        # Anything else: role changes, system warnings, cancelled deliveries.
        GENERAL = "general", _("Other messages")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, default="info")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The inbox's keyset pages (core.pagination), newest first.
            models.Index(fields=["recipient", "created_at", "id"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title
