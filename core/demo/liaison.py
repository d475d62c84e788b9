"""Round 1's liaison offices and officers (DOMAIN §4.3), through the liaison services."""

from django.db import transaction

from core.demo import data
from core.models import Organisation, Person, User
from core.services.directory import create_person
from inspection.models import InspectionRound
from liaison.models import LiaisonOffice
from liaison.services.offices import appoint_officer, set_up_office


def liaison_people(orgs: dict[str, Organisation]) -> dict[str, Person]:
    """The officers as people of their units (made before the accounts, so 周敏's login links to her)."""
    people = {}
    for short, _location, _phone, officers in data.LIAISON_OFFICES:
        for name, position, _start, _end in officers:
            home = orgs[short]
            people[name] = Person.objects.filter(name=name, home_unit=home).first() or create_person(
                by=None, name=name, home_unit=home, position=position
            )
    return people


@transaction.atomic
def seed_liaison_offices(round_1: InspectionRound, orgs: dict[str, Organisation], people: dict[str, Person]) -> None:
    if LiaisonOffice.objects.filter(inspected_unit__inspection_round=round_1).exists():
        return
    office_staff = User.objects.filter(username="office_staff").first()
    units = {u.org_unit_id: u for u in round_1.inspected_units.all()}
    for short, location, phone, officers in data.LIAISON_OFFICES:
        unit = units[orgs[short].pk]
        office = set_up_office(
            by=office_staff, inspected_unit=unit, established_at=officers[0][2], location=location, phone=phone
        )
        for name, _position, start, _end in officers:
            appoint_officer(by=office_staff, office=office, person=people[name], start_date=start)
