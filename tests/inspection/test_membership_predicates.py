"""inspection.permissions: current membership, group member and group leader, asked in one place."""

from datetime import date

import pytest

from core.models import User
from inspection import services as rounds
from inspection.models import GroupMembership
from inspection.permissions import current_memberships, is_group_leader, is_group_member
from tests.conftest import make_user
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _end(world, key: str) -> None:
    membership = GroupMembership.objects.get(person=world.users[key].person)
    rounds.end_membership(by=None, membership=membership, end_date=date(2017, 6, 30))


def _deputy(world) -> User:
    person = PersonFactory(name="副组长A", home_unit=world.users["leader_a"].person.home_unit)
    rounds.add_member(by=None, group=world.group_a, person=person, role=GroupMembership.Role.DEPUTY_LEADER)
    return make_user("deputy_a", "group_member", person=person)


def test_current_memberships(world):
    assert [m.group for m in current_memberships(world.users["leader_a"])] == [world.group_a]
    assert not current_memberships(world.users["office_head"]).exists()  # no person
    _end(world, "member_a")
    assert not current_memberships(world.users["member_a"]).exists()


def test_group_member(world):
    member, leader = world.users["member_a"], world.users["leader_a"]
    assert is_group_member(member, world.group_a)
    assert is_group_member(member, world.group_a.pk)
    assert is_group_member(leader, world.group_a)
    assert is_group_member(_deputy(world), world.group_a)
    assert not is_group_member(member, world.group_b)  # another group
    assert not is_group_member(member, None)
    assert not is_group_member(world.users["office_head"], world.group_a)
    _end(world, "member_a")
    assert not is_group_member(member, world.group_a)  # ended


def test_group_leader(world):
    leader = world.users["leader_a"]
    assert is_group_leader(leader, world.group_a)
    assert is_group_leader(leader, world.group_a.pk)
    assert not is_group_leader(world.users["member_a"], world.group_a)
    assert not is_group_leader(_deputy(world), world.group_a)  # a deputy is not the leader
    assert not is_group_leader(leader, world.group_b)  # another group
    assert not is_group_leader(leader, None)
    _end(world, "leader_a")
    assert not is_group_leader(leader, world.group_a)  # ended: no longer acts as leader
