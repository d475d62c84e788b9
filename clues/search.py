"""What clues puts in the search box (core.search, registered in ready()): letters and clues.

The clues shown are written to the access log as one read, with the query (docs/domain.md §5.2 rule 9).
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from clues.models import Clue, InfoRequestLetter
from clues.selectors.registry import name_first, text_search
from clues.services.registry import record_list_read
from core.models import User
from core.pagination import in_key_order
from core.search import CAP, Hit


def find_letters(user: User, q: str, request: HttpRequest | None = None) -> list[Hit]:
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


def find_clues(user: User, q: str, request: HttpRequest | None = None) -> list[Hit]:
    """Clues matching by code, summary, detail, source reference or reported person, a person named
    exactly q first; each hit is logged."""
    # The hits' ids first, then their rows: where few of the matches are the user's (a receiver's
    # 王伟 at 1M clues, none of 9,285), every match is sorted before the grants are checked, and
    # sorting whole clue rows cost a fifth more than sorting their keys (issue 16).
    ranked = text_search(Clue.objects.for_user(user, paged=True), q).order_by(*name_first(q), "-received_date", "-pk")
    ids = list(ranked.values_list("pk", flat=True)[:CAP])
    found = in_key_order(Clue.objects.select_related("inspected_unit__org_unit"), ids)
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
