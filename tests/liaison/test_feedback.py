"""Feedback up to delivery: who records it, its guards, the grants and the reports it schedules."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.models import Feedback, RectificationReport
from liaison.services import feedback as feedback_services
from tests.liaison.ledger_fixtures import MEETING, appoint, draft_feedback, ledger_fixture  # noqa: F401 - fixture


def test_only_group_leaders_or_office_record_feedback(world):
    with pytest.raises(ValidationError):
        feedback_services.record_feedback(by=world.users["member_a"], inspected_unit=world.unit_a, meeting_date=MEETING)
    with pytest.raises(ValidationError):
        feedback_services.record_feedback(by=world.users["leader_a"], inspected_unit=world.unit_b, meeting_date=MEETING)


def test_approval_needs_a_problem(world):
    feedback = feedback_services.record_feedback(
        by=world.users["leader_a"], inspected_unit=world.unit_a, meeting_date=MEETING
    )
    with pytest.raises(ValidationError):
        feedback_services.approve_feedback(by=world.users["leader_a"], feedback=feedback)


def test_delivery_opens_feedback_to_the_officer_and_schedules_reports(world):
    appoint(world, world.unit_a, world.users["liaison_a"])
    feedback, _problem = draft_feedback(world)
    assert not Feedback.objects.for_user(world.users["liaison_a"]).exists()
    with pytest.raises(ValidationError):
        feedback_services.deliver_feedback(by=world.users["leader_a"], feedback=feedback)
    feedback_services.approve_feedback(by=world.users["leader_a"], feedback=feedback)
    feedback_services.deliver_feedback(by=world.users["leader_a"], feedback=feedback)
    assert list(Feedback.objects.for_user(world.users["liaison_a"])) == [feedback]
    due = dict(RectificationReport.objects.values_list("kind", "due_date"))
    # 30 natural days after 2017-06-01 is Saturday 07-01: the plan is due the next working day.
    assert due["plan"] == date(2017, 7, 3)
    assert (due["final"] - MEETING).days == 60  # 07-31, a Monday


def test_problem_list_closes_at_delivery(ledger):
    with pytest.raises(ValidationError):
        feedback_services.add_problem(
            by=ledger.world.users["leader_a"], feedback=ledger.feedback, category="x", description="y"
        )


def test_group_members_cannot_link_clues(world):
    from clues.models import Clue

    feedback, _problem = draft_feedback(world)
    clue = Clue(pk=1)
    with pytest.raises(ValidationError):
        feedback_services.add_problem(
            by=world.users["leader_a"], feedback=feedback, category="x", description="y", source_clue=clue
        )


def test_group_leader_opens_the_feedback_page_before_any_feedback_exists(world, client):
    client.force_login(world.users["leader_a"])
    response = client.get(reverse("liaison:feedback", args=[world.unit_a.pk]))
    assert response.status_code == 200
    assert not Feedback.objects.filter(inspected_unit=world.unit_a).exists()
