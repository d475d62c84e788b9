"""The liaison app's access rules, registered with core.permissions in LiaisonConfig.ready."""

from typing import Any

from django.db.models import Q

# Roles with a reason to read a unit's contact log and handovers (docs/domain.md §5.3 "Handover records");
# others who may view the unit itself (custodian, pool manager, leading group) may not.
HANDOVER_ROLES = ("office_head", "office_staff", "group_leader", "group_member", "liaison_officer")


def outside_handover_roles(user: Any) -> Q:
    """No row for a user without one of HANDOVER_ROLES, whatever else they may see of the unit."""
    return Q() if user.has_role(*HANDOVER_ROLES) else Q(pk__isnull=False)
