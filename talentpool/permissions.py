"""The talent-pool app's access rules, registered with core.permissions in TalentpoolConfig.ready."""

from typing import Any

from django.db.models import Q

from talentpool.selectors.recusals import recused_unit_ids


def clues_of_recused_units(user: Any) -> Q:
    """Recusal blocks access to the unit's clues whatever the role (docs/domain.md §5.2 rule 7)."""
    return Q(inspected_unit__in=recused_unit_ids(user))
