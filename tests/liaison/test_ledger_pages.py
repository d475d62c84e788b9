"""A unit's rectification ledger in keyset pages of its problems: every problem once, in order, with
all its items; the counts on top from an aggregate of the whole ledger; queries that do not grow."""

import re
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import FeedbackProblem, RectificationItem
from liaison.selectors import ledger_summary
from liaison.services import feedback as feedback_services
from liaison.services import ledger as ledger_services
from liaison.views import ledger as ledger_views
from tests.conftest import make_user
from tests.helpers import logged_in, page_queries
from tests.liaison.ledger_fixtures import MEETING, PLAN, appoint

pytestmark = pytest.mark.django_db


def _ledger(world, problems: int, items: int):
    """Unit A's delivered feedback with `problems` problems and `items` items spread over them."""
    leader, officer = world.users["leader_a"], world.users["liaison_a"]
    appoint(world, world.unit_a, officer)
    feedback = feedback_services.record_feedback(by=leader, inspected_unit=world.unit_a, meeting_date=MEETING)
    for n in range(problems):
        feedback_services.add_problem(by=leader, feedback=feedback, category="作风建设", description=f"问题{n}")
    feedback_services.approve_feedback(by=leader, feedback=feedback)
    feedback = feedback_services.deliver_feedback(by=leader, feedback=feedback)
    rows = list(feedback.problems.order_by("seq"))
    for n in range(items):
        item = ledger_services.add_item(by=officer, problem=rows[n * 7 % len(rows)], **PLAN)
        if n % 3 == 0:
            ledger_services.submit_plan(by=officer, item=item)
    return feedback


def _walk(client, url: str) -> list[str]:
    """The problem cards' ids and item numbers of every page, following the next links."""
    seen: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        seen += re.findall(r'id="problem-(\d+)"|<a href="[^"]*/items/\d+/">(\d+\.\d+)</a>', html)
        found = re.search(r'href="(\?cursor=[^"]+)"\s+rel="next"', html)
        url = f"{url.split('?')[0]}{found.group(1).replace('&amp;', '&')}" if found else ""
    return ["".join(match) for match in seen]


@pytest.mark.parametrize("who", ["office_head", "leader_a", "liaison_a"])
def test_the_pages_show_every_problem_once_in_order_with_all_its_items(world, monkeypatch, who):
    monkeypatch.setattr(ledger_views, "LEDGER_PROBLEMS_PER_PAGE", 2)
    feedback = _ledger(world, problems=5, items=9)
    expected = []
    for problem in FeedbackProblem.objects.filter(feedback=feedback).order_by("seq"):
        expected += [str(problem.seq), *(f"{problem.seq}.{item.seq}" for item in problem.items.order_by("seq"))]
    assert _walk(logged_in(world.users[who]), reverse("liaison:ledger", args=[world.unit_a.pk])) == expected


def test_the_summary_counts_the_whole_ledger(world, monkeypatch):
    monkeypatch.setattr(ledger_views, "LEDGER_PROBLEMS_PER_PAGE", 1)
    feedback = _ledger(world, problems=3, items=7)
    items = RectificationItem.objects.filter(problem__feedback=feedback)
    statuses = Counter(items.values_list("status", flat=True))
    summary = ledger_summary(feedback, today=date(2017, 10, 1))
    assert summary["total"] == 7
    assert dict(summary["by_status"]) == {RectificationItem.Status(s).label: n for s, n in statuses.items()}
    assert summary["overdue"] == 7  # every item's deadline (PLAN) is past and none signed off
    response = logged_in(world.users["office_head"]).get(reverse("liaison:ledger", args=[world.unit_a.pk]))
    assert response.context["summary"]["total"] == 7
    assert response.context["summary"]["overdue"] == items.filter(deadline__lt=timezone.localdate()).count()
    assert len(response.context["page_obj"]) == 1


def test_the_ledger_runs_a_fixed_number_of_queries_whatever_its_size(world, monkeypatch):
    monkeypatch.setattr(ledger_views, "LEDGER_PROBLEMS_PER_PAGE", 2)
    feedback = _ledger(world, problems=6, items=4)
    url = reverse("liaison:ledger", args=[world.unit_a.pk])
    before = {who: page_queries(world.users[who], url) for who in ("office_head", "leader_a", "liaison_a")}
    officer = world.users["liaison_a"]
    for problem in feedback.problems.all():
        for _ in range(3):
            ledger_services.add_item(by=officer, problem=problem, **PLAN)
    assert {who: page_queries(world.users[who], url) for who in before} == before


def test_a_cursor_opens_no_other_units_ledger(world, monkeypatch):
    monkeypatch.setattr(ledger_views, "LEDGER_PROBLEMS_PER_PAGE", 1)
    _ledger(world, problems=3, items=3)
    url = reverse("liaison:ledger", args=[world.unit_a.pk])
    cursor = logged_in(world.users["office_head"]).get(url).context["page_obj"].next_cursor
    officer_b = make_user("liaison_b", "liaison_officer", organisation=world.unit_b.org_unit)
    appoint(world, world.unit_b, officer_b)
    for user in (officer_b, world.users["member_b"], world.users["commission_receiver"]):
        assert logged_in(user).get(url, {"cursor": cursor}).status_code == 404, user.username
