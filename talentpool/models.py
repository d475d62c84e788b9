from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Organisation, Person
from core.models.base import TimeStampedModel
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound


class RecusalDeclaration(TimeStampedModel):
    """A cadre's declaration of ties to a unit inspected in a round (回避申请, docs/domain.md §2.7).

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
    note = models.TextField(_("declarant's note"), blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    # 代为登记: the office recorded a cadre's signed paper form on their behalf (a cadre drawn
    # from the pool has no account to declare with); who recorded it, and the scanned form.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded on the declarant's behalf by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_form = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("signed declaration form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        LINEAL_BLOOD = "lineal_blood", _("Lineal blood relative")
        COLLATERAL_WITHIN_3 = "collateral_within_3", _("Collateral relative within three generations")
        CLOSE_IN_LAW = "close_in_law", _("Close in-law")
        WORKED_THERE_RECENTLY = "worked_there_recently", _("Worked there recently")
        FORMER_SUPERIOR_SUBORDINATE = "former_superior_subordinate", _("Former superior or subordinate")
        HOME_UNIT_IS_TARGET = "home_unit_is_target", _("Home unit is the inspected unit")
        OTHER = "other", _("Other")

    class Meta:
        verbose_name = _("recusal declaration")
        verbose_name_plural = _("recusal declarations")
        ordering = ["inspection_round", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "inspected_unit"], name="recusal_once_per_person_and_unit")
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.inspected_unit}"

    @property
    def on_behalf(self) -> bool:
        return self.recorded_by_id is not None

    def ties(self) -> list[dict[str, str]]:
        """The declared relationships with the label of their type, for pages and exports."""
        labels = dict(self.Relationship.choices)
        return [
            {
                "label": str(labels.get(r.get("type", ""), r.get("type", ""))),
                "related_name": r.get("related_name", ""),
                "related_position": r.get("related_position", ""),
            }
            for r in self.relationships
        ]


class Specialty(models.TextChoices):
    """docs/domain.md §2.1: the skills a group's mix is drawn for."""

    DISCIPLINE = "discipline", _("Discipline inspection")
    ORGANIZATION_PERSONNEL = "organization_personnel", _("Organisation and personnel")
    FINANCE_AUDIT = "finance_audit", _("Finance and audit")
    LEGAL_POLICE_COURT = "legal_police_court", _("Police, procuratorate and court")
    PETITION = "petition", _("Petitions")
    PUBLICITY = "publicity", _("Publicity")
    OTHER = "other", _("Other")


class TalentPoolEntry(TimeStampedModel):
    """A cadre's place in one of the two pools (巡察人才库, 办案人才库); a person may be in both."""

    class PoolType(models.TextChoices):
        INSPECTION = "inspection", _("Inspection pool")
        INVESTIGATION = "investigation", _("Investigation pool")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        VETTED = "vetted", _("Vetted")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REMOVED = "removed", _("Removed")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="pool_entries")
    pool_type = models.CharField(_("pool"), max_length=20, choices=PoolType.choices)
    specialty = models.CharField(_("specialty"), max_length=30, choices=Specialty.choices)
    nominated_by_unit = models.ForeignKey(
        Organisation, verbose_name=_("nominated by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    nominated_at = models.DateField(_("nominated on"), null=True, blank=True)
    vetted_at = models.DateField(_("vetted on"), null=True, blank=True)
    approved_at = models.DateField(_("approved on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal or suspension"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("talent pool entry")
        verbose_name_plural = _("talent pool entries")
        ordering = ["pool_type", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "pool_type"],
                condition=~models.Q(status="removed"),
                name="pool_entry_once_per_pool",
                violation_error_message=_("This person is already in this pool."),
            )
        ]
        indexes = [models.Index(fields=["pool_type", "status", "specialty"], name="pool_entry_draw_idx")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_pool_type_display()})"


class Draw(TimeStampedModel):
    """One proposal of candidates for a group, reproducible from its seed and inputs (抽调)."""

    group = models.ForeignKey(InspectionGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="draws")
    seed = models.BigIntegerField(_("random seed"))
    skill_mix = models.JSONField(_("skill mix"), default=dict, help_text=_("Specialty → number of people."))
    yearly_cap = models.PositiveSmallIntegerField(_("secondments per person per year at most"), default=2)
    candidates = models.JSONField(_("candidates proposed"), default=list)
    excluded = models.JSONField(_("excluded, with reasons"), default=list)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.group} #{self.pk}"


class SecondmentRequest(TimeStampedModel):
    """A request to a home unit to release a cadre for a round (商调函), docs/domain.md §2.7, §3.5."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", pgettext_lazy("secondment status", "Accepted")
        DECLINED = "declined", _("Declined")
        ESCALATED = "escalated", _("Escalated")
        REPLACED = "replaced", _("Replaced")
        CONFIRMED = "confirmed", _("Confirmed")
        ON_DUTY = "on_duty", _("On duty")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class DeclineReason(models.TextChoices):
        WORKLOAD = "workload", _("Heavy workload at the unit")
        STAFF_SHORTAGE = "staff_shortage", _("Staff shortage")
        KEY_TASK = "key_task", _("On a key task")
        HEALTH_FAMILY = "health_family", _("Health or family reasons")
        TRAINING_LEAVE = "training_leave", _("Training or leave")
        OTHER = "other", _("Other")

    class EscalatedTo(models.TextChoices):
        ORGANIZATION_DEPT = "organization_dept", _("Organisation department")
        DISCIPLINE_COMMISSION = "discipline_commission", _("Discipline commission")

    inspection_round = models.ForeignKey(
        InspectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="secondments"
    )
    group = models.ForeignKey(
        InspectionGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secondments",
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="secondments")
    pool_entry = models.ForeignKey(
        TalentPoolEntry, verbose_name=_("pool entry"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draw = models.ForeignKey(
        Draw, verbose_name=_("draw"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home_unit = models.ForeignKey(Organisation, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="+")
    requested_role = models.CharField(_("requested role"), max_length=20, default="member")
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"), null=True, blank=True)
    doc_number = models.CharField(_("document number"), max_length=50, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response_due = models.DateField(_("reply due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    decline_code = models.CharField(_("reason declined"), max_length=20, choices=DeclineReason.choices, blank=True)
    decline_reason = models.CharField(_("reason declined, in words"), max_length=300, blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=30, choices=EscalatedTo.choices, blank=True)
    substitute_for = models.ForeignKey(
        "self", verbose_name=_("replaces"), on_delete=models.PROTECT, null=True, blank=True, related_name="substitutes"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported for duty at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("secondment request")
        verbose_name_plural = _("secondment requests")
        ordering = ["inspection_round", "group", "person__name", "pk"]
        permissions = [("answer_secondmentrequest", _("Can answer secondment requests"))]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_round", "person"],
                condition=~models.Q(status__in=["declined", "replaced", "cancelled"]),
                name="secondment_one_live_request_per_round",
                violation_error_message=_("This person already has a secondment request in this round."),
            ),
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~models.Q(doc_number=""),
                name="secondment_doc_unique",
                violation_error_message=_("This document number is already in use."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.inspection_round}"


class SecondmentEvaluation(TimeStampedModel):
    """The group leader's evaluation at the end of a secondment (考核鉴定), sent to the home unit."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        COMPETENT = "competent", _("Competent")
        BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
        INCOMPETENT = "incompetent", _("Incompetent")

    secondment = models.OneToOneField(
        SecondmentRequest, verbose_name=_("secondment"), on_delete=models.CASCADE, related_name="evaluation"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("rating"), max_length=30, choices=Rating.choices)
    comments = models.TextField(_("comments"), blank=True)
    sent_to_home_unit_at = models.DateTimeField(_("sent to the home unit at"), null=True, blank=True)

    class Meta:
        verbose_name = _("secondment evaluation")
        verbose_name_plural = _("secondment evaluations")

    def __str__(self) -> str:
        return f"{self.secondment}: {self.get_rating_display()}"


class CaseWorkAssignment(TimeStampedModel):
    """An inspection cadre lent to case work between rounds (巡察干部参与办案), docs/domain.md §2.7."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="case_work")
    case = models.ForeignKey(
        "clues.CaseRecord", verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handling_office = models.ForeignKey(
        Organisation,
        verbose_name=_("handling office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    batch_label = models.CharField(_("batch"), max_length=50)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("case-work assignment")
        verbose_name_plural = _("case-work assignments")
        ordering = ["-start_date", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(handling_office__isnull=False),
                name="case_work_names_case_or_office",
                violation_error_message=_("Name the case or the handling office."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="case_work_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
                violation_error_code="ends_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.batch_label})"


class CollaborationZone(TimeStampedModel):
    """A case-handling collaboration zone (办案协作区) linking townships to commission offices."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", pgettext_lazy("zone status", "Active")

    name = models.CharField(_("name"), max_length=100, unique=True)
    supervision_office = models.ForeignKey(
        Organisation, verbose_name=_("supervision office"), on_delete=models.PROTECT, related_name="+"
    )
    investigation_office = models.ForeignKey(
        Organisation, verbose_name=_("investigation office"), on_delete=models.PROTECT, related_name="+"
    )
    linked_group_number = models.PositiveSmallIntegerField(_("linked group number"), null=True, blank=True)
    townships = models.ManyToManyField(Organisation, verbose_name=_("townships"), related_name="collaboration_zones")
    lead_leader = models.CharField(_("lead leader"), max_length=100, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("collaboration zone")
        verbose_name_plural = _("collaboration zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
