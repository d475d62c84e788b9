"""Enqueue Celery tasks after the surrounding transaction commits, never failing the caller.

A broker outage is logged and swallowed: the rows the task would have worked on stay
pending and the next beat sweep picks them up (deliveries, reminders, the e-mail outbox).

A request never waits long for the broker. publish() opens its own connection whose every
wait is bounded by settings.CELERY_PUBLISH_TIMEOUT_SECONDS (connecting, the Redis handshake
and the push), with no retry: kombu ignores a publish `timeout` on Redis, and the app's
pooled connections retry (CELERY_BROKER_TRANSPORT_OPTIONS), which measured ~5 s per task
against a broker that accepts and never answers. After a failure the process skips
publishing for CELERY_PUBLISH_PAUSE_SECONDS, so a request that would publish many tasks
waits for a dead broker once, not once per task. The pause is only a shortcut: what is
skipped is found by the sweeps like any other unpublished work.
"""

import logging
import time
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu import Connection
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# time.monotonic() until which this process does not try the broker (after a failed publish).
_paused_until = 0.0


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: publish(task, *args, **kwargs))


def publish(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send now; True if the broker took the message (or the task ran eagerly)."""
    global _paused_until
    if time.monotonic() < _paused_until and not task.app.conf.task_always_eager:
        logger.info("Broker paused after a failure: %s not enqueued; the next sweep will retry.", task.name)
        return False
    try:
        with broker_connection(task) as connection:
            task.apply_async(
                args=args,
                kwargs=kwargs,
                connection=connection,
                retry=False,
                timeout=settings.CELERY_PUBLISH_TIMEOUT_SECONDS,  # type: ignore[call-arg]  # honoured by AMQP; celery-types omits it
            )
    except (OperationalError, ConnectionError, OSError, TimeoutError):
        _paused_until = time.monotonic() + settings.CELERY_PUBLISH_PAUSE_SECONDS
        logger.warning("Broker unavailable: %s not enqueued; the next sweep will retry.", task.name, exc_info=True)
        return False
    return True


def broker_connection(task: Task | None = None) -> Connection:
    """A fresh connection to the broker on which no wait exceeds CELERY_PUBLISH_TIMEOUT_SECONDS."""
    from celery import current_app  # the project's app (config/celery.py); core imports no layer above

    app = task.app if task is not None else current_app
    timeout = settings.CELERY_PUBLISH_TIMEOUT_SECONDS
    return app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "max_retries": 0,  # kombu: 0 is "fail on the first error", None would be "forever"
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
        },
    )


def resume_publishing() -> None:
    """End the pause after a failure now (tests that bring a broker back)."""
    global _paused_until
    _paused_until = 0.0
