from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.notifications import Notification


class OutboundEmail(models.Model):
    """One e-mail to send, written in the same transaction as the notification it copies.

    The row is the e-mail (address, subject, body with absolute links), so sending needs
    nothing else and a notification deleted meanwhile does not stop it. core.outbox sends it
    and marks it sent; its sweep sends again what is still pending, backing off after each
    failure, and gives up as failed after settings.EMAIL_MAX_ATTEMPTS tries.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient address"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Tries started, counted when a sender claims the row (a sender that dies mid-send counts).
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # A pending row is left alone until then: a sender holds it, or it is backing off. None: due.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["pk"]
        # The sweep's query: pending rows that are due; the status page's: failed ones.
        # outboundemail_pending: the sweep's ORDER BY pk LIMIT over pending rows only, not every
        # e-mail ever sent (issue 16: 100,000 sent rows before the first pending one).
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outboundemail_due"),
            models.Index(fields=["id"], name="outboundemail_pending", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.status}"
