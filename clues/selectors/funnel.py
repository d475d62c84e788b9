"""The conversion funnel of transferred clues (docs/domain.md §4.1 #9–12 and the secondary metrics).

Every figure is a count of clue records under one definition, so a number on the page,
in `stats --json` and in the drill-down list of clues is always the same number. The page's
figures are summed from counters kept with every write of a clue (clues.tallies, issue 16
item 3), which `check_records` and the tests hold equal to a count of the clues themselves.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from clues import tallies
from clues.models import Clue, MeetingAgendaItem, PartnerUnit, StandingCommitteeMeeting
from clues.selectors.registry import transferred_clues
from core.models import Organisation
from inspection.models import InspectionGroup, InspectionRound


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
    """The funnel of every transferred clue, from the counters (clues.tallies), or of the given clues."""
    if clues is None:
        return tallied_funnel()
    return Funnel(**clues.aggregate(**_counts()))


def tallied_funnel(round_pk: int | None = None) -> Funnel:
    """The funnel of every round or of one, summed from the counters: no scan of the clues."""
    return _funnel(tallies.funnel_counts(**({} if round_pk is None else {"round_pk": round_pk})))


def _funnel(row: dict) -> Funnel:
    return Funnel(row["n_transferred"], row["n_concluded"], row["n_filed"])


@dataclass(frozen=True)
class FunnelRow:
    key: int | None
    label: str
    funnel: Funnel


# The breakdowns the funnel page offers; each row's key is what the drill-down filters the registry by.
DIMENSIONS = ("round", "group", "partner", "receiver")


def funnel_by(dimension: str) -> list[FunnelRow]:
    """One funnel per round, group, source partner or receiver, from the counters: two queries.

    Rows come in the order of their key (rounds, groups, partners, receivers as registered); a
    group's row names the round of its clues; clues from no partner come last, as other sources.
    """
    if dimension == "round":
        rows = tallies.funnel_rows("round_pk")
        titles = dict(InspectionRound.objects.filter(pk__in=[r["round_pk"] for r in rows]).values_list("pk", "title"))
        return [FunnelRow(r["round_pk"], titles[r["round_pk"]], _funnel(r)) for r in rows]
    if dimension == "group":
        rows = tallies.funnel_rows("group_pk", "round_pk")
        groups = InspectionGroup.objects.filter(pk__in=[r["group_pk"] for r in rows]).values_list("pk", "number")
        titles = dict(InspectionRound.objects.filter(pk__in=[r["round_pk"] for r in rows]).values_list("pk", "title"))
        numbers = dict(groups)
        return [
            FunnelRow(
                r["group_pk"],
                _("%(round)s, group %(number)s") % {"round": titles[r["round_pk"]], "number": numbers[r["group_pk"]]},
                _funnel(r),
            )
            for r in rows
        ]
    if dimension == "partner":
        rows = tallies.funnel_rows("partner_pk")
        names = dict(
            PartnerUnit.objects.filter(pk__in=[r["partner_pk"] for r in rows]).values_list("pk", "org_unit__short_name")
        )
        named = [FunnelRow(r["partner_pk"], str(names[r["partner_pk"]]), _funnel(r)) for r in rows if r["partner_pk"]]
        other = [FunnelRow(None, _("Other sources"), _funnel(r)) for r in rows if not r["partner_pk"]]
        return named + other
    rows = tallies.receiver_rows()
    names = dict(Organisation.objects.filter(pk__in=[r["receiver_pk"] for r in rows]).values_list("pk", "short_name"))
    return [FunnelRow(r["receiver_pk"], str(names[r["receiver_pk"]]), _funnel(r)) for r in rows]


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
