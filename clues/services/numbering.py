"""Document numbers: the next number of a series in a year, issued under a row lock."""

from clues.models import DocumentNumber


def next_doc_number(*, series: str, year: int, fmt: str) -> str:
    """The year's next number of series, formatted with fmt ({year}, {n}); call inside a transaction."""
    counter, _created = DocumentNumber.objects.get_or_create(series=series, year=year)
    counter = DocumentNumber.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return fmt.format(year=year, n=counter.last)
