"""What the liaison app adds to a round's stage guards (registered in LiaisonConfig.ready)."""

from django.utils.translation import gettext as _

from inspection.models import InspectionRound
from liaison.models import LiaisonAssignment


def units_without_officer(inspection_round: InspectionRound) -> list[str]:
    """docs/domain.md §2.3: the round cannot go on site until every unit has a current liaison officer."""
    staffed = LiaisonAssignment.objects.filter(
        liaison_office__inspected_unit__inspection_round=inspection_round, end_date__isnull=True
    ).values("liaison_office__inspected_unit")
    missing = inspection_round.inspected_units.exclude(pk__in=staffed).select_related("org_unit").order_by("pk")
    return [_("%(unit)s has no liaison officer.") % {"unit": unit.org_unit.display_name} for unit in missing]
