"""Beat's scheduler: the code schedule of settings.CELERY_BEAT_SCHEDULE, plus a heartbeat per tick.

Beat is one long-lived process that runs no requests and no tasks, so neither Django's
request signals nor Celery's worker fix-up ever close its database connection: a connection
the database dropped (a restart, a failover, pg_terminate_backend) would stay in place and
fail every later tick, and an error escaping tick() ends beat. So each tick first closes
connections that are broken or past CONN_MAX_AGE (Django's close_old_connections, as at the
start of a request; with CONN_HEALTH_CHECKS the next query checks the connection it reuses),
and nothing the database raises leaves tick(): the heartbeat is simply missing until the
database is back, which the status page shows.
"""

import logging
from typing import Any

from celery.beat import PersistentScheduler
from django.db import Error, close_old_connections

logger = logging.getLogger(__name__)


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args: Any, **kwargs: Any) -> float:
        from core.services.health import record_heartbeat  # celery imports the scheduler before Django is set up

        try:
            close_old_connections()
        except Error:  # closing a dead connection can fail; it is discarded all the same
            logger.warning("Closing stale database connections failed", exc_info=True)
        record_heartbeat(name="beat", at_most_every=30)
        return super().tick(*args, **kwargs)
