from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionQuerySet


class Delivery(models.Model):
    """One record owed to a party (a letter to its partner, a transfer to its receiver, ...).

    Written in the same transaction as the approval that makes the record deliverable, so a
    record is never deliverable without its row. core.delivery claims the row and does the
    record's work (grants, notifications, reminder plan) in one transaction that also marks it
    done: a crash anywhere rolls all of it back and leaves the row pending for the sweep.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        # Given up by the office (the stuck-work page, core.services.stuck): never attempted again.
        CANCELLED = "cancelled", _("Cancelled")

    target_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("target_type", "target_id")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    # After a failed attempt the sweep leaves the row alone until then (backoff); None: due now.
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # Set when the office re-queues the row by hand: it leaves the stuck list until it fails again.
    requeued_at = models.DateTimeField(_("re-queued at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = PermissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery record")
        verbose_name_plural = _("delivery records")
        ordering = ["pk"]
        # Model-wide only (core.roles): Delivery.objects.for_user(user, "resolve").
        permissions = [("resolve_delivery", _("Can re-queue or cancel a stuck delivery"))]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="delivery_once_per_record"),
        ]
        # The sweep's query: pending rows whose backoff has passed. delivery_pending serves its
        # ORDER BY pk LIMIT over the pending rows only: with the done rows of years in the table
        # (issue 16: 100,000) the primary key's order read them all to find a page of pending ones.
        indexes = [
            models.Index(fields=["state", "retry_at"], name="delivery_due"),
            models.Index(fields=["id"], name="delivery_pending", condition=models.Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.target_type.model} {self.target_id}: {self.state}"


class PaperDelivery(models.Model):
    """The office's record that a delivered record also reached its party on paper (线下送达).

    A unit without a reachable user (no active account to receive it) still gets the record in
    the system (core.delivery runs as for anyone), but nobody there reads it: the office hands
    it over on paper and records here when, how and to whom (core.services.paper).
    """

    class Method(models.TextChoices):
        BY_HAND = "by_hand", _("By hand")
        CONFIDENTIAL_EXCHANGE = "confidential_exchange", _("Confidential document exchange")
        POST = "post", _("Registered post")
        FAX = "fax", _("Fax")
        OTHER = "other", _("Other")

    delivery = models.OneToOneField(
        Delivery, verbose_name=_("delivery record"), on_delete=models.CASCADE, related_name="paper"
    )
    delivered_on = models.DateField(_("delivered on"))
    method = models.CharField(_("method"), max_length=30, choices=Method.choices)
    receiver_name = models.CharField(_("received by"), max_length=100)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper delivery")
        verbose_name_plural = _("paper deliveries")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery}: {self.delivered_on}"
