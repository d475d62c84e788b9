"""A clue's way from the office to a group and on to the receiver (docs/domain.md §2.5, §3.3)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.models import Organisation
from core.models.base import TimeStampedModel
from inspection.models import InspectionGroup, InspectionRound


class ClueHandover(TimeStampedModel):
    """The custodian hands a clue to the group covering its unit (转交)."""

    permission_via = "clue"

    clue = models.ForeignKey("clues.Clue", verbose_name=_("clue"), on_delete=models.CASCADE, related_name="handovers")
    group = models.ForeignKey(InspectionGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="+")
    handed_at = models.DateTimeField(_("handed over at"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("clue handover")
        verbose_name_plural = _("clue handovers")
        ordering = ["clue", "handed_at"]
        constraints = [models.UniqueConstraint(fields=["clue", "group"], name="handover_once_per_clue_and_group")]

    def __str__(self) -> str:
        return f"{self.clue} → {self.group}"


class Receiver(models.TextChoices):
    DISCIPLINE_COMMISSION = "discipline_commission", _("Discipline commission")
    ORGANIZATION_DEPT = "organization_dept", _("Organisation department")
    INSPECTED_UNIT = "inspected_unit", _("Inspected unit (交办)")
    OTHER_DEPT = "other_dept", _("Other department")


class ClueAssessment(TimeStampedModel):
    """The group's judgement of a clue (研判), after a group meeting or a joint panel."""

    permission_via = "clue"

    class Forum(models.TextChoices):
        GROUP_MEETING = "group_meeting", _("Group meeting")
        JOINT_PANEL = "joint_panel", _("Joint panel")

    class Conclusion(models.TextChoices):
        RECOMMEND_TRANSFER = "recommend_transfer", _("Recommend transfer")
        GENERAL_PROBLEM = "general_problem", _("General problem (to the feedback)")
        NEEDS_MORE_WORK = "needs_more_work", _("Needs more work")
        INSUFFICIENT = "insufficient", _("Insufficient")
        DUPLICATE = "duplicate", _("Duplicate")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    clue = models.ForeignKey("clues.Clue", verbose_name=_("clue"), on_delete=models.CASCADE, related_name="assessments")
    assessed_at = models.DateTimeField(_("assessed at"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    forum = models.CharField(_("forum"), max_length=20, choices=Forum.choices, default=Forum.GROUP_MEETING)
    conclusion = models.CharField(_("conclusion"), max_length=30, choices=Conclusion.choices)
    recommended_receiver = models.CharField(
        _("recommended receiver"), max_length=30, choices=Receiver.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("clue assessment")
        verbose_name_plural = _("clue assessments")
        ordering = ["clue", "assessed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.clue}: {self.get_conclusion_display()}"


class ClueTransfer(TimeStampedModel):
    """One transfer letter (移交函): approved clues of a group, sent to one receiver."""

    Receiver = Receiver

    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="transfers"
    )
    group = models.ForeignKey(
        InspectionGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    receiver_type = models.CharField(_("receiver type"), max_length=30, choices=Receiver.choices)
    receiver = models.ForeignKey(
        Organisation, verbose_name=_("receiver"), on_delete=models.PROTECT, related_name="received_transfers"
    )
    doc_number = models.CharField(_("document number"), max_length=50, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by_text = models.CharField(_("approving meeting"), max_length=100, blank=True)
    # The approving meeting (TRANSFER_APPROVAL_REQUIRES_MEETING): its date and the minutes that record it.
    approval_meeting_date = models.DateField(_("approving meeting date"), null=True, blank=True)
    approval_minutes = models.CharField(_("minutes reference"), max_length=100, blank=True)
    # The confirmation page that sent this letter: a second post of the same page sends nothing more.
    approval_key = models.CharField(_("approval key"), max_length=40, blank=True, db_index=True, editable=False)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    # Set by the delivery task (access for the receiver, notice, reminders): once per transfer.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_due = models.DateField(_("feedback due"), null=True, blank=True)
    include_reporter = models.BooleanField(
        _("reporter identity included"),
        default=False,
        help_text=_("The reporter's identity travels with the transfer only when the sender includes it."),
    )

    class Meta:
        verbose_name = _("clue transfer")
        verbose_name_plural = _("clue transfers")
        ordering = ["-transferred_at", "-pk"]
        permissions = [("approve_cluetransfer", _("Can approve and send clue transfers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~models.Q(doc_number=""),
                name="transfer_doc_unique",
                violation_error_message=_("This document number is already in use."),
            )
        ]
        # The ledger's keyset pages (core.pagination) over the sent transfers, newest first.
        indexes = [
            models.Index(
                fields=["transferred_at", "id"],
                condition=models.Q(transferred_at__isnull=False),
                name="transfer_sent_idx",
            )
        ]

    def __str__(self) -> str:
        return self.doc_number or str(_("Transfer %(pk)s") % {"pk": self.pk})

    # Sending (transferred_at) or readdressing a transfer moves its clues in the dashboard's counters.
    def save(self, *args: Any, **kwargs: Any) -> None:
        from clues import tallies  # clues.tallies imports the clue models

        with tallies.tracking(self._clue_pks()):
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from clues import tallies  # clues.tallies imports the clue models

        with tallies.tracking(self._clue_pks()):
            return super().delete(*args, **kwargs)

    def _clue_pks(self) -> list[int]:
        return (
            list(ClueTransferItem.objects.filter(transfer=self.pk).values_list("clue_id", flat=True)) if self.pk else []
        )


class ClueTransferItem(models.Model):
    """A clue in a transfer letter, with the materials that travel with it."""

    permission_via = "transfer"

    transfer = models.ForeignKey(
        ClueTransfer, verbose_name=_("transfer"), on_delete=models.CASCADE, related_name="items"
    )
    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("clue"), on_delete=models.PROTECT, related_name="transfer_items"
    )
    materials_note = models.TextField(_("materials"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)

    class Meta:
        verbose_name = _("transferred clue")
        verbose_name_plural = _("transferred clues")
        ordering = ["transfer", "clue__code"]
        # A clue is transferred once: a second letter for the same clue would double the funnel.
        constraints = [models.UniqueConstraint(fields=["clue"], name="transfer_item_once_per_clue")]
        # A transfer's page lists its clues in keyset pages (core.pagination) in the letter's order,
        # which is the items' order: they are created in code order (transfers.plan_transfers).
        indexes = [models.Index(fields=["transfer", "id"], name="transfer_item_page_idx")]

    def __str__(self) -> str:
        return f"{self.transfer}: {self.clue}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from clues import tallies  # clues.tallies imports the clue models

        with tallies.tracking([self.clue_id]):
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from clues import tallies  # clues.tallies imports the clue models

        with tallies.tracking([self.clue_id]):
            return super().delete(*args, **kwargs)


class ClueDisposition(TimeStampedModel):
    """One step of the receiver's handling (处置); the latest step is the current one."""

    permission_via = "clue"

    class Type(models.TextChoices):
        TALK_OR_LETTER_INQUIRY = "talk_or_letter_inquiry", _("Talk or letter inquiry")
        PRELIMINARY_VERIFICATION = "preliminary_verification", _("Preliminary verification")
        DEFERRED = "deferred", _("Deferred")
        CLOSED_NO_ACTION = "closed_no_action", _("Closed with no action")

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("disposition outcome", "Pending")
        CASE_FILED = "case_filed", _("Case filed")
        CLOSED_UNTRUE = "closed_untrue", _("Closed: untrue")
        CLOSED_MINOR = "closed_minor", _("Closed: talk reminder or criticism")
        CLOSED_ORG_HANDLING = "closed_org_handling", _("Closed: organisational handling")
        REFERRED = "referred", _("Referred elsewhere")

    CLOSING_OUTCOMES = (Outcome.CLOSED_UNTRUE, Outcome.CLOSED_MINOR, Outcome.CLOSED_ORG_HANDLING, Outcome.REFERRED)

    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("clue"), on_delete=models.CASCADE, related_name="dispositions"
    )
    transfer_item = models.ForeignKey(
        ClueTransferItem, verbose_name=_("transferred clue"), on_delete=models.PROTECT, related_name="dispositions"
    )
    disposition_type = models.CharField(_("disposition"), max_length=30, choices=Type.choices)
    decided_at = models.DateField(_("decided on"))
    decided_by_text = models.CharField(_("decided by"), max_length=100, blank=True)
    handling_office = models.ForeignKey(
        Organisation,
        verbose_name=_("handling office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("clue disposition")
        verbose_name_plural = _("clue dispositions")
        ordering = ["clue", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.clue}: {self.get_disposition_type_display()}"


class TransferUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ClueTransfer, on_delete=models.CASCADE)


class TransferGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ClueTransfer, on_delete=models.CASCADE)
