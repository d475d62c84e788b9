"""What talentpool puts in the search box (core.search, registered in ready()): people.

People are found by holders of core.view_person only (the office, the custodian, pool managers
and the system administrator who keeps the directory). A person links to their talent-pool
entry when the user may open it, and is shown without a link otherwise.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse

from core.models import Person, User
from core.search import CAP, Hit
from talentpool.models import TalentPoolEntry


def find_people(user: User, q: str, request: HttpRequest | None = None) -> list[Hit]:
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
