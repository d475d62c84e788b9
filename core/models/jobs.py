from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from core.models import User


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: User | Any, action: str = "view") -> Self:
        """A job is its owner's alone, whatever the action: anyone else gets a 404 (its
        result file follows it: core.files.visible_to asks this)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """A long piece of work a user started (an answer accepted, letters approved, a large export),
    done by a worker while the page shows its progress (core.jobs)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=60)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    args = models.JSONField(_("arguments"), default=dict, blank=True)
    # The owner's watermark at the start: a file the job makes names who asked for it, and when.
    watermark = models.TextField(_("watermark"), blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    result = models.ForeignKey(
        "core.StoredFile", verbose_name=_("result file"), on_delete=models.SET_NULL, null=True, blank=True
    )
    result_url = models.CharField(_("result page"), max_length=300, blank=True)
    # Each claim counts one; the count is also the claim's fencing token (only the run that
    # holds the latest claim may finish the job).
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # The sweep publishes a queued job again from then on (its task lost, the broker down).
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's query: queued jobs due for another publish, running ones past their lease.
            models.Index(fields=["status", "retry_at"], name="job_due"),
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)
