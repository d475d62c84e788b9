"""The one transition mechanism (core.transitions): lock, who, source, guards, effects, audit."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import transitions
from core.audit import history
from core.models import AuditLog
from core.transitions import Move, Transition, Workflow, allowed_transitions, perform
from inspection.models import InspectedUnit

U = InspectedUnit.Status


def office_only(user: Any, unit: InspectedUnit) -> bool:
    return user is not None and user.username == "head"


def needs_note(unit: InspectedUnit, move: Move) -> list[str]:
    return [] if move.data.get("note_text") else ["写明理由。"]


def needs_name(unit: InspectedUnit, move: Move) -> list[str]:
    return [] if unit.pk and move.data.get("named") else ["写明单位。"]


def moves(unit: InspectedUnit):
    return history(unit).filter(action=AuditLog.Action.TRANSITION)


EFFECTS: list[tuple[str, str, str]] = []


def remember(unit: InspectedUnit, move: Move) -> None:
    EFFECTS.append((move.transition.name, move.source, unit.status))


def explode(unit: InspectedUnit, move: Move) -> None:
    raise ValidationError("效果失败。")


@pytest.fixture
def workflow():
    """A workflow for InspectedUnit (no service moves it yet), in place of whatever serves it."""
    saved = dict(transitions._WORKFLOWS)
    flow = transitions.register(
        Workflow(
            InspectedUnit,
            [
                Transition("enter", (U.PLANNED,), U.ONSITE, effects=(remember,)),
                Transition("give_feedback", (U.ONSITE,), U.FEEDBACK_GIVEN, who=office_only),
                Transition("rectify", (U.FEEDBACK_GIVEN,), U.RECTIFYING, guards=(needs_note, needs_name)),
                Transition("reopen", (U.RECTIFIED,), U.REOPENED, effects=(explode,)),
            ],
        )
    )
    EFFECTS.clear()
    yield flow
    transitions._WORKFLOWS.clear()
    transitions._WORKFLOWS.update(saved)


def test_perform_moves_sets_fields_runs_effects_and_audits(world, workflow):
    unit = world.unit_a
    by = world.users["office_head"]
    moved = perform(unit, "enter", by=by, fields={"entry_date": date(2017, 3, 1)}, note="按计划")
    unit.refresh_from_db()
    assert (unit.status, unit.entry_date, moved.status) == (U.ONSITE, date(2017, 3, 1), U.ONSITE)
    assert EFFECTS == [("enter", U.PLANNED, U.ONSITE)]
    entry = moves(unit).get()
    assert entry.action == AuditLog.Action.TRANSITION
    assert entry.user == by
    assert entry.note == "按计划"
    assert entry.changes["status"] == [U.PLANNED, U.ONSITE]
    assert entry.changes["entry_date"] == [None, "2017-03-01"]


def test_a_stale_page_or_double_click_moves_once_and_says_so(world, workflow):
    page = InspectedUnit.objects.get(pk=world.unit_a.pk)
    by = world.users["office_head"]
    perform(page, "enter", by=by)
    # The same page, submitted again: the locked row is read again and has moved on.
    with pytest.raises(ValidationError) as refused:
        perform(page, "enter", by=by)
    assert "reload the page" in refused.value.messages[0] or "刷新" in refused.value.messages[0]
    assert moves(page).count() == 1
    assert EFFECTS == [("enter", U.PLANNED, U.ONSITE)]


def test_who_refuses(world, workflow):
    unit = world.unit_a
    InspectedUnit.objects.filter(pk=unit.pk).update(status=U.ONSITE)
    with pytest.raises(ValidationError):
        perform(unit, "give_feedback", by=world.users["member_a"])
    unit.refresh_from_db()
    assert unit.status == U.ONSITE
    assert not moves(unit).exists()


def test_every_failing_guard_is_listed_in_one_refusal(world, workflow):
    unit = world.unit_a
    InspectedUnit.objects.filter(pk=unit.pk).update(status=U.FEEDBACK_GIVEN)
    with pytest.raises(ValidationError) as refused:
        perform(unit, "rectify", by=world.users["office_head"])
    assert refused.value.messages == ["写明理由。", "写明单位。"]
    with pytest.raises(ValidationError) as refused:
        perform(unit, "rectify", by=world.users["office_head"], note_text="x")
    assert refused.value.messages == ["写明单位。"]
    perform(unit, "rectify", by=world.users["office_head"], note_text="x", named=True)
    unit.refresh_from_db()
    assert unit.status == U.RECTIFYING


def test_a_failing_effect_undoes_the_move_and_its_audit(world, workflow):
    unit = world.unit_a
    InspectedUnit.objects.filter(pk=unit.pk).update(status=U.RECTIFIED)
    with pytest.raises(ValidationError):
        perform(unit, "reopen", by=world.users["office_head"])
    unit.refresh_from_db()
    assert unit.status == U.RECTIFIED
    assert not moves(unit).exists()


def test_allowed_transitions_are_those_from_the_status_the_user_may_take(world, workflow):
    unit = world.unit_a
    assert [t.name for t in allowed_transitions(unit, world.users["member_a"])] == ["enter"]
    unit.status = U.ONSITE
    assert [t.name for t in allowed_transitions(unit, world.users["member_a"])] == []
    assert [t.name for t in allowed_transitions(unit, world.users["office_head"])] == ["give_feedback"]


def test_a_workflow_refuses_a_name_declared_twice():
    with pytest.raises(ValueError, match="Duplicate"):
        Workflow(InspectedUnit, [Transition("a", (U.PLANNED,), U.ONSITE), Transition("a", (U.ONSITE,), U.PLANNED)])


def test_the_row_is_locked_for_no_key_update(world, workflow):
    with CaptureQueriesContext(connection) as queries:
        perform(world.unit_a, "enter", by=world.users["office_head"])
    locks = [q["sql"] for q in queries.captured_queries if "FOR" in q["sql"] and "UPDATE" in q["sql"]]
    if connection.vendor == "postgresql":
        assert any("FOR NO KEY UPDATE" in sql for sql in locks)
        assert not any("FOR UPDATE" in sql and "NO KEY" not in sql for sql in locks if "inspectedunit" in sql)
    else:
        # SQLite has no row locks: its transactions take the database's write lock up front.
        assert locks == []
