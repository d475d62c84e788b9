from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Person
from core.models.base import TimeStampedModel
from inspection.models import InspectedUnit, InspectionRound


class RecusalDeclaration(TimeStampedModel):
    """A cadre's declaration of ties to a unit inspected in a round (回避申请, DOMAIN §2.7).

    A declared conflict blocks the person's access to the unit's clues from the moment it
    is declared, until the office decides to allow it.
    """

    class Decision(models.TextChoices):
        RECUSE = "recuse", _("Recuse")
        ALLOWED = "allowed", _("Allowed to take part")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="recusals")
    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="recusals"
    )
    inspected_unit = models.ForeignKey(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="recusals"
    )
    declared_at = models.DateTimeField(_("declared at"))
    has_conflict = models.BooleanField(_("has a conflict"))
    relationships = models.JSONField(_("relationships"), default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recusal declaration")
        verbose_name_plural = _("recusal declarations")
        ordering = ["inspection_round", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "inspected_unit"], name="recusal_once_per_person_and_unit")
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.inspected_unit}"
