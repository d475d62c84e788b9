"""The contact log between a unit and the group or office, and which units have gone quiet."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import User
from core.workdays import add_working_days, is_working_day
from inspection.models import InspectedUnit, InspectionRound
from liaison.models import ContactLogEntry
from liaison.services.offices import works_on

# Rounds whose units keep in touch with the group: from preparation to the end of review.
OPEN_ROUND_STATUSES = (
    InspectionRound.Status.APPROVED,
    InspectionRound.Status.PREPARING,
    InspectionRound.Status.ONSITE,
    InspectionRound.Status.REPORTING,
    InspectionRound.Status.FEEDBACK,
    InspectionRound.Status.RECTIFYING,
    InspectionRound.Status.REVIEWING,
)


@transaction.atomic
def record_entry(
    *, by: User, inspected_unit: InspectedUnit, at: datetime, channel: str, subject: str, follow_up: str = ""
) -> ContactLogEntry:
    """Log one contact; the unit's officer, a member of its group or the office may write."""
    if not works_on(by, inspected_unit):
        raise ValidationError(_("You may not write to this unit's contact log."))
    entry = ContactLogEntry(
        inspected_unit=inspected_unit,
        at=at,
        author=by,
        channel=channel,
        subject=subject,
        follow_up=follow_up,
        created_by=by,
    )
    entry.full_clean()
    entry.save()
    audit.log_change(user=by, obj=entry, before=None)
    return entry


def quiet_cutoff(today: date, days: int) -> date:
    """The earliest contact day that is not yet more than `days` working days before today.

    A contact on day d is `working_days_between(d, today)` working days old; that number
    exceeds `days` exactly when d falls before the (days + 1)-th working day counted back
    from today, today included when it is a working day.
    """
    back = days if is_working_day(today) else days + 1
    return add_working_days(today, -back)


def with_last_contact(units: QuerySet[InspectedUnit]) -> QuerySet[InspectedUnit]:
    return units.annotate(last_contact_at=Max("contact_log__at"))


def quiet_filter(today: date, days: int) -> Q:
    """Units whose latest entry (or, before any entry, the office's set-up day) is too old.

    A unit without entries and without a set-up office is not flagged: it has no office to
    talk to yet, and the round's entry guard already names it.
    """
    cutoff = quiet_cutoff(today, days)
    cutoff_at = timezone.make_aware(datetime.combine(cutoff, time.min))
    return Q(last_contact_at__lt=cutoff_at) | Q(last_contact_at__isnull=True, liaison_office__established_at__lt=cutoff)


def quiet_units(today: date, days: int | None = None) -> QuerySet[InspectedUnit]:
    """Units of open rounds whose contact log has gone quiet for more than `days` working days."""
    days = settings.LIAISON_QUIET_WORKING_DAYS if days is None else days
    units = InspectedUnit.objects.filter(inspection_round__status__in=OPEN_ROUND_STATUSES)
    return (
        with_last_contact(units)
        .filter(quiet_filter(today, days))
        .select_related("org_unit", "group", "inspection_round")
        .order_by("last_contact_at", "pk")
    )
