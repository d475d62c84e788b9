from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from core.models.base import TimeStampedModel


class PartnerUnit(TimeStampedModel):
    """A partner department (协作单位) asked for information before each round."""

    class Category(models.TextChoices):
        DISCIPLINE = "discipline", _("Discipline commission")
        AUDIT = "audit", _("Audit")
        ORGANIZATION = "organization", _("Organisation department")
        PETITION = "petition", _("Petitions")
        POLICE = "police", _("Public security")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        COURT = "court", _("Court")
        LEGAL_AFFAIRS = "legal_affairs", _("Legal affairs")
        HR_SOCIAL_SECURITY = "hr_social_security", _("Human resources and social security")
        ESTABLISHMENT = "establishment", _("Establishment office")
        FINANCE = "finance", _("Finance")
        POLITICAL_LEGAL = "political_legal", _("Political and legal affairs")
        OTHER = "other", _("Other")

    org_unit = models.OneToOneField(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="partner"
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    default_request_items = models.JSONField(_("standard request items"), default=list, blank=True)

    class Meta:
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.org_unit.display_name
