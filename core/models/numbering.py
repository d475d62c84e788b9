from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentNumber(models.Model):
    """The last issued sequence number of a document series in a year (示巡办函〔2017〕N号)."""

    series = models.CharField(_("series"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        # Moved from clues (a state-only migration pair): the table keeps the name it was created with.
        db_table = "clues_documentnumber"
        verbose_name = _("document number series")
        verbose_name_plural = _("document number series")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="document_number_once_per_year")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"
