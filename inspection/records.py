"""What the inspection app checks in `manage.py check_records` (core.records; registered in InspectionConfig.ready)."""

from django.utils.translation import gettext as _

from core import transitions
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound
from inspection.services.workflow import WORKFLOW, group_status_for, unit_statuses_for

R = InspectionRound.Status
ROUND_ORDER = ("year", "committee_term", "round_no")


def _checked_rounds() -> list[InspectionRound]:
    return list(InspectionRound.objects.exclude(status__in=(R.DRAFT, R.CANCELLED)).order_by(*ROUND_ORDER))


def rounds_meet_their_stage() -> list[str]:
    """Each round against the guards of the move into the stage it is in (those of every app).

    A round reached its stage through that move, so its records must still satisfy what the move
    asked; the guards of earlier moves described a moment (who was a current member before entry)
    and are not asked again.
    """
    problems = []
    for inspection_round in _checked_rounds():
        transition = WORKFLOW[inspection_round.status]
        move = transitions.Move(transition, None, inspection_round.status, {})
        for guard in transition.guards:
            for problem in guard(inspection_round, move):
                problems.append(
                    _("%(round)s (%(stage)s): %(problem)s")
                    % {
                        "round": inspection_round.title,
                        "stage": inspection_round.get_status_display(),
                        "problem": problem,
                    }
                )
    return problems


def groups_follow_their_round() -> list[str]:
    """docs/domain.md §3.1: stationed while the round is on site, withdrawn after, archived with it."""
    problems = []
    groups = InspectionGroup.objects.select_related("inspection_round").order_by(
        *(f"inspection_round__{field}" for field in ROUND_ORDER), "number"
    )
    for group in groups.exclude(inspection_round__status__in=(R.DRAFT, R.CANCELLED)):
        expected = group_status_for(group.inspection_round.status)
        if expected is not None and group.status != expected:
            problems.append(
                _("%(round)s: %(group)s is %(status)s, but its round is %(stage)s.")
                % {
                    "round": group.inspection_round.title,
                    "group": group.label,
                    "status": group.get_status_display(),
                    "stage": group.inspection_round.get_status_display(),
                }
            )
    return problems


def units_follow_their_round() -> list[str]:
    """docs/domain.md §3.1: a unit is on site with its round, has had feedback before rectification, and is
    rectifying or rectified from then on."""
    problems = []
    units = InspectedUnit.objects.select_related("inspection_round", "org_unit").order_by(
        *(f"inspection_round__{field}" for field in ROUND_ORDER), "pk"
    )
    for unit in units.exclude(inspection_round__status__in=(R.DRAFT, R.CANCELLED)):
        allowed = unit_statuses_for(unit.inspection_round.status)
        if allowed is not None and unit.status not in allowed:
            problems.append(
                _("%(round)s: %(unit)s is %(status)s, but its round is %(stage)s.")
                % {
                    "round": unit.inspection_round.title,
                    "unit": unit.org_unit.display_name,
                    "status": unit.get_status_display(),
                    "stage": unit.inspection_round.get_status_display(),
                }
            )
    return problems
