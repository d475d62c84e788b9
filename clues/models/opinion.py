from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StoredFile
from core.models.base import TimeStampedModel
from inspection.models import InspectedUnit, InspectionRound


class OnlineOpinionItem(TimeStampedModel):
    """An item of online public opinion about a unit, collected by the office from media sites."""

    class Relevance(models.TextChoices):
        RELEVANT = "relevant", _("Relevant")
        IRRELEVANT = "irrelevant", _("Not relevant")

    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="opinion_items"
    )
    inspected_unit = models.ForeignKey(
        InspectedUnit,
        verbose_name=_("inspected unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_items",
    )
    site_name = models.CharField(_("website"), max_length=100)
    url = models.URLField(_("address"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    published_at = models.DateField(_("published on"), null=True, blank=True)
    captured_at = models.DateTimeField(_("captured at"), auto_now_add=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("captured by"), on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.ForeignKey(
        StoredFile, verbose_name=_("snapshot"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    relevance = models.CharField(_("relevance"), max_length=20, choices=Relevance.choices, default=Relevance.RELEVANT)
    converted_clue = models.OneToOneField(
        "clues.Clue",
        verbose_name=_("clue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_opinion",
    )

    class Meta:
        verbose_name = _("online opinion item")
        verbose_name_plural = _("online opinion items")
        ordering = ["inspection_round", "-published_at", "pk"]
        indexes = [
            # A round's list in keyset pages (core.pagination): published_at DESC NULLS LAST, then id,
            # as the list orders it on both databases.
            models.Index(
                "inspection_round",
                models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
                "id",
                name="opinion_round_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title
