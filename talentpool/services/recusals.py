"""Recusal declarations; the talent pools and secondment come with their own issue."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.models import Person
from inspection.models import InspectedUnit
from talentpool.models import RecusalDeclaration


@transaction.atomic
def declare_recusal(
    *,
    by: Any,
    person: Person,
    inspected_unit: InspectedUnit,
    has_conflict: bool,
    relationships: list[dict] | None = None,
    now: datetime | None = None,
) -> RecusalDeclaration:
    declaration = RecusalDeclaration(
        person=person,
        inspection_round=inspected_unit.inspection_round,
        inspected_unit=inspected_unit,
        has_conflict=has_conflict,
        relationships=relationships or [],
        declared_at=now or timezone.now(),
        created_by=by,
    )
    declaration.full_clean()
    declaration.save()
    audit.log_change(user=by, obj=declaration, before=None)
    return declaration
