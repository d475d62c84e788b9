"""What the liaison app checks in `manage.py check_records` (core.records; registered in LiaisonConfig.ready)."""

from django.utils.translation import gettext as _

from inspection.models import InspectionRound
from liaison.models import Feedback, RectificationItem

R = InspectionRound.Status
# Stages before the groups leave the site: no feedback can have been given yet (docs/domain.md §3.1).
BEFORE_FEEDBACK = (R.DRAFT, R.APPROVED, R.PREPARING, R.ONSITE)


def no_feedback_before_leaving_the_site() -> list[str]:
    """A round still on site (or before it) has no feedback recorded for any unit."""
    early = (
        Feedback.objects.filter(inspected_unit__inspection_round__status__in=BEFORE_FEEDBACK)
        .select_related("inspected_unit__org_unit", "inspected_unit__inspection_round")
        .order_by("pk")
    )
    return [
        _("%(unit)s has feedback recorded, but %(round)s is %(stage)s.")
        % {
            "unit": feedback.inspected_unit.org_unit.display_name,
            "round": feedback.inspected_unit.inspection_round.title,
            "stage": feedback.inspected_unit.inspection_round.get_status_display(),
        }
        for feedback in early
    ]


def delivered_feedback_is_dated() -> list[str]:
    undated = Feedback.objects.filter(status=Feedback.Status.DELIVERED, delivered_at__isnull=True)
    return [
        _("The feedback to %(unit)s is delivered but has no delivery time.")
        % {"unit": feedback.inspected_unit.org_unit.display_name}
        for feedback in undated.select_related("inspected_unit__org_unit").order_by("pk")
    ]


def signed_off_items_are_dated() -> list[str]:
    """Every signed-off ledger item says when it was signed off (and by whom)."""
    undated = RectificationItem.objects.filter(status=RectificationItem.Status.SIGNED_OFF).filter(
        signed_off_at__isnull=True
    ) | RectificationItem.objects.filter(status=RectificationItem.Status.SIGNED_OFF, signed_off_by__isnull=True)
    return [
        _("Ledger item %(item)s of %(unit)s is signed off without the time or the person who signed it off.")
        % {"item": item, "unit": item.problem.feedback.inspected_unit.org_unit.display_name}
        for item in undated.select_related("problem__feedback__inspected_unit__org_unit").order_by("pk")
    ]
