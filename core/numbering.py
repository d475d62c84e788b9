"""Document numbers: the next numbers of a series in a year, issued under a row lock."""

from core.models import DocumentNumber


def next_numbers(*, series: str, year: int, count: int = 1) -> range:
    """Reserve the year's next count numbers of series; call inside a transaction."""
    counter, _created = DocumentNumber.objects.get_or_create(series=series, year=year)
    counter = DocumentNumber.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, first + count)


def next_doc_number(*, series: str, year: int, fmt: str) -> str:
    """The year's next number of series, formatted with fmt ({year}, {n}); call inside a transaction."""
    (n,) = next_numbers(series=series, year=year)
    return fmt.format(year=year, n=n)
