from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.files import StoredFile


class DocumentTemplate(models.Model):
    """The office's own Word template for one kind of document (core.documents), replacing the
    default shipped with the app until the office head reverts to it (the row is deleted)."""

    kind = models.CharField(_("document kind"), max_length=50, unique=True)
    file = models.ForeignKey(StoredFile, verbose_name=_("template file"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind
