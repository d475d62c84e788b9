"""Thin Celery wrappers around core services: load by id, call one service, retry only the transient.

Every task retries on database connection errors (the app's task class, core.worker.Task).
"""

from celery import shared_task
from django.conf import settings

from core import delivery, integrity, jobs, outbox
from core.services import health, reminders


@shared_task(name="core.sweep_due_reminders", acks_late=True)
def sweep_due_reminders() -> int:
    return reminders.sweep_due_reminders()


@shared_task(name="core.deliver", acks_late=True)
def deliver(delivery_id: int) -> None:
    delivery.deliver(delivery_id)


@shared_task(name="core.sweep_deliveries", acks_late=True)
def sweep_deliveries() -> int:
    """Pending deliveries (broker down at approval, a worker killed, a failed attempt) go out now."""
    return delivery.sweep()


@shared_task(
    name="core.run_job",
    acks_late=True,
    # Long work: its own limits, not the default ones; a job running past the hard limit is
    # taken as lost by the sweep (core/jobs.py).
    time_limit=settings.JOB_TIME_LIMIT_SECONDS,
    soft_time_limit=max(settings.JOB_TIME_LIMIT_SECONDS - 30, 1),
)
def run_job(job_id: int) -> None:
    jobs.run_job(job_id)


@shared_task(name="core.sweep_jobs", acks_late=True)
def sweep_jobs() -> int:
    """Background jobs never published (broker down), lost, or left by a dead worker run now."""
    return jobs.sweep()


@shared_task(name="core.send_reminder", acks_late=True)
def send_reminder(reminder_id: int) -> None:
    reminders.send_reminder(reminder_id=reminder_id)


@shared_task(name="core.send_email", acks_late=True)
def send_email(email_id: int) -> None:
    """SMTP failures are the outbox's to retry (backoff, then failed): none is raised here."""
    outbox.send(email_id)


@shared_task(name="core.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """E-mails not sent yet (broker down when written, a failed try, a sender that died) go out now."""
    return outbox.sweep()


@shared_task(name="core.record_worker_heartbeat", acks_late=True)
def record_worker_heartbeat() -> None:
    health.record_heartbeat(name="worker")


# Hashing every stored file takes longer than the default limits allow on a large store.
@shared_task(name="core.verify_files", acks_late=True, time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60)
def verify_files() -> bool:
    """Nightly: every stored file against its SHA-256, and orphans; problems are reported."""
    return integrity.verify_and_report().ok
