from django.db.models import Q

from clues import tallies
from clues.models import Clue, InfoRequestLetter, OnlineOpinionItem, PartnerUnit
from clues.selectors.funnel import funnel
from core.statistics import statistic
from inspection.models import InspectionRound
from inspection.selectors import first_round


@statistic("partner_unit_count")
def partner_unit_count(inspection_round: InspectionRound | None = None) -> int:
    """docs/domain.md §4.1 #1: active partners that received a main letter in the first round (or the given round)."""
    first = inspection_round or first_round()
    main_sent = Q(letters__inspection_round=first, letters__kind="main", letters__sent_at__isnull=False)
    return PartnerUnit.objects.filter(main_sent, active=True).distinct().count() if first else 0


@statistic("letters_sent")
def letters_sent(inspection_round: InspectionRound | None = None) -> int:
    """docs/domain.md §4.1 #2: main letters of the first round (or of the given round) that have been sent."""
    first = inspection_round or first_round()
    return (
        InfoRequestLetter.objects.filter(inspection_round=first, kind="main", sent_at__isnull=False).count()
        if first
        else 0
    )


@statistic("partner_clue_count")
def partner_clue_count(inspection_round: InspectionRound | None = None) -> int:
    """docs/domain.md §4.1 #3: clues of the first round (or of the given round) from partner letters, duplicates excluded."""
    first = inspection_round or first_round()
    if first is None:
        return 0
    # From the counters (clues.tallies), equal to a count of the clues.
    return tallies.clue_count(round_pk=first.pk, source_type=Clue.SourceType.PARTNER_LETTER)


@statistic("online_opinion_count")
def online_opinion_count(inspection_round: InspectionRound | None = None) -> int:
    """docs/domain.md §4.1 #4: relevant online-opinion items of the first round (or of the given round)."""
    first = inspection_round or first_round()
    if first is None:
        return 0
    return OnlineOpinionItem.objects.filter(
        inspection_round=first, relevance=OnlineOpinionItem.Relevance.RELEVANT
    ).count()


def _rate(value) -> float | None:
    return float(value) if value is not None else None


@statistic("transferred_clue_count")
def transferred_clue_count() -> int:
    """docs/domain.md §4.1 #9: distinct clues in a sent transfer, 交办 excluded, all rounds."""
    return funnel().transferred


@statistic("concluded_clue_count")
def concluded_clue_count() -> int:
    """docs/domain.md §4.1 #10: of those, concluded (case filed or concluded without a case; deferred is not)."""
    return funnel().concluded


@statistic("case_filed_count")
def case_filed_count() -> int:
    """docs/domain.md §4.1 #11: of those, clues (not cases) with a case filed."""
    return funnel().filed


@statistic("case_conversion_rate")
def case_conversion_rate() -> float | None:
    """docs/domain.md §4.1 #12, 成案率: filed ÷ concluded, to four decimals (24% shown)."""
    return _rate(funnel().conversion_rate)


@statistic("unconcluded_transferred")
def unconcluded_transferred() -> int:
    return funnel().unconcluded


@statistic("concluded_without_case")
def concluded_without_case() -> int:
    return funnel().concluded_without_case


@statistic("conclusion_rate")
def conclusion_rate() -> float | None:
    return _rate(funnel().conclusion_rate)


@statistic("transfer_to_case_rate")
def transfer_to_case_rate() -> float | None:
    """Filed ÷ transferred; not 成案率."""
    return _rate(funnel().transfer_to_case_rate)
