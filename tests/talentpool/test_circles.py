"""Two roles in one organisation do not share each other's records: a unit's partner user and its
home-unit contact each see only what was sent to their own role (need to know, docs/domain.md §5.2)."""

import pytest
from django.urls import reverse

from clues.models import InfoRequestLetter
from clues.services import letters
from clues.services.partners import register_partner
from tests.clues.conftest import send
from tests.conftest import make_user, status_for
from tests.talentpool.secondment_fixtures import home, requested, sec_world, sent  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_partner_user_and_a_home_unit_contact_of_one_unit_see_only_their_own_records(
    sec_world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    unit = home(sec_world)
    partner_user = make_user("partner_of_x", "partner_user", organisation=unit)
    contact = sec_world.users["contact_x"]
    register_partner(by=None, org_unit=unit, category="audit", sort_order=9, request_items=["审计情况"])
    (draft,) = [
        d for d in letters.create_round_letters(inspection_round=sec_world.round, by=None) if d.partner.org_unit == unit
    ]
    with django_capture_on_commit_callbacks(execute=True):
        send(draft, sec_world)
        request = sent(sec_world, requested(sec_world))
    letter_url = reverse("clues:letter-detail", args=[InfoRequestLetter.objects.get(pk=draft.pk).pk])
    request_url = reverse("talentpool:secondment-detail", args=[request.pk])
    assert status_for(partner_user, letter_url) == 200
    assert status_for(contact, letter_url) == 404
    assert status_for(contact, request_url) == 200
    assert status_for(partner_user, request_url) == 404
