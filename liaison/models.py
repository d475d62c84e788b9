"""The inspected unit's side: its liaison office and officer, contact, handovers, feedback and rectification.

Access (docs/domain.md §5.2 rule 2): the unit's liaison officer sees their own unit's records through
grants to the unit's liaison circle (`scope_group(inspected_unit, "liaison")`), the group
through its grant on the inspected unit, the office through model permissions. Child
records follow their parent (`permission_via`). Liaison officers never see clues.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Person, StoredFile
from core.models.base import TimeStampedModel
from inspection.models import InspectedUnit


class LiaisonOffice(TimeStampedModel):
    """The unit's liaison office (巡察联络办公室): one per inspected unit per round."""

    permission_via = "inspected_unit"

    inspected_unit = models.OneToOneField(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="liaison_office"
    )
    established_at = models.DateField(_("set up on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("liaison office")
        verbose_name_plural = _("liaison offices")

    def __str__(self) -> str:
        return str(self.inspected_unit)


class LiaisonAssignment(TimeStampedModel):
    """A person serving as the office's liaison officer; replacing one ends the old row (history kept)."""

    permission_via = "liaison_office"

    liaison_office = models.ForeignKey(
        LiaisonOffice, verbose_name=_("liaison office"), on_delete=models.CASCADE, related_name="assignments"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("liaison officer assignment")
        verbose_name_plural = _("liaison officer assignments")
        ordering = ["liaison_office", "-start_date", "-pk"]
        constraints = [
            # Exactly one current officer per office (docs/domain.md §2.3): the database holds it for every writer.
            models.UniqueConstraint(
                fields=["liaison_office"],
                condition=models.Q(end_date__isnull=True),
                name="liaison_one_current_officer",
                violation_error_message=_("This liaison office already has a current officer."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="liaison_assignment_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
                violation_error_code="ends_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.liaison_office})"


class ContactLogEntry(TimeStampedModel):
    """One contact between the unit and the group or office (联络记录)."""

    permission_via = "inspected_unit"

    class Channel(models.TextChoices):
        PHONE = "phone", pgettext_lazy("contact channel", "Phone")
        MEETING = "meeting", _("Meeting")
        DOCUMENT = "document", _("Document")
        MESSAGE = "message", _("Message")
        OTHER = "other", _("Other")

    inspected_unit = models.ForeignKey(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="contact_log"
    )
    at = models.DateTimeField(_("time"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["inspected_unit", "-at"], name="contact_unit_at_idx")]

    def __str__(self) -> str:
        return self.subject


class HandoverRecord(TimeStampedModel):
    """Materials a group asks the unit for (交接): requested, delivered, returned."""

    permission_via = "inspected_unit"

    class Category(models.TextChoices):
        DOCUMENTS = "documents", _("Documents")
        ACCOUNTS = "accounts", _("Accounts")
        MINUTES = "minutes", _("Minutes")
        PERSONNEL_FILES = "personnel_files", _("Personnel files")
        CONTRACTS = "contracts", _("Contracts")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("handover status", "Requested")
        DELIVERED = "delivered", _("Delivered")
        RECEIVED = "received", pgettext_lazy("handover status", "Received")
        RETURNED = "returned", pgettext_lazy("handover status", "Returned")
        CANCELLED = "cancelled", _("Cancelled")

    inspected_unit = models.ForeignKey(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="handovers"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    item = models.CharField(_("item"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    due_at = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["inspected_unit", "-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.item


class Feedback(TimeStampedModel):
    """The group's feedback to the unit (反馈): its problem list is the start of rectification.

    Granted on its own, not through the unit: the group holds it from the start, the unit's
    liaison officer only once it is delivered (docs/domain.md §5.3: "R own (after delivery)").
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        DELIVERED = "delivered", pgettext_lazy("feedback status", "Delivered")

    inspected_unit = models.OneToOneField(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="feedback"
    )
    meeting_date = models.DateField(_("feedback meeting on"), null=True, blank=True)
    principal_oneonone_date = models.DateField(_("feedback to the principal on"), null=True, blank=True)
    document = models.ForeignKey(
        StoredFile,
        verbose_name=_("feedback document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return str(self.inspected_unit)


class FeedbackProblem(TimeStampedModel):
    """One problem of the feedback's list (问题清单)."""

    permission_via = "feedback"

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="problems"
    )
    seq = models.PositiveSmallIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=100)
    description = models.TextField(_("description"))
    is_immediate_fix = models.BooleanField(_("fix at once"), default=False)
    # A clue judged a general problem; shown to the office only (clues stay out of the unit's sight).
    source_clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("source clue"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("feedback problem")
        verbose_name_plural = _("feedback problems")
        ordering = ["feedback", "seq"]
        constraints = [models.UniqueConstraint(fields=["feedback", "seq"], name="problem_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.description[:30]}"


class RectificationItem(TimeStampedModel):
    """A row of the rectification ledger (整改台账); closes only on verified evidence (docs/domain.md §3.4)."""

    permission_via = "problem"

    class Type(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate")
        TIME_BOUND = "time_bound", _("Time-bound")
        LONG_TERM = "long_term", _("Long-term")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PLAN_SUBMITTED = "plan_submitted", _("Plan submitted")
        PLAN_APPROVED = "plan_approved", _("Plan approved")
        IN_PROGRESS = "in_progress", _("In progress")
        PENDING_SIGNOFF = "pending_signoff", _("Awaiting sign-off")
        SIGNED_OFF = "signed_off", _("Signed off")
        LONG_TERM_MAINTAINED = "long_term_maintained", _("Long-term, maintained")
        REOPENED = "reopened", _("Reopened")

    problem = models.ForeignKey(
        FeedbackProblem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="items"
    )
    seq = models.PositiveSmallIntegerField(_("number"))
    measure = models.TextField(_("measure"))
    responsible_leader = models.CharField(_("responsible leader"), max_length=100)
    lead_department = models.CharField(_("lead department"), max_length=100)
    responsible_person = models.CharField(_("responsible person"), max_length=100)
    co_departments = models.CharField(_("co-operating departments"), max_length=200, blank=True)
    rectification_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    deadline = models.DateField(pgettext_lazy("rectification", "deadline"))
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.ISSUED)
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    latest_note = models.TextField(_("latest note"), blank=True)
    completed_at = models.DateField(_("completed on"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sign_off_note = models.CharField(_("sign-off note"), max_length=300, blank=True)
    # A long-term item kept as maintained names the day it is looked at again (the round's archive needs it).
    follow_up_on = models.DateField(_("next follow-up on"), null=True, blank=True)
    evidence_files = models.ManyToManyField(StoredFile, verbose_name=_("evidence"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["problem__feedback", "problem__seq", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "seq"], name="rectification_item_seq_unique"),
            models.CheckConstraint(
                condition=models.Q(progress_pct__lte=100),
                name="rectification_progress_at_most_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="rectification_due_idx"),
            # The deadline board's page reads open items in the board's order and stops at the
            # page's end: its union took 27 ms, 6 ms with this index, at 40,000 items (issue 16).
            models.Index(fields=["deadline", "id"], name="rectification_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.problem.seq}.{self.seq} {self.measure[:30]}"


class RectificationUpdate(TimeStampedModel):
    """A progress entry of an item: note, percentage, attachments."""

    permission_via = "item"

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"))
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"))
    attachments = models.ManyToManyField(StoredFile, verbose_name=_("attachments"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["item", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.progress_pct}%"


class RectificationReport(TimeStampedModel):
    """The unit's rectification plan and reports, with their due dates (1 and 2 months after feedback)."""

    permission_via = "inspected_unit"

    class Kind(models.TextChoices):
        PLAN = "plan", _("Rectification plan")
        PROGRESS = "progress", _("Progress report")
        FINAL = "final", _("Final report")
        PRINCIPAL_REPORT = "principal_report", _("Principal's report")

    inspected_unit = models.ForeignKey(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="rectification_reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_date = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    file = models.ForeignKey(
        StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    principal_signed = models.BooleanField(_("signed by the principal"), default=False)

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["inspected_unit", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["inspected_unit", "kind"], name="rectification_report_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.inspected_unit}: {self.get_kind_display()}"


class FollowUpCheck(TimeStampedModel):
    """A follow-up check (回头看) that may reopen signed-off items."""

    permission_via = "inspected_unit"

    class Rating(models.TextChoices):
        GOOD = "good", _("Good")
        FAIRLY_GOOD = "fairly_good", _("Fairly good")
        AVERAGE = "average", _("Average")
        POOR = "poor", _("Poor")

    inspected_unit = models.ForeignKey(
        InspectedUnit, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="follow_up_checks"
    )
    date = models.DateField(_("date"))
    team_text = models.CharField(_("checked by"), max_length=200, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    reopened_items = models.ManyToManyField(
        RectificationItem, verbose_name=_("reopened items"), blank=True, related_name="follow_up_checks"
    )

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.inspected_unit} {self.date}"
