"""Bulk grading and bulk handover in the clue registry (issue 14 item 5): ticks (none ticked), a
confirmation page listing each clue's outcome, one POST; many go to a background job."""

import pytest
from django.urls import reverse

from clues.models import Clue
from clues.services import screening
from core import jobs
from core.models import Job
from tests.clues.lifecycle import handed, register
from tests.conftest import assert_matrix, role_keys
from tests.helpers import logged_in, page_queries

pytestmark = pytest.mark.django_db
OFFICE_READERS = ("office_head", "clue_custodian")


def _confirm(name, *clues):
    return reverse(name) + "?" + "&".join(f"clue={c.pk}" for c in clues)


def _get(clue):
    return Clue.objects.get(pk=clue.pk)


def test_grade_many_grades_each_and_lists_the_refused(world):
    a, b = register(world), register(world)
    b_dup = register(world)
    Clue.objects.filter(pk=b_dup.pk).update(possible_duplicate_of=b)
    outcome = screening.grade_many(clues=[a, b_dup], by=world.users["clue_custodian"], grade="A")
    assert [c.pk for c in outcome.done] == [a.pk]
    assert outcome.refused[0][0].pk == b_dup.pk
    assert outcome.refused[0][1] == ["请先处理疑似重复提示。"]
    assert _get(a).grade == "A"
    assert _get(a).status == Clue.Status.SCREENED
    assert _get(b_dup).grade == ""


def test_the_registry_offers_ticks_none_ticked_and_both_bulk_buttons(world):
    register(world)
    html = logged_in(world.users["clue_custodian"]).get(reverse("clues:clue-list")).content.decode()
    assert 'name="clue"' in html
    assert "checked" not in html
    assert 'id="hand-over"' in html
    assert 'id="grade-ticked"' in html


def test_the_grading_confirmation_lists_the_clues_and_changes_nothing(world):
    a = register(world)
    page = logged_in(world.users["clue_custodian"]).get(_confirm("clues:clue-grade-bulk", a) + "&status=registered")
    html = page.content.decode()
    assert page.status_code == 200
    assert a.code in html
    assert 'name="grade"' in html
    assert 'name="status" value="registered"' in html
    assert _get(a).status == Clue.Status.REGISTERED


def test_one_post_grades_the_ticked_clues_and_lists_the_refused_in_chinese(world):
    a, b = register(world), register(world)
    dup = register(world)
    Clue.objects.filter(pk=dup.pk).update(possible_duplicate_of=b)
    response = logged_in(world.users["clue_custodian"]).post(
        reverse("clues:clue-grade-bulk"), {"clue": [a.pk, dup.pk], "grade": "B"}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert _get(a).grade == "B"
    assert "已评定 1 条问题线索。" in texts
    assert any(dup.code in t and "请先处理疑似重复提示。" in t for t in texts)


def test_grading_without_a_grade_shows_the_confirmation_again(world):
    a = register(world)
    response = logged_in(world.users["clue_custodian"]).post(reverse("clues:clue-grade-bulk"), {"clue": [a.pk]})
    assert response.status_code == 200
    assert 'id="confirm-bulk"' in response.content.decode()
    assert _get(a).status == Clue.Status.REGISTERED


def test_the_handover_confirmation_names_each_group_and_blocks_a_clue_that_cannot_go(world):
    a, moved = register(world), handed(world)
    client = logged_in(world.users["clue_custodian"])
    html = client.get(_confirm("clues:clue-hand-over", a)).content.decode()
    assert world.group_a.label in html
    assert 'id="confirm-bulk"' in html
    html = client.get(_confirm("clues:clue-hand-over", a, moved)).content.decode()
    assert 'id="confirm-bulk"' not in html
    assert "只有已登记或已初筛的问题线索可以转交。" in html


def test_the_handover_post_hands_the_clues_over(world):
    a, b = register(world), register(world)
    logged_in(world.users["clue_custodian"]).post(reverse("clues:clue-hand-over"), {"clue": [a.pk, b.pk]})
    assert {_get(a).status, _get(b).status} == {Clue.Status.HANDED_TO_GROUP}


def test_many_clues_are_graded_and_handed_over_by_jobs(world, settings):
    settings.BULK_INLINE_MAX_ITEMS = 1
    a, b = register(world), register(world)
    client = logged_in(world.users["clue_custodian"])
    response = client.post(reverse("clues:clue-grade-bulk"), {"clue": [a.pk, b.pk], "grade": "C"})
    job = Job.objects.get()
    assert response.url == reverse("core:job", args=[job.pk])
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.message == "已评定 2 条问题线索。"
    assert _get(a).grade == "C"
    client.post(reverse("clues:clue-hand-over"), {"clue": [a.pk, b.pk]})
    job = Job.objects.exclude(pk=job.pk).get()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert _get(b).status == Clue.Status.HANDED_TO_GROUP


def test_the_bulk_confirmation_pages_by_role(world):
    a = register(world)
    assert_matrix(world, _confirm("clues:clue-grade-bulk", a), role_keys(*OFFICE_READERS))
    assert_matrix(world, _confirm("clues:clue-hand-over", a), role_keys(*OFFICE_READERS))


def test_the_confirmation_pages_queries_do_not_grow_with_the_ticked_clues(world):
    few = [register(world) for _ in range(2)]
    many = few + [register(world) for _ in range(8)]
    custodian = world.users["clue_custodian"]
    for name in ("clues:clue-grade-bulk", "clues:clue-hand-over"):
        assert page_queries(custodian, _confirm(name, *few)) == page_queries(custodian, _confirm(name, *many))
