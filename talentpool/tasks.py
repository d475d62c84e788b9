"""Thin Celery wrappers around the talent-pool services."""

from celery import shared_task

from core.enqueue import publish
from talentpool.services import secondments


@shared_task(name="talentpool.deliver_secondment_request", acks_late=True)
def deliver_secondment_request(request_id: int) -> None:
    secondments.deliver_secondment_request(request_id=request_id)


@shared_task(name="talentpool.deliver_pending_secondment_requests", acks_late=True)
def deliver_pending_secondment_requests() -> int:
    """Sweep: secondment letters sent while the broker was down are delivered now."""
    ids = secondments.undelivered_request_ids()
    for request_id in ids:
        publish(deliver_secondment_request, request_id)
    return len(ids)
