"""Cases filed from transferred clues and the commission meetings that discuss them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Person
from core.models.base import TimeStampedModel


class CaseRecord(TimeStampedModel):
    """A case filed by the receiver (立案); one case may absorb several clues."""

    class Result(models.TextChoices):
        PARTY_SANCTION = "party_sanction", _("Party sanction")
        ADMIN_SANCTION = "admin_sanction", _("Administrative sanction")
        BOTH = "both", _("Party and administrative sanction")
        REFERRED_TO_PROSECUTION = "referred_to_prosecution", _("Referred to prosecution")
        NO_SANCTION = "no_sanction", _("No sanction")

    case_number = models.CharField(_("case number"), max_length=50, unique=True)
    receiver = models.ForeignKey(
        Organisation, verbose_name=_("receiver"), on_delete=models.PROTECT, related_name="cases"
    )
    handling_office = models.ForeignKey(
        Organisation,
        verbose_name=_("handling office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clues = models.ManyToManyField("clues.Clue", verbose_name=_("clues"), related_name="cases")
    filed_at = models.DateField(_("filed on"))
    subjects = models.JSONField(_("subjects"), default=list, help_text=_("Names of the persons investigated."))
    concluded_at = models.DateField(_("concluded on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=30, choices=Result.choices, blank=True)
    persons_sanctioned = models.PositiveSmallIntegerField(_("persons sanctioned"), null=True, blank=True)

    class Meta:
        verbose_name = _("case record")
        verbose_name_plural = _("case records")
        ordering = ["-filed_at", "case_number"]

    def __str__(self) -> str:
        return self.case_number


class StandingCommitteeMeeting(TimeStampedModel):
    """A meeting of the commission's standing committee (纪委常委会) that discussed clues or cases.

    When it discusses a clue an inspection group transferred, the office head must be
    invited to attend without a vote (列席); a meeting without them is flagged.
    """

    commission = models.ForeignKey(
        Organisation, verbose_name=_("commission"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    session_no = models.CharField(_("session"), max_length=30)
    office_head_invited = models.BooleanField(_("office head invited"), default=False)
    office_head_attended = models.BooleanField(_("office head attended"), default=False)
    attendee = models.ForeignKey(
        Person,
        verbose_name=_("attended for the office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("standing committee meeting")
        verbose_name_plural = _("standing committee meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "session_no"], name="meeting_session_unique"),
            models.CheckConstraint(
                condition=models.Q(office_head_attended=False) | models.Q(office_head_invited=True),
                name="meeting_attended_only_if_invited",
                violation_error_message=_("The office head attends a meeting only when invited."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_no} ({self.date})"


class MeetingAgendaItem(models.Model):
    permission_via = "meeting"

    class Kind(models.TextChoices):
        CLUE_DISPOSITION = "clue_disposition", _("Clue disposition")
        CASE_STUDY = "case_study", _("Case study")
        CASE_CONCLUSION = "case_conclusion", _("Case conclusion")

    meeting = models.ForeignKey(
        StandingCommitteeMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    clue = models.ForeignKey(
        "clues.Clue", verbose_name=_("clue"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        CaseRecord, verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clue__isnull=False) | models.Q(case__isnull=False),
                name="agenda_item_names_a_record",
                violation_error_message=_("An agenda item names a clue or a case."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_kind_display()}"
