"""Issue 13 item 6: each liaison hand-off tells exactly who acts next.

An item submitted for sign-off: the group's current leader and the office. Signed off or
returned: the unit's liaison officer. Materials delivered: the member who asked for them.
"""

from typing import Any

import pytest

from core import delivery
from core.models import Notification
from liaison.services import handovers
from liaison.services import ledger as ledger_services
from tests.liaison.ledger_fixtures import ledger_fixture, to_pending  # noqa: F401
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401

pytestmark = pytest.mark.django_db


def told(action: Any) -> set[str]:
    Notification.objects.all().delete()
    action()
    notes = Notification.objects.filter(kind=Notification.Kind.HANDOFF).select_related("recipient")
    return {note.recipient.username for note in notes}


def test_submitting_for_sign_off_tells_the_group_leader_and_the_office(ledger):
    assert told(lambda: to_pending(ledger)) == {"leader_a", "head", "staff"}


def test_signing_off_tells_the_liaison_officer(ledger):
    item = to_pending(ledger)
    who = told(lambda: ledger_services.sign_off(by=ledger.world.users["leader_a"], item=item))
    assert who == {"liaison_a"}


def test_returning_an_item_tells_the_liaison_officer_with_the_note(ledger):
    item = to_pending(ledger)
    who = told(lambda: ledger_services.return_item(by=ledger.world.users["leader_a"], item=item, note="缺少佐证"))
    assert who == {"liaison_a"}
    assert Notification.objects.get().body == "缺少佐证"


def test_delivered_materials_tell_the_member_who_asked(liaison_world):  # noqa: F811 - fixture
    users = liaison_world.users
    handover = handovers.request_materials(
        by=users["member_a"], inspected_unit=liaison_world.unit_a, item="会议记录", category="minutes", due_at=None
    )
    delivery.deliver_record(handover)
    who = told(lambda: handovers.deliver(by=users["liaison_a"], handover=handover))
    assert who == {"member_a"}
