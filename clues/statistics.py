from clues.models import PartnerUnit
from core.statistics import statistic


@statistic("partner_unit_count")
def partner_unit_count() -> int:
    """DOMAIN §4.1 #1. Until letters exist this counts active partners; the letters issue
    narrows it to active partners that received a main letter in the first round."""
    return PartnerUnit.objects.filter(active=True).count()
