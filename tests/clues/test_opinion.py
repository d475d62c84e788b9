"""Online public opinion: who reads it, and turning an item into a clue."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clues.models import Clue
from clues.services import opinion
from tests.conftest import assert_matrix, role_keys, status_for
from tests.exports import export_rows


@pytest.fixture
def items(world):
    staff = world.users["office_staff"]
    about_a = opinion.record_opinion_item(
        inspection_round=world.round, by=staff, inspected_unit=world.unit_a, site_name="本地新闻网",
        title="网民反映被巡察单位A办事难", summary="网民反映办事效率低。", relevance="relevant",
    )  # fmt: skip
    about_b = opinion.record_opinion_item(
        inspection_round=world.round, by=staff, inspected_unit=world.unit_b, site_name="城市论坛",
        title="网民反映被巡察单位B作风问题", relevance="relevant",
    )  # fmt: skip
    return {"a": about_a, "b": about_b}


def test_the_opinion_page_is_for_the_office_and_the_round_groups(world, items):
    url = reverse("clues:opinion-list", args=[world.round.pk])
    assert_matrix(
        world, url, role_keys("office_head", "office_staff", "clue_custodian", "leader_a", "member_a", "member_b")
    )


def test_a_group_member_reads_only_items_about_its_own_units(world, items):
    from django.test import Client

    client = Client()
    client.force_login(world.users["member_a"])
    page = client.get(reverse("clues:opinion-list", args=[world.round.pk])).context["page_obj"]
    assert [item.pk for item in page] == [items["a"].pk]


def test_converting_makes_one_online_opinion_clue(world, items):
    clue = opinion.convert_to_clue(item=items["a"], by=world.users["office_staff"])
    assert clue.source_type == Clue.SourceType.ONLINE_OPINION
    assert clue.inspected_unit == world.unit_a
    with pytest.raises(ValidationError):
        opinion.convert_to_clue(item=items["a"], by=world.users["office_staff"])


def test_only_the_office_converts(world, items):
    url = reverse("clues:opinion-convert", args=[items["a"].pk])
    assert status_for(world.users["member_a"], url, "post") == 404
    assert not Clue.objects.exists()
    assert status_for(world.users["office_staff"], url, "post") == 302
    assert Clue.objects.count() == 1


def test_the_export_lists_only_the_items_the_user_reads(world, items):

    from django.test import Client

    url = reverse("clues:opinion-export", args=[world.round.pk])
    assert_matrix(
        world, url, role_keys("office_head", "office_staff", "clue_custodian", "leader_a", "member_a", "member_b")
    )
    client = Client()
    client.force_login(world.users["member_a"])
    rows = export_rows(client.get(url).content)
    assert [row[0] for row in rows[1:]] == ["网民反映被巡察单位A办事难"]
