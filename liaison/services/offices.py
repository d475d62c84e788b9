"""The unit's liaison office and its one current officer (docs/domain.md §2.3)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import Person, User
from core.permissions import grant, scope_group
from inspection.models import InspectedUnit
from inspection.permissions import is_group_member
from liaison.models import LiaisonAssignment, LiaisonOffice


def liaison_circle(inspected_unit: InspectedUnit) -> Any:
    """The auth group of the unit's current liaison officer: grants to the unit's side go here."""
    return scope_group(inspected_unit, "liaison")


@transaction.atomic
def set_up_office(*, by: User | None, inspected_unit: InspectedUnit, **fields: Any) -> LiaisonOffice:
    """Record (or update) the unit's liaison office; its circle may see the unit itself."""
    office, created = LiaisonOffice.objects.get_or_create(inspected_unit=inspected_unit, defaults={"created_by": by})
    before = None if created else audit.snapshot(office)
    for name, value in fields.items():
        setattr(office, name, value)
    office.full_clean()
    office.save()
    grant("view", inspected_unit, to=liaison_circle(inspected_unit))
    audit.log_change(user=by, obj=office, before=before)
    return office


@transaction.atomic
def appoint_officer(*, by: User | None, office: LiaisonOffice, person: Person, start_date: date) -> LiaisonAssignment:
    """Make person the office's liaison officer; the current one (if any) steps down that day.

    The officer belongs to the unit. Two appointments racing each other cannot both win: the
    office row is locked, and the database holds one current officer per office.
    """
    office = LiaisonOffice.objects.select_for_update(no_key=True).select_related("inspected_unit").get(pk=office.pk)
    unit = office.inspected_unit
    if person.home_unit_id != unit.org_unit_id:
        raise ValidationError(_("The liaison officer must work at %(unit)s.") % {"unit": unit.org_unit.display_name})
    circle = liaison_circle(unit)
    current = office.assignments.filter(end_date__isnull=True).select_related("person").first()
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError(_("%(person)s is already the liaison officer.") % {"person": person.name})
        if start_date < current.start_date:
            raise ValidationError(_("A new officer cannot start before the current one did."))
        before = audit.snapshot(current)
        current.end_date = start_date
        current.save(update_fields=["end_date", "updated_at"])
        audit.log_change(user=by, obj=current, before=before)
        if getattr(current.person, "user", None):
            current.person.user.groups.remove(circle)
    assignment = LiaisonAssignment(liaison_office=office, person=person, start_date=start_date, created_by=by)
    assignment.full_clean()
    assignment.save()
    if getattr(person, "user", None):
        person.user.groups.add(circle)
    audit.log_change(user=by, obj=assignment, before=None)
    return assignment


def current_assignment(inspected_unit: InspectedUnit) -> LiaisonAssignment | None:
    return (
        LiaisonAssignment.objects.filter(liaison_office__inspected_unit=inspected_unit, end_date__isnull=True)
        .select_related("person__user")
        .first()
    )


def is_current_officer(user: Any, inspected_unit: InspectedUnit) -> bool:
    return LiaisonAssignment.objects.filter(
        liaison_office__inspected_unit=inspected_unit, end_date__isnull=True, person__user=user
    ).exists()


def is_current_member(user: Any, inspected_unit: InspectedUnit) -> bool:
    """A member (or leader) of the unit's group today: the group side of the unit's records."""
    return is_group_member(user, inspected_unit.group_id)


def works_on(user: Any, inspected_unit: InspectedUnit) -> bool:
    """Whether user is one of the three sides of the unit's liaison work: office, group, officer.

    Viewing the unit is wider than this (the clue custodian reads round plans), but contact
    logs and handovers are the office's, the group's and the officer's only (docs/domain.md §5.3).
    """
    return (
        user.has_perm("liaison.view_handoverrecord")
        or is_current_member(user, inspected_unit)
        or is_current_officer(user, inspected_unit)
    )


def officer_units(user: Any) -> Any:
    """The units user is the current liaison officer of, latest appointment first (the portal)."""
    return InspectedUnit.objects.filter(
        liaison_office__assignments__person__user=user, liaison_office__assignments__end_date__isnull=True
    ).order_by("-liaison_office__assignments__start_date", "-pk")
