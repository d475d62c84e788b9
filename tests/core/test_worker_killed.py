"""A real Celery worker killed mid-batch, on PostgreSQL and Redis: every letter delivered exactly once.

Issue 12's proof with the production pieces: fifty letters approved by the office head (each
approval publishes its delivery to Redis after commit), a `celery worker` process (prefork,
concurrency 2, acks_late) delivering them, SIGKILLed with its children while some deliveries
are done and others are in flight; then a fresh worker and the core.sweep_deliveries sweep.
Afterwards every letter has one Delivery row, done, one grant set, one notice per partner
user and one reminder plan; the letters still pending at the kill had nothing half-done.

The worker runs tests.core.crash_worker (config.celery's app on a queue of its own, holding
each delivery open a moment before commit so that the kill lands mid-delivery). The sweep runs
every SWEEP_EVERY seconds, as beat runs it every five minutes: one pass is not enough while two
pool processes make each other skip rows (tests/core/test_delivery_skip_locked.py).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from clues.models import InfoRequestLetter, LetterGroupObjectPermission
from clues.services import letters
from clues.services.partners import register_partner
from config.celery import app as celery_app
from core import delivery
from core.models import Delivery, Notification, Reminder, User
from tests.conftest import World, make_user
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
LETTERS = 50
USERS_PER_PARTNER = 2
PAUSE = 0.15  # seconds each delivery stays uncommitted in the first worker: ~4 s for the batch
KILL_AFTER = 4  # deliveries done before the kill
WAIT = 120  # seconds any one stage may take on a loaded machine before the test gives up
SWEEP_EVERY = 2  # seconds between core.sweep_deliveries runs (beat's every five minutes, compressed)

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="runs a real worker against PostgreSQL: set DATABASE_URL (the CI's second pass does)",
    ),
    pytest.mark.skipif(
        not celery_app.conf.broker_url.startswith("redis"),
        reason="runs a real worker on Redis: set CELERY_BROKER_URL or REDIS_URL (the CI's second pass does)",
    ),
    pytest.mark.timeout(600),
]


def _test_database_url() -> str:
    """DATABASE_URL of the test database this test writes in, for the worker process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}{port}/{quote(db['NAME'], safe='')}"


class Worker:
    """A `celery worker` process group; kill() takes the pool's children with it."""

    def __init__(self, name: str, queue: str, log: Path, *, pause: float = 0) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DJANGO_DATA_DIR": str(log.parent),  # its e-mail files and broker folders, not var/
            "XC_TEST_QUEUE": queue,
            "XC_TEST_DELIVERY_PAUSE": str(pause),
        }
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.core.crash_worker",
                "worker",
                "--queues",
                queue,
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--hostname",
                f"{name}-{queue}@%h",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches the pool's children
        )

    def kill(self) -> None:
        # The whole group, at once: the main process and the pool's children, orphaned or not.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._out.close()

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


def _wait_for(
    what: str,
    predicate: Callable[[], bool],
    worker: Worker,
    ids: list[int],
    *,
    tick: Callable[[], object] = lambda: None,
) -> None:
    """Poll the database until predicate(), calling tick() every SWEEP_EVERY seconds (beat's sweep)."""
    deadline = time.monotonic() + WAIT
    next_tick = time.monotonic()
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited ({worker.process.returncode}) waiting for {what}:\n{worker.output()}")
        if predicate():
            return
        if time.monotonic() >= next_tick:
            tick()
            next_tick = time.monotonic() + SWEEP_EVERY
        time.sleep(0.05)
    rows = "\n".join(f"{r.pk} {r.state} attempts={r.attempts} {r.last_error[:300]}" for r in _rows(ids))
    pytest.fail(f"no {what} after {WAIT}s.\nDeliveries:\n{rows}\nThe worker's log ends:\n{worker.output()}")


@pytest.fixture
def queue() -> Iterator[str]:
    """Tasks published by this test go to a queue of its own, through Redis (not eagerly)."""
    name = f"xc-killed-worker-{uuid.uuid4().hex[:12]}"
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = name
    try:
        yield name
    finally:
        celery_app.conf.task_default_queue = default_queue
        celery_app.conf.task_always_eager = True
        _forget_queue(name)


def _forget_queue(name: str) -> None:
    """Drop what the test left in Redis for its queue: messages, the killed worker's unacked ones
    (kombu would restore them after the visibility timeout into a queue nobody reads), bindings."""
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    try:
        client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
        for tag, payload in client.hscan_iter("unacked"):
            if name.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


def _approved_letters(world: World) -> list[InfoRequestLetter]:
    """LETTERS partners with USERS_PER_PARTNER users each, one letter to each, submitted and approved."""
    staff, head = world.users["office_staff"], world.users["office_head"]
    for n in range(LETTERS):
        org = OrganisationFactory(name=f"协作单位{n:02d}")
        register_partner(by=None, org_unit=org, category="other", sort_order=n, request_items=["有关情况"])
        for k in range(USERS_PER_PARTNER):
            make_user(f"partner{n:02d}_{k}", "partner_user", organisation=org)
    drafts = letters.create_round_letters(inspection_round=world.round, by=staff)
    assert len(drafts) == LETTERS
    for letter in drafts:
        letters.submit_for_approval(letter=letter, by=staff)
    # One transaction per letter; each publishes its delivery to Redis once committed.
    assert letters.approve_and_send_all(inspection_round=world.round, by=head) == LETTERS
    return list(InfoRequestLetter.objects.filter(pk__in=[d.pk for d in drafts]).order_by("pk"))


def _rows(letter_ids: list[int]) -> "list[Delivery]":
    return list(
        Delivery.objects.filter(
            target_type=ContentType.objects.get_for_model(InfoRequestLetter), target_id__in=letter_ids
        )
    )


def _done(letter_ids: list[int]) -> int:
    return sum(row.state == Delivery.State.DONE for row in _rows(letter_ids))


def _effects(letter: InfoRequestLetter) -> dict[str, int]:
    return {
        "grants": LetterGroupObjectPermission.objects.filter(content_object=letter).count(),
        "notices": Notification.objects.filter(url=f"/letters/{letter.pk}/").count(),
        "reminders": Reminder.objects.filter(
            target_type=ContentType.objects.get_for_model(InfoRequestLetter), target_id=str(letter.pk)
        ).count(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_batch_leaves_every_letter_delivered_exactly_once(world, queue, tmp_path):
    batch = _approved_letters(world)
    ids = [letter.pk for letter in batch]
    assert len(_rows(ids)) == LETTERS
    assert _done(ids) == 0  # published, not delivered: no worker yet

    first = Worker("first", queue, tmp_path / "first.log", pause=PAUSE)
    try:
        _wait_for(f"{KILL_AFTER} deliveries done by the first worker", lambda: _done(ids) >= KILL_AFTER, first, ids)
    finally:
        first.kill()
    done_at_kill = _done(ids)
    assert done_at_kill < LETTERS, "the first worker finished the batch before the kill: raise PAUSE"

    # What the kill interrupted was rolled back whole: a pending letter has nothing half-done.
    for row in _rows(ids):
        if row.state == Delivery.State.PENDING:
            letter = InfoRequestLetter.objects.get(pk=row.target_id)
            assert letter.delivered_at is None, letter
            assert _effects(letter) == {"grants": 0, "notices": 0, "reminders": 0}, letter

    second = Worker("second", queue, tmp_path / "second.log")
    sweeps: list[int] = []
    try:
        # The killed worker's unacknowledged messages wait for Redis's visibility timeout (hours):
        # the sweep publishes whatever is pending, as beat does; messages the first worker never
        # fetched arrive as well, so some letters get their task two or three times.
        _wait_for(
            "delivery of the whole batch",
            lambda: _done(ids) == LETTERS,
            second,
            ids,
            tick=lambda: sweeps.append(delivery.sweep()),
        )
        assert delivery.sweep() == 0
    finally:
        second.kill()
    assert sweeps, "the batch was delivered before any sweep: the kill left nothing pending"

    users_of: dict[int, set[int]] = {}
    for user in User.objects.filter(username__startswith="partner", organisation__partner__isnull=False):
        users_of.setdefault(user.organisation_id, set()).add(user.pk)
    for letter in InfoRequestLetter.objects.filter(pk__in=ids).select_related("partner"):
        assert len(_rows([letter.pk])) == 1
        assert letter.delivered_at is not None, letter
        assert _effects(letter) == {
            "grants": 2,  # view and answer, to the partner's circle
            "notices": USERS_PER_PARTNER,
            "reminders": len(letters.reminder_plan(letter)),
        }, letter
        recipients = Notification.objects.filter(url=f"/letters/{letter.pk}/").values_list("recipient", flat=True)
        assert set(recipients) == users_of[letter.partner.org_unit_id], letter  # one each, to its own users
        assert len(letters.reminder_plan(letter)) > 0
        for user_id in users_of[letter.partner.org_unit_id]:
            user = User.objects.get(pk=user_id)
            assert InfoRequestLetter.objects.for_user(user, "answer").filter(pk=letter.pk).exists()
    assert Notification.objects.filter(url__startswith="/letters/").count() == LETTERS * USERS_PER_PARTNER
