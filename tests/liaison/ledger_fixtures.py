"""A delivered feedback for unit A with one problem and one item, and an officer for each unit."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from liaison.models import Feedback, FeedbackProblem, RectificationItem
from liaison.services import feedback as feedback_services
from liaison.services import ledger as ledger_services
from liaison.services.offices import appoint_officer, set_up_office
from tests.conftest import World, make_user
from tests.factories import PersonFactory

MEETING = date(2017, 6, 1)
PLAN = {
    "measure": "建立健全公务接待制度",
    "responsible_leader": "张书记",
    "lead_department": "办公室",
    "responsible_person": "李主任",
    "rectification_type": RectificationItem.Type.TIME_BOUND,
    "deadline": date(2017, 9, 1),
}


@dataclass
class Ledger:
    world: World
    feedback: Feedback
    problem: FeedbackProblem
    item: RectificationItem
    officer: Any
    officer_b: Any


def appoint(world: World, unit: Any, user: Any) -> None:
    person = PersonFactory(name=user.username, home_unit=unit.org_unit)
    user.person = person
    user.save(update_fields=["person"])
    office = set_up_office(by=None, inspected_unit=unit)
    appoint_officer(by=None, office=office, person=person, start_date=date(2017, 3, 1))


def draft_feedback(world: World) -> tuple[Feedback, FeedbackProblem]:
    leader = world.users["leader_a"]
    feedback = feedback_services.record_feedback(by=leader, inspected_unit=world.unit_a, meeting_date=MEETING)
    problem = feedback_services.add_problem(
        by=leader, feedback=feedback, category="作风建设", description="公务接待超标准"
    )
    return feedback, problem


@pytest.fixture(name="ledger")
def ledger_fixture(world: World) -> Ledger:
    officer = world.users["liaison_a"]
    officer_b = make_user("liaison_b", "liaison_officer", organisation=world.unit_b.org_unit)
    world.users["liaison_b"] = officer_b
    appoint(world, world.unit_a, officer)
    appoint(world, world.unit_b, officer_b)
    feedback, problem = draft_feedback(world)
    leader = world.users["leader_a"]
    feedback_services.approve_feedback(by=leader, feedback=feedback)
    feedback = feedback_services.deliver_feedback(by=leader, feedback=feedback)
    item = ledger_services.add_item(by=officer, problem=problem, **PLAN)
    return Ledger(world, feedback, problem, item, officer, officer_b)


def evidence() -> tuple[Any, str]:
    from io import BytesIO

    return BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "制度文件.pdf"


def to_pending(ledger: Ledger) -> RectificationItem:
    """Walk the item to awaiting sign-off the ordinary way."""
    leader = ledger.world.users["leader_a"]
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    item = ledger_services.approve_plan(by=leader, item=item)
    item = ledger_services.start_work(by=ledger.officer, item=item)
    ledger_services.record_progress(by=ledger.officer, item=item, note="完成", progress_pct=100, files=[evidence()])
    return ledger_services.submit_for_signoff(by=ledger.officer, item=item)
