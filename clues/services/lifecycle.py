"""The clue state machine of DOMAIN §3.3: which status may follow which, and the one way to move.

Every service that changes a clue's status goes through move(), so a guard cannot be
forgotten and every move leaves an audit row.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clues.models import Clue
from core import audit
from core.models import AuditLog, User

S = Clue.Status

_ASSESSED = (
    S.UNDER_ASSESSMENT,
    S.PROPOSED_FOR_TRANSFER,
    S.GENERAL_PROBLEM,
    S.INSUFFICIENT,
    S.DUPLICATE,
    S.OUT_OF_SCOPE,
)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REGISTERED: (S.SCREENED, S.DUPLICATE, S.OUT_OF_SCOPE, S.HANDED_TO_GROUP),
    S.SCREENED: (S.DUPLICATE, S.OUT_OF_SCOPE, S.HANDED_TO_GROUP),
    S.HANDED_TO_GROUP: _ASSESSED,
    # needs_more_work keeps the clue under assessment.
    S.UNDER_ASSESSMENT: _ASSESSED,
    # The office head may send a proposal back to the group.
    S.PROPOSED_FOR_TRANSFER: (S.TRANSFER_APPROVED, S.UNDER_ASSESSMENT),
    S.TRANSFER_APPROVED: (S.TRANSFERRED,),
    S.TRANSFERRED: (S.RECEIVED,),
    S.RECEIVED: (S.TALK_OR_LETTER_INQUIRY, S.PRELIMINARY_VERIFICATION, S.DEFERRED, S.CONCLUDED_NO_CASE),
    S.TALK_OR_LETTER_INQUIRY: (S.PRELIMINARY_VERIFICATION, S.CONCLUDED_NO_CASE),
    S.PRELIMINARY_VERIFICATION: (S.CASE_FILED, S.CONCLUDED_NO_CASE, S.DEFERRED),
    S.DEFERRED: (S.PRELIMINARY_VERIFICATION, S.CONCLUDED_NO_CASE),
}


def can_move(clue: Clue, to: str) -> bool:
    return to in TRANSITIONS.get(clue.status, ())


def move(clue: Clue, to: str, *, by: User, **fields: Any) -> Clue:
    """Move a clue (locked by the caller) to status `to`, or refuse with a message in Chinese."""
    if not can_move(clue, to):
        raise ValidationError(
            _("Clue %(code)s is %(status)s and cannot become %(to)s.")
            % {"code": clue.code, "status": clue.get_status_display(), "to": S(to).label}
        )
    before = audit.snapshot(clue)
    clue.status = to
    for name, value in fields.items():
        setattr(clue, name, value)
    clue.save(update_fields=["status", *fields, "updated_at"])
    audit.log_action(
        user=by, action=AuditLog.Action.TRANSITION, obj=clue, changes=audit.diff(before, audit.snapshot(clue))
    )
    return clue


def locked(clues: list[Clue] | Clue) -> list[Clue]:
    """The clues again, locked for the rest of the transaction, in a stable order (no deadlocks)."""
    many = clues if isinstance(clues, list) else [clues]
    rows = list(Clue.objects.select_for_update(of=("self",)).filter(pk__in=[c.pk for c in many]).order_by("pk"))
    if len(rows) != len({c.pk for c in many}):
        raise ValidationError(_("A clue was removed meanwhile; reload the page."))
    return rows
