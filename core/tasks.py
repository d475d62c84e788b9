"""Thin Celery wrappers around core services: load by id, call one service, retry only the transient."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from core import delivery, jobs
from core.models import Notification
from core.services import health, notifications, reminders


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


@shared_task(
    name="core.send_notification_email",
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return  # deleted meanwhile: nothing to send
    notifications.send_notification_email(notification=notification)


@shared_task(name="core.record_worker_heartbeat", acks_late=True)
def record_worker_heartbeat() -> None:
    health.record_heartbeat(name="worker")
