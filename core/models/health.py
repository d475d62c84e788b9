from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """Last sign of life of a background process (worker, beat), shown on the health page."""

    name = models.CharField(_("process"), max_length=20, primary_key=True)
    beat_at = models.DateTimeField(_("last heartbeat"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return self.name
