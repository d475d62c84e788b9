"""Handovers (交接): a group member asks for materials, the officer delivers, the group receives and returns.

requested → delivered → received → returned, or requested → cancelled: a core.transitions
workflow, so a double click or a stale page changes nothing.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, delivery, transitions
from core.models import Notification, User
from core.services.notifications import notify
from core.services.reminders import PlannedReminder, cancel_reminders, schedule_reminders
from core.wording import message_date
from inspection.models import InspectedUnit
from liaison.models import HandoverRecord
from liaison.reminders import HANDOVERS
from liaison.services.offices import current_assignment, is_current_member, is_current_officer

Status = HandoverRecord.Status


def may_request(user: Any, inspected_unit: InspectedUnit) -> bool:
    """The group asks; the office may record a request made on paper."""
    return user.has_perm("liaison.add_handoverrecord") or is_current_member(user, inspected_unit)


def may_deliver(user: Any, inspected_unit: InspectedUnit) -> bool:
    """The unit's officer hands over; the office may record a delivery made on paper."""
    return user.has_perm("liaison.change_handoverrecord") or is_current_officer(user, inspected_unit)


def may_receive(user: Any, inspected_unit: InspectedUnit) -> bool:
    """Receipt, return and cancelling are the group's side (or the office's)."""
    return user.has_perm("liaison.change_handoverrecord") or is_current_member(user, inspected_unit)


@transaction.atomic
def request_materials(
    *,
    by: User,
    inspected_unit: InspectedUnit,
    item: str,
    category: str,
    due_at: date | None,
    note: str = "",
    now: datetime | None = None,
) -> HandoverRecord:
    if not may_request(by, inspected_unit):
        raise ValidationError(_("Only the unit's inspection group or the office may ask for materials."))
    handover = HandoverRecord(
        inspected_unit=inspected_unit,
        requested_by=by,
        requested_at=now or timezone.now(),
        item=item,
        category=category,
        due_at=due_at,
        note=note,
        created_by=by,
    )
    handover.full_clean()
    handover.save()
    audit.log_change(user=by, obj=handover, before=None)
    delivery.schedule(handover)
    return handover


def _plan_reminders(handover: HandoverRecord) -> None:
    if handover.due_at is not None and handover.status == Status.REQUESTED:
        schedule_reminders(target=handover, plan=reminder_plan(handover))


def _notify_officer(handover: HandoverRecord) -> None:
    if handover.status != Status.REQUESTED:
        return  # delivered on paper or cancelled before the request reached the officer
    officers = officer_users(handover.inspected_unit)
    if officers:
        notify(
            recipients=officers,
            title=_("Materials requested: %(item)s") % {"item": handover.item},
            body=_("Due on %(due)s.") % {"due": message_date(handover.due_at)} if handover.due_at else "",
            url=_unit_url(handover.inspected_unit),
            kind=Notification.Kind.DELIVERY,
        )


# The request reaching the unit's liaison officer (notice, overdue reminders): core.delivery
# runs these once per request, in one transaction (registered in LiaisonConfig.ready).
DELIVERY_STEPS = (_plan_reminders, _notify_officer)


def _officer_side(user: Any, handover: HandoverRecord) -> bool:
    return may_deliver(user, handover.inspected_unit)


def _group_side(user: Any, handover: HandoverRecord) -> bool:
    return may_receive(user, handover.inspected_unit)


def _stop_reminders(handover: HandoverRecord, move: transitions.Move) -> None:
    cancel_reminders(target=handover)  # nothing is owed any more


def _tell_the_requester(handover: HandoverRecord, move: transitions.Move) -> None:
    """The materials are there: whoever asked for them (the group member) comes to receive them."""
    requester = handover.requested_by
    if requester is None or (move.by is not None and requester.pk == move.by.pk):
        return  # recorded by the requester themself (a delivery made on paper)
    notify(
        recipients=[requester],
        title=_("Materials delivered: %(item)s") % {"item": handover.item},
        body=_("%(unit)s has handed over the materials you asked for; confirm their receipt.")
        % {"unit": handover.inspected_unit.org_unit.name},
        url=reverse("liaison:handover-list", args=[handover.inspected_unit_id]),
        kind=Notification.Kind.HANDOFF,
    )


WORKFLOW = transitions.register(
    transitions.Workflow(
        HandoverRecord,
        [
            transitions.Transition(
                "deliver",
                (Status.REQUESTED,),
                Status.DELIVERED,
                who=_officer_side,
                effects=(_stop_reminders, _tell_the_requester),
            ),
            transitions.Transition("receive", (Status.DELIVERED,), Status.RECEIVED, who=_group_side),
            transitions.Transition("return", (Status.RECEIVED,), Status.RETURNED, who=_group_side),
            transitions.Transition(
                "cancel", (Status.REQUESTED,), Status.CANCELLED, who=_group_side, effects=(_stop_reminders,)
            ),
        ],
        related=("inspected_unit",),
    )
)


@transaction.atomic
def deliver(*, by: User, handover: HandoverRecord, note: str = "", now: datetime | None = None) -> HandoverRecord:
    now = now or timezone.now()
    fields = {"delivered_at": now, "delivered_by": by} | ({"note": note} if note else {})
    return transitions.perform(handover, "deliver", by=by, fields=fields)


@transaction.atomic
def confirm_receipt(*, by: User, handover: HandoverRecord, now: datetime | None = None) -> HandoverRecord:
    fields = {"received_at": now or timezone.now(), "received_by": by}
    return transitions.perform(handover, "receive", by=by, fields=fields)


@transaction.atomic
def record_return(*, by: User, handover: HandoverRecord, now: datetime | None = None) -> HandoverRecord:
    return transitions.perform(handover, "return", by=by, fields={"returned_at": now or timezone.now()})


@transaction.atomic
def cancel(*, by: User, handover: HandoverRecord) -> HandoverRecord:
    return transitions.perform(handover, "cancel", by=by)


def officer_users(inspected_unit: InspectedUnit) -> list[User]:
    assignment = current_assignment(inspected_unit)
    user = getattr(assignment.person, "user", None) if assignment else None
    return [user] if user is not None and user.is_active else []


def _unit_url(inspected_unit: InspectedUnit) -> str:
    return reverse("liaison:unit-detail", args=[inspected_unit.pk])


def reminder_plan(handover: HandoverRecord) -> list[PlannedReminder]:
    """Overdue reminders (settings.HANDOVER_REMINDER_LADDER) from the due date."""
    if handover.due_at is None:  # a request without a due date has nothing to chase
        return []
    return HANDOVERS.plan(handover.due_at)
