from django.db.models import Q

from clues.models import Clue, InfoRequestLetter, OnlineOpinionItem, PartnerUnit
from core.statistics import statistic
from inspection.selectors import first_round


@statistic("partner_unit_count")
def partner_unit_count() -> int:
    """DOMAIN §4.1 #1: active partners that received a main letter in the first round."""
    first = first_round()
    main_sent = Q(letters__inspection_round=first, letters__kind="main", letters__sent_at__isnull=False)
    return PartnerUnit.objects.filter(main_sent, active=True).distinct().count() if first else 0


@statistic("letters_sent")
def letters_sent() -> int:
    """DOMAIN §4.1 #2: main letters of the first round that have been sent."""
    first = first_round()
    return (
        InfoRequestLetter.objects.filter(inspection_round=first, kind="main", sent_at__isnull=False).count()
        if first
        else 0
    )


@statistic("partner_clue_count")
def partner_clue_count() -> int:
    """DOMAIN §4.1 #3: clues of the first round from partner letters, duplicates excluded."""
    first = first_round()
    if first is None:
        return 0
    return (
        Clue.objects.filter(inspection_round=first, source_type=Clue.SourceType.PARTNER_LETTER)
        .exclude(status=Clue.Status.DUPLICATE)
        .count()
    )


@statistic("online_opinion_count")
def online_opinion_count() -> int:
    """DOMAIN §4.1 #4: relevant online-opinion items of the first round."""
    first = first_round()
    if first is None:
        return 0
    return OnlineOpinionItem.objects.filter(
        inspection_round=first, relevance=OnlineOpinionItem.Relevance.RELEVANT
    ).count()
