from django.db import transaction

from clues.models import PartnerUnit
from core import audit
from core.models import Organisation, User


@transaction.atomic
def register_partner(
    *, by: User | None, org_unit: Organisation, category: str, sort_order: int, request_items: list[str]
) -> PartnerUnit:
    """Make an organisation a partner department, with the items its letters ask for by default."""
    partner = PartnerUnit(
        org_unit=org_unit, category=category, sort_order=sort_order, default_request_items=request_items, created_by=by
    )
    partner.full_clean()
    partner.save()
    audit.log_change(user=by, obj=partner, before=None)
    return partner
