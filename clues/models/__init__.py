from clues.models.clues import Clue, ClueGroupObjectPermission, ClueUserObjectPermission
from clues.models.imports import ClueImportBatch, ClueImportRow
from clues.models.letters import (
    DocumentNumber,
    InfoRequestLetter,
    LetterGroupObjectPermission,
    LetterReply,
    LetterUserObjectPermission,
)
from clues.models.opinion import OnlineOpinionItem
from clues.models.partners import PartnerUnit

__all__ = [
    "Clue",
    "ClueGroupObjectPermission",
    "ClueImportBatch",
    "ClueImportRow",
    "ClueUserObjectPermission",
    "DocumentNumber",
    "InfoRequestLetter",
    "LetterGroupObjectPermission",
    "LetterReply",
    "LetterUserObjectPermission",
    "OnlineOpinionItem",
    "PartnerUnit",
]
