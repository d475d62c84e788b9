"""What talentpool puts on the deadline board (core.deadlines, registered in ready()): secondment
requests awaiting the home unit's answer."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core.deadlines import Due, reminders_sent
from core.models import User
from talentpool.models import SecondmentRequest

AWAITING = (SecondmentRequest.Status.REQUESTED, SecondmentRequest.Status.ESCALATED)


def secondments_due(user: User, round_id: int | None) -> QuerySet[SecondmentRequest]:
    rows = SecondmentRequest.objects.for_user(user).filter(status__in=AWAITING, response_due__isnull=False)
    return rows.filter(inspection_round_id=round_id) if round_id else rows


def secondment_rows(rows: QuerySet[SecondmentRequest]) -> Iterator[Due]:
    rows = rows.select_related("person", "home_unit").annotate(sent_count=reminders_sent(SecondmentRequest))
    for request in rows:
        if request.response_due is None:  # none: the filter keeps rows with a date
            continue
        title = request.doc_number or _("Secondment of %(name)s") % {"name": request.person.name}
        url = reverse("talentpool:secondment-detail", args=[request.pk])
        home_unit = request.home_unit.display_name
        yield Due(request.pk, title, url, request.person.name, home_unit, request.response_due, request.sent_count)
