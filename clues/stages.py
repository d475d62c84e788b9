"""What the clues app adds to a round's stages (registered in CluesConfig.ready)."""

from typing import Any

from django.utils.translation import gettext as _

from clues.models import Clue
from clues.services.letters import create_round_letters
from inspection.models import InspectionRound


def draft_letters(inspection_round: InspectionRound, by: Any) -> None:
    """approved → preparing drafts the letters to every active partner (docs/domain.md §3.1)."""
    create_round_letters(inspection_round=inspection_round, by=by)


def transfers_not_sent(inspection_round: InspectionRound) -> list[str]:
    """Before archiving: no clue proposed or approved for transfer is left unsent."""
    waiting = Clue.objects.filter(
        inspection_round=inspection_round,
        status__in=(Clue.Status.PROPOSED_FOR_TRANSFER, Clue.Status.TRANSFER_APPROVED),
    ).count()
    if waiting:
        return [_("%(count)s clues proposed for transfer have not been sent.") % {"count": waiting}]
    return []
