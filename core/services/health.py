import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.integrity import HEARTBEAT_NAME
from core.models import Heartbeat

logger = logging.getLogger(__name__)


def record_heartbeat(*, name: str, at_most_every: int = 0) -> None:
    """Record that process `name` is alive; skip the write if one is younger than at_most_every seconds."""
    now = timezone.now()
    try:
        if at_most_every:
            fresh = Heartbeat.objects.filter(name=name, beat_at__gt=now - timedelta(seconds=at_most_every))
            if fresh.exists():
                return
        Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now})
    except DatabaseError:
        # Beat must keep scheduling even while the database is away.
        logger.warning("Could not record %s heartbeat", name, exc_info=True)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    at: datetime | None = None


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(_("Database"), True, connection.vendor)
    except DatabaseError as exc:
        return Check(_("Database"), False, str(exc))


def check_broker() -> Check:
    # The project's app (config/celery.py, loaded with config); core imports no layer above it.
    app = current_app
    url = app.conf.broker_url or ""
    shown = url.split("@")[-1]  # never show credentials
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_PUBLISH_TIMEOUT_SECONDS)
        return Check(_("Message broker"), True, shown)
    except Exception as exc:
        return Check(_("Message broker"), False, f"{shown}: {exc}")


def check_heartbeats() -> list[Check]:
    beats = {hb.name: hb for hb in Heartbeat.objects.filter(name__in=["worker", "beat"])}
    stale_after = timedelta(seconds=settings.HEARTBEAT_STALE_AFTER)
    now = timezone.now()
    labels = {"worker": _("Worker"), "beat": _("Scheduler (beat)")}
    checks = []
    for name, label in labels.items():
        hb = beats.get(name)
        if hb is None:
            checks.append(Check(label, False, _("No heartbeat yet")))
        else:
            age = int((now - hb.beat_at).total_seconds())
            ok = now - hb.beat_at <= stale_after
            checks.append(Check(label, ok, _("Last heartbeat %(seconds)s seconds ago") % {"seconds": age}, hb.beat_at))
    return checks


# The nightly file check runs once a day; a result older than this means it stopped running.
FILE_CHECK_STALE_AFTER = timedelta(hours=36)


def check_files() -> Check:
    """The last nightly check of the stored files (core.integrity), kept in a Heartbeat row."""
    label = _("Stored files")
    last = Heartbeat.objects.filter(name=HEARTBEAT_NAME).first()
    if last is None:
        # Not a fault: a new installation has not reached its first night yet.
        return Check(label, True, _("Not checked yet: the check runs every night"))
    counts = json.loads(last.detail or "{}")
    problems = sum(counts.get(key, 0) for key in ("missing", "changed", "unopened", "orphans"))
    detail = _(
        "%(checked)s checked: %(missing)s missing, %(changed)s changed, %(unopened)s do not open "
        "with the seal keys, %(orphans)s orphans"
    ) % {key: counts.get(key, 0) for key in ("checked", "missing", "changed", "unopened", "orphans")}
    if timezone.now() - last.beat_at > FILE_CHECK_STALE_AFTER:
        return Check(
            label, False, _("The nightly check has not run since: %(detail)s") % {"detail": detail}, last.beat_at
        )
    return Check(label, problems == 0, detail, last.beat_at)
