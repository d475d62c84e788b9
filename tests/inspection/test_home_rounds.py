"""The workbench's rounds section (issue 13 item 9): the rounds the user has work in come first."""

import pytest
from django.test import Client

from inspection import services as rounds
from inspection.models import InspectionRound
from inspection.selectors import home_rounds

pytestmark = pytest.mark.django_db


def _later_rounds(count: int, status: str) -> list[InspectionRound]:
    return [
        rounds.create_round(
            by=None, committee_term=13, year=2018 + n, round_no=2 + n, title=f"第{2 + n}轮", status=status
        )
        for n in range(count)
    ]


def test_a_round_under_way_comes_before_later_finished_ones(world):
    InspectionRound.objects.filter(pk=world.round.pk).update(status=InspectionRound.Status.ONSITE)
    finished = _later_rounds(5, InspectionRound.Status.ARCHIVED)
    listed = [r.pk for r in home_rounds(world.users["office_head"])["rounds"]]
    assert listed == [world.round.pk, *[r.pk for r in reversed(finished)][:4]]


def test_the_user_s_own_round_comes_first(world):
    InspectionRound.objects.filter(pk=world.round.pk).update(status=InspectionRound.Status.ONSITE)
    under_way = _later_rounds(2, InspectionRound.Status.PREPARING)
    head = [r.pk for r in home_rounds(world.users["office_head"])["rounds"]]
    assert head[:3] == [under_way[1].pk, under_way[0].pk, world.round.pk]  # all under way: latest first
    mine = [r.pk for r in home_rounds(world.users["member_a"])["rounds"]]
    assert mine[0] == world.round.pk  # member A sits in the first round's group


def test_the_home_page_lists_the_on_site_round(world):
    InspectionRound.objects.filter(pk=world.round.pk).update(status=InspectionRound.Status.ONSITE)
    _later_rounds(5, InspectionRound.Status.ARCHIVED)
    client = Client()
    client.force_login(world.users["office_head"])
    assert "第一轮" in client.get("/").content.decode()


def test_the_member_s_own_round_is_marked(world):
    client = Client()
    client.force_login(world.users["member_a"])
    assert "本人所在组" in client.get("/").content.decode()
