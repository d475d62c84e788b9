"""Bulk submit and bulk approve of a round's letters (issue 14 item 5): the board offers ticks
(none ticked), a confirmation page lists what will happen to each letter, one POST moves each
letter through its own transition and lists the refused ones; many go to a background job."""

import pytest
from django.urls import reverse

from clues.models import InfoRequestLetter
from clues.services import letters
from clues.services.partners import register_partner
from core import jobs
from core.models import Job, Organisation
from tests.conftest import assert_matrix, role_keys
from tests.helpers import logged_in, page_queries

pytestmark = pytest.mark.django_db
S = InfoRequestLetter.Status


def _url(world, action, *letter_list):
    query = "&".join(f"letter={x.pk}" for x in letter_list)
    return reverse("clues:round-letters-bulk", args=[world.round.pk]) + f"?action={action}&{query}"


def _status(letter):
    return InfoRequestLetter.objects.get(pk=letter.pk).status


def test_the_service_submits_each_letter_and_lists_the_refused(world, drafts):
    x, y = drafts["x"], drafts["y"]
    letters.submit_for_approval(letter=y, by=world.users["office_staff"])
    outcome = letters.act_on_letters(action=letters.BULK_SUBMIT, letters=[x, y], by=world.users["office_staff"])
    assert [d.pk for d in outcome.done] == [x.pk]
    assert [(r.pk, reasons) for r, reasons in outcome.refused] == [(y.pk, ["只有草稿可以提交审批。"])]
    assert _status(x) == S.PENDING_APPROVAL


def test_the_service_refuses_a_letter_whose_guard_fails_and_approves_the_others(world, drafts):
    x, y = drafts["x"], drafts["y"]
    y.inspected_units.clear()
    outcome = letters.act_on_letters(action=letters.BULK_SUBMIT, letters=[x, y], by=world.users["office_staff"])
    assert len(outcome.done) == 1
    assert outcome.refused[0][0].pk == y.pk
    assert _status(y) == S.DRAFT
    outcome = letters.act_on_letters(action=letters.BULK_APPROVE, letters=[x, y], by=world.users["office_head"])
    assert [d.pk for d in outcome.done] == [x.pk]
    assert _status(x) == S.SENT


def test_the_board_offers_ticks_none_ticked_and_the_bulk_buttons(world, drafts):
    page = logged_in(world.users["office_staff"]).get(reverse("clues:round-letters", args=[world.round.pk]))
    html = page.content.decode()
    assert html.count('name="letter"') == 2
    assert "checked" not in html
    assert 'id="bulk-submit"' in html
    assert 'id="bulk-approve"' not in html
    head = logged_in(world.users["office_head"]).get(reverse("clues:round-letters", args=[world.round.pk]))
    assert 'id="bulk-approve"' in head.content.decode()


def test_the_confirmation_page_lists_what_will_happen_and_changes_nothing(world, drafts):
    x, y = drafts["x"], drafts["y"]
    letters.submit_for_approval(letter=y, by=world.users["office_staff"])
    page = logged_in(world.users["office_staff"]).get(_url(world, "submit", x, y))
    assert page.status_code == 200
    html = page.content.decode()
    assert "提交审批" in html
    assert "只有草稿可以提交审批。" in html
    assert html.count('type="hidden" name="letter"') == 2
    assert _status(x) == S.DRAFT


def test_one_post_submits_the_ticked_letters_and_lists_a_refusal_in_chinese(world, drafts):
    x, y = drafts["x"], drafts["y"]
    letters.submit_for_approval(letter=y, by=world.users["office_staff"])
    client = logged_in(world.users["office_staff"])
    url = reverse("clues:round-letters-bulk", args=[world.round.pk])
    response = client.post(url, {"action": "submit", "letter": [x.pk, y.pk]}, follow=True)
    assert _status(x) == S.PENDING_APPROVAL
    texts = [str(m) for m in response.context["messages"]]
    assert "已处理 1 份函件。" in texts
    assert any("未处理" in t and "只有草稿可以提交审批。" in t for t in texts)


def test_a_double_post_moves_nothing_twice(world, drafts):
    x = drafts["x"]
    client = logged_in(world.users["office_staff"])
    url = reverse("clues:round-letters-bulk", args=[world.round.pk])
    client.post(url, {"action": "submit", "letter": [x.pk]})
    response = client.post(url, {"action": "submit", "letter": [x.pk]}, follow=True)
    assert _status(x) == S.PENDING_APPROVAL
    assert any("未处理" in str(m) for m in response.context["messages"])


def test_bulk_approve_sends_the_ticked_letters(world, drafts, django_capture_on_commit_callbacks):
    for letter in drafts.values():
        letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    url = reverse("clues:round-letters-bulk", args=[world.round.pk])
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(world.users["office_head"]).post(url, {"action": "approve", "letter": [drafts["x"].pk]})
    assert _status(drafts["x"]) == S.SENT
    assert _status(drafts["y"]) == S.PENDING_APPROVAL


def test_many_letters_are_moved_by_a_job_with_the_refusals_in_its_message(world, drafts, settings):
    settings.BULK_INLINE_MAX_ITEMS = 1
    x, y = drafts["x"], drafts["y"]
    letters.submit_for_approval(letter=y, by=world.users["office_staff"])
    url = reverse("clues:round-letters-bulk", args=[world.round.pk])
    response = logged_in(world.users["office_staff"]).post(url, {"action": "submit", "letter": [x.pk, y.pk]})
    job = Job.objects.get()
    assert response.url == reverse("core:job", args=[job.pk])
    assert _status(x) == S.DRAFT
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message.startswith("已处理 1 份函件。")
    assert "只有草稿可以提交审批。" in job.message
    assert _status(x) == S.PENDING_APPROVAL


def test_approve_all_shows_a_confirmation_first(world, drafts):
    for letter in drafts.values():
        letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    page = logged_in(world.users["office_head"]).get(reverse("clues:round-letters-approve", args=[world.round.pk]))
    assert page.status_code == 200
    assert 'id="confirm-bulk"' in page.content.decode()
    assert _status(drafts["x"]) == S.PENDING_APPROVAL


def test_the_bulk_confirmation_pages_by_role(world, drafts):
    x = drafts["x"]
    assert_matrix(world, _url(world, "submit", x), role_keys("office_staff", "office_head"))
    letters.submit_for_approval(letter=x, by=world.users["office_staff"])
    assert_matrix(world, _url(world, "approve", x), role_keys("office_head"))
    assert_matrix(world, reverse("clues:round-letters-approve", args=[world.round.pk]), role_keys("office_head"))


def test_an_unknown_action_is_a_404(world, drafts):
    assert logged_in(world.users["office_head"]).get(_url(world, "delete", drafts["x"])).status_code == 404


def test_the_confirmation_pages_queries_do_not_grow_with_the_letters(world, partners):
    drafts = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    staff = world.users["office_staff"]
    few = page_queries(staff, _url(world, "submit", *drafts))
    for n in range(4):
        org = Organisation.objects.create(name=f"协作单位{n}号")
        register_partner(by=None, org_unit=org, category="audit", sort_order=10 + n, request_items=["审计情况"])
    more = letters.create_round_letters(inspection_round=world.round, by=staff)
    assert len(more) == 4
    assert page_queries(staff, _url(world, "submit", *drafts, *more)) == few


def test_approve_all_confirmed_sends_only_the_letters_it_listed(world, drafts, django_capture_on_commit_callbacks):
    x, y = drafts["x"], drafts["y"]
    letters.submit_for_approval(letter=x, by=world.users["office_staff"])
    head = logged_in(world.users["office_head"])
    page = head.get(reverse("clues:round-letters-approve", args=[world.round.pk])).content.decode()
    assert f'name="letter" value="{x.pk}"' in page
    letters.submit_for_approval(letter=y, by=world.users["office_staff"])  # meanwhile, unseen
    url = reverse("clues:round-letters-bulk", args=[world.round.pk])
    with django_capture_on_commit_callbacks(execute=True):
        head.post(url, {"action": "approve", "letter": [x.pk]})
    assert _status(x) == S.SENT
    assert _status(y) == S.PENDING_APPROVAL
