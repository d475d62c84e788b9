"""The dashboard's figures: every statistic of docs/domain.md §4.1 for one round and overall.

`figures()` is what `manage.py stats --json` prints (it equals the registry's
`compute_all()`), and `figures(inspection_round)` is `stats --round N`: the same statistic
functions and selectors, given the round. The page, its exports and the command all read
these dictionaries, so a number cannot differ between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clues import statistics as clue_statistics
from clues import tallies
from clues.models import Clue, InfoRequestLetter, OnlineOpinionItem, PartnerUnit
from clues.models.categories import CATEGORY_LABELS
from clues.selectors.funnel import Funnel, tallied_funnel
from clues.templatetags.clue_funnel import percent
from inspection import statistics as round_statistics
from inspection.models import InspectedUnit, InspectionRound
from inspection.selectors import rounds_with_shares, share_of
from liaison import statistics as liaison_statistics
from liaison.models import LiaisonAssignment, RectificationItem
from liaison.selectors import UnitNumbers, item_totals, round_items, unit_numbers, unit_totals
from talentpool.selectors import pools as pool_selectors

if TYPE_CHECKING:
    from inspection.selectors import SharedRound

# code → the Funnel attribute it reads (clues/statistics.py registers the same ones).
FUNNEL_CODES = {
    "transferred_clue_count": "transferred",
    "concluded_clue_count": "concluded",
    "case_filed_count": "filed",
    "case_conversion_rate": "conversion_rate",
    "unconcluded_transferred": "unconcluded",
    "concluded_without_case": "concluded_without_case",
    "conclusion_rate": "conclusion_rate",
    "transfer_to_case_rate": "transfer_to_case_rate",
}
# The registry list of clues each funnel figure counts (clues/selectors/registry.py FUNNEL_STAGES).
FUNNEL_STAGE = {
    "transferred_clue_count": "transferred",
    "concluded_clue_count": "concluded",
    "case_filed_count": "filed",
    "case_conversion_rate": "concluded",
    "unconcluded_transferred": "unconcluded",
    "concluded_without_case": "concluded_without_case",
}
RATES = {
    "case_conversion_rate",
    "conclusion_rate",
    "transfer_to_case_rate",
    "rectification_completion_rate",
    "rectification_on_time_rate",
}

# (section key, title, [(code, label)]): the page's and the workbook's order.
SECTIONS = [
    (
        "intake",
        _("Partner letters and intake"),
        [
            ("partner_unit_count", _("Partner units sent a main letter")),
            ("letters_sent", _("Main letters sent")),
            ("partner_clue_count", _("Clues from partner letters (duplicates excluded)")),
            ("online_opinion_count", _("Relevant online-opinion items")),
        ],
    ),
    (
        "round",
        _("Units, liaison and groups"),
        [
            ("inspected_unit_count", _("Inspected units")),
            ("liaison_officer_count", _("Current liaison officers")),
            ("seconded_share", _("Seconded share of group members")),
            ("discipline_cadres_in_inspection", _("Discipline cadres who sat in a group")),
        ],
    ),
    (
        "funnel",
        _("Transferred clues"),
        [
            ("transferred_clue_count", _("Clues transferred (交办 excluded)")),
            ("concluded_clue_count", _("Concluded")),
            ("case_filed_count", _("Cases filed (clues)")),
            ("case_conversion_rate", _("Case conversion rate (filed ÷ concluded)")),
            ("unconcluded_transferred", _("Transferred, not concluded")),
            ("concluded_without_case", _("Concluded without a case")),
            ("conclusion_rate", _("Conclusion rate (concluded ÷ transferred)")),
            ("transfer_to_case_rate", _("Filed ÷ transferred (not the conversion rate)")),
        ],
    ),
    (
        "pools",
        _("Talent pools and cross-staffing"),
        [
            ("talent_pool_size", _("Active inspection-pool cadres")),
            ("pool_count", _("Pools in use")),
            ("inspection_cadres_in_case_work", _("Inspection cadres lent to case work")),
        ],
    ),
    (
        "rectification",
        _("Rectification"),
        [
            ("rectification_item_count", _("Rectification items")),
            ("rectification_signed_off_count", pgettext_lazy("count", "Signed off")),
            ("rectification_overdue_count", _("Overdue")),
            ("rectification_completion_rate", _("Completion rate")),
            ("rectification_on_time_rate", _("Signed off on time")),
        ],
    ),
]
# Figures of the reporting date or of all history, which no round narrows.
NOT_BY_ROUND = {"talent_pool_size", "pool_count", "inspection_cadres_in_case_work"}
# Figures with no cumulative: a share per round does not add up across rounds (「—」 in 累计).
NO_CUMULATIVE = {"seconded_share"}


def current_round(all_rounds: list[SharedRound]) -> InspectionRound | None:
    """The latest round that was not cancelled."""
    live = [r for r in all_rounds if r.status != InspectionRound.Status.CANCELLED]
    rounds = live or all_rounds
    return rounds[-1] if rounds else None


def _rate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def figures(
    inspection_round: InspectionRound | None = None,
    *,
    all_rounds: list[SharedRound] | None = None,
    funnel: Funnel | None = None,
    rectification: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Every statistic keyed by code: overall (what the registry reports) or for one round.

    Overall, the round-scoped figures speak of the first round, as the source report does.
    For a round, the figures no round narrows (NOT_BY_ROUND) are left out. The page passes the
    funnel and the rectification totals it reads for its own tables anyway (dashboard()).
    """
    all_rounds = rounds_with_shares() if all_rounds is None else all_rounds
    scope = inspection_round or (all_rounds[0] if all_rounds else None)
    values: dict[str, Any] = {}
    if scope is None:
        values.update(dict.fromkeys(_round_scoped_codes(), 0))
    else:
        values["partner_unit_count"] = clue_statistics.partner_unit_count(scope)
        values["letters_sent"] = clue_statistics.letters_sent(scope)
        values["partner_clue_count"] = clue_statistics.partner_clue_count(scope)
        values["online_opinion_count"] = clue_statistics.online_opinion_count(scope)
        values["inspected_unit_count"] = round_statistics.inspected_unit_count(scope)
        values["liaison_officer_count"] = liaison_statistics.liaison_officer_count(scope)
    picked = all_rounds if inspection_round is None else [r for r in all_rounds if r.pk == inspection_round.pk]
    values["seconded_share"] = {r.title: share_of(r) for r in picked}
    values["discipline_cadres_in_inspection"] = round_statistics.discipline_cadres_in_inspection(inspection_round)
    values.update(funnel_figures(round_funnel(inspection_round) if funnel is None else funnel))
    totals = rectification_totals(inspection_round) if rectification is None else rectification
    values["rectification_item_count"] = totals["n_items"]
    values["rectification_signed_off_count"] = totals["n_signed_off"]
    values["rectification_overdue_count"] = totals["n_overdue"]
    values["rectification_completion_rate"] = liaison_statistics.completion_rate(totals)
    values["rectification_on_time_rate"] = liaison_statistics.on_time_rate(totals)
    if inspection_round is None:
        values["talent_pool_size"] = pool_selectors.talent_pool_size()
        values["pool_count"] = pool_selectors.pool_types_in_use()
        values["inspection_cadres_in_case_work"] = pool_selectors.inspection_cadres_in_case_work().count()
    return dict(sorted(values.items()))


def cumulative(overall: dict[str, Any]) -> dict[str, Any]:
    """The 累计 column: every round together. `figures()` gives the source report's first-round
    values for the round-scoped figures; here they count every round (six queries), and a
    figure with no cumulative (NO_CUMULATIVE) is None, shown as 「—」."""
    values = dict(overall)
    sent_main = InfoRequestLetter.objects.filter(kind=InfoRequestLetter.Kind.MAIN, sent_at__isnull=False)
    values["partner_unit_count"] = (
        PartnerUnit.objects.filter(active=True, letters__in=sent_main).values("pk").distinct().count()
    )
    values["letters_sent"] = sent_main.count()
    values["partner_clue_count"] = tallies.clue_count(source_type=Clue.SourceType.PARTNER_LETTER)
    values["online_opinion_count"] = OnlineOpinionItem.objects.filter(
        relevance=OnlineOpinionItem.Relevance.RELEVANT
    ).count()
    values["inspected_unit_count"] = InspectedUnit.objects.count()
    values["liaison_officer_count"] = LiaisonAssignment.objects.filter(end_date__isnull=True).count()
    for code in NO_CUMULATIVE:
        values[code] = None
    return values


def _round_scoped_codes() -> list[str]:
    return [
        "partner_unit_count",
        "letters_sent",
        "partner_clue_count",
        "online_opinion_count",
        "inspected_unit_count",
        "liaison_officer_count",
    ]


def round_funnel(inspection_round: InspectionRound | None) -> Funnel:
    """The funnel of one round or of all, from the counters (clues.tallies): no scan of the clues."""
    return tallied_funnel(None if inspection_round is None else inspection_round.pk)


def funnel_figures(totals: Funnel) -> dict[str, Any]:
    values = {code: getattr(totals, attr) for code, attr in FUNNEL_CODES.items()}
    return {code: _rate(v) if code in RATES else v for code, v in values.items()}


def rectification_totals(inspection_round: InspectionRound | None) -> dict[str, int]:
    items = RectificationItem.objects.all() if inspection_round is None else round_items(inspection_round)
    return item_totals(items)


# Charts and tables beside the figures ------------------------------------------------


def clues_by_source(inspection_round: InspectionRound) -> list[tuple[str, str, int]]:
    """(source code, label, count) of the round's clues, duplicates excluded (one query)."""
    labels = dict(Clue.SourceType.choices)
    return [(code, str(labels.get(code, code)), n) for code, n in tallies.by_source(inspection_round.pk)]


def clues_by_category(inspection_round: InspectionRound) -> list[tuple[str, str, int]]:
    """(category code, label, count) of the round's clues, duplicates excluded (one query).

    A clue with two categories counts under both; the match is the registry's category filter
    (clues.tallies counts it so).
    """
    counts = tallies.by_category(inspection_round.pk)
    return [(code, label, counts[code]) for code, label in CATEGORY_LABELS.items() if counts.get(code)]


@dataclass(frozen=True)
class LetterTimeliness:
    on_time: int
    late: int
    awaiting: int
    overdue: int

    @property
    def answered(self) -> int:
        return self.on_time + self.late


def letter_timeliness(inspection_round: InspectionRound) -> LetterTimeliness:
    """The round's sent main letters: answered on time, answered late (the letter's own rule), still owed."""
    letters = InfoRequestLetter.objects.filter(
        inspection_round=inspection_round, kind=InfoRequestLetter.Kind.MAIN, sent_at__isnull=False
    ).only("status", "answered_at", "deadline")
    on_time = late = awaiting = overdue = 0
    for letter in letters:
        if letter.answered_at:
            late += letter.answered_late
            on_time += not letter.answered_late
        elif letter.status in InfoRequestLetter.AWAITING:
            awaiting += 1
            overdue += letter.is_overdue
    return LetterTimeliness(on_time, late, awaiting, overdue)


def rectification_by_unit(inspection_round: InspectionRound) -> list[UnitNumbers]:
    return unit_numbers(InspectedUnit.objects.filter(inspection_round=inspection_round))


STAGES: list[InspectionRound.Status] = [s for s in InspectionRound.Status if s != InspectionRound.Status.CANCELLED]


def stage_progress(all_rounds: list[SharedRound]) -> list[dict[str, Any]]:
    """Each round with the stages it has passed, its current one and the ones ahead."""
    progress = []
    for r in all_rounds:
        cancelled = r.status == InspectionRound.Status.CANCELLED
        at = -1 if cancelled else STAGES.index(InspectionRound.Status(r.status))
        steps = [{"label": str(s.label), "state": _state(i, at)} for i, s in enumerate(STAGES)]
        progress.append({"round": r, "steps": steps, "cancelled": cancelled})
    return progress


def _state(index: int, at: int) -> str:
    if at < 0:
        return "todo"
    return "done" if index < at else "current" if index == at else "todo"


@dataclass
class Dashboard:
    all_rounds: list[SharedRound]
    selected: InspectionRound | None
    overall: dict[str, Any]
    cumulative: dict[str, Any]
    in_round: dict[str, Any]
    round_funnel: Funnel
    overall_funnel: Funnel
    by_source: list[tuple[str, str, int]]
    by_category: list[tuple[str, str, int]]
    letters: LetterTimeliness | None
    units: list[UnitNumbers]
    progress: list[dict[str, Any]]


def dashboard(selected: InspectionRound | None = None) -> Dashboard:
    """Everything the page shows, in a fixed number of queries whatever the number of records."""
    all_rounds = rounds_with_shares()
    if selected is not None:
        selected = next((r for r in all_rounds if r.pk == selected.pk), None)
    selected = selected or current_round(all_rounds)
    # Each read once: the figures and the page's tables show the same funnels and units.
    overall_funnel = round_funnel(None)
    overall = figures(all_rounds=all_rounds, funnel=overall_funnel)
    selected_funnel, units, in_round = Funnel(0, 0, 0), [], {}
    if selected:
        selected_funnel, units = round_funnel(selected), rectification_by_unit(selected)
        in_round = figures(selected, all_rounds=all_rounds, funnel=selected_funnel, rectification=unit_totals(units))
    return Dashboard(
        all_rounds=all_rounds,
        selected=selected,
        overall=overall,
        cumulative=cumulative(overall),
        in_round=in_round,
        round_funnel=selected_funnel,
        overall_funnel=overall_funnel,
        by_source=clues_by_source(selected) if selected else [],
        by_category=clues_by_category(selected) if selected else [],
        letters=letter_timeliness(selected) if selected else None,
        units=units,
        progress=stage_progress(all_rounds),
    )


def display(code: str, value: Any) -> str:
    """A figure as the office writes it: rates as whole percents (half up), shares per round."""
    if value is None:
        return "—"
    if code == "seconded_share":
        return "; ".join(f"{title} {display('rate', v)}" for title, v in value.items()) or "—"
    if code in RATES or code == "rate":
        return percent(Decimal(str(value)), 1 if code != "case_conversion_rate" else 0)
    return str(value)


def rows(board: Dashboard) -> list[dict[str, Any]]:
    """Per section, its figures with the selected round's value and the cumulative one (累计),
    ready for the page and the workbook."""
    sections = []
    for key, title, metrics in SECTIONS:
        items = []
        for code, label in metrics:
            round_value = board.in_round.get(code) if code not in NOT_BY_ROUND else None
            items.append(
                {
                    "code": code,
                    "label": label,
                    "by_round": code not in NOT_BY_ROUND and board.selected is not None,
                    "round_value": round_value,
                    "round_display": display(code, round_value) if code not in NOT_BY_ROUND else "—",
                    "cumulative_value": board.cumulative.get(code),
                    "cumulative_display": display(code, board.cumulative.get(code)),
                    "stage": FUNNEL_STAGE.get(code),
                }
            )
        sections.append({"key": key, "title": title, "metrics": items})
    return sections


def chart_data(board: Dashboard) -> dict[str, Any]:
    """The numbers the ECharts code draws (static/js/dashboard.js), as plain JSON."""
    f_round, f_all = board.round_funnel, board.overall_funnel
    letters = board.letters or LetterTimeliness(0, 0, 0, 0)
    return {
        "funnel": {
            "labels": [str(pgettext_lazy("count", "Transferred")), str(_("Concluded")), str(_("Cases filed"))],
            "round": [f_round.transferred, f_round.concluded, f_round.filed],
            "overall": [f_all.transferred, f_all.concluded, f_all.filed],
            "round_name": str(_("Selected round")),
            "overall_name": str(_("All rounds")),
        },
        "sources": [{"name": label, "value": n} for _code, label, n in board.by_source],
        "categories": {
            "labels": [label for _c, label, _n in board.by_category],
            "values": [n for *_x, n in board.by_category],
        },
        "seconded": {
            "labels": [r.title for r in board.all_rounds],
            "values": [None if (share := share_of(r)) is None else round(share * 100, 1) for r in board.all_rounds],
        },
        "units": {
            "labels": [u.unit.org_unit.short_name or u.unit.org_unit.name for u in board.units],
            "values": [round(u.completion_rate * 100, 1) if u.completion_rate is not None else 0 for u in board.units],
        },
        "letters": [
            {"name": str(_("Answered on time")), "value": letters.on_time},
            {"name": str(_("Answered late")), "value": letters.late},
            {"name": str(_("Not yet answered")), "value": letters.awaiting},
        ],
    }
