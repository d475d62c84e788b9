"""Letters fixtures: partners X and Y of the `world`, with draft and sent letters."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clues.models import InfoRequestLetter, PartnerUnit
from clues.services import letters
from clues.services.partners import register_partner
from tests.conftest import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Thursday 2017-08-03, 10:00: the demo's sending day; five working days later is 2017-08-10.
SENT_AT = datetime(2017, 8, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def partners(world: World) -> dict[str, PartnerUnit]:
    x = register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    y = register_partner(
        by=None, org_unit=world.partner_y, category="petition", sort_order=2, request_items=["信访情况"]
    )
    return {"x": x, "y": y}


@pytest.fixture
def drafts(world: World, partners: dict[str, PartnerUnit]) -> dict[str, InfoRequestLetter]:
    created = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    return {("x" if letter.partner_id == partners["x"].pk else "y"): letter for letter in created}


def send(letter: InfoRequestLetter, world: World, now: datetime = SENT_AT) -> InfoRequestLetter:
    letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    letters.approve_and_send(letter=letter, by=world.users["office_head"], now=now)
    return InfoRequestLetter.objects.get(pk=letter.pk)


@pytest.fixture
def sent(
    world: World, drafts: dict[str, InfoRequestLetter], django_capture_on_commit_callbacks: Any
) -> dict[str, InfoRequestLetter]:
    with django_capture_on_commit_callbacks(execute=True):
        letters = {key: send(letter, world) for key, letter in drafts.items()}
    # Delivery ran after commit: read the letters again.
    return {key: InfoRequestLetter.objects.get(pk=letter.pk) for key, letter in letters.items()}
