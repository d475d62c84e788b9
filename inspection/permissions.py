"""Who is in a group: the one place for "current membership", "member of the group" and "the
group's leader" (every app asks these here, not with its own filter).

Decision on ended memberships (docs/domain.md §5.2 rule 3: access ends when the membership ends): a
membership is current while its end_date is empty, and ending it (`end_membership`) is recorded
when it happens. None of these predicates counts an ended membership, whatever its role: a leader
whose membership ended no longer acts as the group's leader (approves, confirms, signs off).
What a leader keeps after leaving, reading the group's clues until the round is archived, is a
grant to the leaders' circle (`scope_group(group, "leaders")`), not these predicates.
"""

from typing import Any

from django.db.models import QuerySet

from inspection.models import GroupMembership, InspectionGroup


def current_memberships(user: Any) -> QuerySet[GroupMembership]:
    """The user's memberships that have not ended (none for a user without a person)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return GroupMembership.objects.none()
    return GroupMembership.objects.filter(person_id=person_id, end_date__isnull=True)


def _group_id(group: InspectionGroup | int | None) -> int | None:
    return group.pk if isinstance(group, InspectionGroup) else group


def is_group_member(user: Any, group: InspectionGroup | int | None) -> bool:
    """Whether user is in the group today, in any role (leader, deputy, member)."""
    group_id = _group_id(group)
    return group_id is not None and current_memberships(user).filter(group_id=group_id).exists()


def is_group_leader(user: Any, group: InspectionGroup | int | None) -> bool:
    """Whether user is the group's leader today (a deputy leader is not)."""
    group_id = _group_id(group)
    return (
        group_id is not None
        and current_memberships(user).filter(group_id=group_id, role=GroupMembership.Role.LEADER).exists()
    )
