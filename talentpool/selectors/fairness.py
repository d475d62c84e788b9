"""Draw fairness (docs/domain.md §2.7): how often each cadre was actually seconded, year by year."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from talentpool.models import SecondmentRequest
from talentpool.selectors.secondments import SERVED


@dataclass(frozen=True)
class FairnessRow:
    name: str
    home_unit: str
    by_year: list[int]

    @property
    def total(self) -> int:
        return sum(self.by_year)


def secondments_per_person() -> tuple[list[int], list[FairnessRow]]:
    """The years and one row per person released at least once, most seconded first; one query."""
    counts = (
        SecondmentRequest.objects.filter(status__in=SERVED)
        .values("person_id", "person__name", "home_unit__short_name", "home_unit__name", "inspection_round__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    years = sorted({row["inspection_round__year"] for row in counts})
    people: dict[int, dict] = defaultdict(dict)
    names: dict[int, tuple[str, str]] = {}
    for row in counts:
        people[row["person_id"]][row["inspection_round__year"]] = row["n"]
        names[row["person_id"]] = (row["person__name"], row["home_unit__short_name"] or row["home_unit__name"])
    rows = [
        FairnessRow(names[pid][0], names[pid][1], [per_year.get(year, 0) for year in years])
        for pid, per_year in people.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.name))
    return years, rows
