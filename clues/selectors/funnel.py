"""The conversion funnel of transferred clues (docs/domain.md §4.1 #9–12 and the secondary metrics).

Every figure is a count of clue records under one definition, so a number on the page,
in `stats --json` and in the drill-down list of clues is always the same number.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from clues.models import Clue, MeetingAgendaItem, StandingCommitteeMeeting
from clues.selectors.registry import transferred_clues


@dataclass(frozen=True)
class Funnel:
    transferred: int
    concluded: int
    filed: int

    @property
    def unconcluded(self) -> int:
        return self.transferred - self.concluded

    @property
    def concluded_without_case(self) -> int:
        return self.concluded - self.filed

    @property
    def conversion_rate(self) -> Decimal | None:
        """成案率: filed ÷ concluded (not ÷ transferred)."""
        return ratio(self.filed, self.concluded)

    @property
    def conclusion_rate(self) -> Decimal | None:
        return ratio(self.concluded, self.transferred)

    @property
    def transfer_to_case_rate(self) -> Decimal | None:
        """Filed ÷ transferred: a different figure from 成案率, labelled apart on every page."""
        return ratio(self.filed, self.transferred)


def ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _counts() -> dict[str, Count]:
    return {
        "transferred": Count("pk", distinct=True),
        "concluded": Count("pk", filter=Q(status__in=Clue.CONCLUDED), distinct=True),
        "filed": Count("pk", filter=Q(status=Clue.Status.CASE_FILED), distinct=True),
    }


def funnel(clues: QuerySet[Clue] | None = None) -> Funnel:
    clues = transferred_clues() if clues is None else clues
    return Funnel(**clues.aggregate(**_counts()))


@dataclass(frozen=True)
class FunnelRow:
    key: int | None
    label: str
    funnel: Funnel


# dimension → (field of Clue to group by, field giving the row's label)
DIMENSIONS = {
    "round": ("inspection_round", "inspection_round__title"),
    "group": ("assigned_group", "assigned_group__number"),
    "partner": ("source_partner", "source_partner__org_unit__short_name"),
    "receiver": ("transfer_items__transfer__receiver", "transfer_items__transfer__receiver__short_name"),
}


def funnel_by(dimension: str) -> list[FunnelRow]:
    """One funnel per round, group, source partner or receiver, in one query."""
    field, label = DIMENSIONS[dimension]
    clues = transferred_clues()
    if dimension == "receiver":
        # The join reaches every transfer of the clue; count only the one that makes it transferred.
        clues = clues.exclude(transfer_items__transfer__receiver_type="inspected_unit")
    rows = clues.values(field, label, *(["inspection_round__title"] if dimension == "group" else [])).annotate(
        **_counts()
    )
    result = []
    for row in rows.order_by(field):
        result.append(FunnelRow(row[field], _label(dimension, row, label), Funnel(*(row[k] for k in _counts()))))
    return result


def _label(dimension: str, row: dict, label: str) -> str:
    if dimension == "group":
        return _("%(round)s, group %(number)s") % {"round": row["inspection_round__title"], "number": row[label]}
    if row[label] is None:
        return _("Other sources")
    return str(row[label])


def inspection_sourced_agenda() -> QuerySet[MeetingAgendaItem]:
    """Agenda items about a clue an inspection group transferred, directly or through its case."""
    transferred = transferred_clues()
    return MeetingAgendaItem.objects.filter(Q(clue__in=transferred) | Q(case__clues__in=transferred))


def meetings_missing_office_head() -> QuerySet[StandingCommitteeMeeting]:
    """Meetings that discussed inspection-sourced clues without the office head present (列席)."""
    discussed = inspection_sourced_agenda().filter(meeting=OuterRef("pk"))
    return (
        StandingCommitteeMeeting.objects.filter(Exists(discussed))
        .filter(Q(office_head_invited=False) | Q(office_head_attended=False))
        .order_by("-date")
    )
