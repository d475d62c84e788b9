"""An inspected unit's progress (docs/domain.md §3.1, issue 13 item 1): declared transitions, moved by the round,
its feedback and its follow-up checks."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core import transitions
from core.audit import history
from core.models import AuditLog
from inspection import services as rounds
from inspection.models import InspectedUnit, InspectionRound
from inspection.services.workflow import move_round, move_unit_if_due
from liaison.services import feedback, ledger
from tests.inspection.test_group_workflow import _onsite

R = InspectionRound.Status
U = InspectedUnit.Status
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _unit(world) -> InspectedUnit:
    return InspectedUnit.objects.get(pk=world.unit_a.pk)


def _deliver(world, by) -> None:
    record = feedback.record_feedback(
        by=by,
        inspected_unit=_unit(world),
        meeting_date=date(2017, 11, 20),
        document=io.BytesIO(PDF),
        document_name="反馈.pdf",
    )
    feedback.add_problem(
        by=by, feedback=record, category="党的领导", description="学习不经常。", is_immediate_fix=False
    )
    feedback.approve_feedback(by=by, feedback=record)
    feedback.deliver_feedback(by=by, feedback=record)


def test_a_unit_goes_on_site_gets_feedback_rectifies_and_closes_with_its_round(world):
    head = world.users["office_head"]
    onsite = _onsite(world)
    assert _unit(world).status == U.ONSITE
    rounds.update_round(inspection_round=onsite, by=None, actual_exit_date=date(2017, 10, 10))
    for stage in (R.REPORTING, R.FEEDBACK):
        move_round(inspection_round=InspectionRound.objects.get(pk=onsite.pk), to=stage, by=head)
    _deliver(world, head)
    assert _unit(world).status == U.FEEDBACK_GIVEN
    InspectedUnit.objects.filter(pk=world.unit_b.pk).update(status=U.FEEDBACK_GIVEN)  # its own feedback, not shown
    InspectionRound.objects.filter(pk=onsite.pk).update(status=R.RECTIFYING)
    assert transitions.perform(_unit(world), "rectify", by=head).status == U.RECTIFYING
    InspectionRound.objects.filter(pk=onsite.pk).update(status=R.REVIEWING)
    assert transitions.perform(_unit(world), "close", by=head).status == U.RECTIFIED
    moves = history(_unit(world)).filter(action=AuditLog.Action.TRANSITION).order_by("pk")
    assert [entry.changes["status"][1] for entry in moves] == [U.ONSITE, U.FEEDBACK_GIVEN, U.RECTIFYING, U.RECTIFIED]


def test_a_follow_up_check_that_reopens_an_item_reopens_a_rectified_unit(world):
    head = world.users["office_head"]
    _deliver(world, head)
    InspectedUnit.objects.filter(pk=world.unit_a.pk).update(status=U.RECTIFIED)
    ledger.record_follow_up_check(by=head, inspected_unit=_unit(world), on=date(2018, 9, 1), rating="good")
    assert _unit(world).status == U.RECTIFIED  # nothing reopened: the unit stays rectified
    assert move_unit_if_due(_unit(world), "reopen", by=head).status == U.REOPENED


def test_only_whoever_moves_the_round_moves_its_units_and_never_ahead_of_it(world):
    unit = _unit(world)
    with pytest.raises(ValidationError) as ahead:
        transitions.perform(unit, "enter", by=world.users["office_head"])
    assert world.round.title in " ".join(ahead.value.messages)
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.ONSITE)
    assert [t.name for t in transitions.allowed_transitions(_unit(world), world.users["office_staff"])] == [
        "give_feedback"
    ]
    with pytest.raises(ValidationError, match="无权"):
        transitions.perform(_unit(world), "enter", by=world.users["office_staff"])
    assert transitions.perform(_unit(world), "enter", by=world.users["office_head"]).status == U.ONSITE


def test_a_unit_already_past_a_move_is_left_where_it_is(world):
    InspectedUnit.objects.filter(pk=world.unit_a.pk).update(status=U.RECTIFYING)
    assert move_unit_if_due(_unit(world), "give_feedback", by=None).status == U.RECTIFYING
    assert not history(_unit(world)).filter(action=AuditLog.Action.TRANSITION).exists()
