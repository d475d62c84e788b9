"""The one way a record is delivered to a party, exactly once whatever crashes (issue 12).

A record becomes deliverable in a service's transaction (a letter approved, a transfer sent,
a secondment request sent, materials asked for), which calls schedule(record): that writes
its Delivery row in the same transaction and publishes the delivery task after commit.

deliver() claims the row and does the record's work in ONE transaction: the row is locked
(FOR UPDATE SKIP LOCKED on PostgreSQL, so a second worker skips it instead of waiting; on
SQLite every transaction is IMMEDIATE and takes the database's write lock), the app's steps
run (grants, notifications, reminder plan, marking the record delivered), and the row is
marked done. A crash at any point, an exception, a killed worker or a dropped connection,
rolls all of it back: the row stays pending and sweep() publishes it again. Nothing is done
outside the transaction, so nothing is done twice.

Apps register their steps by model label from AppConfig.ready; core imports no app.

A row that keeps failing, or stays pending because nothing runs it, is stuck: the office sees it
on the stuck-work page (core.services.stuck) and re-queues or cancels it. Both are transitions
of WORKFLOW below, so they are locked, checked against a stale page and audited like any move.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import transitions
from core.enqueue import enqueue, publish
from core.models import Delivery, User
from core.permissions import PermissionQuerySet
from core.roles import Role
from core.selectors import record_reference
from core.services.notifications import notify

logger = logging.getLogger(__name__)

# A step gets a record of the model it is registered for (register keys them by its label).
Step = Callable[[Any], None]
_STEPS: dict[str, tuple[Step, ...]] = {}
# Who answers for a record of that model (its approver, its requester): told when its delivery is cancelled.
Owners = Callable[[Any], Sequence[User | None]]
_OWNERS: dict[str, Owners] = {}
_M = TypeVar("_M", bound=models.Model)

# Test-only: called with (model label, step name) before each step inside the claimed
# transaction, so the fault-injection tests can raise or kill the process at every point.
before_step: Callable[[str, str], None] | None = None


def register(
    label: str, steps: Sequence[Callable[[_M], None]], *, owners: Callable[[_M], Sequence[User | None]] | None = None
) -> None:
    """The steps that deliver a record of model `label` ("clues.InfoRequestLetter"), in order.

    Each step gets the record, locked, and runs inside the claimed transaction. A step that
    finds there is nothing left to do (the record was withdrawn meanwhile) just returns.
    `owners` names who answers for the record (its approver, its requester): they are told,
    with the office heads, when the office cancels its delivery.
    """
    _STEPS[label] = tuple(steps)
    if owners is not None:
        _OWNERS[label] = owners


def schedule(record: models.Model) -> Delivery:
    """Make `record` deliverable: call inside the transaction that makes it so."""
    from core.tasks import deliver as deliver_task  # here: core.tasks imports this module (cycle)

    if record._meta.label not in _STEPS:
        raise LookupError(f"No delivery steps registered for {record._meta.label}")
    row, _created = Delivery.objects.get_or_create(
        target_type=ContentType.objects.get_for_model(record), target_id=record.pk
    )
    if row.state == Delivery.State.CANCELLED:
        # Deliverable again (its service made it so anew): the earlier cancel does not hold it back.
        row = transitions.perform(row, "reopen", by=None, fields={"attempts": 0, "retry_at": None, "cancel_reason": ""})
    enqueue(deliver_task, row.pk)
    return row


def deliver(delivery_id: int) -> bool:
    """Claim one pending delivery and do its work; True if this call delivered it.

    False when it is done already or another worker holds it right now (that worker either
    commits it or rolls back, and then the sweep finds it again).
    """
    try:
        with transaction.atomic():
            row = (
                Delivery.objects.select_for_update(skip_locked=True)
                .select_related("target_type")
                .filter(pk=delivery_id, state=Delivery.State.PENDING)
                .first()
            )
            if row is None:
                return False
            model = row.target_type.model_class()
            if model is None:  # its app is gone; recorded as a failure like any other
                raise LookupError(f"No model for {row.target_type}")
            label = model._meta.label
            # Locked against a concurrent status move (a cancel, an answer), FOR NO KEY UPDATE like
            # core.transitions; only its own row: some managers join nullable relations, which
            # FOR UPDATE cannot lock.
            record = model._base_manager.select_for_update(no_key=True, of=("self",)).filter(pk=row.target_id).first()
            if record is not None:  # a deleted record is owed to nobody
                for step in _STEPS[label]:
                    if before_step is not None:
                        before_step(label, step.__name__)
                    step(record)
            if before_step is not None:
                before_step(label, "done")  # the last point before commit
            row.state, row.done_at, row.retry_at, row.last_error = Delivery.State.DONE, timezone.now(), None, ""
            row.save(update_fields=["state", "done_at", "retry_at", "last_error"])
    except Exception as error:
        # Everything above is rolled back; record the failure so the sweep waits a little
        # before trying again and the status page can show what goes wrong.
        logger.exception("Delivery %s failed; the sweep retries it.", delivery_id)
        _record_failure(delivery_id, error)
        raise
    return True


def deliver_record(record: models.Model) -> bool:
    """Deliver `record` now, in this process (the demo seed, tests); False if already done."""
    row = Delivery.objects.filter(
        target_type=ContentType.objects.get_for_model(record), target_id=record.pk
    ).values_list("pk", flat=True)
    return any(deliver(pk) for pk in row)


def _record_failure(delivery_id: int, error: Exception) -> None:
    now = timezone.now()
    try:
        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 0
        backoff = min(settings.DELIVERY_RETRY_SECONDS * 2**attempts, settings.DELIVERY_RETRY_MAX_SECONDS)
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING).update(
            attempts=attempts + 1, retry_at=now + timedelta(seconds=backoff), last_error=repr(error)[:2000]
        )
    except DatabaseError:
        # The connection that failed the delivery may be gone too: the row stays due and
        # the next sweep retries it without backoff, which is only slower, never wrong.
        logger.warning("Could not record the failure of delivery %s.", delivery_id, exc_info=True)


def due_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now), state=Delivery.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(*, now: datetime | None = None) -> int:
    """Publish every pending delivery whose backoff has passed: those whose task was never
    published (broker down), was lost, or failed. Safe to run any number of times at once."""
    from core.tasks import deliver as deliver_task  # here: core.tasks imports this module (cycle)

    ids = due_ids(now=now)
    for delivery_id in ids:
        if not publish(deliver_task, delivery_id):
            break  # the broker is down: the rest wait for the next sweep
    return len(ids)


def pending_for(model: type[models.Model]) -> models.QuerySet[Delivery]:
    return Delivery.objects.filter(target_type=ContentType.objects.get_for_model(model), state=Delivery.State.PENDING)


# ---------------------------------------------------------------- stuck deliveries


def stuck_q(*, now: datetime | None = None) -> Q:
    """Pending rows that failed at least once, or that nothing has delivered for DELIVERY_STUCK_AFTER
    (the broker was down and the sweep is not running): counted from a re-queue when there was one."""
    cutoff = (now or timezone.now()) - settings.DELIVERY_STUCK_AFTER
    waited = Q(requeued_at__lt=cutoff) | Q(requeued_at__isnull=True, created_at__lt=cutoff)
    return Q(state=Delivery.State.PENDING) & (Q(attempts__gt=0) | waited)


def stuck_deliveries(*, now: datetime | None = None) -> PermissionQuerySet[Delivery]:
    return Delivery.objects.filter(stuck_q(now=now)).order_by("created_at", "pk")


def is_stuck(row: Delivery, *, now: datetime | None = None) -> bool:
    """stuck_q for one row in hand (locked by the caller)."""
    cutoff = (now or timezone.now()) - settings.DELIVERY_STUCK_AFTER
    waiting_since = row.requeued_at or row.created_at
    return row.state == Delivery.State.PENDING and (row.attempts > 0 or waiting_since < cutoff)


def _may_resolve(user: Any, row: Delivery) -> bool:
    return bool(user is not None and user.has_perm("core.resolve_delivery"))


def _publish_again(row: Delivery, move: transitions.Move) -> None:
    from core.tasks import deliver as deliver_task  # here: core.tasks imports this module (cycle)

    enqueue(deliver_task, row.pk)


def _tell_owners(row: Delivery, move: transitions.Move) -> None:
    """Cancelling leaves the record as its own service left it (a letter stays "sent"): core cannot
    move an app's record, and whether to withdraw it or reach the party another way is the
    owner's call. So its owners and the office heads are told that it never arrived."""
    model = row.target_type.model_class()
    record = row.target
    owners = _OWNERS.get(model._meta.label) if model is not None else None
    heads = User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct()
    recipients = [*heads, *(user for user in (owners(record) if owners and record is not None else ()) if user)]
    name = record_reference(row.target_type, row.target_id, record)
    notify(
        recipients=recipients,
        title=_("Delivery of %(record)s cancelled: it never reached its recipients") % {"record": name},
        body="\n".join(
            [
                _("Cancelled by: %(username)s") % {"username": move.by.get_username()},
                _("Reason: %(reason)s") % {"reason": row.cancel_reason},
                _(
                    "The record keeps its status, but its recipients got no access, no notice and no "
                    "reminders. Withdraw it or reach them another way."
                ),
            ]
        ),
        level="warning",
    )


P = Delivery.State.PENDING
WORKFLOW = transitions.register(
    transitions.Workflow(
        Delivery,
        [
            # Due now with a clean slate: the sweep and the task published after commit take it.
            transitions.Transition("requeue", (P,), P, who=_may_resolve, effects=(_publish_again,)),
            # Never attempted again; the reason is kept on the row and in the audit entry.
            transitions.Transition("cancel", (P,), Delivery.State.CANCELLED, who=_may_resolve, effects=(_tell_owners,)),
            # schedule() of a record whose earlier delivery was cancelled.
            transitions.Transition("reopen", (Delivery.State.CANCELLED,), P),
        ],
        status_field="state",
        related=("target_type",),
    )
)
