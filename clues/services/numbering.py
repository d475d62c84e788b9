"""Clue codes, numbered with the document counters of core.numbering."""

from core.numbering import next_numbers
from inspection.models import InspectionRound


def clue_codes(inspection_round: InspectionRound, count: int) -> list[str]:
    """The next count clue codes of the round: XC{year}-{round:02}-{n:04}."""
    numbers = next_numbers(series=f"clue-{inspection_round.pk}", year=inspection_round.year, count=count)
    prefix = f"XC{inspection_round.year}-{inspection_round.round_no:02d}-"
    return [f"{prefix}{n:04d}" for n in numbers]
