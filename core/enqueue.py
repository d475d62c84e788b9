"""Enqueue Celery tasks after the surrounding transaction commits, never failing the caller.

A broker outage is logged and swallowed: the rows the task would have worked on stay
pending and the next beat sweep picks them up.
"""

import logging
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: publish(task, *args, **kwargs))


def publish(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send now; True if the broker took the message (or the task ran eagerly)."""
    timeout = settings.CELERY_PUBLISH_TIMEOUT_SECONDS
    try:
        task.apply_async(
            args=args,
            kwargs=kwargs,
            retry=False,
            timeout=timeout,  # type: ignore[call-arg]  # a publish option celery passes on; celery-types omits it
        )
    except (OperationalError, ConnectionError, OSError, TimeoutError):
        logger.warning("Broker unavailable: %s not enqueued; the next sweep will retry.", task.name, exc_info=True)
        return False
    return True
