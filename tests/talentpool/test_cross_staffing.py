"""Cross-staffing: case work never overlaps a group membership; zones; the two cross figures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import Organisation
from core.statistics import compute_all
from inspection import services as rounds
from inspection.models import GroupMembership
from talentpool.models import CaseWorkAssignment
from talentpool.services.cross_staffing import assign_case_work, create_zone
from tests.conftest import assert_matrix, role_keys
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world) -> Organisation:
    return OrganisationFactory(
        name="第一审查调查室", unit_type=Organisation.UnitType.COMMISSION_INTERNAL_OFFICE, parent=world.commission
    )


def test_case_work_never_overlaps_a_group_membership(world, office):
    person = world.users["member_a"].person
    GroupMembership.objects.filter(person=person).update(start_date=date(2017, 8, 21), end_date=date(2017, 10, 10))
    with pytest.raises(ValidationError, match="巡察组"):
        assign_case_work(
            by=None, person=person, batch_label="第一批", start_date=date(2017, 10, 1), handling_office=office
        )
    between = assign_case_work(
        by=None, person=person, batch_label="第一批", start_date=date(2017, 11, 1), end_date=date(2018, 1, 31),
        handling_office=office,
    )  # fmt: skip
    assert between.pk


def test_case_work_names_its_office_or_case_and_ends_after_it_starts(world, office):
    person = PersonFactory()
    with pytest.raises(ValidationError):
        assign_case_work(by=None, person=person, batch_label="第一批", start_date=date(2018, 1, 1))
    with pytest.raises(ValidationError):
        assign_case_work(
            by=None, person=person, batch_label="第一批", start_date=date(2018, 1, 1), end_date=date(2017, 1, 1),
            handling_office=office,
        )  # fmt: skip
    assert not CaseWorkAssignment.objects.exists()


def test_discipline_cadres_in_inspection_count_people_from_the_commission_and_its_offices(world, office):
    rounds.add_member(by=None, group=world.group_b, person=PersonFactory(home_unit=world.commission))
    rounds.add_member(by=None, group=world.group_b, person=PersonFactory(home_unit=office))
    assert compute_all()["discipline_cadres_in_inspection"] == 2


def test_a_zone_links_townships_to_two_commission_offices(world, office):
    township = OrganisationFactory(name="河口镇", unit_type=Organisation.UnitType.TOWNSHIP)
    zone = create_zone(
        by=None, name="第一协作区", supervision_office=office, investigation_office=office, townships=[township],
        linked_group_number=1,
    )  # fmt: skip
    assert list(zone.townships.all()) == [township]


def test_the_cross_staffing_page_is_the_office_s(world, office):
    assert_matrix(world, reverse("talentpool:cross-staffing"), role_keys("office_head", "office_staff"))
    client = Client()
    client.force_login(world.users["office_staff"])
    response = client.post(
        reverse("talentpool:cross-staffing"),
        {"form": "work", "person": world.users["member_b"].person.pk, "batch_label": "第二批",
         "start_date": "2018-03-01", "handling_office": office.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert CaseWorkAssignment.objects.get().batch_label == "第二批"


def test_inspection_cadres_in_case_work_are_full_time_members_or_pool_members(world, office):
    full_time = world.users["member_b"].person
    seconded = PersonFactory()
    rounds.add_member(by=None, group=world.group_b, person=seconded, is_seconded=True)
    stranger = PersonFactory()
    for person in (full_time, seconded, stranger):
        assign_case_work(
            by=None, person=person, batch_label="第一批", start_date=date(2019, 1, 2), handling_office=office
        )
    assert compute_all()["inspection_cadres_in_case_work"] == 1
