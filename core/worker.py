"""What every Celery task of the project shares: the app's task class (config/celery.py).

Every task touches the database, and a worker outlives many database restarts and failovers.
A task that meets a dropped or refused connection (InterfaceError: the connection is closed;
OperationalError: it broke or could not be made) is retried with backoff instead of failing:
the retry runs on a fresh connection, because Celery's Django fix-up closes the worker's
connections before and after every task (celery.fixups.django.DjangoWorkerFixup: task_prerun
and task_postrun; CELERY_DB_REUSE_MAX is unset, so it closes every time). Retrying is safe
because every task is idempotent (claims on rows, DESIGN.md); after max_retries the work is
still found by its sweep. Other errors are not retried here: a task names its own.
"""

from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError


class Task(DjangoTask):
    autoretry_for = (InterfaceError, OperationalError)
    retry_backoff = True  # 1 s, 2 s, 4 s ... (jittered), up to retry_backoff_max
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5
