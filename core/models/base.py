from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionQuerySet


class TimeStampedModel(models.Model):
    """Every domain record says when it was made and changed, and by whom."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PermissionQuerySet.as_manager()

    class Meta:
        abstract = True
