"""Recusal declarations (回避): every member declares on every unit of their group; the office decides conflicts."""

from datetime import datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, transitions
from core.files import store_upload
from core.models import Notification, Person, User
from core.roles import Role
from core.services.directory import users_with_role
from core.services.notifications import notify
from inspection.models import GroupMembership, InspectedUnit
from talentpool.models import RecusalDeclaration, SecondmentRequest

# The signed paper form the office scans: a PDF, a photo or a Word file.
SIGNED_FORM_KINDS = frozenset({"pdf", "png", "jpeg", "docx"})
# A request in these states still brings the person into the unit's group.
_LIVE_FOR_GROUP = (
    SecondmentRequest.Status.DRAFT,
    SecondmentRequest.Status.REQUESTED,
    SecondmentRequest.Status.ACCEPTED,
    SecondmentRequest.Status.ESCALATED,
    SecondmentRequest.Status.CONFIRMED,
    SecondmentRequest.Status.ON_DUTY,
)


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
    note: str = "",
    now: datetime | None = None,
) -> RecusalDeclaration:
    """Record (or, until the office decides, correct) a person's declaration on one unit."""
    return _declare(
        by=by,
        person=person,
        inspected_unit=inspected_unit,
        has_conflict=has_conflict,
        relationships=relationships,
        note=note,
        now=now,
    )


def _declare(
    *,
    by: User,
    person: Person,
    inspected_unit: InspectedUnit,
    has_conflict: bool,
    relationships: list[dict] | None,
    note: str,
    now: datetime | None,
    signed_form: IO[bytes] | None = None,
    form_name: str = "",
) -> RecusalDeclaration:
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
    declaration.note = note.strip()
    declaration.declared_at = now or timezone.now()
    # The declarant's own filing clears an earlier on-behalf mark; the office's filing sets it.
    declaration.recorded_by = by if signed_form is not None else None
    if signed_form is None:
        declaration.signed_form = None
    declaration.full_clean(exclude=["signed_form"])
    declaration.save()
    if signed_form is not None:
        # Stored once the declaration has a key: the file's access follows its owner.
        declaration.signed_form = store_upload(
            upload=signed_form, name=form_name, uploaded_by=by, allowed_kinds=SIGNED_FORM_KINDS, owner=declaration
        )
        declaration.save(update_fields=["signed_form", "updated_at"])
    audit.log_change(user=by, obj=declaration, before=before)
    if has_conflict:
        _tell_the_office(declaration)
    return declaration


def expected_to_declare(person: Person, inspected_unit: InspectedUnit) -> bool:
    """Whether the person serves, or is being seconded, in the group that covers the unit."""
    if inspected_unit.group_id is None:
        return False
    group_id = inspected_unit.group_id
    return (
        GroupMembership.objects.filter(group_id=group_id, person=person, end_date__isnull=True).exists()
        or SecondmentRequest.objects.filter(group_id=group_id, person=person, status__in=_LIVE_FOR_GROUP).exists()
    )


@transaction.atomic
def record_declaration_on_behalf(
    *,
    by: User,
    person: Person,
    inspected_unit: InspectedUnit,
    has_conflict: bool,
    signed_form: IO[bytes],
    form_name: str,
    relationships: list[dict] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> RecusalDeclaration:
    """代为登记: the office records a cadre's signed paper declaration for them (docs/domain.md §2.7).

    For a cadre who has no account (drawn from the pool) or cannot file themselves. The
    scanned form is required and kept with the declaration, which names who recorded it. Only
    holders of talentpool.add_recusaldeclaration (office head, office staff: §5.3) may, and only
    for a person who serves or is being seconded in the group covering the unit.
    """
    if not by.has_perm("talentpool.add_recusaldeclaration"):
        raise ValidationError(_("Only the inspection office records a declaration on someone's behalf."))
    if not expected_to_declare(person, inspected_unit):
        raise ValidationError(
            _("%(name)s is neither a member nor being seconded in the group covering this unit.")
            % {"name": person.name}
        )
    return _declare(
        by=by,
        person=person,
        inspected_unit=inspected_unit,
        has_conflict=has_conflict,
        relationships=relationships,
        note=note,
        now=now,
        signed_form=signed_form,
        form_name=form_name,
    )


def _board_url(declaration: RecusalDeclaration) -> str:
    return reverse("talentpool:recusal-board", args=[declaration.inspection_round_id])


def _tell_the_office(declaration: RecusalDeclaration) -> None:
    """A declared tie waits for the office's decision (a declaration without one needs none)."""
    notify(
        recipients=users_with_role(Role.OFFICE_HEAD, Role.OFFICE_STAFF),
        title=_("Recusal declared: %(person)s on %(unit)s")
        % {"person": declaration.person.name, "unit": declaration.inspected_unit.org_unit.name},
        body=_("A tie to the unit was declared; decide whether the member recuses."),
        url=_board_url(declaration),
        kind=Notification.Kind.HANDOFF,
    )


def declarant_users(declaration: RecusalDeclaration) -> tuple[list[User], str]:
    """Who hears of the decision, and the page for them: the declarant's own account and their
    declarations, else whoever filed it on their behalf (the office) and the round's board."""
    own = getattr(declaration.person, "user", None)
    if own is not None and own.is_active:
        return [own], reverse("talentpool:recusal-mine")
    return ([declaration.created_by] if declaration.created_by is not None else []), _board_url(declaration)


@transaction.atomic
def decide_recusal(
    *, declaration: RecusalDeclaration, by: User, decision: str, note: str = "", now: datetime | None = None
) -> RecusalDeclaration:
    """The office decides a declared conflict: recuse (no access to the unit's clues) or allow, with a note."""
    declaration = transitions.lock(declaration, WORKFLOW)
    if declaration.decision:
        raise ValidationError(_("This declaration has been decided already."))
    fields = {"decided_by": by, "decided_at": now or timezone.now(), "decision_note": note.strip()}
    declaration = transitions.perform(declaration, D(decision), by=by, fields=fields, locked=True)
    values = {"unit": declaration.inspected_unit.org_unit.name, "decision": declaration.get_decision_display()}
    recipients, url = declarant_users(declaration)
    notify(
        recipients=[user for user in recipients if user.pk != by.pk],
        title=_("Recusal on %(unit)s decided: %(decision)s") % values,
        body=_("Recused: you no longer see the unit's clues.") if decision == D.RECUSE else "",
        url=url,
        kind=Notification.Kind.HANDOFF,
    )
    return declaration
