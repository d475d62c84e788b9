"""Enqueueing through a real broker: after commit, never failing the request, recovered by the sweep.

These tests publish to the broker the run is configured with (the filesystem broker on the
embedded default, Redis in the PostgreSQL run) and consume with a real in-process worker.
"""

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app as celery_app
from core.enqueue import enqueue, publish, resume_publishing
from core.models import Notification, Reminder
from core.services import reminders
from core.services.notifications import notify
from core.services.reminders import PlannedReminder
from core.tasks import record_worker_heartbeat
from tests.conftest import make_user
from tests.core.test_reminders import KIND, _recipients

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a real, immediate outage
DEAD_OPTIONS = {"max_retries": 1, "interval_start": 0, "socket_connect_timeout": 1}


def _use_broker(url: str | None, options: dict) -> None:
    # broker_url yields to a CELERY_BROKER_URL variable; the write/read URLs do not.
    celery_app.conf.broker_write_url = url
    celery_app.conf.broker_read_url = url
    celery_app.conf.broker_transport_options = options
    # Celery caches the connection and producer pools per app; drop them with the URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    resume_publishing()  # a pause after a failure belongs to the broker before


@pytest.fixture
def real_broker(tmp_path: Path) -> Iterator[None]:
    """Tasks go through the configured broker (not eager); a filesystem broker gets its own folder."""
    url = celery_app.conf.broker_url
    original_options = dict(celery_app.conf.broker_transport_options or {})
    options = original_options
    if url.startswith("filesystem"):
        folder = str(tmp_path)
        options = {
            **options,
            "data_folder_in": folder,
            "data_folder_out": folder,
            "processed_folder": folder,
            "control_folder": folder,
        }
    celery_app.conf.task_always_eager = False
    _use_broker(url, options)
    yield
    _use_broker(None, original_options)
    celery_app.conf.task_always_eager = True


def _wait_for(predicate, seconds: float = 30) -> bool:
    # Polls the database for the worker's effect; the bound only stops a broken run from hanging.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_enqueue_waits_for_commit(db, django_capture_on_commit_callbacks, settings):
    from core.models import Heartbeat

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(record_worker_heartbeat)
        assert not Heartbeat.objects.exists()  # nothing ran inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert Heartbeat.objects.filter(name="worker").exists()


def test_a_broker_outage_does_not_fail_the_request(db, real_broker, django_capture_on_commit_callbacks):
    user = make_user("mailme", "office_staff", email="mailme@example.gov.cn")
    _use_broker(DEAD_BROKER, DEAD_OPTIONS)
    with django_capture_on_commit_callbacks(execute=True):
        notes = notify(recipients=[user], title="通知")
    assert [n.title for n in Notification.objects.filter(recipient=user)] == ["通知"]
    assert notes[0].pk
    assert publish(record_worker_heartbeat) is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_missed_during_an_outage_are_sent_by_the_next_sweep(real_broker):
    from inspection.services import create_round

    user = make_user("reminded2", "office_staff")
    _recipients[:] = [user]
    try:
        target = create_round(by=None, committee_term=13, year=2017, round_no=30, title="断线测试")
        reminders.schedule_reminders(target=target, plan=[PlannedReminder(KIND, timezone.now() - timedelta(minutes=1))])
        configured = (celery_app.conf.broker_url, dict(celery_app.conf.broker_transport_options))

        _use_broker(DEAD_BROKER, DEAD_OPTIONS)
        assert reminders.sweep_due_reminders() == 1  # found it, could not publish, did not raise
        assert Reminder.objects.get().status == Reminder.Status.PENDING

        _use_broker(*configured)
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            reminders.sweep_due_reminders()
            assert _wait_for(lambda: Reminder.objects.get().status == Reminder.Status.SENT)
        assert Notification.objects.filter(recipient=user).count() == 1
    finally:
        _recipients.clear()
