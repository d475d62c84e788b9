"""Every e-mail goes through the outbox: a row written with its notification, sent by a task.

add() writes OutboundEmail rows inside the caller's transaction (notify's), so a notification
never exists without its e-mail and a rolled-back one leaves neither; the send task is
published after commit. send() claims a row and sends it: the claim is a short transaction
that locks the row (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE transactions take
the write lock) and moves next_attempt_at past the longest a sender can live (a lease), so a
second worker, or the same task delivered twice, finds it not due and sends nothing. The
send itself runs outside any transaction: an SMTP server that takes seconds never holds a
row lock or SQLite's write lock. Success marks the row sent; a failure backs off
(core.backoff, EMAIL_RETRY_SECONDS doubling up to EMAIL_RETRY_MAX_SECONDS) and after
EMAIL_MAX_ATTEMPTS tries marks it failed, shown on the status page. The beat sweep publishes
every pending row that is due: never published (broker down), backing off, or left by a
sender that died (its lease ran out).

Delivery is at least once: a worker killed after the SMTP server took the message but before
the row is marked sent sends it again when the lease runs out. That is the one duplicate
possible; losing an e-mail is not.
"""

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.backoff import retry_delay
from core.enqueue import enqueue, publish
from core.models import Notification, OutboundEmail

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A page's path ("/clues/1/") as a link that works from a mail client (settings.SITE_URL)."""
    if not path or "://" in path:
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"


def add_for_notifications(notes: Sequence[Notification]) -> list[OutboundEmail]:
    """One e-mail per notification whose recipient has an address; call in notify's transaction."""
    rows = OutboundEmail.objects.bulk_create(
        OutboundEmail(recipient=note.recipient.email, subject=note.title, body=_body(note), notification=note)
        for note in notes
        if note.recipient.email
    )
    _publish_after_commit(rows)
    return rows


def _body(note: Notification) -> str:
    return f"{note.body}\n\n{absolute_url(note.url)}" if note.url else note.body


def _publish_after_commit(rows: Sequence[OutboundEmail]) -> None:
    from core.tasks import send_email as send_email_task  # here: core.tasks imports this module (cycle)

    for row in rows:
        enqueue(send_email_task, row.pk)


def send(email_id: int) -> bool:
    """Send one due pending e-mail unless another sender holds it; True if this call sent it."""
    row = _claim(email_id, now=timezone.now())
    if row is None:
        return False
    try:
        EmailMessage(
            subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.recipient]
        ).send()
    except Exception as error:  # SMTP refusals, timeouts, a server gone: whatever stopped this try
        logger.warning("E-mail %s not sent (try %s); the sweep retries it.", row.pk, row.attempts, exc_info=True)
        _record_failure(row, error)
        return False
    OutboundEmail.objects.filter(pk=row.pk, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return True


def _claim(email_id: int, *, now: datetime) -> OutboundEmail | None:
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(_due(now), pk=email_id, status=OutboundEmail.Status.PENDING)
            .first()
        )
        if row is None:
            return None  # sent, failed, held by another sender, or backing off
        if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            # Its last try never reported back (the sender died): that try counts too.
            row.status, row.next_attempt_at = OutboundEmail.Status.FAILED, None
            row.last_error = row.last_error or "The last try never finished (the sender stopped)."
            row.save(update_fields=["status", "next_attempt_at", "last_error"])
            return None
        row.attempts += 1
        # The lease: nobody else tries it before a worker would have been killed for overrunning
        # the task's hard time limit. A sender that finishes sets it again (sent or backed off).
        row.next_attempt_at = now + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def _record_failure(row: OutboundEmail, error: Exception) -> None:
    update: dict[str, object] = {"last_error": repr(error)[:2000]}
    if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        update |= {"status": OutboundEmail.Status.FAILED, "next_attempt_at": None}
        logger.error("E-mail %s to %s failed %s times; given up.", row.pk, row.recipient, row.attempts)
    else:
        wait = retry_delay(row.attempts, first=settings.EMAIL_RETRY_SECONDS, most=settings.EMAIL_RETRY_MAX_SECONDS)
        update["next_attempt_at"] = timezone.now() + wait
    OutboundEmail.objects.filter(pk=row.pk, status=OutboundEmail.Status.PENDING).update(**update)


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def due_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        OutboundEmail.objects.filter(_due(now or timezone.now()), status=OutboundEmail.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(*, now: datetime | None = None) -> int:
    """Publish every pending e-mail that is due. Safe to run any number of times at once:
    each send claims its row, so a row published twice is sent once."""
    from core.tasks import send_email as send_email_task  # here: core.tasks imports this module (cycle)

    ids = due_ids(now=now)
    for email_id in ids:
        if not publish(send_email_task, email_id):
            break  # the broker is down: the rest wait for the next sweep
    return len(ids)


def failed() -> models.QuerySet[OutboundEmail]:
    """E-mails given up on, newest first: shown on the status page."""
    return OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).order_by("-pk")
