"""Thin Celery wrappers around the reports services."""

from celery import shared_task

from reports.services import digest


@shared_task(name="reports.schedule_weekly_digests", acks_late=True)
def schedule_weekly_digests() -> int:
    """Beat: this week's digest row for each office head; the reminder sweep sends it."""
    return digest.schedule_weekly_digests()
