from clues.models.cases import CaseRecord, MeetingAgendaItem, StandingCommitteeMeeting
from clues.models.clues import Clue, ClueGroupObjectPermission, ClueUserObjectPermission
from clues.models.imports import ClueImportBatch, ClueImportRow
from clues.models.letters import (
    InfoRequestLetter,
    LetterGroupObjectPermission,
    LetterReply,
    LetterUserObjectPermission,
)
from clues.models.opinion import OnlineOpinionItem
from clues.models.partners import PartnerUnit
from clues.models.tallies import ClueCategoryTally, ClueReceiverTally, ClueTally, ClueTransferTally
from clues.models.transfers import (
    ClueAssessment,
    ClueDisposition,
    ClueHandover,
    ClueTransfer,
    ClueTransferItem,
    Receiver,
    TransferGroupObjectPermission,
    TransferUserObjectPermission,
)

__all__ = [
    "CaseRecord",
    "Clue",
    "ClueAssessment",
    "ClueCategoryTally",
    "ClueDisposition",
    "ClueGroupObjectPermission",
    "ClueHandover",
    "ClueImportBatch",
    "ClueImportRow",
    "ClueReceiverTally",
    "ClueTally",
    "ClueTransfer",
    "ClueTransferItem",
    "ClueTransferTally",
    "ClueUserObjectPermission",
    "InfoRequestLetter",
    "LetterGroupObjectPermission",
    "LetterReply",
    "LetterUserObjectPermission",
    "MeetingAgendaItem",
    "OnlineOpinionItem",
    "PartnerUnit",
    "Receiver",
    "StandingCommitteeMeeting",
    "TransferGroupObjectPermission",
    "TransferUserObjectPermission",
]
