"""The clue state machine of docs/domain.md §3.3: which status may follow which, and the one way to move.

Every service that changes a clue's status goes through move(), declared as a workflow of
core.transitions, so a guard cannot be forgotten and every move leaves the same audit row.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clues.models import Clue
from core import transitions
from core.models import User

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


# One declared transition per target status, named after it: services ask for a status, not a route.
WORKFLOW = transitions.register(
    transitions.Workflow(
        Clue,
        [
            transitions.Transition(target, tuple(s for s, targets in TRANSITIONS.items() if target in targets), target)
            for target in dict.fromkeys(t for targets in TRANSITIONS.values() for t in targets)
        ],
    )
)


def can_move(clue: Clue, to: str) -> bool:
    return to in TRANSITIONS.get(clue.status, ())


def move(clue: Clue, to: str, *, by: User, **fields: Any) -> Clue:
    """Move a clue (locked by the caller, see locked()) to status `to`, or refuse with a message in Chinese.

    Who may move it the calling service has checked (its own rule per step, docs/domain.md §3.3).
    """
    if not can_move(clue, to):
        raise ValidationError(
            _("Clue %(code)s is %(status)s and cannot become %(to)s.")
            % {"code": clue.code, "status": clue.get_status_display(), "to": S(to).label}
        )
    return transitions.perform(clue, to, by=by, fields=fields, locked=True)


def locked(clues: list[Clue] | Clue) -> list[Clue]:
    """The clues again, locked for the rest of the transaction, in a stable order (no deadlocks)."""
    many = clues if isinstance(clues, list) else [clues]
    rows = list(
        Clue.objects.select_for_update(no_key=True, of=("self",)).filter(pk__in=[c.pk for c in many]).order_by("pk")
    )
    if len(rows) != len({c.pk for c in many}):
        raise ValidationError(_("A clue was removed meanwhile; reload the page."))
    return rows
