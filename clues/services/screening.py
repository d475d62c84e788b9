"""The clue custodian's screening of registered clues (DOMAIN §3.3: registered → duplicate)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clues.models import Clue
from core import audit


@transaction.atomic
def mark_duplicate(*, clue: Clue, of: Clue, by: Any) -> Clue:
    """Close a clue as a duplicate of another of the same round; it no longer counts as a clue."""
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if clue.status not in (Clue.Status.REGISTERED, Clue.Status.SCREENED):
        raise ValidationError(_("Only a clue not yet handed to a group can be closed as a duplicate."))
    if of.pk == clue.pk or of.inspection_round_id != clue.inspection_round_id:
        raise ValidationError(_("A clue can only duplicate another clue of the same round."))
    before = audit.snapshot(clue)
    clue.status = Clue.Status.DUPLICATE
    clue.duplicate_of = of
    clue.save(update_fields=["status", "duplicate_of", "updated_at"])
    audit.log_change(user=by, obj=clue, before=before)
    return clue
