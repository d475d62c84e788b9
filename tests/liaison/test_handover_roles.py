"""Contact log and handovers are read by the office, the unit's group and its officer only, at the model
level: others who may view the unit (the clue custodian, a pool manager) get no row through for_user()."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.models import ContactLogEntry, HandoverRecord
from liaison.services.contact import record_entry
from liaison.services.handovers import request_materials
from tests.conftest import assert_matrix, make_user, role_keys
from tests.exports import export_rows
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_only_the_handover_roles_read_the_log_and_the_handovers(liaison_world):  # noqa: F811
    world = liaison_world
    request_materials(
        by=world.users["member_a"],
        inspected_unit=world.unit_a,
        item="2016年会议纪要",
        category="minutes",
        due_at=date(2017, 9, 1),
    )
    record_entry(
        by=world.users["member_a"], inspected_unit=world.unit_a, at=timezone.now(), channel="phone", subject="调阅材料"
    )
    pool_manager = make_user("pool_mgr", "pool_manager")
    for user in (world.users["clue_custodian"], pool_manager):
        assert not HandoverRecord.objects.for_user(user).exists()
        assert not ContactLogEntry.objects.for_user(user).exists()
    for key in ("office_head", "office_staff", "leader_a", "member_a", "liaison_a"):
        assert HandoverRecord.objects.for_user(world.users[key]).count() == 1, key
        assert ContactLogEntry.objects.for_user(world.users[key]).count() == 1, key
    for key in ("member_b", "liaison_b"):
        assert not HandoverRecord.objects.for_user(world.users[key]).exists(), key


def test_the_letter_list_is_a_page_for_letter_readers_and_partners_only(world):
    assert_matrix(
        world,
        reverse("clues:letter-list"),
        role_keys("office_head", "office_staff", "clue_custodian", "partner_x", "partner_y"),
    )


def test_the_log_and_the_handovers_export_for_the_same_readers_as_their_pages(liaison_world):  # noqa: F811

    from django.test import Client

    world = liaison_world
    request_materials(
        by=world.users["member_a"],
        inspected_unit=world.unit_a,
        item="2016年会议纪要",
        category="minutes",
        due_at=date(2017, 9, 1),
    )
    record_entry(
        by=world.users["liaison_a"], inspected_unit=world.unit_a, at=timezone.now(), channel="phone", subject="调阅材料"
    )
    readers = role_keys("office_head", "office_staff", "leader_a", "member_a", "liaison_a")
    for name, first in (("liaison:handover-export", "2016年会议纪要"), ("liaison:contact-log-export", None)):
        url = reverse(name, args=[world.unit_a.pk])
        assert_matrix(world, url, readers)
        client = Client()
        client.force_login(world.users["liaison_a"])
        rows = export_rows(client.get(url).content)
        assert len(rows) == 2
        if first:
            assert rows[1][0] == first
        else:
            assert rows[1][3] == "调阅材料"


def test_the_office_exports_a_round_s_liaison_offices(liaison_world):  # noqa: F811

    from django.test import Client

    world = liaison_world
    url = reverse("liaison:round-units-export", args=[world.round.pk])
    assert_matrix(world, url, role_keys("office_head", "office_staff"))
    client = Client()
    client.force_login(world.users["office_staff"])
    rows = export_rows(client.get(url).content)
    assert sorted(row[4] for row in rows[1:]) == ["联络员A", "联络员B"]
