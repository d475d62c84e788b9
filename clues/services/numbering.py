"""Document numbers: the next number of a series in a year, issued under a row lock."""

from clues.models import DocumentNumber
from inspection.models import InspectionRound


def next_doc_number(*, series: str, year: int, fmt: str) -> str:
    """The year's next number of series, formatted with fmt ({year}, {n}); call inside a transaction."""
    counter, _created = DocumentNumber.objects.get_or_create(series=series, year=year)
    counter = DocumentNumber.objects.select_for_update(no_key=True).get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return fmt.format(year=year, n=counter.last)


def clue_codes(inspection_round: InspectionRound, count: int) -> list[str]:
    """The next count clue codes of the round: XC{year}-{round:02}-{n:04}."""
    counter, _created = DocumentNumber.objects.get_or_create(
        series=f"clue-{inspection_round.pk}", year=inspection_round.year
    )
    counter = DocumentNumber.objects.select_for_update(no_key=True).get(pk=counter.pk)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    prefix = f"XC{inspection_round.year}-{inspection_round.round_no:02d}-"
    return [f"{prefix}{n:04d}" for n in range(first, first + count)]
