from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.models import Person, StoredFile
from core.models.base import TimeStampedModel
from inspection.models import InspectedUnit, InspectionRound


class InfoRequestLetter(TimeStampedModel):
    """A formal letter asking a partner department what it knows about the units to be inspected."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main letter")
        SUPPLEMENTARY = "supplementary", _("Supplementary letter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
        SENT = "sent", _("Sent")
        VIEWED = "viewed", pgettext_lazy("letter status", "Viewed")
        ANSWERED = "answered", _("Answered")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", pgettext_lazy("letter status", "Withdrawn")

    class Delivery(models.TextChoices):
        IN_APP = "in_app", _("In the platform")
        SEALED_PAPER = "sealed_paper", _("Sealed paper letter")
        CONFIDENTIAL_COURIER = "confidential_courier", _("Confidential courier")

    class Secrecy(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        CONFIDENTIAL = "confidential", _("Confidential")

    class Urgency(models.TextChoices):
        # GB/T 9704 紧急程度, printed top left of the letter when set.
        NONE = "", _("Not urgent")
        URGENT = "urgent", _("Urgent (加急)")
        VERY_URGENT = "very_urgent", _("Very urgent (特急)")

    # Statuses in which the partner still owes an answer: reminders run, overdue can apply.
    AWAITING = (Status.SENT, Status.VIEWED, Status.RETURNED)

    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="letters"
    )
    partner = models.ForeignKey(
        "clues.PartnerUnit", verbose_name=_("partner unit"), on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("letter kind"), max_length=20, choices=Kind.choices, default=Kind.MAIN)
    doc_number = models.CharField(_("document number"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    request_items = models.JSONField(_("requested items"), default=list, blank=True)
    inspected_units = models.ManyToManyField(
        InspectedUnit, verbose_name=_("units to report on"), related_name="letters"
    )
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Empty: the set number of working days after sending.")
    )
    delivery_method = models.CharField(_("delivery"), max_length=30, choices=Delivery.choices, default=Delivery.IN_APP)
    secrecy_level = models.CharField(_("secrecy"), max_length=20, choices=Secrecy.choices, default=Secrecy.INTERNAL)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NONE, blank=True)
    format_requirements = models.TextField(_("format requirements"), blank=True)
    contact_person = models.ForeignKey(
        Person, verbose_name=_("contact person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    signed_by = models.CharField(_("issued by"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    first_viewed_at = models.DateTimeField(_("first viewed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Set by the delivery task once access is granted, the partner notified and reminders planned.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request letter")
        verbose_name_plural = _("information request letters")
        permissions = [
            ("answer_inforequestletter", _("Can answer information request letters")),
            ("approve_inforequestletter", _("Can approve and send information request letters")),
            ("review_inforequestletter", _("Can review answers to information request letters")),
        ]
        ordering = ["inspection_round", "partner__sort_order", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_round", "partner"],
                condition=models.Q(kind="main") & ~models.Q(status="withdrawn"),
                name="letter_one_main_per_round_and_partner",
                violation_error_message=_("This partner already has a main letter in this round."),
            ),
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~models.Q(doc_number=""),
                name="letter_doc_number_unique",
                violation_error_message=_("This document number is already in use."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_from__isnull=True)
                | models.Q(period_to__isnull=True)
                | models.Q(period_to__gte=models.F("period_from")),
                name="letter_period_in_order",
                violation_error_message=_("The end of the period cannot be before its start."),
                violation_error_code="period_out_of_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="letter_status_deadline_idx")]

    def __str__(self) -> str:
        return self.doc_number or self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in self.AWAITING and self.deadline is not None and timezone.localdate() > self.deadline

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_at and self.deadline and timezone.localdate(self.answered_at) > self.deadline)


class LetterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InfoRequestLetter, on_delete=models.CASCADE)


class LetterGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InfoRequestLetter, on_delete=models.CASCADE)


class LetterReply(TimeStampedModel):
    """A partner's answer to a letter: workbooks, attachments and a stamped cover letter, or a nil return."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    letter = models.ForeignKey(
        InfoRequestLetter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="replies"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_nil_return = models.BooleanField(_("nothing to report"), default=False)
    narrative = models.TextField(_("statement"), blank=True)
    cover_letter = models.ForeignKey(
        StoredFile,
        verbose_name=_("stamped cover letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on_paper = models.BooleanField(
        _("paper reply recorded by the office"),
        default=False,
        help_text=_("Entered by office staff on the partner's behalf."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    permission_via = "letter"
    # A reply carries clue content (workbooks, staged rows): reading it is for those who answer
    # the letter (its partner, the custodian, the head); office staff see its status only.
    permission_via_actions = {"view": "answer"}

    class Meta:
        verbose_name = _("letter reply")
        verbose_name_plural = _("letter replies")
        ordering = ["letter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "version"], name="reply_version_unique"),
            models.UniqueConstraint(
                fields=["letter"],
                condition=models.Q(status="draft"),
                name="reply_one_draft_per_letter",
                violation_error_message=_("This letter already has a reply in draft."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.version}"
