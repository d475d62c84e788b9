"""Nomination and every status move of a pool entry, with their guards, audit and statistics."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.audit import history
from core.models import AuditLog, Organisation
from core.statistics import compute_all
from talentpool.models import Specialty, TalentPoolEntry
from talentpool.services import pools
from talentpool.statistics import pool_count, talent_pool_size
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

S = TalentPoolEntry.Status
INSPECTION = TalentPoolEntry.PoolType.INSPECTION
INVESTIGATION = TalentPoolEntry.PoolType.INVESTIGATION
TODAY = date(2017, 9, 1)


def nominated(world, person=None, pool=INSPECTION) -> TalentPoolEntry:
    return pools.nominate(
        by=world.users["office_staff"],
        pool_type=pool,
        specialty=Specialty.FINANCE_AUDIT,
        person=person or PersonFactory(),
        today=TODAY,
    )


def active(world, person=None, pool=INSPECTION) -> TalentPoolEntry:
    entry = nominated(world, person, pool)
    pools.vet(entry=entry, by=world.users["office_staff"], today=TODAY)
    return pools.activate(entry=entry, by=world.users["office_head"], today=TODAY)


def test_nominating_a_new_person_creates_them_in_the_directory(pool_world):
    unit = Organisation.objects.get(name="区财政局")
    entry = pools.nominate(
        by=pool_world.users["pool_manager"],
        pool_type=INSPECTION,
        specialty=Specialty.FINANCE_AUDIT,
        new_person={"name": "李明", "home_unit": unit, "birth_year": 1975},
        nominated_by_unit=unit,
        today=TODAY,
    )
    assert entry.status == S.NOMINATED
    assert entry.nominated_at == TODAY
    assert entry.person.name == "李明"
    assert entry.person.home_unit == unit
    assert [log.action for log in history(entry)] == [AuditLog.Action.CREATE]


def test_an_entry_goes_through_vetting_approval_suspension_and_reinstatement(world):
    entry = nominated(world)
    entry = pools.vet(entry=entry, by=world.users["office_staff"], today=TODAY)
    assert (entry.status, entry.vetted_at) == (S.VETTED, TODAY)
    entry = pools.activate(entry=entry, by=world.users["office_head"], today=TODAY)
    assert (entry.status, entry.approved_at) == (S.ACTIVE, TODAY)
    entry = pools.suspend(entry=entry, by=world.users["office_head"], reason="借调省委巡视组")
    assert (entry.status, entry.removal_reason) == (S.SUSPENDED, "借调省委巡视组")
    entry = pools.reinstate(entry=entry, by=world.users["office_head"])
    assert (entry.status, entry.removal_reason) == (S.ACTIVE, "")
    entry = pools.remove(entry=entry, by=world.users["office_head"], reason="考核不称职")
    assert entry.status == S.REMOVED
    transitions = [log for log in history(entry) if log.action == AuditLog.Action.TRANSITION]
    assert [log.changes["status"] for log in reversed(transitions)] == [
        ["nominated", "vetted"],
        ["vetted", "active"],
        ["active", "suspended"],
        ["suspended", "active"],
        ["active", "removed"],
    ]
    assert transitions[0].note == "考核不称职"


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.NOMINATED, "activate"),
        (S.NOMINATED, "suspend"),
        (S.NOMINATED, "reinstate"),
        (S.VETTED, "vet"),
        (S.VETTED, "suspend"),
        (S.ACTIVE, "vet"),
        (S.ACTIVE, "activate"),
        (S.ACTIVE, "reinstate"),
        (S.SUSPENDED, "activate"),
        (S.SUSPENDED, "suspend"),
        (S.REMOVED, "vet"),
        (S.REMOVED, "reinstate"),
        (S.REMOVED, "remove"),
    ],
)
def test_a_move_out_of_order_is_refused_and_changes_nothing(world, status, move):
    entry = nominated(world)
    TalentPoolEntry.objects.filter(pk=entry.pk).update(status=status)
    service = {
        "vet": pools.vet,
        "activate": pools.activate,
        "suspend": pools.suspend,
        "reinstate": pools.reinstate,
        "remove": pools.remove,
    }[move]
    extra = {"reason": "理由"} if move in pools.NEEDS_REASON else {}
    with pytest.raises(ValidationError):
        service(entry=entry, by=world.users["office_head"], **extra)
    entry.refresh_from_db()
    assert entry.status == status
    assert not history(entry).filter(action=AuditLog.Action.TRANSITION).exists()


def test_the_moves_offered_follow_the_status(world):
    entry = nominated(world)
    assert pools.available_moves(entry) == ["vet", "remove"]
    entry.status = S.SUSPENDED
    assert pools.available_moves(entry) == ["reinstate", "remove"]
    entry.status = S.REMOVED
    assert pools.available_moves(entry) == []


@pytest.mark.parametrize("move", ["suspend", "remove"])
def test_suspension_and_removal_need_a_reason(world, move):
    entry = active(world)
    with pytest.raises(ValidationError):
        getattr(pools, move)(entry=entry, by=world.users["office_head"], reason="  ")
    entry.refresh_from_db()
    assert entry.status == S.ACTIVE


def test_a_person_is_in_each_pool_at_most_once_while_live(world):
    person = PersonFactory()
    first = nominated(world, person)
    with pytest.raises(ValidationError):
        nominated(world, person)
    assert nominated(world, person, INVESTIGATION).pool_type == INVESTIGATION
    pools.remove(entry=first, by=world.users["office_head"], reason="重新推荐")
    assert nominated(world, person).status == S.NOMINATED
    assert TalentPoolEntry.objects.filter(person=person).count() == 3


def test_the_database_refuses_a_second_live_entry_in_a_pool(world):
    entry = nominated(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        TalentPoolEntry.objects.create(person=entry.person, pool_type=INSPECTION, specialty=Specialty.OTHER)
    TalentPoolEntry.objects.create(person=entry.person, pool_type=INVESTIGATION, specialty=Specialty.OTHER)
    TalentPoolEntry.objects.create(
        person=entry.person, pool_type=INSPECTION, specialty=Specialty.OTHER, status=S.REMOVED
    )


def test_pool_statistics_count_active_entries(world):
    assert (talent_pool_size(), pool_count()) == (0, 0)
    active(world)
    active(world)
    nominated(world)
    suspended = active(world)
    pools.suspend(entry=suspended, by=world.users["office_head"], reason="病休")
    assert (talent_pool_size(), pool_count()) == (2, 1)
    active(world, pool=INVESTIGATION)
    stats = compute_all()
    assert (stats["talent_pool_size"], stats["pool_count"]) == (2, 2)
