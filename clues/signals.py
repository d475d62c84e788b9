"""What the clues app does when a round reaches a stage that concerns it."""

from typing import Any

from clues.services.letters import create_round_letters
from core.models import User
from inspection.models import InspectionRound


def draft_letters_when_preparing(
    sender: type, *, inspection_round: InspectionRound, to_status: str, by: User, **kwargs: Any
) -> None:
    """approved → preparing drafts the letters to every active partner (DOMAIN §3.1)."""
    if to_status == InspectionRound.Status.PREPARING:
        create_round_letters(inspection_round=inspection_round, by=by)
