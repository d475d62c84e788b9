from typing import Any

from celery.beat import PersistentScheduler


class HeartbeatScheduler(PersistentScheduler):
    """The code schedule of settings.CELERY_BEAT_SCHEDULE, plus a heartbeat row on each tick."""

    def tick(self, *args: Any, **kwargs: Any) -> float:
        from core.services.health import record_heartbeat  # celery imports the scheduler before Django is set up

        record_heartbeat(name="beat", at_most_every=30)
        return super().tick(*args, **kwargs)
