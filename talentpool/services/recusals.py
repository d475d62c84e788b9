"""Recusal declarations (回避): every member declares on every unit of their group; the office decides conflicts."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, transitions
from core.models import Person, User
from inspection.models import InspectedUnit
from talentpool.models import RecusalDeclaration


def _declared_a_conflict(declaration: RecusalDeclaration, move: transitions.Move) -> list[str]:
    return [] if declaration.has_conflict else [_("Only a declared conflict needs a decision.")]


D = RecusalDeclaration.Decision
# The office's decision on a declared conflict is the declaration's one move: undecided → recuse | allowed.
WORKFLOW = transitions.register(
    transitions.Workflow(
        RecusalDeclaration,
        [
            transitions.Transition(D.RECUSE, ("",), D.RECUSE, guards=(_declared_a_conflict,)),
            transitions.Transition(D.ALLOWED, ("",), D.ALLOWED, guards=(_declared_a_conflict,)),
        ],
        status_field="decision",
    )
)


@transaction.atomic
def declare_recusal(
    *,
    by: User,
    person: Person,
    inspected_unit: InspectedUnit,
    has_conflict: bool,
    relationships: list[dict] | None = None,
    now: datetime | None = None,
) -> RecusalDeclaration:
    """Record (or, until the office decides, correct) a person's declaration on one unit."""
    if has_conflict and not relationships:
        raise ValidationError(_("Say what the tie to the unit is."))
    declaration = (
        RecusalDeclaration.objects.select_for_update(no_key=True)
        .filter(person=person, inspected_unit=inspected_unit)
        .first()
    )
    if declaration is not None and declaration.decision:
        raise ValidationError(_("The office has decided on this declaration; it can no longer be changed."))
    before = audit.snapshot(declaration) if declaration else None
    declaration = declaration or RecusalDeclaration(
        person=person, inspection_round=inspected_unit.inspection_round, inspected_unit=inspected_unit, created_by=by
    )
    declaration.has_conflict = has_conflict
    declaration.relationships = relationships or []
    declaration.declared_at = now or timezone.now()
    declaration.full_clean()
    declaration.save()
    audit.log_change(user=by, obj=declaration, before=before)
    return declaration


@transaction.atomic
def decide_recusal(
    *, declaration: RecusalDeclaration, by: User, decision: str, now: datetime | None = None
) -> RecusalDeclaration:
    """The office decides a declared conflict: recuse (no access to the unit's clues) or allow."""
    declaration = transitions.lock(declaration, WORKFLOW)
    if declaration.decision:
        raise ValidationError(_("This declaration has been decided already."))
    fields = {"decided_by": by, "decided_at": now or timezone.now()}
    return transitions.perform(declaration, D(decision), by=by, fields=fields, locked=True)
