"""Fixture users that encode access, and the permission-matrix helper later issues parametrize.

The `world` fixture is one round with two groups (A and B), each covering one unit, and one
user per role and scope: office head/staff/custodian, leader and member of group A, member
of group B, a partner user of department X and of Y, a liaison officer of unit A, a receiver
in the discipline commission's case office and one in the organisation department, and an
outsider with no role.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from clues.models import PartnerUnit
from core.enqueue import resume_publishing
from core.models import Organisation, User
from core.services.directory import create_user_account
from inspection import services as rounds
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound
from tests.factories import OrganisationFactory, PersonFactory

PASSWORD = "Test-pass-2017!"


def make_user(
    username: str, *roles: str, organisation: Organisation | None = None, person: Any = None, **fields: Any
) -> User:
    return create_user_account(
        by=None, username=username, password=PASSWORD, roles=roles, organisation=organisation, person=person, **fields
    )


@dataclass
class World:
    round: InspectionRound
    group_a: InspectionGroup
    group_b: InspectionGroup
    unit_a: InspectedUnit
    unit_b: InspectedUnit
    partner_x: Organisation
    partner_y: Organisation
    commission: Organisation
    org_dept: Organisation
    users: dict[str, User] = field(default_factory=dict)


@pytest.fixture
def world(db: Any) -> World:
    office = OrganisationFactory(name="巡察办", short_name="巡察办", unit_type=Organisation.UnitType.PARTY_DEPT)
    partner_x = OrganisationFactory(name="协作单位X")
    partner_y = OrganisationFactory(name="协作单位Y")
    org_a = OrganisationFactory(name="被巡察单位A")
    org_b = OrganisationFactory(name="被巡察单位B")
    commission = OrganisationFactory(name="纪委监委", unit_type=Organisation.UnitType.DISCIPLINE_COMMISSION)
    case_office = OrganisationFactory(
        name="纪委监委案管室", unit_type=Organisation.UnitType.COMMISSION_INTERNAL_OFFICE, parent=commission
    )
    org_dept = OrganisationFactory(name="组织部", unit_type=Organisation.UnitType.PARTY_DEPT)
    # The organisation department is found through its partner category; inactive so that the
    # letter tests' drafts stay addressed to X and Y only.
    PartnerUnit.objects.create(org_unit=org_dept, category="organization", active=False)
    inspection_round = rounds.create_round(by=None, committee_term=13, year=2017, round_no=1, title="第一轮")
    group_a = rounds.create_group(by=None, inspection_round=inspection_round, number=1)
    group_b = rounds.create_group(by=None, inspection_round=inspection_round, number=2)
    unit_a = rounds.assign_unit(by=None, group=group_a, org_unit=org_a)
    unit_b = rounds.assign_unit(by=None, group=group_b, org_unit=org_b)
    leader_a = PersonFactory(name="组长A", home_unit=office)
    member_a = PersonFactory(name="组员A", home_unit=office)
    member_b = PersonFactory(name="组员B", home_unit=office)
    users = {
        "office_head": make_user("head", "office_head", organisation=office),
        "office_staff": make_user("staff", "office_staff", organisation=office),
        "clue_custodian": make_user("custodian", "clue_custodian", organisation=office),
        "leader_a": make_user("leader_a", "group_leader", organisation=office, person=leader_a),
        "member_a": make_user("member_a", "group_member", organisation=office, person=member_a),
        "member_b": make_user("member_b", "group_member", organisation=office, person=member_b),
        "partner_x": make_user("partner_x", "partner_user", organisation=partner_x),
        "partner_y": make_user("partner_y", "partner_user", organisation=partner_y),
        "liaison_a": make_user("liaison_a", "liaison_officer", organisation=org_a),
        "commission_receiver": make_user("commission_rx", "commission_receiver", organisation=case_office),
        "orgdept_receiver": make_user("orgdept_rx", "orgdept_receiver", organisation=org_dept),
        "outsider": make_user("outsider"),
    }
    rounds.add_member(by=None, group=group_a, person=leader_a, role="leader")
    rounds.add_member(by=None, group=group_a, person=member_a)
    rounds.add_member(by=None, group=group_b, person=member_b)
    return World(inspection_round, group_a, group_b, unit_a, unit_b, partner_x, partner_y, commission, org_dept, users)


def status_for(user: User | None, url: str, method: str = "get", data: dict | None = None) -> int:
    """The status one user gets for one request, from a fresh client (no shared session)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def assert_matrix(
    world: World, url: str, expected: dict[str, int], *, anonymous: int = 302, method: str = "get"
) -> None:
    """Check every fixture user against url. Users not named must get 404: a foreign object never leaks.

    Collects every mismatch before failing, so one run shows the whole matrix.
    """
    wrong = []
    for key, user in world.users.items():
        want = expected.get(key, 404)
        got = status_for(user, url, method)
        if got != want:
            wrong.append(f"{key}: expected {want}, got {got}")
    got = status_for(None, url, method)
    if got != anonymous:
        wrong.append(f"anonymous: expected {anonymous}, got {got}")
    assert not wrong, f"{method.upper()} {url}\n" + "\n".join(wrong)


def role_keys(*keys: str, status: int = 200) -> dict[str, int]:
    return dict.fromkeys(keys, status)


@pytest.fixture
def office_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["office_staff"])
    return client


def ids(rows: Iterable[Any]) -> set[Any]:
    return {row.pk for row in rows}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2's deliberate slowness costs seconds per fixture user; tests check logic, not cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _broker_not_paused() -> Any:
    # A test with a dead broker pauses publishing in this process (core.enqueue); the next
    # test starts with the broker it is configured with.
    yield
    resume_publishing()


@pytest.fixture(autouse=True)
def _migrations_data_after_a_flush(request: pytest.FixtureRequest) -> None:
    """Content types, permissions and role groups for a transactional test, whatever ran before.

    A transactional test's teardown flushes every table; with serialized_rollback it skips
    post_migrate and counts on the next test to restore the data. The first browser test's
    restore is pre-empted when Playwright starts in the same setup, and that test would find
    no role groups or permissions: post_migrate makes them again (sync_role_permissions).
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not (transactional or "live_server" in request.fixturenames or "transactional_db" in request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    from core.roles import Role

    if not Group.objects.filter(name=Role.OFFICE_HEAD).exists():
        ContentType.objects.clear_cache()
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
