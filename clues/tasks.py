"""Thin Celery wrappers around the clues services."""

from celery import shared_task

from clues.services import letters, transfers
from core.enqueue import publish


@shared_task(name="clues.deliver_letter", acks_late=True)
def deliver_letter(letter_id: int) -> None:
    letters.deliver_letter(letter_id=letter_id)


@shared_task(name="clues.deliver_pending_letters", acks_late=True)
def deliver_pending_letters() -> int:
    """Sweep: letters sent while the broker was down are delivered now."""
    ids = letters.undelivered_letter_ids()
    for letter_id in ids:
        publish(deliver_letter, letter_id)
    return len(ids)


@shared_task(name="clues.deliver_transfer", acks_late=True)
def deliver_transfer(transfer_id: int) -> None:
    transfers.deliver_transfer(transfer_id=transfer_id)


@shared_task(name="clues.deliver_pending_transfers", acks_late=True)
def deliver_pending_transfers() -> int:
    """Sweep: transfers sent while the broker was down are delivered now."""
    ids = transfers.undelivered_transfer_ids()
    for transfer_id in ids:
        publish(deliver_transfer, transfer_id)
    return len(ids)
