"""Recusal declarations (回避): every member declares on every unit of their group; the office decides conflicts."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditLog, Person, User
from inspection.models import InspectedUnit
from talentpool.models import RecusalDeclaration


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
        RecusalDeclaration.objects.select_for_update().filter(person=person, inspected_unit=inspected_unit).first()
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
    declaration = RecusalDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if not declaration.has_conflict:
        raise ValidationError(_("Only a declared conflict needs a decision."))
    if declaration.decision:
        raise ValidationError(_("This declaration has been decided already."))
    before = audit.snapshot(declaration)
    declaration.decision = RecusalDeclaration.Decision(decision)
    declaration.decided_by = by
    declaration.decided_at = now or timezone.now()
    declaration.save(update_fields=["decision", "decided_by", "decided_at", "updated_at"])
    audit.log_action(
        user=by,
        action=AuditLog.Action.TRANSITION,
        obj=declaration,
        changes=audit.diff(before, audit.snapshot(declaration)),
    )
    return declaration
