"""The draw warns about group size and never proposes again a cadre refused in the round (issue 13 item 8)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from inspection.models import GroupMembership
from inspection.services import add_member
from talentpool.models import Draw
from talentpool.services import draw as draws
from talentpool.services import secondments
from tests.factories import PersonFactory
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import declined, home, pooled, requested

sec_world = secondment_fixtures.sec_world
pytestmark = pytest.mark.django_db


def _client(world, key="office_staff"):
    client = Client()
    client.force_login(world.users[key])
    return client


def _fill(world, size):
    while GroupMembership.objects.filter(group=world.group_a, end_date__isnull=True).count() < size:
        add_member(by=None, group=world.group_a, person=PersonFactory())


def test_a_group_of_seven_getting_six_more_is_warned_on_the_draw_page(sec_world):
    _fill(sec_world, 7)
    for _ in range(6):
        pooled(home(sec_world))
    client = _client(sec_world)
    url = reverse("talentpool:group-draw", args=[sec_world.group_a.pk])
    client.post(url, {"yearly_cap": 2, "mix_finance_audit": 6})
    page = client.get(url)
    assert 'id="group-size-warning"' in page.content.decode()
    assert "13" in page.context["size_warning"]
    draw = Draw.objects.get(group=sec_world.group_a)
    response = client.post(reverse("talentpool:draw-accept", args=[draw.pk]), {}, follow=True)
    assert any("13" in str(m) for m in response.context["messages"])


def test_a_group_that_stays_within_seven_gets_no_warning(sec_world):
    _fill(sec_world, 5)
    pooled(home(sec_world))
    draw = draws.draw_candidates(
        group=sec_world.group_a, skill_mix={"finance_audit": 1}, yearly_cap=2, by=sec_world.users["office_staff"]
    )
    size = draws.group_size(sec_world.group_a, draw)
    assert (size.members, size.pending, size.proposed, size.too_big) == (5, 0, 1, False)
    page = _client(sec_world).get(reverse("talentpool:group-draw", args=[sec_world.group_a.pk]))
    assert 'id="group-size-warning"' not in page.content.decode()


def test_requests_under_way_count_towards_the_size(sec_world):
    _fill(sec_world, 6)
    requested(sec_world)
    requested(sec_world)
    size = draws.group_size(sec_world.group_a)
    assert (size.members, size.pending, size.too_big) == (6, 2, True)
    assert "8" in draws.size_warning(size)


def test_a_cadre_refused_in_the_round_is_never_proposed_again(sec_world):
    refused = declined(sec_world)
    entry = refused.pool_entry
    # Replaced by someone else: the refused cadre is free in the round, yet stays out of every draw.
    secondments.replace_request(request=refused, by=sec_world.users["office_staff"], entry=pooled(home(sec_world)))
    draw = draws.draw_candidates(
        group=sec_world.group_b, skill_mix={"finance_audit": 5}, yearly_cap=2, by=sec_world.users["office_staff"]
    )
    assert entry.person.name not in [row["name"] for row in draw.candidates]
    excluded = {row["name"]: row for row in draw.excluded}
    assert "refused" in excluded[entry.person.name]["reasons"]
    assert excluded[entry.person.name]["hard"]
    with pytest.raises(ValidationError, match="拒绝"):
        draws.override_candidate(draw=draw, entry=entry, by=sec_world.users["office_staff"], note="再试一次")
