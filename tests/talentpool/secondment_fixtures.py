"""The draw and secondment world: the shared `world` plus a pool manager, two home units with their
contacts, and an active inspection pool. Imported by the test_draw*/test_secondments* modules.
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core import delivery
from core.models import Organisation, Person
from inspection.models import InspectedUnit
from talentpool.models import SecondmentRequest, TalentPoolEntry
from talentpool.services import secondments
from talentpool.services.recusals import declare_recusal
from tests.conftest import World, make_user
from tests.factories import OrganisationFactory, PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Thursday 2017-08-03, 10:00; three working days later is Tuesday 2017-08-08.
SENT_AT = datetime(2017, 8, 3, 10, 0, tzinfo=SHANGHAI)
DUE = date(2017, 8, 8)


@pytest.fixture
def sec_world(world: World) -> World:
    """The world with a pool manager and the HR contacts of two home units, X and Y."""
    office = Organisation.objects.get(name="巡察办")
    home_x = OrganisationFactory(name="区人社局")
    home_y = OrganisationFactory(name="区审计局")
    world.users["pool_manager"] = make_user("pool_mgr", "pool_manager", organisation=office)
    world.users["contact_x"] = make_user("hr_x", "home_unit_contact", organisation=home_x)
    world.users["contact_y"] = make_user("hr_y", "home_unit_contact", organisation=home_y)
    return world


def home(world: World, key: str = "x") -> Organisation:
    return world.users[f"contact_{key}"].organisation


def pooled(
    home_unit: Organisation,
    specialty: str = "finance_audit",
    name: str | None = None,
    status: str = TalentPoolEntry.Status.ACTIVE,
) -> TalentPoolEntry:
    person = PersonFactory(home_unit=home_unit, **({"name": name} if name else {}))
    return TalentPoolEntry.objects.create(
        person=person, pool_type=TalentPoolEntry.PoolType.INSPECTION, specialty=specialty, status=status
    )


def requested(
    world: World, entry: TalentPoolEntry | None = None, group: Any = None, **kwargs: Any
) -> SecondmentRequest:
    """A draft request for entry (a new cadre of home unit X by default) in group A."""
    entry = entry or pooled(home(world))
    return secondments.create_request(
        entry=entry, group=group or world.group_a, by=world.users["office_staff"], **kwargs
    )


def sent(world: World, request: SecondmentRequest | None = None, now: datetime = SENT_AT) -> SecondmentRequest:
    """Sent and delivered (the task runs eagerly once the on-commit callbacks run)."""
    request = request or requested(world)
    secondments.send_request(request=request, by=world.users["office_staff"], now=now)
    delivery.deliver_record(request)
    return SecondmentRequest.objects.get(pk=request.pk)


def accepted(world: World, request: SecondmentRequest | None = None) -> SecondmentRequest:
    request = sent(world, request)
    return secondments.accept_request(request=request, by=world.users["contact_x"])


def declined(world: World, request: SecondmentRequest | None = None) -> SecondmentRequest:
    request = sent(world, request)
    return secondments.decline_request(
        request=request, by=world.users["contact_x"], decline_code="workload", decline_reason="年底任务重"
    )


def clear_declarations(world: World, person: Person, units: list[InspectedUnit] | None = None) -> None:
    for unit in units or [world.unit_a]:
        declare_recusal(by=None, person=person, inspected_unit=unit, has_conflict=False)


def confirmed(world: World) -> SecondmentRequest:
    request = accepted(world)
    clear_declarations(world, request.person)
    return secondments.confirm_request(request=request, by=world.users["office_staff"])


def on_duty(world: World) -> SecondmentRequest:
    return secondments.report_for_duty(request=confirmed(world), by=world.users["leader_a"])


def site_over(world: World) -> None:
    type(world.round).objects.filter(pk=world.round.pk).update(status="reporting")
