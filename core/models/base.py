from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionQuerySet


@cache
def _choice_labels(field: models.Field) -> dict[Any, Any]:
    """value → (lazy) label of a field with fixed choices, built once per field."""
    return dict(field.flatchoices)


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

    def _get_FIELD_display(self, field: models.Field) -> Any:
        # Django builds a dict of every choice on each get_FOO_display() call, hashing each lazy
        # label, which translates it: a registry page of 50 clues made some 1,500 translation
        # lookups for its 100 labels. The labels stay lazy here, so the active language applies.
        if not isinstance(field.choices, list | tuple):
            return super()._get_FIELD_display(field)  # type: ignore[misc]  # private, not in django-stubs
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own lookup
            return super()._get_FIELD_display(field)  # type: ignore[misc]  # private, not in django-stubs
        return force_str(label, strings_only=True)
