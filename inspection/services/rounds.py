"""Writes for rounds, groups, units and memberships; each grants the access its reason creates.

The workflow with its guards (docs/domain.md §3.1) comes with the rounds issue; these are the
building blocks every other app and the demo data use.
"""

from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.files import DOCUMENT_KINDS, store_upload
from core.models import Organisation, Person, User
from core.permissions import grant, scope_group
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound


@transaction.atomic
def create_round(
    *, by: User | None, committee_term: int, year: int, round_no: int, title: str, **fields: Any
) -> InspectionRound:
    inspection_round = InspectionRound(
        committee_term=committee_term, year=year, round_no=round_no, title=title, created_by=by, **fields
    )
    inspection_round.full_clean()
    inspection_round.save()
    audit.log_change(user=by, obj=inspection_round, before=None)
    return inspection_round


@transaction.atomic
def create_group(*, by: User | None, inspection_round: InspectionRound, number: int) -> InspectionGroup:
    """A group of the round; its members (through its scope group) may view the round and the group."""
    group = InspectionGroup(inspection_round=inspection_round, number=number, created_by=by)
    group.full_clean()
    group.save()
    grant("view", group, to=group)
    grant("view", inspection_round, to=group)
    audit.log_change(user=by, obj=group, before=None)
    return group


@transaction.atomic
def assign_unit(*, by: User | None, group: InspectionGroup, org_unit: Organisation) -> InspectedUnit:
    """Put a unit under a group; the group's members may view it (and only them)."""
    if group.memberships.filter(person__home_unit=org_unit, end_date__isnull=True).exists():
        raise ValidationError(_("A member of %(group)s comes from this unit.") % {"group": group.label})
    unit = InspectedUnit(inspection_round=group.inspection_round, org_unit=org_unit, group=group, created_by=by)
    unit.full_clean()
    unit.save()
    grant("view", unit, to=group)
    audit.log_change(user=by, obj=unit, before=None)
    return unit


@transaction.atomic
def add_member(
    *,
    by: User | None,
    group: InspectionGroup,
    person: Person,
    role: str = GroupMembership.Role.MEMBER,
    is_seconded: bool = False,
    is_group_liaison: bool = False,
    start_date: date | None = None,
) -> GroupMembership:
    """Add a person to a group; their login (if any) joins the group's scope and sees its units.

    Nobody inspects their own home unit (docs/domain.md §2.7, hard rule).

    A leader also joins the group's leaders circle, which keeps read access to the group's
    clues after the membership ends (docs/domain.md §5.2 rule 3) and may reveal reporter identity.
    """
    if group.inspected_units.filter(org_unit_id=person.home_unit_id).exists():
        raise ValidationError(_("%(person)s cannot inspect their own home unit.") % {"person": person.name})
    membership = GroupMembership(
        group=group,
        inspection_round=group.inspection_round,
        person=person,
        role=role,
        is_seconded=is_seconded,
        is_group_liaison=is_group_liaison,
        start_date=start_date,
        created_by=by,
    )
    membership.full_clean()
    membership.save()
    user = getattr(person, "user", None)
    if user is not None:
        user.groups.add(scope_group(group))
        if role == GroupMembership.Role.LEADER:
            user.groups.add(scope_group(group, "leaders"))
    audit.log_change(user=by, obj=membership, before=None)
    return membership


@transaction.atomic
def end_membership(*, by: User, membership: GroupMembership, end_date: date) -> GroupMembership:
    """Access ends with the membership (docs/domain.md §5.2 rule 3)."""
    before = audit.snapshot(membership)
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    user = getattr(membership.person, "user", None)
    if user is not None:
        user.groups.remove(scope_group(membership.group))
    audit.log_change(user=by, obj=membership, before=before)
    return membership


EDITABLE_FIELDS = (
    "title", "round_type", "kickoff_date", "letters_due_date", "planned_entry_date", "planned_exit_date",
    "actual_entry_date", "actual_exit_date", "approved_by_text", "upward_filed_at",
)  # fmt: skip


@transaction.atomic
def update_round(*, inspection_round: InspectionRound, by: User, **fields: Any) -> InspectionRound:
    """Change the round's plan (titles and dates); its status moves only through the workflow."""
    inspection_round = InspectionRound.objects.select_for_update(no_key=True).get(pk=inspection_round.pk)
    before = audit.snapshot(inspection_round)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not editable here")
        setattr(inspection_round, name, value)
    inspection_round.full_clean()
    inspection_round.save()
    audit.log_change(user=by, obj=inspection_round, before=before)
    return inspection_round


@transaction.atomic
def attach_work_plan(*, inspection_round: InspectionRound, by: User, upload: IO[bytes], name: str) -> InspectionRound:
    """Keep the work plan (PDF or Word) with the round; a new one replaces the old."""
    stored = store_upload(
        upload=upload, name=name, uploaded_by=by, allowed_kinds=DOCUMENT_KINDS, owner=inspection_round
    )
    return _set(inspection_round, by, work_plan=stored)


def _set(inspection_round: InspectionRound, by: User, **fields: Any) -> InspectionRound:
    before = audit.snapshot(inspection_round)
    for name, value in fields.items():
        setattr(inspection_round, name, value)
    inspection_round.save(update_fields=[*fields, "updated_at"])
    audit.log_change(user=by, obj=inspection_round, before=before)
    return inspection_round
