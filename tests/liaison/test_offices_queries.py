"""Every liaison list page runs the same number of queries at 2 rows as at 10."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from inspection import services as rounds
from inspection.models import InspectionRound
from liaison.services import contact, handovers, offices
from tests.factories import OrganisationFactory, PersonFactory
from tests.helpers import page_queries
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _grow(world, count: int) -> None:
    """count more contacts and handovers on unit A, and count more units (with officers) in the round."""
    users = world.users
    unit = world.unit_a
    for n in range(count):
        contact.record_entry(
            by=users["liaison_a"],
            inspected_unit=unit,
            at=timezone.make_aware(datetime.combine(date(2017, 9, 1), time(9 + n % 8))),
            channel="phone",
            subject=f"联系{n}",
        )
        handover = handovers.request_materials(
            by=users["member_a"], inspected_unit=unit, item=f"材料{n}", category="documents", due_at=date(2017, 9, 8)
        )
        handovers.deliver(by=users["liaison_a"], handover=handover)
        extra = rounds.assign_unit(by=None, group=world.group_b, org_unit=OrganisationFactory())
        office = offices.set_up_office(by=None, inspected_unit=extra, established_at=date(2017, 8, 14))
        offices.appoint_officer(
            by=None, office=office, person=PersonFactory(home_unit=extra.org_unit), start_date=date(2017, 8, 15)
        )


def test_the_pages_do_not_grow_with_their_rows(liaison_world):  # noqa: F811 - fixture
    unit = liaison_world.unit_a.pk
    # An open round, so that the office's quiet list has rows too (no entries on the new units).
    InspectionRound.objects.filter(pk=liaison_world.round.pk).update(status=InspectionRound.Status.ONSITE)

    def measure() -> dict[str, int]:
        users = liaison_world.users
        return {
            "round units": page_queries(
                users["office_staff"], reverse("liaison:round-units", args=[liaison_world.round.pk])
            ),
            "office home": page_queries(users["office_head"], reverse("liaison:office-home")),
            "unit": page_queries(users["liaison_a"], reverse("liaison:unit-detail", args=[unit])),
            "contact log": page_queries(users["member_a"], reverse("liaison:contact-log", args=[unit])),
            "handovers": page_queries(users["liaison_a"], reverse("liaison:handover-list", args=[unit])),
            "handovers for the office": page_queries(
                users["office_staff"], reverse("liaison:handover-list", args=[unit])
            ),
        }

    _grow(liaison_world, 2)
    few = measure()
    _grow(liaison_world, 8)
    many = measure()
    assert many == few
