"""The talent-pool app's access rules, registered with core.permissions in TalentpoolConfig.ready."""

from typing import Any

from django.db.models import Q

from talentpool.selectors.recusals import recused_unit_ids


def clues_of_recused_units(user: Any) -> Q | None:
    """Recusal blocks access to the unit's clues whatever the role (docs/domain.md §5.2 rule 7).

    The units are read now (one small query) and named as values. Nearly every user has none,
    and a filter with nothing to exclude spares each clue a read of its unit: a member's count of
    a transfer's 2,762 items fetched every clue row for it, 35 ms against 24 at 1M clues (issue 16).
    """
    units = list(recused_unit_ids(user).values_list("inspected_unit", flat=True))
    return Q(inspected_unit__in=units) if units else None
