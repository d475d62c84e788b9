import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, Error, connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enqueue import broker_connection
from core.integrity import HEARTBEAT_NAME
from core.models import CalendarYear, Heartbeat, OutboundEmail

logger = logging.getLogger(__name__)


def record_heartbeat(*, name: str, at_most_every: int = 0) -> bool:
    """Record that process `name` is alive; skip the write if one is younger than at_most_every seconds.

    Never raises for the database: beat calls it on every tick and must keep scheduling while
    the database is away. False when the database could not be reached.
    """
    now = timezone.now()
    try:
        if at_most_every:
            fresh = Heartbeat.objects.filter(name=name, beat_at__gt=now - timedelta(seconds=at_most_every))
            if fresh.exists():
                return True
        Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now})
    except Error:  # django.db.Error: a closed connection (InterfaceError) as well as DatabaseError
        logger.warning("Could not record %s heartbeat", name, exc_info=True)
        _drop_connection()
        return False
    return True


def _drop_connection() -> None:
    # Whatever state the failed connection is in, the next use opens a new one. Closing a
    # broken connection can fail in turn; it is gone either way.
    try:
        connection.close()
    except Error:
        logger.debug("Closing the failed database connection failed too", exc_info=True)


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
        with broker_connection() as conn:  # bounded like a publish: the page never hangs on it
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


def check_calendar(*, today: date | None = None) -> Check:
    """Whether the holiday calendar still covers the deadlines being counted.

    A problem once a count has reached past the table's end (the office was warned then), or
    once today itself is past it; dates past the end are counted in natural days meanwhile.
    """
    label = _("Holiday calendar")
    today = today or timezone.localdate()
    last = CalendarYear.objects.order_by("-year").first()
    if last is None:
        return Check(label, False, _("No complete year in the calendar: every date is counted in natural days."))
    end = last.last_day.isoformat()
    if last.reached_past_date is not None:
        detail = _(
            "Complete through %(end)s. A deadline was counted to %(day)s, past the end: dates after %(end)s "
            "are counted in natural days until the next year is loaded (manage.py load_holidays) or entered "
            "in the administration."
        ) % {"end": end, "day": last.reached_past_date.isoformat()}
        return Check(label, False, detail, last.reached_past_at)
    if today > last.last_day:
        detail = _(
            "Complete through %(end)s, which has passed: dates after it are counted in natural days until the "
            "next year is loaded (manage.py load_holidays) or entered in the administration."
        ) % {"end": end}
        return Check(label, False, detail)
    return Check(label, True, _("Complete through %(end)s.") % {"end": end})


def check_outbox() -> Check:
    """E-mails the outbox gave up on, or still holds after an hour (the sweep is not draining it)."""
    hour_ago = timezone.now() - timedelta(hours=1)
    counts = OutboundEmail.objects.aggregate(
        failed=Count("pk", filter=Q(status=OutboundEmail.Status.FAILED)),
        waiting=Count("pk", filter=Q(status=OutboundEmail.Status.PENDING)),
        late=Count("pk", filter=Q(status=OutboundEmail.Status.PENDING, created_at__lt=hour_ago)),
    )
    detail = _("%(waiting)s waiting (%(late)s for over an hour), %(failed)s failed") % counts
    return Check(_("E-mail outbox"), counts["failed"] == 0 and counts["late"] == 0, detail)
