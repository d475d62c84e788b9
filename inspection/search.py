"""What inspection puts in the search box (core.search, registered in ready()): rounds by title or year."""

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import User
from core.search import CAP, Hit
from inspection.models import InspectionRound


def find_rounds(user: User, q: str, request: HttpRequest | None = None) -> list[Hit]:
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
