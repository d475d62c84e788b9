"""What liaison puts in the search box (core.search, registered in ready()): inspected units and
rectification items.

A unit links to its liaison page for the office, the group's current members and the unit's
current officer (services.offices.works_on), else to the round page when the user may open the
round; a unit with neither is left out.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse

from core.models import User
from core.search import CAP, Hit
from core.textsearch import holds
from inspection.models import GroupMembership, InspectedUnit, InspectionRound
from liaison.models import LiaisonAssignment, RectificationItem


def find_units(user: User, q: str, request: HttpRequest | None = None) -> list[Hit]:
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


def find_rectification_items(user: User, q: str, request: HttpRequest | None = None) -> list[Hit]:
    match = holds("measure", q) | holds("lead_department", q) | holds("responsible_person", q)
    match |= holds("problem__description", q)
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
