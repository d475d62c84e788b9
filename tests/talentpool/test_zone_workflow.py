"""A collaboration zone is set up planned and activated through its declared transition (issue 13 item 1)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.transitions import allowed_transitions
from talentpool.models import CollaborationZone
from talentpool.services.cross_staffing import activate_zone, create_zone
from tests.helpers import logged_in

Z = CollaborationZone.Status
pytestmark = pytest.mark.django_db


def _zone(world, **fields) -> CollaborationZone:
    return create_zone(
        by=None,
        name="第一办案协作区",
        supervision_office=world.partner_x,
        investigation_office=world.partner_y,
        townships=[world.unit_a.org_unit],
        **fields,
    )


def test_a_zone_starts_planned_and_needs_its_start_date_to_go_to_work(world):
    zone = _zone(world)
    assert zone.status == Z.PLANNED
    with pytest.raises(ValidationError) as refused:
        activate_zone(by=world.users["office_staff"], zone=zone)
    assert len(refused.value.messages) == 1
    CollaborationZone.objects.filter(pk=zone.pk).update(active_from=date(2020, 1, 2))
    assert activate_zone(by=world.users["office_staff"], zone=zone).status == Z.ACTIVE
    with pytest.raises(ValidationError):  # once only
        activate_zone(by=world.users["office_staff"], zone=zone)


def test_only_the_office_may_activate_and_the_page_offers_it(world):
    zone = _zone(world, active_from=date(2020, 1, 2))
    assert [t.name for t in allowed_transitions(zone, world.users["office_staff"])] == ["activate"]
    assert allowed_transitions(zone, world.users["member_a"]) == []
    with pytest.raises(ValidationError, match="无权"):
        activate_zone(by=world.users["member_a"], zone=zone)
    client = logged_in(world.users["office_staff"])
    page = client.get(reverse("talentpool:cross-staffing")).content.decode()
    assert reverse("talentpool:zone-activate", args=[zone.pk]) in page
    response = client.post(reverse("talentpool:zone-activate", args=[zone.pk]))
    assert response.status_code == 302
    assert CollaborationZone.objects.get(pk=zone.pk).status == Z.ACTIVE
    assert (
        reverse("talentpool:zone-activate", args=[zone.pk])
        not in client.get(reverse("talentpool:cross-staffing")).content.decode()
    )
