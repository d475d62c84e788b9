from typing import Any

from django.db.models import Q, QuerySet

from talentpool.models import RecusalDeclaration


def recused_unit_ids(user: Any) -> QuerySet:
    """Inspected units whose records the user may not open: a declared conflict not (yet) allowed."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return RecusalDeclaration.objects.none().values("inspected_unit")
    return (
        RecusalDeclaration.objects.filter(
            Q(person_id=person_id), Q(has_conflict=True) | Q(decision=RecusalDeclaration.Decision.RECUSE)
        )
        .exclude(decision=RecusalDeclaration.Decision.ALLOWED)
        .values("inspected_unit")
    )
