"""Draw fairness per person and year; the cross-staffing list keeps its query count."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Organisation
from talentpool.models import SecondmentRequest
from talentpool.selectors.fairness import secondments_per_person
from talentpool.services.cross_staffing import assign_case_work
from tests.conftest import assert_matrix, role_keys
from tests.exports import export_rows
from tests.factories import OrganisationFactory, PersonFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db


def _served(world, person, year_round) -> SecondmentRequest:
    return SecondmentRequest.objects.create(
        inspection_round=year_round, person=person, home_unit=person.home_unit, status="completed"
    )


def test_fairness_counts_only_released_secondments_per_person_and_year(world):
    from inspection import services as rounds

    later = rounds.create_round(by=None, committee_term=13, year=2018, round_no=2, title="第二轮")
    busy, calm = PersonFactory(name="甲"), PersonFactory(name="乙")
    _served(world, busy, world.round)
    _served(world, busy, later)
    _served(world, calm, later)
    SecondmentRequest.objects.create(
        inspection_round=world.round, person=calm, home_unit=calm.home_unit, status="declined"
    )
    years, rows = secondments_per_person()
    assert years == [2017, 2018]
    assert [(r.name, r.by_year, r.total) for r in rows] == [("甲", [1, 1], 2), ("乙", [0, 1], 1)]
    assert_matrix(world, reverse("talentpool:secondment-fairness"), role_keys("office_head", "office_staff"))


def test_the_cross_staffing_list_does_not_grow_in_queries(world):
    office = OrganisationFactory(unit_type=Organisation.UnitType.COMMISSION_INTERNAL_OFFICE, parent=world.commission)
    client = Client()
    client.force_login(world.users["office_staff"])
    url = reverse("talentpool:cross-staffing")

    def add(n: int) -> None:
        for _ in range(n):
            assign_case_work(
                by=None,
                person=PersonFactory(),
                batch_label="第一批",
                start_date=date(2019, 1, 2),
                handling_office=office,
            )

    add(2)
    few = page_queries(client, url)
    add(8)
    assert page_queries(client, url) == few


def test_case_work_and_secondments_export_for_the_office(world):

    office = OrganisationFactory(unit_type=Organisation.UnitType.COMMISSION_INTERNAL_OFFICE, parent=world.commission)
    assign_case_work(
        by=None,
        person=PersonFactory(name="办案甲"),
        batch_label="第一批",
        start_date=date(2019, 1, 2),
        handling_office=office,
    )
    person = PersonFactory(name="抽调乙")
    SecondmentRequest.objects.create(
        inspection_round=world.round, person=person, home_unit=person.home_unit, status="declined",
        decline_code="workload", decline_reason="=SUM(A1)",
    )  # fmt: skip
    for name in ("talentpool:case-work-export", "talentpool:secondment-export"):
        assert_matrix(world, reverse(name), role_keys("office_head", "office_staff"))
    client = Client()
    client.force_login(world.users["office_staff"])
    work = export_rows(client.get(reverse("talentpool:case-work-export")).content)
    assert work[1][0] == "办案甲"
    assert work[1][2] == "第一批"
    sec = export_rows(client.get(reverse("talentpool:secondment-export")).content)
    assert sec[1][1] == "抽调乙"
    assert sec[1][9] == "'=SUM(A1)"  # never a formula
