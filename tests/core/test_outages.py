"""Beat, workers and requests survive the database and the broker going away (issue 12).

- beat's tick: a database connection dropped under it (PostgreSQL: ended by the server with
  pg_terminate_backend; SQLite: its file handle closed under Django) never raises out of the
  tick, and the heartbeat is recorded again on a new connection;
- workers: every task retries on connection errors, on a fresh connection (a real worker whose
  connection the server ends mid-task finishes the task);
- requests: publishing to a broker that accepts and never answers, or whose port never
  completes a connection, returns False instead of hanging, tries the broker once per failure
  (no retry loop) and then pauses, so a request with many tasks waits once ("approve all"
  succeeds, and the sweep delivers every letter once the broker is back).

No wall-clock assertion: pytest-timeout turns a hang into a failure.
"""

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoFixup
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone

from clues.models import InfoRequestLetter
from clues.services import letters
from clues.services.partners import register_partner
from config.celery import app as celery_app
from core import delivery, enqueue
from core.beat import HeartbeatScheduler
from core.models import Heartbeat
from core.services import health
from core.tasks import record_worker_heartbeat, sweep_deliveries
from core.worker import Task as WorkerTask
from tests.core.test_enqueue import _use_broker, _wait_for, real_broker  # noqa: F401
from tests.helpers import logged_in

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PROJECT = ("core", "inspection", "clues", "talentpool", "liaison", "reports", "demo")


# ---------------------------------------------------------------- beat


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[HeartbeatScheduler]:
    """Beat's scheduler with nothing scheduled: a tick records the heartbeat and publishes nothing."""
    configured = celery_app.conf.beat_schedule
    celery_app.conf.beat_schedule = {}
    beat = HeartbeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "beat-schedule"))
    yield beat
    beat.close()
    celery_app.conf.beat_schedule = configured


def _drop_the_connection() -> None:
    """Take the open database connection away from Django the way an outage does."""
    if ON_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
    else:
        connection.connection.close()  # the sqlite3 handle under Django's wrapper: every use now fails


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_s_tick_survives_a_dropped_database_connection(scheduler):
    scheduler.tick()
    assert Heartbeat.objects.filter(name="beat").exists()
    Heartbeat.objects.all().delete()
    _drop_the_connection()

    for _ in range(3):  # the first use after an outage and every one after it
        scheduler.tick()
    assert Heartbeat.objects.filter(name="beat").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_s_tick_survives_the_database_being_away(scheduler):
    """Every kind of database connection error, raised by the query itself: logged, never raised."""
    errors = [InterfaceError("connection already closed"), OperationalError("could not connect to server")]
    with mock.patch.object(Heartbeat.objects, "update_or_create", side_effect=errors):
        scheduler.tick()
        scheduler.tick()
    assert not Heartbeat.objects.filter(name="beat").exists()
    scheduler.tick()  # the database is back
    assert Heartbeat.objects.filter(name="beat").exists()


def test_a_failed_heartbeat_says_so_and_drops_the_connection(db):
    with (
        mock.patch.object(Heartbeat.objects, "update_or_create", side_effect=InterfaceError("closed")),
        mock.patch.object(health, "_drop_connection") as drop,
    ):
        assert health.record_heartbeat(name="worker") is False
    drop.assert_called_once()


# ---------------------------------------------------------------- workers


def test_every_task_of_the_project_retries_on_database_connection_errors():
    celery_app.loader.import_default_modules()  # every app's tasks.py, as a worker imports them
    ours = {name: task for name, task in celery_app.tasks.items() if name.split(".")[0] in PROJECT}
    assert {"core.send_email", "core.sweep_outbox", "core.deliver", "reports.schedule_weekly_digests"} <= set(ours)
    assert "core.send_notification_email" not in celery_app.tasks  # the outbox replaced it
    for name, task in ours.items():
        assert isinstance(task, WorkerTask), name
        assert {InterfaceError, OperationalError} <= set(task.autoretry_for), name
        assert task.max_retries, name
        assert task.retry_backoff, name


def test_celery_closes_the_worker_s_connections_around_each_task():
    """Celery's Django fix-up (installed because config/celery.py sets DJANGO_SETTINGS_MODULE
    first) closes the database connections before and after every task a worker runs."""
    assert any(isinstance(fixup, DjangoFixup) for fixup in celery_app._fixups)
    assert celery_app.conf.get("CELERY_DB_REUSE_MAX") is None  # closes every time, never reuses


def test_a_task_retries_a_dropped_connection(db):
    calls: list[int] = []

    def flaky(**kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise InterfaceError("connection already closed")
        return 7

    with mock.patch.object(delivery, "sweep", flaky):
        # throw=False: the eager test settings would propagate the Retry instead of running it.
        result = sweep_deliveries.apply(throw=False)
    assert (result.successful(), result.result, len(calls)) == (True, 7, 2)


@celery_app.task(name="tests.core.lose_connection_once")
def lose_connection_once() -> None:
    """First run: the database ends this worker's connection mid-task (SQLite connections do not
    drop, so there the error is raised as Django would). A retry records that it got through."""
    if not Heartbeat.objects.filter(name="lost-once").exists():
        Heartbeat.objects.create(name="lost-once", beat_at=timezone.now())
        if ON_POSTGRES:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        raise InterfaceError("connection already closed")
    Heartbeat.objects.create(name="retried", beat_at=timezone.now())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_whose_connection_is_ended_mid_task_retries_on_a_new_one(real_broker):  # noqa: F811
    assert enqueue.publish(lose_connection_once)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert _wait_for(lambda: Heartbeat.objects.filter(name="retried").exists())
    assert Heartbeat.objects.filter(name="lost-once").count() == 1


# ---------------------------------------------------------------- publishing from a request


@dataclass
class HungBroker:
    """A TCP port that accepts connections and never says a word (a hung Redis), or whose
    backlog is full so a connection is never completed (a port that drops)."""

    port: int
    accepted: list[socket.socket] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def silent_broker() -> Iterator[HungBroker]:
    server = socket.create_server(("127.0.0.1", 0))
    hung = HungBroker(server.getsockname()[1])

    def accept() -> None:
        while True:
            try:
                conn, _address = server.accept()
            except OSError:
                return  # closed at teardown
            hung.accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield hung
    server.close()
    for conn in hung.accepted:
        conn.close()


@pytest.fixture
def unreachable_broker() -> Iterator[HungBroker]:
    server = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the accept queue: later SYNs are dropped, connect() waits
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield HungBroker(port)
    for sock in [*fillers, server]:
        sock.close()


@pytest.mark.timeout(60)
@pytest.mark.django_db
def test_publishing_to_a_broker_that_never_answers_gives_up_once_then_pauses(real_broker, silent_broker):  # noqa: F811
    _use_broker(silent_broker.url, {})
    assert enqueue.publish(record_worker_heartbeat) is False
    assert len(silent_broker.accepted) == 1  # one connection, no retry loop
    # The pause: a request's further tasks do not wait for the broker again.
    assert enqueue.publish(record_worker_heartbeat) is False
    assert len(silent_broker.accepted) == 1
    enqueue.resume_publishing()
    assert enqueue.publish(record_worker_heartbeat) is False
    assert len(silent_broker.accepted) == 2
    assert health.check_broker().ok is False  # the status page does not hang on it either


@pytest.mark.timeout(60)
@pytest.mark.django_db
def test_publishing_to_a_port_that_drops_connections_gives_up(real_broker, unreachable_broker):  # noqa: F811
    _use_broker(unreachable_broker.url, {})
    assert enqueue.publish(record_worker_heartbeat) is False


def test_every_wait_of_a_publish_is_bounded_by_one_setting_of_at_most_a_second():
    assert 0 < settings.CELERY_PUBLISH_TIMEOUT_SECONDS <= 1
    conn = enqueue.broker_connection()
    bound = settings.CELERY_PUBLISH_TIMEOUT_SECONDS
    assert conn.connect_timeout == bound
    options = conn.transport_options
    assert (options["socket_connect_timeout"], options["socket_timeout"], options["max_retries"]) == (bound, bound, 0)


def test_the_sweeps_that_find_what_was_not_published_are_scheduled():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"core.sweep_deliveries", "core.sweep_outbox", "core.sweep_due_reminders"} <= schedule


@pytest.mark.timeout(120)
def test_approving_all_letters_while_the_broker_hangs_waits_once_and_the_sweep_delivers_them(
    world,
    real_broker,  # noqa: F811
    silent_broker,
    django_capture_on_commit_callbacks,
):
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    register_partner(by=None, org_unit=world.partner_y, category="petition", sort_order=2, request_items=["信访情况"])
    for letter in letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"]):
        letters.submit_for_approval(letter=letter, by=world.users["office_staff"])
    _use_broker(silent_broker.url, {})

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(world.users["office_head"]).post(
            reverse("clues:round-letters-approve", args=[world.round.pk])
        )
    assert response.status_code == 302
    assert set(InfoRequestLetter.objects.values_list("status", flat=True)) == {InfoRequestLetter.Status.SENT}
    assert len(silent_broker.accepted) == 1  # two deliveries to publish, one wait for the request
    assert delivery.pending_for(InfoRequestLetter).count() == 2

    # The broker is back (here: tasks run in-process): the sweep delivers both, once.
    celery_app.conf.task_always_eager = True
    assert delivery.sweep() == 2
    assert not delivery.pending_for(InfoRequestLetter).exists()
    assert InfoRequestLetter.objects.filter(delivered_at__isnull=True).count() == 0
