"""core.delivery: every kind delivered exactly once, whatever fails after the claim (issue 12).

For each kind (letter, transfer, secondment request, handover request) and each point after
the claim (before every step, and just before commit): an exception, and a worker process
that dies there. Afterwards the sweep completes the delivery and there is one grant set, one
notice per recipient and one reminder plan. Two workers racing on the same rows deliver each
once (PostgreSQL: SQLite has one writer at a time, so there is no race to lose).
"""

import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.utils import timezone

from clues.models import ClueTransfer, InfoRequestLetter
from clues.services import letters, transfers
from clues.services.partners import register_partner
from core import delivery
from core.models import Delivery, Notification, Reminder, User
from liaison.models import HandoverRecord
from liaison.services import handovers
from talentpool.models import SecondmentRequest
from talentpool.services import secondments
from tests.clues.lifecycle import approve, proposed
from tests.conftest import World
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401
from tests.talentpool.secondment_fixtures import SENT_AT, requested, sec_world  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Kind:
    label: str
    make: Callable[[World], object]  # the record, made deliverable by its own service
    recipient: str  # the world's user the delivery tells
    mark: Callable[[object], str]  # what the notice's title carries
    plan: Callable[[object], list]  # the reminder plan it must leave, once
    reaches: Callable[[object, User], bool]  # the recipient's access after delivery

    @property
    def model(self):
        return next(
            m
            for m in (InfoRequestLetter, ClueTransfer, SecondmentRequest, HandoverRecord)
            if m._meta.label == self.label
        )


def _letter(world: World) -> InfoRequestLetter:
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    (letter,) = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    return letters.approve_and_send(letter=letter, by=world.users["office_head"], now=SENT_AT)


def _transfer(world: World) -> ClueTransfer:
    (sent,) = approve(world, [proposed(world)], now=None)
    return sent


def _secondment(world: World) -> SecondmentRequest:
    return secondments.send_request(request=requested(world), by=world.users["office_staff"], now=SENT_AT)


def _handover(world: World) -> HandoverRecord:
    return handovers.request_materials(
        by=world.users["member_a"],
        inspected_unit=world.unit_a,
        item="2016年党委会议记录",
        category="minutes",
        due_at=date(2017, 9, 1),
    )


KINDS = {
    "letter": Kind(
        "clues.InfoRequestLetter",
        _letter,
        "partner_x",
        lambda r: r.doc_number,
        letters.reminder_plan,
        lambda r, u: InfoRequestLetter.objects.for_user(u, "answer").filter(pk=r.pk).exists(),
    ),
    "transfer": Kind(
        "clues.ClueTransfer",
        _transfer,
        "commission_receiver",
        lambda r: r.doc_number,
        transfers.reminder_plan,
        lambda r, u: ClueTransfer.objects.for_user(u, "change").filter(pk=r.pk).exists(),
    ),
    "secondment": Kind(
        "talentpool.SecondmentRequest",
        _secondment,
        "contact_x",
        lambda r: r.doc_number,
        secondments.reminder_plan,
        lambda r, u: SecondmentRequest.objects.for_user(u, "answer").filter(pk=r.pk).exists(),
    ),
    # A handover request grants nothing: it reaches the unit's liaison officer as a notice.
    "handover": Kind(
        "liaison.HandoverRecord",
        _handover,
        "liaison_a",
        lambda r: r.item,
        handovers.reminder_plan,
        lambda r, u: True,
    ),
}
POINTS = [(name, step.__name__) for name, kind in KINDS.items() for step in delivery._STEPS[kind.label]] + [
    (name, "done") for name in KINDS
]


@pytest.fixture
def everyone(sec_world, liaison_world):  # noqa: F811 - fixtures
    return liaison_world


def _row(record) -> Delivery:
    return Delivery.objects.get(target_type=ContentType.objects.get_for_model(record), target_id=record.pk)


def _notices(kind: Kind, record, world: World) -> int:
    return Notification.objects.filter(recipient=world.users[kind.recipient], title__contains=kind.mark(record)).count()


def _reminders(record) -> int:
    return Reminder.objects.filter(
        target_type=ContentType.objects.get_for_model(record), target_id=str(record.pk)
    ).count()


def _assert_undelivered(kind: Kind, record, world: World) -> None:
    assert _row(record).state == Delivery.State.PENDING
    assert _notices(kind, record, world) == 0
    assert _reminders(record) == 0
    assert not kind.reaches(record, world.users[kind.recipient]) or kind.label == "liaison.HandoverRecord"
    if kind.label != "liaison.HandoverRecord":  # a handover's delivered_at is the officer's handing over
        assert kind.model.objects.get(pk=record.pk).delivered_at is None


def _assert_delivered_once(kind: Kind, record, world: World) -> None:
    record = kind.model.objects.get(pk=record.pk)
    assert _row(record).state == Delivery.State.DONE
    assert _notices(kind, record, world) == 1
    assert _reminders(record) == len(kind.plan(record)) > 0
    assert kind.reaches(record, world.users[kind.recipient])
    if kind.label != "liaison.HandoverRecord":
        assert record.delivered_at is not None
    # Nothing more happens however often the task or the sweep runs again.
    assert delivery.deliver_record(record) is False
    assert delivery.sweep(now=timezone.now() + timedelta(days=1)) == 0
    assert _notices(kind, record, world) == 1


class Boom(Exception):
    pass


@pytest.fixture
def fault():
    yield
    delivery.before_step = None


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "point"), POINTS)
def test_an_exception_after_the_claim_undoes_everything_and_the_sweep_delivers_once(everyone, fault, name, point):
    kind = KINDS[name]
    record = kind.make(everyone)  # on-commit callbacks never run here: the task is not published

    def explode(label: str, step: str) -> None:
        if step == point:
            raise Boom(step)

    delivery.before_step = explode
    with pytest.raises(Boom):
        delivery.deliver_record(record)
    _assert_undelivered(kind, record, everyone)
    row = _row(record)
    assert row.attempts == 1
    assert "Boom" in row.last_error
    assert row.retry_at > timezone.now()
    assert delivery.sweep() == 0  # backing off

    delivery.before_step = None
    assert delivery.sweep(now=row.retry_at) == 1  # the task runs eagerly in the test settings
    _assert_delivered_once(kind, record, everyone)


def _made_but_not_published(kind: Kind, world: World):
    """Committed, so another process or thread sees it; its task lost, as if the broker were down
    (the eager test settings would otherwise deliver it at commit, before any worker could)."""
    with transaction.atomic():
        record = kind.make(world)
        connection.run_on_commit.clear()
    return record


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("name", "point"), POINTS)
def test_a_worker_dying_after_the_claim_leaves_the_delivery_to_the_sweep(everyone, name, point):
    kind = KINDS[name]
    record = _made_but_not_published(kind, everyone)
    died = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.core.delivery_worker",
            str(connection.settings_dict["NAME"]),
            str(_row(record).pk),
            point,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == 1, died.stderr
    _assert_undelivered(kind, record, everyone)
    assert _row(record).attempts == 0  # nobody recorded anything: the process just vanished

    assert delivery.sweep() == 1
    _assert_delivered_once(kind, record, everyone)


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite lets one writer at a time in (IMMEDIATE transactions): two workers cannot overlap",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_on_the_same_rows_deliver_each_once(everyone, fault):
    records = {name: _made_but_not_published(kind, everyone) for name, kind in KINDS.items()}
    ids = [_row(record).pk for record in records.values()]
    start = threading.Barrier(2)
    won: list[bool] = []

    def slow(label: str, step: str) -> None:
        threading.Event().wait(0.02)  # widen the window in which the other worker could double

    delivery.before_step = slow

    def worker() -> None:
        try:
            start.wait()
            for delivery_id in ids:
                won.append(delivery.deliver(delivery_id))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A worker skips a row the other holds (SKIP LOCKED) or finds it done: one winner each.
    assert won.count(True) == len(ids)
    delivery.before_step = None
    for name, record in records.items():
        _assert_delivered_once(KINDS[name], record, everyone)
