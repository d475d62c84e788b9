"""Helpers that walk clues of the `world` through their lifecycle with the product's services."""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from clues.models import Clue, ClueTransfer, Receiver
from clues.services import dispositions, registry, screening, transfers
from core import delivery
from core.models import Organisation
from inspection.models import InspectedUnit
from tests.conftest import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
TRANSFERRED_AT = datetime(2017, 10, 20, 10, 0, tzinfo=SHANGHAI)
RECEIVED_AT = datetime(2017, 10, 23, 9, 0, tzinfo=SHANGHAI)


_serial = itertools.count(0)
# Distinct matters, so that clues made in a row are not flagged as duplicates of each other.
MATTERS = [
    "反映其违规发放津补贴", "反映其在工程招标中收受好处费", "反映其公车私用", "反映其长期不在岗",
    "反映其违规提拔身边工作人员", "反映其插手惠民资金发放", "反映其大操大办婚丧喜庆", "反映其收受礼金购物卡",
    "反映其违规兼职取酬", "反映其对群众诉求推诿扯皮", "反映其挪用专项资金", "反映其违规经商办企业",
]  # fmt: skip


def register(world: World, unit: InspectedUnit | None = None, **fields) -> Clue:
    """A clue registered by the custodian; each one names another matter unless told otherwise."""
    n = next(_serial)
    values = {
        "source_type": Clue.SourceType.PETITION,
        "received_date": date(2017, 1 + n // len(MATTERS) % 12, 25),
        "allegation_summary": MATTERS[n % len(MATTERS)],
        "categories": ["integrity"],
        "reported_persons": [{"name": "钱某某", "position": "局长"}],
        "reporter_name": "举报人甲",
        "reporter_contact": "13800000000",
        **fields,
    }
    return registry.register_clue(by=world.users["clue_custodian"], inspected_unit=unit or world.unit_a, **values)


def handed(world: World, unit: InspectedUnit | None = None, **fields) -> Clue:
    clue = register(world, unit, **fields)
    screening.hand_over(clues=[clue], by=world.users["clue_custodian"])
    return Clue.objects.get(pk=clue.pk)


def proposed(world: World, receiver: str = Receiver.DISCIPLINE_COMMISSION) -> Clue:
    """A clue of group A whose leader recommends transferring it."""
    clue = handed(world)
    transfers.record_assessment(
        clue=clue, by=world.users["leader_a"], conclusion="recommend_transfer", recommended_receiver=receiver
    )
    return Clue.objects.get(pk=clue.pk)


# The meeting that approves the tests' transfers (TRANSFER_APPROVAL_REQUIRES_MEETING).
MEETING = transfers.Meeting(name="区委书记专题会", held_on=date(2017, 10, 18), minutes="专题会议纪要〔2017〕12号")


def approve(
    world: World,
    clues: list[Clue],
    receiver_type: str = Receiver.DISCIPLINE_COMMISSION,
    receiver: Organisation | None = None,
    **options,
) -> list[ClueTransfer]:
    """The office head approves the clues at MEETING, all to one receiver, and sends them."""
    options.setdefault("meeting", MEETING)
    options.setdefault("now", TRANSFERRED_AT)
    return transfers.approve_and_send(
        choices=[transfers.Choice(clue, receiver_type, receiver) for clue in clues],
        by=world.users["office_head"],
        **options,
    )


def transfer(
    world: World, clues: list[Clue], receiver_type: str = Receiver.DISCIPLINE_COMMISSION, **options
) -> ClueTransfer:
    """Approve and send, then run the delivery the task would run."""
    (sent,) = approve(world, clues, receiver_type, **options)
    delivery.deliver_record(sent)
    return ClueTransfer.objects.get(pk=sent.pk)


def received(world: World, receiver_type: str = Receiver.DISCIPLINE_COMMISSION, **options) -> Clue:
    """A clue of group A transferred and acknowledged by its receiver."""
    clue = proposed(world)
    sent = transfer(world, [clue], receiver_type, **options)
    receiver = "orgdept_receiver" if receiver_type == Receiver.ORGANIZATION_DEPT else "commission_receiver"
    by = world.users["clue_custodian"] if receiver_type == Receiver.INSPECTED_UNIT else world.users[receiver]
    transfers.acknowledge_receipt(transfer=sent, by=by, now=RECEIVED_AT)
    return Clue.objects.get(pk=clue.pk)


def step(world: World, clue: Clue, kind: str, day: date = date(2017, 11, 1)) -> Clue:
    dispositions.record_disposition(
        clue=clue, by=world.users["commission_receiver"], disposition_type=kind, decided_at=day
    )
    return Clue.objects.get(pk=clue.pk)
