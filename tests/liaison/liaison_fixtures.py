"""The fixture world with liaison offices: units A and B each have an office and a current officer.

liaison_a (already in the world) gets a person at unit A and is appointed; liaison_b is a new
officer of unit B, added to world.users so every permission matrix checks them too.
"""

from datetime import date

import pytest

from liaison.services import offices
from tests.conftest import World, make_user
from tests.factories import PersonFactory

APPOINTED_ON = date(2017, 8, 15)


def appoint_new_officer(world: World, unit, name: str, start: date = APPOINTED_ON):
    person = PersonFactory(name=name, home_unit=unit.org_unit)
    offices.appoint_officer(by=world.users["office_staff"], office=unit.liaison_office, person=person, start_date=start)
    return person


@pytest.fixture
def liaison_world(world: World) -> World:
    staff = world.users["office_staff"]
    for unit, phone in ((world.unit_a, "0755-1111"), (world.unit_b, "0755-2222")):
        offices.set_up_office(
            by=staff, inspected_unit=unit, established_at=date(2017, 8, 14), location="三楼会议室", phone=phone
        )
        unit.refresh_from_db()
    officer_a = PersonFactory(name="联络员A", home_unit=world.unit_a.org_unit)
    world.users["liaison_a"].person = officer_a
    world.users["liaison_a"].save(update_fields=["person"])
    offices.appoint_officer(by=staff, office=world.unit_a.liaison_office, person=officer_a, start_date=APPOINTED_ON)
    officer_b = PersonFactory(name="联络员B", home_unit=world.unit_b.org_unit)
    world.users["liaison_b"] = make_user(
        "liaison_b", "liaison_officer", organisation=world.unit_b.org_unit, person=officer_b
    )
    offices.appoint_officer(by=staff, office=world.unit_b.liaison_office, person=officer_b, start_date=APPOINTED_ON)
    return world
