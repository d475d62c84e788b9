"""Where each dashboard figure drills down to: the list of the records it counts, for those who may open it.

A figure without a list of its own (a share, a count of people across rounds) has no link.
"""

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from inspection.models import InspectionRound

# code → (permission needed, url for a round or None for overall)
Link = Callable[[InspectionRound | None], str | None]


def _clues(query: str) -> Link:
    def url(r: InspectionRound | None) -> str:
        return f"{reverse('clues:clue-list')}?{query}" + (f"&round={r.pk}" if r else "")

    return url


def _per_round(name: str, query: str = "") -> Link:
    def url(r: InspectionRound | None) -> str | None:
        return reverse(name, args=[r.pk]) + query if r else None

    return url


def _fixed(name: str, query: str = "") -> Link:
    return lambda r: reverse(name) + query


def _rectification(r: InspectionRound | None) -> str:
    return reverse("liaison:rectification-overview") + (f"?round={r.pk}" if r else "")


LINKS: dict[str, tuple[str, Link]] = {
    "letters_sent": ("clues.view_inforequestletter", _per_round("clues:round-letters")),
    "partner_unit_count": ("clues.view_inforequestletter", _per_round("clues:round-letters")),
    "partner_clue_count": ("clues.view_clue", _clues("source=partner_letter&nodup=1")),
    "online_opinion_count": ("clues.view_onlineopinionitem", _per_round("clues:opinion-list")),
    "inspected_unit_count": ("inspection.view_inspectionround", _per_round("inspection:round-detail")),
    "seconded_share": ("inspection.view_inspectionround", _per_round("inspection:round-detail")),
    "liaison_officer_count": ("liaison.view_liaisonoffice", _per_round("liaison:round-units")),
    "transferred_clue_count": ("clues.view_clue", _clues("funnel=transferred")),
    "concluded_clue_count": ("clues.view_clue", _clues("funnel=concluded")),
    "case_filed_count": ("clues.view_clue", _clues("funnel=filed")),
    "case_conversion_rate": ("clues.view_clue", _clues("funnel=concluded")),
    "unconcluded_transferred": ("clues.view_clue", _clues("funnel=unconcluded")),
    "concluded_without_case": ("clues.view_clue", _clues("funnel=concluded_without_case")),
    "talent_pool_size": (
        "talentpool.view_talentpoolentry",
        _fixed("talentpool:pool-list", "?pool=inspection&status=active"),
    ),
    "pool_count": ("talentpool.view_talentpoolentry", _fixed("talentpool:pool-list", "?status=active")),
    "inspection_cadres_in_case_work": ("talentpool.view_caseworkassignment", _fixed("talentpool:cross-staffing")),
    "rectification_item_count": ("liaison.view_rectificationitem", _rectification),
    "rectification_signed_off_count": ("liaison.view_rectificationitem", _rectification),
    "rectification_overdue_count": ("liaison.view_rectificationitem", _rectification),
    "rectification_completion_rate": ("liaison.view_rectificationitem", _rectification),
    "rectification_on_time_rate": ("liaison.view_rectificationitem", _rectification),
}


def add_links(sections: list[dict[str, Any]], user: Any, selected: InspectionRound | None) -> None:
    """Give each figure the url of its records, for this round and cumulated over every round
    (a per-round list has no cumulative link), if the user may open them."""
    for section in sections:
        for metric in section["metrics"]:
            perm, link = LINKS.get(metric["code"], ("", None))
            if link is None or not user.has_perm(perm):
                metric["round_link"] = metric["cumulative_link"] = None
                continue
            metric["round_link"] = link(selected) if metric["by_round"] else None
            metric["cumulative_link"] = link(None) if metric["cumulative_value"] is not None else None
