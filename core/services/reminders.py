"""The one reminder engine: letters, secondments, transfers and rectification plug in here.

A feature registers a *kind* with a function that, given the Reminder row, returns the
message to send (or None when the reminder has become pointless, e.g. the letter was
answered). Scheduling writes one row per (record, kind, due moment); a beat sweep finds due
rows through an index and fans out one task per row; the task claims its row with a
conditional UPDATE before sending, so nothing is ever sent twice.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from core.models import Reminder, User
from core.services.notifications import notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderMessage:
    recipients: list[User]
    title: str
    body: str = ""
    url: str = ""


ReminderRenderer = Callable[[Reminder], ReminderMessage | None]
_KINDS: dict[str, ReminderRenderer] = {}


def register_kind(kind: str) -> Callable[[ReminderRenderer], ReminderRenderer]:
    def decorator(render: ReminderRenderer) -> ReminderRenderer:
        _KINDS[kind] = render
        return render

    return decorator


@dataclass(frozen=True)
class PlannedReminder:
    kind: str
    due_at: datetime
    level: str = "green"


def schedule_reminders(*, target: models.Model, plan: Iterable[PlannedReminder]) -> int:
    """Record the reminders to send about target; rows that exist already are left alone. Returns how many are new."""
    ct = ContentType.objects.get_for_model(target)
    rows = [
        Reminder(target_type=ct, target_id=str(target.pk), kind=p.kind, due_at=p.due_at, level=p.level) for p in plan
    ]
    for row in rows:
        if row.kind not in _KINDS:
            raise ValueError(f"Unknown reminder kind {row.kind!r}")
    # bulk_create with ignore_conflicts returns every row it was given: count the new ones first.
    planned = Reminder.objects.filter(target_type=ct, target_id=str(target.pk), kind__in={r.kind for r in rows})
    existing = set(planned.values_list("kind", "due_at"))
    new = [row for row in rows if (row.kind, row.due_at) not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def cancel_reminders(*, target: models.Model, kinds: Iterable[str] | None = None) -> int:
    """Stop pending reminders about target (all kinds, or only those named)."""
    rows = Reminder.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        status=Reminder.Status.PENDING,
    )
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(status=Reminder.Status.CANCELLED)


def due_reminder_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep_due_reminders(*, now: datetime | None = None) -> int:
    """Fan out one send task per due reminder. Safe to run any number of times at once."""
    from core.enqueue import publish
    from core.tasks import send_reminder as send_reminder_task

    ids = due_reminder_ids(now=now)
    for reminder_id in ids:
        if not publish(send_reminder_task, reminder_id):
            break  # the broker is down: the rest wait for the next sweep
    return len(ids)


def send_reminder(*, reminder_id: int, now: datetime | None = None) -> Reminder | None:
    """Send one due reminder unless another worker already has; returns it if this call sent it."""
    now = now or timezone.now()
    claimed = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING, due_at__lte=now).update(
        status=Reminder.Status.SENDING, claimed_at=now
    )
    if claimed != 1:
        return None  # sent, cancelled, not yet due, or another worker got there first
    reminder = Reminder.objects.select_related("target_type").get(pk=reminder_id)
    render = _KINDS.get(reminder.kind)
    message = render(reminder) if render and reminder.target is not None else None
    with transaction.atomic():
        if message is None:
            reminder.status = Reminder.Status.CANCELLED
            reminder.save(update_fields=["status"])
            return None
        notify(
            recipients=message.recipients, title=message.title, body=message.body, url=message.url, level=reminder.level
        )
        reminder.status = Reminder.Status.SENT
        reminder.sent_at = timezone.now()
        reminder.recipients_count = len(message.recipients)
        reminder.save(update_fields=["status", "sent_at", "recipients_count"])
    return reminder


def stuck_reminders() -> models.QuerySet[Reminder]:
    """Reminders a worker claimed but never finished: shown to staff, never resent blindly."""
    cutoff = timezone.now() - settings.REMINDER_STUCK_AFTER
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=cutoff)
