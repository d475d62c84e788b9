"""Every stateful record's moves are declared with core.transitions, and every move is audited alike."""

import pytest
from django.core.exceptions import ValidationError

from clues.models import Clue, ClueImportBatch, InfoRequestLetter, LetterReply
from clues.services import letters
from clues.services.partners import register_partner
from core.audit import history
from core.models import AuditLog
from core.transitions import workflow_for
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound
from inspection.services.workflow import move_round
from liaison.models import Feedback, HandoverRecord, RectificationItem
from talentpool.models import CollaborationZone, RecusalDeclaration, SecondmentRequest, TalentPoolEntry
from talentpool.services import pools
from tests.clues.lifecycle import handed
from tests.talentpool.test_pools_services import nominated

STATEFUL = [
    InspectionRound,
    InspectionGroup,
    InspectedUnit,
    InfoRequestLetter,
    LetterReply,
    ClueImportBatch,
    Clue,
    SecondmentRequest,
    RecusalDeclaration,
    TalentPoolEntry,
    CollaborationZone,
    HandoverRecord,
    Feedback,
    RectificationItem,
]


@pytest.mark.parametrize("model", STATEFUL, ids=lambda m: m.__name__)
def test_each_stateful_model_declares_its_moves_between_its_own_states(model):
    workflow = workflow_for(model)
    field = model._meta.get_field(workflow.status_field)
    states = {value for value, _label in field.choices} | ({""} if field.blank else set())
    assert workflow.by_name
    for transition in workflow.by_name.values():
        assert transition.target in states, transition.name
        assert transition.sources
        assert set(transition.sources) <= states, transition.name


def transition_entries(obj):
    return list(history(obj).filter(action=AuditLog.Action.TRANSITION).order_by("pk"))


def test_moves_of_different_models_are_audited_the_same_way(world):
    by = world.users["office_head"]
    entry = pools.vet(entry=nominated(world), by=by)
    clue = handed(world)
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    [letter] = letters.create_round_letters(inspection_round=world.round, by=by)
    letter = letters.submit_for_approval(letter=letter, by=by)
    moved_round = move_round(inspection_round=world.round, to=InspectionRound.Status.CANCELLED, by=by)
    for obj, field, source in [
        (entry, "status", TalentPoolEntry.Status.NOMINATED),
        (clue, "status", Clue.Status.REGISTERED),
        (moved_round, "status", InspectionRound.Status.DRAFT),
        (letter, "status", InfoRequestLetter.Status.DRAFT),
    ]:
        first = transition_entries(obj)[0]
        assert first.username == first.user.username  # who moved it, kept by name too
        assert first.changes[field][0] == source, type(obj).__name__
        assert first.changes[field][1] != source


def test_a_service_called_twice_on_the_same_page_moves_once(world):
    by = world.users["office_head"]
    page = nominated(world)
    pools.vet(entry=page, by=by)
    with pytest.raises(ValidationError):
        pools.vet(entry=page, by=by)
    assert len(transition_entries(page)) == 1
