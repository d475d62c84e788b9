"""What the liaison app adds to a round's stage guards (registered in LiaisonConfig.ready)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from inspection.models import InspectedUnit, InspectionRound
from liaison.models import Feedback, LiaisonAssignment, RectificationItem

Item = RectificationItem.Status


def units_without_officer(inspection_round: InspectionRound) -> list[str]:
    """docs/domain.md §2.3: the round cannot go on site until every unit has a current liaison officer."""
    staffed = LiaisonAssignment.objects.filter(
        liaison_office__inspected_unit__inspection_round=inspection_round, end_date__isnull=True
    ).values("liaison_office__inspected_unit")
    missing = inspection_round.inspected_units.exclude(pk__in=staffed).select_related("org_unit").order_by("pk")
    return [_("%(unit)s has no liaison officer.") % {"unit": unit.org_unit.display_name} for unit in missing]


def feedback_not_delivered(inspection_round: InspectionRound) -> list[str]:
    """Leaving the feedback stage: every inspected unit has had its feedback delivered (docs/domain.md §3.4)."""
    delivered = Feedback.objects.filter(
        inspected_unit__inspection_round=inspection_round, status=Feedback.Status.DELIVERED
    ).values("inspected_unit")
    missing = (
        inspection_round.inspected_units.exclude(pk__in=delivered)
        .select_related("org_unit")
        .order_by("group__number", "pk")
    )
    return [
        _("%(unit)s: the feedback has not been delivered.") % {"unit": unit.org_unit.display_name} for unit in missing
    ]


def ledger_not_closed(inspection_round: InspectionRound) -> list[str]:
    """Evaluation and archive: every ledger item signed off, or kept as long-term with the date of its
    next follow-up check (issue 13 item 2), counted per unit."""
    in_round = "feedback__problems__items"
    units = (
        InspectedUnit.objects.filter(inspection_round=inspection_round)
        .select_related("org_unit")
        .annotate(
            open_items=Count(
                in_round,
                filter=~Q(**{f"{in_round}__status__in": (Item.SIGNED_OFF, Item.LONG_TERM_MAINTAINED)}),
            ),
            undated=Count(
                in_round,
                filter=Q(**{f"{in_round}__status": Item.LONG_TERM_MAINTAINED, f"{in_round}__follow_up_on": None}),
            ),
        )
        .filter(Q(open_items__gt=0) | Q(undated__gt=0))
        .order_by("group__number", "pk")
    )
    problems = []
    for unit in units:
        name = unit.org_unit.display_name
        if unit.open_items:
            problems.append(
                _("%(unit)s: %(count)s ledger items are neither signed off nor kept as long-term.")
                % {"unit": name, "count": unit.open_items}
            )
        if unit.undated:
            problems.append(
                _("%(unit)s: %(count)s long-term items have no follow-up date.") % {"unit": name, "count": unit.undated}
            )
    return problems
