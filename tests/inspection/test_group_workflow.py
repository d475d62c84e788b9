"""A group's moves (docs/domain.md §3.1, issue 13 item 1): transitions of core.transitions run by the round's move."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core import transitions
from core.audit import history
from core.models import AuditLog
from inspection import services as rounds
from inspection.models import InspectionGroup, InspectionRound
from inspection.services.workflow import GROUP_WORKFLOW, move_round
from tests.inspection.test_round_workflow import _approved, _complete_groups

R = InspectionRound.Status
G = InspectionGroup.Status
pytestmark = pytest.mark.django_db


def _onsite(world) -> InspectionRound:
    _complete_groups(world)
    preparing = move_round(inspection_round=_approved(world), to=R.PREPARING, by=world.users["office_head"])
    return move_round(inspection_round=preparing, to=R.ONSITE, by=world.users["office_head"])


def _group(world) -> InspectionGroup:
    return InspectionGroup.objects.get(pk=world.group_a.pk)


def test_the_round_s_moves_take_each_group_through_its_own_audited_transition(world):
    onsite = _onsite(world)
    assert _group(world).status == G.STATIONED
    rounds.update_round(inspection_round=onsite, by=None, actual_exit_date=date(2017, 10, 10))
    move_round(
        inspection_round=InspectionRound.objects.get(pk=onsite.pk), to=R.REPORTING, by=world.users["office_head"]
    )
    assert _group(world).status == G.WITHDRAWN
    moves = history(_group(world)).filter(action=AuditLog.Action.TRANSITION).order_by("pk")
    assert [entry.changes["status"] for entry in moves] == [[G.FORMING, G.STATIONED], [G.STATIONED, G.WITHDRAWN]]
    assert {entry.user for entry in moves} == {world.users["office_head"]}


def test_only_whoever_moves_the_round_moves_a_group(world):
    _onsite(world)
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.REPORTING)
    group = _group(world)
    offered = {t.name for t in transitions.allowed_transitions(group, world.users["office_head"])}
    assert offered == {"withdraw", "archive"}
    assert transitions.allowed_transitions(group, world.users["office_staff"]) == []
    with pytest.raises(ValidationError, match="无权"):
        transitions.perform(group, "withdraw", by=world.users["office_staff"])
    assert transitions.perform(group, "withdraw", by=world.users["office_head"]).status == G.WITHDRAWN


def test_a_group_cannot_move_ahead_of_its_round(world):
    group = _group(world)
    for name in ("station", "withdraw", "archive"):
        with pytest.raises(ValidationError) as refused:
            transitions.perform(group, name, by=world.users["office_head"])
        assert world.round.title in " ".join(refused.value.messages), name
    assert _group(world).status == G.FORMING


def test_stationing_needs_a_complete_group(world):
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.ONSITE)
    with pytest.raises(ValidationError) as refused:
        transitions.perform(_group(world), "station", by=None)
    assert any("副组长" in message for message in refused.value.messages)
    assert _group(world).status == G.FORMING


def test_archive_is_the_end_and_a_stale_move_is_refused(world):
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.ARCHIVED)
    archived = transitions.perform(_group(world), "archive", by=None)
    assert archived.status == G.ARCHIVED
    assert not any(G.ARCHIVED in t.sources for t in GROUP_WORKFLOW.by_name.values())
    with pytest.raises(ValidationError):
        transitions.perform(_group(world), "archive", by=None)
