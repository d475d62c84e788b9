from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.models import Organisation, Person
from core.models.base import TimeStampedModel
from core.sealing import SealedTextField
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound


class Clue(TimeStampedModel):
    """A problem clue (问题线索): an allegation about named people of an inspected unit.

    Confidential: every read goes through Clue.objects.for_user() and is logged.
    """

    class SourceType(models.TextChoices):
        PARTNER_LETTER = "partner_letter", _("Partner department letter")
        ONLINE_OPINION = "online_opinion", _("Online public opinion")
        PETITION = "petition", _("Petition to the group")
        INTERVIEW = "interview", _("Interview")
        DOCUMENT_REVIEW = "document_review", _("Document review")
        SINK_VISIT = "sink_visit", _("Visit one level down")
        HIGHER_ASSIGNED = "higher_assigned", _("Assigned from above")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        SCREENED = "screened", _("Screened")
        HANDED_TO_GROUP = "handed_to_group", _("Handed to the group")
        UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
        PROPOSED_FOR_TRANSFER = "proposed_for_transfer", _("Proposed for transfer")
        TRANSFER_APPROVED = "transfer_approved", _("Transfer approved")
        TRANSFERRED = "transferred", _("Transferred")
        RECEIVED = "received", pgettext_lazy("clue status", "Received")
        TALK_OR_LETTER_INQUIRY = "talk_or_letter_inquiry", _("Talk or letter inquiry")
        PRELIMINARY_VERIFICATION = "preliminary_verification", _("Preliminary verification")
        DEFERRED = "deferred", _("Deferred")
        CASE_FILED = "case_filed", _("Case filed")
        CONCLUDED_NO_CASE = "concluded_no_case", _("Concluded without a case")
        GENERAL_PROBLEM = "general_problem", _("General problem")
        INSUFFICIENT = "insufficient", _("Insufficient")
        DUPLICATE = "duplicate", _("Duplicate")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    class Grade(models.TextChoices):
        A = "A", _("A: important and verifiable")
        B = "B", _("B: ordinary and verifiable")
        C = "C", _("C: vague or general")

    class Verifiability(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    # Statuses before the group has it: the custodian screens and hands over from here.
    BEFORE_HANDOVER = (Status.REGISTERED, Status.SCREENED)
    # Statuses in which the receiver is still working on it (docs/domain.md §3.3: deferred is not concluded).
    WITH_RECEIVER = (
        Status.RECEIVED,
        Status.TALK_OR_LETTER_INQUIRY,
        Status.PRELIMINARY_VERIFICATION,
        Status.DEFERRED,
    )
    CONCLUDED = (Status.CASE_FILED, Status.CONCLUDED_NO_CASE)

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    code = models.CharField(_("code"), max_length=30, unique=True)
    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="clues"
    )
    # Both served by the registry's filter indexes below, which lead with them.
    inspected_unit = models.ForeignKey(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="clues", db_index=False
    )
    assigned_group = models.ForeignKey(
        InspectionGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="clues", db_index=False
    )
    source_type = models.CharField(_("source"), max_length=30, choices=SourceType.choices)
    source_partner = models.ForeignKey(
        "clues.PartnerUnit",
        verbose_name=_("partner unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
    )
    # The staged workbook row this clue was registered from (its raw cells stay there).
    source_import_row = models.OneToOneField(
        "clues.ClueImportRow",
        verbose_name=_("workbook row"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clue",
    )
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    source_channel = models.CharField(_("source channel"), max_length=30, blank=True)
    received_date = models.DateField(_("received on"))
    received_date_precision = models.CharField(
        _("date precision"), max_length=10, choices=Precision.choices, default=Precision.DAY
    )
    reported_persons = models.JSONField(_("reported persons"), default=list)
    allegation_summary = models.CharField(_("allegation summary"), max_length=300)
    allegation_detail = models.TextField(_("allegation"), blank=True)
    categories = models.JSONField(_("problem categories"), default=list)
    amount_involved_yuan = models.DecimalField(
        _("amount involved (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    amount_approximate = models.BooleanField(_("amount is approximate"), default=False)
    handling_status = models.CharField(_("handling by the partner"), max_length=30, blank=True)
    handling_result = models.TextField(_("partner's handling result"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    # Restricted (docs/domain.md §5): reporter identity, sealed at rest (core.sealing); opened only by
    # clues.services.registry.reveal_reporter, for the custodian, the group's leaders and a
    # receiver whose transfer included it.
    reporter_name = SealedTextField(_("reporter"))
    reporter_contact = SealedTextField(_("reporter's contact"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.REGISTERED)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    verifiability = models.CharField(_("verifiability"), max_length=10, choices=Verifiability.choices, blank=True)
    out_of_scope_reason = models.CharField(_("reason out of scope"), max_length=200, blank=True)
    forwarded_to = models.ForeignKey(
        Organisation,
        verbose_name=_("forwarded to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        Person, verbose_name=_("handler"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Flagged on import for the clue custodian to decide."),
    )

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["code"]
        permissions = [
            ("reveal_clue", _("Can reveal the reporter's identity")),
            ("assess_clue", _("Can record the group's assessment of a clue")),
            ("dispose_clue", _("Can record dispositions and cases of a transferred clue")),
            ("export_clue", _("Can export clues")),
        ]
        indexes = [
            models.Index(fields=["inspection_round", "source_type", "status"], name="clue_round_source_idx"),
            models.Index(fields=["inspected_unit", "received_date"], name="clue_unit_date_idx"),
            # The registry's keyset pages (core.pagination), newest registered first by id
            # (clues.selectors.registry.REGISTRY_PAGE_ORDER): all rounds by the primary key, one
            # round or one filter's value by these. A rare value (a member's petitions, a
            # receiver's unit) otherwise walked every clue newest first to fill a page, checking
            # each against the user's grants (0.6 s at a million clues). The unit after the id
            # lets a page's ids be read from the index alone, recusal included (the access
            # exclusion of talentpool.permissions): a member's ?source=petition at 1M clues, the
            # ids merged with the member's grants, 443 ms reading each clue row, 12 ms from the index.
            models.Index(fields=["inspection_round", "id", "inspected_unit"], name="clue_round_page_idx"),
            models.Index(fields=["inspected_unit", "id"], name="clue_unit_page_idx"),
            models.Index(fields=["assigned_group", "id", "inspected_unit"], name="clue_group_page_idx"),
            models.Index(fields=["source_type", "id", "inspected_unit"], name="clue_source_page_idx"),
            models.Index(fields=["status", "id", "inspected_unit"], name="clue_status_page_idx"),
            models.Index(fields=["grade", "id", "inspected_unit"], name="clue_grade_page_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_concluded(self) -> bool:
        return self.status in self.CONCLUDED

    # Every write of a clue row moves the dashboard's counters with it (clues.tallies), whoever
    # writes it: a status move (core.transitions saves the row), a registration, an edit.
    def save(self, *args: Any, **kwargs: Any) -> None:
        from clues import tallies  # clues.tallies imports the clue models

        with tallies.tracking([self.pk] if self.pk else []) as tracker:
            super().save(*args, **kwargs)
            tracker.add(self.pk)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from clues import tallies  # clues.tallies imports the clue models

        with tallies.tracking([self.pk]):
            return super().delete(*args, **kwargs)


class ClueUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Clue, on_delete=models.CASCADE)


class ClueGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Clue, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        # core.permissions.restrict probes "may this user's groups see this clue" per row:
        # an index-only lookup by clue first (issue 16: 3.8M grants at 1M clues).
        indexes = [models.Index(fields=["content_object", "group", "permission"], name="clue_grant_by_clue")]
