"""Who sees a unit's liaison pages: its office, its group's members, its own officer; never clues for officers."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.services import handovers
from tests.conftest import assert_matrix, role_keys, status_for
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db

UNIT_PAGES = ("unit-detail", "contact-log", "handover-list", "handover-docx")


def _handover(world, unit, key):
    return handovers.request_materials(
        by=world.users[key], inspected_unit=unit, item="会议记录", category="minutes", due_at=date(2017, 9, 1)
    )


@pytest.mark.parametrize("page", UNIT_PAGES)
def test_each_unit_page_is_for_its_three_sides_only(liaison_world, page):  # noqa: F811 - fixture
    a_side = role_keys("office_head", "office_staff", "leader_a", "member_a", "liaison_a")
    b_side = role_keys("office_head", "office_staff", "member_b", "liaison_b")
    assert_matrix(liaison_world, reverse(f"liaison:{page}", args=[liaison_world.unit_a.pk]), a_side)
    assert_matrix(liaison_world, reverse(f"liaison:{page}", args=[liaison_world.unit_b.pk]), b_side)


def test_a_handover_of_another_unit_is_a_404(liaison_world):  # noqa: F811 - fixture
    handover = _handover(liaison_world, liaison_world.unit_b, "member_b")
    for action in ("deliver", "receive", "return", "cancel"):
        url = reverse("liaison:handover-action", args=[handover.pk, action])
        # Those who see it get their refusal as a message (302); everyone else a 404.
        assert_matrix(
            liaison_world,
            url,
            role_keys("office_head", "office_staff", "member_b", "liaison_b", status=302),
            method="post",
        )


def test_a_liaison_officer_reaches_no_clue_page(liaison_world):  # noqa: F811 - fixture
    from tests.clues.lifecycle import handed

    clue = handed(liaison_world)
    urls = [
        reverse("clues:clue-list"),
        reverse("clues:clue-detail", args=[clue.pk]),
        reverse("clues:transfer-proposals"),
        reverse("clues:funnel"),
    ]
    for key in ("liaison_a", "liaison_b"):
        got = {url: status_for(liaison_world.users[key], url) for url in urls}
        assert set(got.values()) == {404}, got


def test_a_liaison_officer_gets_a_404_on_the_transfer_list(liaison_world):  # noqa: F811 - fixture
    assert status_for(liaison_world.users["liaison_a"], reverse("clues:transfer-list")) == 404
