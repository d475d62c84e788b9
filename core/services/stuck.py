"""Stuck work resolved by the office, not only in the admin (issue 12 item 5).

Two kinds of row can get stuck: a reminder a worker claimed and never finished (it is never
resent blindly, core.services.reminders) and a delivery that keeps failing or that nothing has
run (core.delivery). The office head or the system administrator re-queues one (it is sent or
delivered by the next task, once) or cancels it with a reason (it is never sent or delivered).

Each action is a declared transition of the row's workflow (core.transitions): the row is
locked FOR NO KEY UPDATE, its state read again, the move audited with the reason as its note.
A row that someone else resolved meanwhile, or that a worker finished, is refused with a
message, so a stale page or a double click never acts twice.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import delivery, transitions
from core.models import Delivery, Reminder, User
from core.selectors import record_reference
from core.services import reminders

# Shown of a row's last error: enough to recognise the failure, not a traceback's worth of data.
ERROR_SHOWN = 160
REASON_MAX = 500


@dataclass(frozen=True)
class StuckRow:
    """One line of the stuck-work page."""

    kind: str  # "reminder" or "delivery"
    row: Reminder | Delivery
    about: str  # record_reference: type and document number, never content
    since: datetime | None
    attempts: int | None
    last_error: str


def _about(row: Reminder | Delivery) -> str:
    return record_reference(row.target_type, row.target_id, row.target)


def _shown(error: str) -> str:
    return error if len(error) <= ERROR_SHOWN else error[: ERROR_SHOWN - 1] + "…"


def stuck_reminder_rows(user: User, *, limit: int = 200) -> list[StuckRow]:
    """Stuck reminders the user may resolve, oldest claim first; their records in one query per type."""
    rows = (
        reminders.stuck_reminders()
        .for_user(user, "resolve")
        .select_related("target_type")
        .prefetch_related("target")
        .order_by("claimed_at", "pk")[:limit]
    )
    return [StuckRow("reminder", r, _about(r), r.claimed_at, None, _shown(r.last_error)) for r in rows]


def stuck_delivery_rows(user: User, *, limit: int = 200) -> list[StuckRow]:
    """Failed or overdue deliveries the user may resolve, oldest first."""
    rows = (
        delivery.stuck_deliveries()
        .for_user(user, "resolve")
        .select_related("target_type")
        .prefetch_related("target")[:limit]
    )
    return [StuckRow("delivery", d, _about(d), d.created_at, d.attempts, _shown(d.last_error)) for d in rows]


def about(row: Reminder | Delivery) -> str:
    """What the row is about, in words every resolver may read."""
    return _about(row)


def _check(row: Reminder | Delivery, name: str, now: datetime) -> None:
    """Refuse an action that no longer applies: the row moved on, or is not stuck any more."""
    workflow = transitions.workflow_for(row)
    status = workflow.status_of(row)
    if status not in workflow[name].sources:
        # Sent or delivered by a worker, or cancelled by someone else, since the page was drawn.
        field = row._meta.get_field(workflow.status_field)
        raise ValidationError(
            _("This %(record)s is %(status)s now: the action no longer applies; reload the page.")
            % {"record": row._meta.verbose_name, "status": dict(field.flatchoices).get(status, status)}  # type: ignore[union-attr]
        )
    stuck = reminders.is_stuck(row, now=now) if isinstance(row, Reminder) else delivery.is_stuck(row, now=now)
    if not stuck:
        raise ValidationError(
            _("Someone has re-queued this %(record)s meanwhile, or a worker is on it now; reload the page.")
            % {"record": row._meta.verbose_name}
        )


def refusal(row: Reminder | Delivery, action: str) -> str:
    """Why `action` ("requeue", "cancel") no longer applies to row as read now; "" if it does."""
    try:
        _check(row, action, timezone.now())
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _resolve(row: Any, name: str, *, by: User, fields: dict[str, Any], note: str) -> Any:
    """Lock row, check that the action still applies, and take the transition `name`."""
    locked = transitions.lock(row)
    _check(locked, name, timezone.now())
    return transitions.perform(locked, name, by=by, fields=fields, note=note, locked=True)


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why you cancel it."))
    return reason[:REASON_MAX]


@transaction.atomic
def requeue_reminder(*, reminder: Reminder, by: User) -> Reminder:
    """Put a stuck reminder back to pending and publish its send task after commit.

    Safe: send_reminder writes its notices and marks the row sent in one transaction, so a
    worker that died holding the claim sent nothing, and one that comes back loses its claim.
    """
    return _resolve(reminder, "requeue", by=by, fields={"claimed_at": None}, note=_("Stuck reminder re-queued"))


@transaction.atomic
def cancel_reminder(*, reminder: Reminder, by: User, reason: str) -> Reminder:
    """A stuck reminder is never sent; the reason is kept on the row and in the audit note."""
    reason = _clean_reason(reason)
    return _resolve(reminder, "cancel", by=by, fields={"cancel_reason": reason}, note=reason)


@transaction.atomic
def requeue_delivery(*, row: Delivery, by: User) -> Delivery:
    """Make a stuck delivery due now with no backoff and publish its task after commit.

    The record's delivery steps run exactly once whatever happens: core.delivery.deliver claims
    the row and does the work in one transaction. The row leaves the stuck list until it fails
    again or waits DELIVERY_STUCK_AFTER once more.
    """
    return _resolve(
        row,
        "requeue",
        by=by,
        fields={"attempts": 0, "retry_at": None, "requeued_at": timezone.now()},
        note=_("Stuck delivery re-queued"),
    )


@transaction.atomic
def cancel_delivery(*, row: Delivery, by: User, reason: str) -> Delivery:
    """Give up a stuck delivery: it is never attempted again (the sweep takes pending rows only).

    The record keeps the status its service gave it (a letter stays "sent" although its partner
    never got it): core may not move an app's record, and the right follow-up (withdraw it,
    reach the party on paper) is its owner's call. The owners the app registered and the office
    heads are told, with the reason (core.delivery._tell_owners). If the record's service makes
    it deliverable again, schedule() reopens the row.
    """
    reason = _clean_reason(reason)
    return _resolve(row, "cancel", by=by, fields={"cancel_reason": reason, "retry_at": None}, note=reason)


@dataclass(frozen=True)
class RequeueAll:
    reminders: int
    deliveries: int
    skipped: int


def counts(user: User) -> dict[str, int]:
    """How many stuck rows of each kind the user may resolve (the bulk confirmation page)."""
    return {
        "reminders": reminders.stuck_reminders().for_user(user, "resolve").count(),
        "deliveries": delivery.stuck_deliveries().for_user(user, "resolve").count(),
    }


def requeue_all(*, by: User) -> RequeueAll:
    """Re-queue every stuck row the user may resolve, each in its own transaction.

    A row resolved by someone else between the list and its turn is skipped, not an error, so
    a second click re-queues nothing twice.
    """
    counts = {"reminder": 0, "delivery": 0, "skipped": 0}
    reminder_ids = list(reminders.stuck_reminders().for_user(by, "resolve").values_list("pk", flat=True))
    delivery_ids = list(delivery.stuck_deliveries().for_user(by, "resolve").values_list("pk", flat=True))
    for pk in reminder_ids:
        try:
            requeue_reminder(reminder=Reminder(pk=pk), by=by)
        except ValidationError:
            counts["skipped"] += 1
        else:
            counts["reminder"] += 1
    for pk in delivery_ids:
        try:
            requeue_delivery(row=Delivery(pk=pk), by=by)
        except ValidationError:
            counts["skipped"] += 1
        else:
            counts["delivery"] += 1
    return RequeueAll(reminders=counts["reminder"], deliveries=counts["delivery"], skipped=counts["skipped"])
