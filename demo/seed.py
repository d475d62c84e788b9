from typing import Any

from django.db import transaction

from clues.models import PartnerUnit
from clues.services.partners import register_partner
from core.models import Organisation, Person, User
from core.roles import Role
from core.services.directory import create_person, create_user_account, ensure_organisation
from demo import data, liaison, talent
from demo.history import seed_history
from demo.letters import seed_round_1_letters
from demo.rounds import build_round
from inspection.models import InspectionRound


def _org(spec: tuple) -> Organisation:
    name, short, aliases, unit_type = spec[:4]
    return ensure_organisation(by=None, name=name, short_name=short, aliases=aliases, unit_type=unit_type)


@transaction.atomic
def seed_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in (data.OFFICE, data.PARTY_COMMITTEE):
        orgs[spec[1]] = _org(spec)
    for order, partner in enumerate(data.PARTNERS, start=1):
        org = _org(partner)
        orgs[partner[1]] = org
        if not PartnerUnit.objects.filter(org_unit=org).exists():
            register_partner(by=None, org_unit=org, category=partner[4], sort_order=order, request_items=partner[5])
    commission = orgs["区纪委监委"]
    name, short, aliases, unit_type = data.CASE_MANAGEMENT_OFFICE
    orgs[short] = ensure_organisation(
        by=None, name=name, short_name=short, aliases=aliases, unit_type=unit_type, parent=commission
    )
    for unit in data.INSPECTED_UNITS:
        orgs[unit[1]] = _org(unit)
    return orgs


@transaction.atomic
def seed_people(orgs: dict[str, Organisation]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for members in data.GROUP_MEMBERS.values():
        for name, _role, seconded_from, _liaison in members:
            home = orgs[seconded_from] if seconded_from else orgs["区委巡察办"]
            existing = Person.objects.filter(name=name, home_unit=home).first()
            people[name] = existing or create_person(by=None, name=name, home_unit=home, position="干部")
    return people


@transaction.atomic
def seed_accounts(orgs: dict[str, Organisation], people: dict[str, Person]) -> None:
    for username, role, last, first, org_short, person_name, is_staff in data.ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        create_user_account(
            by=None,
            username=username,
            password=data.DEMO_PASSWORD,
            roles=[role],
            organisation=orgs[org_short],
            person=people.get(person_name) if person_name else None,
            last_name=last,
            first_name=first,
            is_staff=is_staff,
        )


@transaction.atomic
def seed_round_1(orgs: dict[str, Organisation], people: dict[str, Person]) -> InspectionRound:
    spec = data.ROUND_1
    existing = InspectionRound.objects.filter(committee_term=spec["committee_term"], round_no=spec["round_no"]).first()
    if existing:
        return existing
    office_head = User.objects.filter(username="office_head").first()
    units = [(orgs[short], group_no) for _name, short, _aliases, _type, group_no in data.INSPECTED_UNITS]
    return build_round(spec, units, talent.round_staffing(1, people), by=office_head)


def seed_demo() -> None:
    """Create whatever part of the demo is missing; running it again changes nothing."""
    orgs = seed_organisations()
    orgs.update(talent.seed_discipline_bodies(orgs))
    orgs.update(liaison.later_round_units())
    people = seed_people(orgs)
    people.update(liaison.liaison_people(orgs))
    seed_accounts(orgs, people)
    talent.seed_pools(orgs, people)
    round_1 = seed_round_1(orgs, people)
    liaison.seed_liaison_offices(round_1)
    talent.seed_round_1_secondments(round_1, people)
    seed_round_1_letters(round_1)
    seed_history(orgs, people, round_1)
    talent.seed_case_work(orgs, people)
    talent.seed_zone(orgs)
    liaison.seed_liaison_work(round_1)  # after the secondments: group 1's seconded member asks for materials


def account_rows() -> list[tuple[Any, ...]]:
    return [(username, str(Role(role).label), data.DEMO_PASSWORD) for username, role, *_ in data.ACCOUNTS]
