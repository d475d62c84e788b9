from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Organisation, Person
from core.models.base import TimeStampedModel


class InspectionRound(TimeStampedModel):
    """One inspection round (轮次): several groups inspect several units in parallel."""

    class RoundType(models.TextChoices):
        REGULAR = "regular", _("Regular inspection")
        SPECIAL = "special", _("Special inspection")
        MOBILE = "mobile", _("Mobile inspection")
        FOLLOW_UP = "follow_up", _("Follow-up inspection")
        CROSS = "cross", _("Cross inspection")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PREPARING = "preparing", _("Preparing")
        ONSITE = "onsite", _("On site")
        REPORTING = "reporting", _("Reporting")
        FEEDBACK = "feedback", pgettext_lazy("round stage", "Feedback")
        RECTIFYING = "rectifying", _("Rectifying")
        REVIEWING = "reviewing", _("Reviewing")
        ARCHIVED = "archived", _("Archived")
        CANCELLED = "cancelled", _("Cancelled")

    committee_term = models.PositiveSmallIntegerField(_("committee term"))
    year = models.PositiveSmallIntegerField(_("year"))
    round_no = models.PositiveSmallIntegerField(_("round number"))
    round_type = models.CharField(_("round type"), max_length=20, choices=RoundType.choices, default=RoundType.REGULAR)
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    kickoff_date = models.DateField(_("kickoff date"), null=True, blank=True)
    letters_due_date = models.DateField(_("letters due date"), null=True, blank=True)
    planned_entry_date = models.DateField(_("planned entry date"), null=True, blank=True)
    planned_exit_date = models.DateField(_("planned exit date"), null=True, blank=True)
    actual_entry_date = models.DateField(_("actual entry date"), null=True, blank=True)
    actual_exit_date = models.DateField(_("actual exit date"), null=True, blank=True)
    approved_by_text = models.CharField(_("approved by"), max_length=100, blank=True)
    work_plan = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("work plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    upward_filed_at = models.DateField(_("filed upward on"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        permissions = [("advance_inspectionround", _("Can move a round through its stages"))]
        ordering = ["-year", "-committee_term", "-round_no"]
        constraints = [
            models.UniqueConstraint(fields=["committee_term", "round_no"], name="round_unique_per_term"),
            models.CheckConstraint(
                condition=models.Q(planned_exit_date__isnull=True)
                | models.Q(planned_entry_date__isnull=True)
                | models.Q(planned_exit_date__gte=models.F("planned_entry_date")),
                name="round_exit_after_entry",
                violation_error_message=_("The planned exit date cannot be before the planned entry date."),
                violation_error_code="exit_before_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InspectionGroup(TimeStampedModel):
    """An inspection group (巡察组) of one round; it covers one or more units."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        AUTHORIZED = "authorized", _("Authorised")
        STATIONED = "stationed", _("Stationed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REPORTED = "reported", _("Reported")
        BRIEFED = "briefed", _("Briefed")
        FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
        ARCHIVED = "archived", _("Archived")

    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FORMING)

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["inspection_round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection_round", "number"], name="group_number_unique_per_round")
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return self.label_of(self.number)

    @staticmethod
    def label_of(number: int) -> str:
        """A group's name from its number alone (a drop-down built from values, not rows)."""
        return _("Inspection group %(number)s") % {"number": number}


class GroupMembership(TimeStampedModel):
    """A person's place in a group for one round: leader, deputy or member, full-time or seconded."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY_LEADER = "deputy_leader", _("Deputy leader")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    # Denormalised from the group so the database can hold "one membership per round".
    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_group_liaison = models.BooleanField(_("group liaison"), default=False)
    is_seconded = models.BooleanField(_("seconded"), default=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # The confirmed request that released a seconded member (docs/domain.md §2.2); checked before entry.
    secondment = models.OneToOneField(
        "talentpool.SecondmentRequest",
        verbose_name=_("secondment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership",
    )

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_round", "person"],
                name="membership_one_per_round",
                violation_error_message=_("This person is already in a group of this round."),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(role="leader"),
                name="membership_one_leader_per_group",
                violation_error_message=_("The group already has a leader."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.person} ({self.get_role_display()})"


class InspectedUnit(TimeStampedModel):
    """A unit inspected in one round; it belongs to exactly one group of that round."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONSITE = "onsite", _("On site")
        FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
        RECTIFYING = "rectifying", pgettext_lazy("unit status", "Rectifying")
        RECTIFIED = "rectified", _("Rectified")
        REOPENED = "reopened", _("Reopened")

    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="inspected_units"
    )
    org_unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="inspected_units"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    entry_date = models.DateField(_("entry date"), null=True, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    feedback_date = models.DateField(_("feedback date"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspected unit")
        verbose_name_plural = _("inspected units")
        ordering = ["inspection_round", "group__number", "org_unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["inspection_round", "org_unit"], name="inspected_unit_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} ({self.inspection_round})"
