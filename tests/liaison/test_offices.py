"""The liaison office and its one current officer: the database constraint, the service, the pages."""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from liaison.models import LiaisonAssignment
from liaison.services import offices
from liaison.stages import units_without_officer
from tests.conftest import assert_matrix, role_keys, status_for
from tests.factories import PersonFactory
from tests.liaison.liaison_fixtures import APPOINTED_ON, appoint_new_officer, liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _current(unit):
    return LiaisonAssignment.objects.filter(liaison_office__inspected_unit=unit, end_date__isnull=True)


def test_the_database_refuses_a_second_current_officer_written_past_the_service(liaison_world):  # noqa: F811 - fixture
    office = liaison_world.unit_a.liaison_office
    other = PersonFactory(home_unit=liaison_world.unit_a.org_unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonAssignment.objects.create(liaison_office=office, person=other, start_date=date(2017, 9, 1))
    assert _current(liaison_world.unit_a).count() == 1
    # An ended row is history, not a second current officer.
    LiaisonAssignment.objects.create(
        liaison_office=office, person=other, start_date=date(2017, 8, 1), end_date=date(2017, 8, 10)
    )


def test_replacing_the_officer_ends_the_old_assignment_and_moves_access(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    old_user = liaison_world.users["liaison_a"]
    page = reverse("liaison:unit-detail", args=[unit.pk])
    assert status_for(old_user, page) == 200
    new = PersonFactory(name="新联络员", home_unit=unit.org_unit)
    offices.appoint_officer(
        by=liaison_world.users["office_head"], office=unit.liaison_office, person=new, start_date=date(2017, 9, 4)
    )
    history = list(LiaisonAssignment.objects.filter(liaison_office__inspected_unit=unit).order_by("start_date"))
    assert [(a.person.name, a.start_date, a.end_date) for a in history] == [
        ("联络员A", APPOINTED_ON, date(2017, 9, 4)),
        ("新联络员", date(2017, 9, 4), None),
    ]
    assert status_for(old_user, page) == 404  # the old officer leaves the unit's circle


def test_the_service_refuses_what_the_rule_forbids(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    current = _current(unit).get()
    by = liaison_world.users["office_staff"]
    with pytest.raises(ValidationError, match="已是联络员"):
        offices.appoint_officer(by=by, office=unit.liaison_office, person=current.person, start_date=date(2017, 9, 1))
    outsider = PersonFactory(home_unit=liaison_world.unit_b.org_unit)
    with pytest.raises(ValidationError, match="须为"):
        offices.appoint_officer(by=by, office=unit.liaison_office, person=outsider, start_date=date(2017, 9, 1))
    early = PersonFactory(home_unit=unit.org_unit)
    with pytest.raises(ValidationError, match="不能早于"):
        offices.appoint_officer(by=by, office=unit.liaison_office, person=early, start_date=date(2017, 8, 1))
    assert _current(unit).get() == current


def test_the_round_names_the_units_still_without_an_officer(world):
    assert len(units_without_officer(world.round)) == 2
    offices.set_up_office(by=None, inspected_unit=world.unit_a)
    world.unit_a.refresh_from_db()
    appoint_new_officer(world, world.unit_a, "联络员甲")
    missing = units_without_officer(world.round)
    assert len(missing) == 1
    assert world.unit_b.org_unit.display_name in missing[0]


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        from django.db import connection

        try:
            barrier.wait()
            job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_appointments_racing_leave_exactly_one_current_officer(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    people = [PersonFactory(name=f"候选{i}", home_unit=unit.org_unit) for i in range(2)]
    by = liaison_world.users["office_staff"]

    def appoint(person):
        return lambda: offices.appoint_officer(
            by=by, office=unit.liaison_office, person=person, start_date=date(2017, 9, 4)
        )

    assert _race(*(appoint(p) for p in people)) == []  # the office row lock makes them take turns
    assert _current(unit).count() == 1
    assert LiaisonAssignment.objects.filter(liaison_office__inspected_unit=unit).count() == 3


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_inserting_past_the_service_cannot_both_win(liaison_world):  # noqa: F811 - fixture
    office = liaison_world.unit_b.liaison_office
    LiaisonAssignment.objects.filter(liaison_office=office).update(end_date=date(2017, 9, 1))
    people = [PersonFactory(home_unit=liaison_world.unit_b.org_unit) for _ in range(2)]

    def insert(person):
        def job():
            with transaction.atomic():
                LiaisonAssignment.objects.create(liaison_office=office, person=person, start_date=date(2017, 9, 1))

        return job

    errors = _race(*(insert(p) for p in people))
    assert len(errors) == 1
    assert isinstance(errors[0], IntegrityError)
    assert _current(liaison_world.unit_b).count() == 1


def test_the_office_sets_up_an_office_and_appoints_through_the_pages(world):
    client = Client()
    client.force_login(world.users["office_staff"])
    unit = world.unit_a
    response = client.post(
        reverse("liaison:office-set-up", args=[unit.pk]),
        {"established_at": "2017-08-14", "location": "二楼", "phone": "0755-3333"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.liaison_office.location == "二楼"
    person = PersonFactory(name="联络员丙", home_unit=unit.org_unit)
    client.post(reverse("liaison:officer-appoint", args=[unit.pk]), {"person": person.pk, "start_date": "2017-08-15"})
    assert _current(unit).get().person == person
    stranger = PersonFactory(home_unit=world.unit_b.org_unit)
    client.post(reverse("liaison:officer-appoint", args=[unit.pk]), {"person": stranger.pk, "start_date": "2017-08-20"})
    assert _current(unit).get().person == person  # not one of the unit's people: refused by the form


def test_only_the_office_manages_offices(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a
    for name in ("office-set-up", "officer-appoint"):
        assert_matrix(
            liaison_world,
            reverse(f"liaison:{name}", args=[unit.pk]),
            role_keys("office_head", "office_staff", status=302),
            method="post",
        )
    for url in (reverse("liaison:office-home"), reverse("liaison:round-units", args=[liaison_world.round.pk])):
        assert_matrix(liaison_world, url, role_keys("office_head", "office_staff"))


def test_the_portal_opens_the_officers_own_unit(liaison_world):  # noqa: F811 - fixture
    url = reverse("liaison:my-unit")
    for key, unit in (("liaison_a", liaison_world.unit_a), ("liaison_b", liaison_world.unit_b)):
        client = Client()
        client.force_login(liaison_world.users[key])
        assert client.get(url).url == reverse("liaison:unit-detail", args=[unit.pk])
    assert status_for(liaison_world.users["member_a"], url) == 404
    assert status_for(liaison_world.users["office_head"], url) == 404
