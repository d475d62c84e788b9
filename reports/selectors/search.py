"""One search box over rounds, units, people, letters, clues and rectification items (issue 7 bullet 5).

Each source starts from Model.objects.for_user(user), the one permission entry point, and
links only to a page the user may open: a hit never names a row its page would answer 404
for. Matching is a case-insensitive substring (icontains), which finds Chinese text without
word breaks on SQLite and PostgreSQL alike.

Who finds what, beyond the models' own rules:
- people: holders of core.view_person only (the office, the custodian, pool managers and
  the system administrator who keeps the directory). A person links to their talent-pool
  entry when the user may open it, and is shown without a link otherwise;
- units: link to the unit's liaison page for the office, the group's current members and
  the unit's current officer (liaison.services.offices.works_on), else to the round page
  when the user may open the round; a unit with neither is left out;
- clues: the clues shown are written to the access log as one read, with the query (docs/domain.md §5.2 rule 9).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clues.models import Clue, InfoRequestLetter
from clues.selectors.registry import ClueFilters, filter_clues
from clues.services.registry import record_list_read
from core.models import Person
from inspection.models import GroupMembership, InspectedUnit, InspectionRound
from liaison.models import LiaisonAssignment, RectificationItem
from talentpool.models import TalentPoolEntry

# Hits shown per source; a longer query narrows it down.
CAP = 10
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    subtitle: str
    url: str


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    hits: list[Hit]

    @property
    def capped(self) -> bool:
        return len(self.hits) >= CAP


def clean_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def rounds(user: Any, q: str) -> list[Hit]:
    match = Q(title__icontains=q)
    if q.isdigit():
        match |= Q(year=int(q))
    found = InspectionRound.objects.for_user(user).filter(match).order_by("-year", "-round_no")[:CAP]
    return [
        Hit(
            "round",
            r.title,
            _("%(year)s, round %(number)s") % {"year": r.year, "number": r.round_no},
            reverse("inspection:round-detail", args=[r.pk]),
        )
        for r in found
    ]


def units(user: Any, q: str) -> list[Hit]:
    match = Q(org_unit__name__icontains=q) | Q(org_unit__short_name__icontains=q)
    found = (
        InspectedUnit.objects.for_user(user)
        .filter(match)
        .select_related("org_unit", "inspection_round", "group")
        .annotate(
            is_member=Exists(
                GroupMembership.objects.filter(group=OuterRef("group"), person__user=user, end_date__isnull=True)
            ),
            is_officer=Exists(
                LiaisonAssignment.objects.filter(
                    liaison_office__inspected_unit=OuterRef("pk"), person__user=user, end_date__isnull=True
                )
            ),
            round_open=Exists(InspectionRound.objects.for_user(user).filter(pk=OuterRef("inspection_round"))),
        )
        .order_by("-inspection_round__year", "-inspection_round__round_no", "org_unit__name")
    )
    liaison_side = user.has_perm("liaison.view_handoverrecord")
    hits = []
    # Fetch a little more than the cap: units without a page the user may open are dropped.
    for unit in found[: CAP * 2]:
        if liaison_side or unit.is_member or unit.is_officer:
            url = reverse("liaison:unit-detail", args=[unit.pk])
        elif unit.round_open:
            url = reverse("inspection:round-detail", args=[unit.inspection_round_id])
        else:
            continue
        hits.append(Hit("unit", unit.org_unit.name, str(unit.inspection_round), url))
    return hits[:CAP]


def people(user: Any, q: str) -> list[Hit]:
    if not user.has_perm("core.view_person"):
        return []
    found: QuerySet[Person] = Person.objects.for_user(user).filter(name__icontains=q).select_related("home_unit")
    # The entry page itself asks for the model permission (talentpool pool_permission), not a grant.
    if user.has_perm("talentpool.view_talentpoolentry"):
        entries = TalentPoolEntry.objects.for_user(user).filter(person=OuterRef("pk")).order_by("pk").values("pk")
        found = found.annotate(entry_id=Subquery(entries[:1]))
    found = found.order_by("name", "pk")[:CAP]
    return [
        Hit(
            "person",
            p.name,
            " · ".join(filter(None, [p.home_unit.display_name, p.position])),
            reverse("talentpool:pool-entry", args=[entry_id]) if (entry_id := getattr(p, "entry_id", None)) else "",
        )
        for p in found
    ]


def letters(user: Any, q: str) -> list[Hit]:
    match = (
        Q(doc_number__icontains=q)
        | Q(title__icontains=q)
        | Q(partner__org_unit__name__icontains=q)
        | Q(partner__org_unit__short_name__icontains=q)
    )
    found = (
        InfoRequestLetter.objects.for_user(user)
        .filter(match)
        .select_related("partner__org_unit", "inspection_round")
        .order_by("-pk")[:CAP]
    )
    return [
        Hit(
            "letter",
            letter.doc_number or letter.title,
            " · ".join([letter.partner.org_unit.display_name, letter.inspection_round.title, letter.title]),
            reverse("clues:letter-detail", args=[letter.pk]),
        )
        for letter in found
    ]


def clues(user: Any, q: str, request: HttpRequest | None = None) -> list[Hit]:
    """Clues matching by code, summary, detail, source reference or reported person; each hit is logged."""
    found = list(
        filter_clues(Clue.objects.for_user(user), ClueFilters(q=q))
        .select_related("inspected_unit__org_unit")
        .order_by("-received_date", "-pk")[:CAP]
    )
    if found:
        record_list_read(user=user, rows=found, filters=urlencode({"q": q}), request=request)
    return [
        Hit(
            "clue",
            clue.code,
            " · ".join([clue.inspected_unit.org_unit.display_name, clue.allegation_summary]),
            reverse("clues:clue-detail", args=[clue.pk]),
        )
        for clue in found
    ]


def rectification_items(user: Any, q: str) -> list[Hit]:
    match = (
        Q(measure__icontains=q)
        | Q(lead_department__icontains=q)
        | Q(responsible_person__icontains=q)
        | Q(problem__description__icontains=q)
    )
    found = (
        RectificationItem.objects.for_user(user)
        .filter(match)
        .select_related("problem__feedback__inspected_unit__org_unit")
        .order_by("-deadline", "-pk")[:CAP]
    )
    return [
        Hit(
            "rectification",
            str(item),
            item.problem.feedback.inspected_unit.org_unit.display_name,
            reverse("liaison:item-detail", args=[item.pk]),
        )
        for item in found
    ]


SOURCES: list[tuple[str, Any, Callable[..., list[Hit]]]] = [
    ("round", gettext_lazy("Rounds"), rounds),
    ("unit", gettext_lazy("Inspected units"), units),
    ("person", gettext_lazy("People"), people),
    ("letter", gettext_lazy("Information request letters"), letters),
    ("clue", gettext_lazy("Clues"), clues),
    ("rectification", gettext_lazy("Rectification items"), rectification_items),
]


def search(user: Any, q: str, request: HttpRequest | None = None) -> list[Section]:
    """Every source's hits for q that user may open, sources without hits left out."""
    q = clean_query(q)
    if not q or not user.is_authenticated:
        return []
    sections = []
    for kind, label, source in SOURCES:
        hits = source(user, q, request) if source is clues else source(user, q)
        if hits:
            sections.append(Section(kind, str(label), hits))
    return sections
