from core.statistics import statistic
from talentpool.selectors import pools as selectors


@statistic("talent_pool_size")
def talent_pool_size() -> int:
    """docs/domain.md §4.1 #7: cadres active in the inspection pool."""
    return selectors.talent_pool_size()


@statistic("pool_count")
def pool_count() -> int:
    """docs/domain.md §4.1 #15: pools in use (with an active cadre); 2 when both are."""
    return selectors.pool_types_in_use()


@statistic("inspection_cadres_in_case_work")
def inspection_cadres_in_case_work() -> int:
    """docs/domain.md §4.1 #13: inspection cadres (full-time group members or inspection-pool members) lent to case work."""
    return selectors.inspection_cadres_in_case_work().count()
