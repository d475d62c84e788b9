"""What liaison puts on the deadline board (core.deadlines, registered in ready()): handovers the
unit has not delivered yet and open rectification items."""

from collections.abc import Iterator

from django.db import models
from django.urls import reverse

from core.deadlines import Due, reminders_sent
from core.models import User
from liaison.models import HandoverRecord, LiaisonAssignment, RectificationItem

OPEN_RECTIFICATION = ~models.Q(
    status__in=(RectificationItem.Status.SIGNED_OFF, RectificationItem.Status.LONG_TERM_MAINTAINED)
)


def handovers_due(user: User, round_id: int | None) -> models.QuerySet[HandoverRecord]:
    rows = HandoverRecord.objects.for_user(user).filter(status=HandoverRecord.Status.REQUESTED, due_at__isnull=False)
    return rows.filter(inspected_unit__inspection_round_id=round_id) if round_id else rows


def handover_rows(rows: models.QuerySet[HandoverRecord]) -> Iterator[Due]:
    rows = rows.select_related("inspected_unit__org_unit").annotate(sent_count=reminders_sent(HandoverRecord))
    handovers = list(rows)
    # The unit's current liaison officer delivers: one query for all the units on the page.
    officers = dict(
        LiaisonAssignment.objects.filter(
            liaison_office__inspected_unit_id__in={h.inspected_unit_id for h in handovers}, end_date__isnull=True
        ).values_list("liaison_office__inspected_unit_id", "person__name")
    )
    for handover in handovers:
        if handover.due_at is None:  # none: the filter keeps rows with a date
            continue
        unit = handover.inspected_unit.org_unit.display_name
        url = reverse("liaison:handover-list", args=[handover.inspected_unit_id])
        responsible = officers.get(handover.inspected_unit_id, unit)
        yield Due(handover.pk, handover.item, url, unit, responsible, handover.due_at, handover.sent_count)


def rectification_due(user: User, round_id: int | None) -> models.QuerySet[RectificationItem]:
    rows = RectificationItem.objects.for_user(user).filter(OPEN_RECTIFICATION)
    return rows.filter(problem__feedback__inspected_unit__inspection_round_id=round_id) if round_id else rows


def rectification_rows(rows: models.QuerySet[RectificationItem]) -> Iterator[Due]:
    rows = rows.select_related("problem__feedback__inspected_unit__org_unit").annotate(
        sent_count=reminders_sent(RectificationItem)
    )
    for item in rows:
        unit = item.problem.feedback.inspected_unit.org_unit.display_name
        responsible = " / ".join(part for part in (item.responsible_person, item.lead_department) if part)
        url = reverse("liaison:item-detail", args=[item.pk])
        title = f"{item.problem.seq}.{item.seq} {item.measure[:40]}"
        yield Due(item.pk, title, url, unit, responsible, item.deadline, item.sent_count)
