from typing import ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStampedModel
from core.roles import Role

# A notification preference (User.notification_prefs): the kind stays in the inbox, no e-mail.
INBOX_ONLY = "inbox"


class Organisation(TimeStampedModel):
    """Any organisation the records name: partners, inspected units, home units, offices."""

    class UnitType(models.TextChoices):
        PARTY_DEPT = "party_dept", _("Party department")
        GOV_DEPT = "gov_dept", _("Government department")
        POLICE = "police", _("Public security")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        COURT = "court", _("Court")
        DISCIPLINE_COMMISSION = "discipline_commission", _("Discipline commission")
        COMMISSION_INTERNAL_OFFICE = "commission_internal_office", _("Commission internal office")
        STATIONED_DISCIPLINE_TEAM = "stationed_discipline_team", _("Stationed discipline team")
        TOWNSHIP = "township", _("Township or sub-district")
        TOWNSHIP_DISCIPLINE_COMMITTEE = "township_discipline_committee", _("Township discipline committee")
        PUBLIC_INSTITUTION = "public_institution", _("Public institution")
        SOE = "soe", _("State-owned enterprise")
        VILLAGE_COMMUNITY = "village_community", _("Village or community")
        OTHER = "other", _("Other")

    name = models.CharField(_("full name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other names used in spreadsheets and letters.")
    )
    unit_type = models.CharField(_("unit type"), max_length=40, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    party_org_name = models.CharField(_("Party organisation name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_discipline_body(self) -> bool:
        return self.unit_type in {
            self.UnitType.DISCIPLINE_COMMISSION,
            self.UnitType.COMMISSION_INTERNAL_OFFICE,
            self.UnitType.STATIONED_DISCIPLINE_TEAM,
        }


class Person(TimeStampedModel):
    """A human the records name: a cadre, a leader of an inspected unit, a liaison officer."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Rank(models.TextChoices):
        COUNTY_LEVEL = "county", _("County level")
        SECTION_CHIEF = "section_chief", _("Section chief")
        DEPUTY_SECTION_CHIEF = "deputy_section_chief", _("Deputy section chief")
        STAFF = "staff", _("Staff member or below")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    # Restricted: never shown in lists.
    id_card_no = models.CharField(_("ID card number"), max_length=18, blank=True)
    is_party_member = models.BooleanField(_("Party member"), default=True)
    home_unit = models.ForeignKey(
        Organisation, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    rank = models.CharField(_("rank"), max_length=30, choices=Rank.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login. Roles are Django groups; the organisation scopes what a role may see."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Per notification kind (Notification.Kind): "inbox" for the inbox only; anything else, or no
    # entry, is the default: inbox and e-mail. Set by the user on the profile page.
    notification_prefs = models.JSONField(_("notification preferences"), default=dict, blank=True)

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        """Family name first, without a space (李明), as a Chinese name is written. Django's own
        reads "明 李"; every caller (the watermark, the documents, Django itself) gets this one."""
        return (self.last_name + self.first_name).strip()

    def get_short_name(self) -> str:
        """The whole name (Django's is the given name alone: the admin greeted 李明 as "明")."""
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def wants_email(self, kind: str) -> bool:
        """Whether a notification of `kind` also goes out by e-mail (the default) or stays in the inbox."""
        return (self.notification_prefs or {}).get(kind) != INBOX_ONLY

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.groups.filter(name__in=Role.values).values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in sorted(self.role_codes)]

    @property
    def jurisdiction_name(self) -> str:
        return settings.INSPECTION_JURISDICTION_NAME
