"""Secondment and draw pages: the permission matrix of every URL, the letter, the lists' query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from core.documents import document_text
from core.models import User
from core.wording import office_name
from talentpool.models import Draw, SecondmentRequest
from talentpool.services import draw as draws
from tests.conftest import assert_matrix, role_keys
from tests.helpers import page_queries
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import (
    declined,
    home,
    pooled,
    requested,
    sent,
)

# The shared fixture, made visible to this module's tests.
sec_world = secondment_fixtures.sec_world
pytestmark = pytest.mark.django_db

OFFICE = ("office_head", "office_staff", "pool_manager")


def _client(world, key):
    client = Client()
    client.force_login(world.users[key])
    return client


@pytest.fixture
def letter(sec_world):
    return sent(sec_world, requested(sec_world, pooled(home(sec_world), name="王某某")))


@pytest.fixture
def draw(sec_world):
    for specialty in ("finance_audit", "discipline"):
        pooled(home(sec_world), specialty)
    return draws.draw_candidates(
        group=sec_world.group_a, skill_mix={"finance_audit": 1}, yearly_cap=2, by=sec_world.users["office_staff"]
    )


def test_the_list_is_for_the_office_the_contacts_and_the_leaders(sec_world, letter):
    expected = role_keys(*OFFICE, "leader_a", "contact_x", "contact_y")
    assert_matrix(sec_world, reverse("talentpool:secondment-list"), expected)


@pytest.mark.parametrize("name", ["talentpool:secondment-detail", "talentpool:secondment-docx"])
def test_a_request_is_seen_by_the_office_its_home_unit_and_its_groups_leader(sec_world, letter, name):
    expected = role_keys(*OFFICE, "leader_a", "contact_x")
    assert_matrix(sec_world, reverse(name, args=[letter.pk]), expected)


def test_the_draw_page_is_the_offices(sec_world, draw):
    assert_matrix(sec_world, reverse("talentpool:group-draw", args=[sec_world.group_a.pk]), role_keys(*OFFICE))


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("talentpool:secondment-send", OFFICE),
        ("talentpool:secondment-escalate", OFFICE),
        ("talentpool:secondment-replace", OFFICE),
        ("talentpool:secondment-confirm", OFFICE),
        ("talentpool:secondment-complete", OFFICE),
        ("talentpool:secondment-cancel", OFFICE),
        ("talentpool:secondment-accept", ("contact_x",)),
        ("talentpool:secondment-decline", ("contact_x",)),
        ("talentpool:secondment-report", ("leader_a",)),
        ("talentpool:secondment-evaluate", ("leader_a",)),
    ],
)
def test_each_request_action_answers_only_its_actors(sec_world, letter, name, allowed):
    assert_matrix(sec_world, reverse(name, args=[letter.pk]), role_keys(*allowed, status=302), method="post")


@pytest.mark.parametrize("name", ["talentpool:draw-accept", "talentpool:draw-replace", "talentpool:draw-override"])
def test_each_draw_action_is_the_offices(sec_world, draw, name):
    assert_matrix(sec_world, reverse(name, args=[draw.pk]), role_keys(*OFFICE, status=302), method="post")


def test_sending_a_groups_drafts_is_the_offices(sec_world):
    url = reverse("talentpool:group-send-drafts", args=[sec_world.group_a.pk])
    assert_matrix(sec_world, url, role_keys(*OFFICE, status=302), method="post")


def test_a_contact_lists_only_their_own_units_requests(sec_world, letter):
    other = sent(sec_world, requested(sec_world, pooled(home(sec_world, "y"))))
    page = _client(sec_world, "contact_x").get(reverse("talentpool:secondment-list")).context["page_obj"]
    assert [r.pk for r in page] == [letter.pk]
    page = _client(sec_world, "contact_y").get(reverse("talentpool:secondment-list")).context["page_obj"]
    assert [r.pk for r in page] == [other.pk]
    assert _client(sec_world, "member_a").get(reverse("talentpool:secondment-list")).status_code == 404


def test_the_office_list_filters_and_sums_refusals_by_home_unit(sec_world, letter):
    declined(sec_world)
    client = _client(sec_world, "office_staff")
    response = client.get(reverse("talentpool:secondment-list"), {"status": "declined"})
    assert [r.status for r in response.context["page_obj"]] == ["declined"]
    (summary,) = response.context["refusals"]
    assert (summary.home_unit, summary.total, summary.by_reason) == ("区人社局", 1, {"workload": 1})
    response = client.get(reverse("talentpool:secondment-list"), {"home_unit": home(sec_world, "y").pk})
    assert list(response.context["page_obj"]) == []


def test_the_letter_is_an_official_secondment_letter(sec_world, letter):
    response = _client(sec_world, "contact_x").get(reverse("talentpool:secondment-docx", args=[letter.pk]))
    text = document_text(response.content)
    lines = text.splitlines()
    assert lines[:4] == [office_name(), "示巡办调〔2017〕1号", "关于商调王某某同志参加第一轮巡察工作的函", "区人社局："]
    assert "第1巡察组" in text
    assert "请于2017年8月8日前" in text
    assert "二〇一七年八月三日" in lines


@pytest.mark.parametrize(
    ("phone", "contact_line"),
    [("0371-12345678", "（联系人：李明，联系电话：0371-12345678）"), ("", "（联系人：李明）")],
)
def test_the_letter_names_its_drafter_and_a_phone_only_if_given(sec_world, letter, phone, contact_line):
    User.objects.filter(pk=letter.created_by_id).update(last_name="李", first_name="明", phone=phone)
    response = _client(sec_world, "contact_x").get(reverse("talentpool:secondment-docx", args=[letter.pk]))
    lines = document_text(response.content).splitlines()
    assert contact_line in lines


def test_the_contact_declines_through_the_page_with_a_reason(sec_world, letter):
    client = _client(sec_world, "contact_x")
    url = reverse("talentpool:secondment-decline", args=[letter.pk])
    client.post(url, {"decline_code": "staff_shortage", "decline_reason": ""})
    assert SecondmentRequest.objects.get(pk=letter.pk).status == "requested"
    client.post(url, {"decline_code": "staff_shortage", "decline_reason": "科室仅两人"})
    assert SecondmentRequest.objects.get(pk=letter.pk).decline_reason == "科室仅两人"


def test_the_draw_page_proposes_and_explains_exclusions(sec_world):
    pooled(home(sec_world), name="可抽调")
    pooled(sec_world.unit_a.org_unit, name="本单位人")
    client = _client(sec_world, "office_staff")
    url = reverse("talentpool:group-draw", args=[sec_world.group_a.pk])
    response = client.post(url, {"yearly_cap": 2, "mix_finance_audit": 2})
    assert response.status_code == 302
    page = client.get(url)
    assert [row["name"] for row in page.context["candidates"]] == ["可抽调"]
    assert [row["name"] for row in page.context["excluded"]] == ["本单位人"]
    assert page.context["shortfall"]
    assert "本单位人" in page.content.decode()


def test_an_override_of_a_hard_conflict_is_refused_on_the_page(sec_world, draw):
    own = pooled(sec_world.unit_a.org_unit, name="本单位人")
    client = _client(sec_world, "office_staff")
    response = client.post(
        reverse("talentpool:draw-override", args=[draw.pk]), {"entry": own.pk, "note": "熟悉情况"}, follow=True
    )
    assert "本单位人" in str(next(iter(response.context["messages"])))
    assert all(row["name"] != "本单位人" for row in Draw.objects.get(pk=draw.pk).candidates)


def test_accepting_and_sending_from_the_draw_page(sec_world, draw, django_capture_on_commit_callbacks):
    client = _client(sec_world, "office_staff")
    client.post(reverse("talentpool:draw-accept", args=[draw.pk]), {})
    request = SecondmentRequest.objects.get(draw=draw)
    assert request.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talentpool:group-send-drafts", args=[sec_world.group_a.pk]))
    request.refresh_from_db()
    assert request.status == "requested"
    assert request.delivered_at is not None


@pytest.mark.parametrize("viewer", ["office_staff", "contact_x"])
def test_the_list_keeps_a_constant_query_count_as_requests_grow(sec_world, viewer):
    client = _client(sec_world, viewer)
    url = reverse("talentpool:secondment-list")
    for _ in range(2):
        declined(sec_world)
    assert len(client.get(url).context["page_obj"]) == 2
    few = page_queries(client, url)
    for _ in range(8):
        declined(sec_world)
    assert len(client.get(url).context["page_obj"]) == 10
    assert page_queries(client, url) == few


def test_the_detail_page_offers_each_actor_their_next_step(sec_world):
    from tests.talentpool.secondment_fixtures import on_duty, site_over

    refused = declined(sec_world)
    page = _client(sec_world, "office_head").get(reverse("talentpool:secondment-detail", args=[refused.pk]))
    content = page.content.decode()
    assert 'id="escalate-request"' in content
    assert 'id="replace-request"' in content
    assert (
        'id="escalate-request"' not in _client(sec_world, "office_staff").get(page.wsgi_request.path).content.decode()
    )
    serving = on_duty(sec_world)
    site_over(sec_world)
    leader_page = _client(sec_world, "leader_a").get(reverse("talentpool:secondment-detail", args=[serving.pk]))
    assert 'id="record-evaluation"' in leader_page.content.decode()
    assert 'id="accept-request"' not in leader_page.content.decode()


def test_the_send_button_goes_once_nothing_is_left_to_send_and_a_late_click_is_told(sec_world):
    """The button stayed after every letter had gone, and a click did nothing visible."""
    client = _client(sec_world, "office_staff")
    page = reverse("talentpool:group-draw", args=[sec_world.group_a.pk])
    send = reverse("talentpool:group-send-drafts", args=[sec_world.group_a.pk])
    request = requested(sec_world)
    assert 'id="send-drafts"' in client.get(page).content.decode()
    client.post(send)
    request.refresh_from_db()
    assert request.status == "requested"
    assert 'id="send-drafts"' not in client.get(page).content.decode()
    response = client.post(send, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["没有待发出的抽调函。"]
