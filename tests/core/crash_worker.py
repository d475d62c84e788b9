"""The Celery app a real worker runs in tests/core/test_worker_killed.py.

    XC_TEST_QUEUE=q XC_TEST_DELIVERY_PAUSE=0.1 python -m celery -A tests.core.crash_worker worker -Q q …

It is config.celery's app with two changes for the test: the worker consumes and publishes on
its own queue (XC_TEST_QUEUE), so it never takes another test's messages nor leaves its own
e-mail tasks for them; and XC_TEST_DELIVERY_PAUSE seconds are spent inside each delivery's
transaction just before it commits, so that the test can kill the worker while deliveries are
in flight. Everything else (settings, tasks, acks_late, prefork) is what production runs.
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()  # core.delivery imports models: the app registry must be ready first

from config.celery import app  # noqa: E402
from core import delivery  # noqa: E402

app.conf.task_default_queue = os.environ["XC_TEST_QUEUE"]
app.conf.worker_enable_remote_control = False  # no pidbox queues left behind in the test's Redis

PAUSE = float(os.environ.get("XC_TEST_DELIVERY_PAUSE", "0"))


def _hold_before_commit(label: str, step: str) -> None:
    if step == "done":  # the claimed row and every step's writes are still uncommitted here
        time.sleep(PAUSE)


if PAUSE:
    # Set before the pool forks: every prefork child inherits it.
    delivery.before_step = _hold_before_commit

__all__ = ["app"]
