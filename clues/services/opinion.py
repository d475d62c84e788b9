"""Online public opinion (网络舆情): items the office collects, and turning one into a clue."""

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.models import Clue, OnlineOpinionItem
from clues.services.numbering import clue_codes
from core import audit
from core.files import DOCUMENT_KINDS, store_upload
from core.models import User
from core.permissions import grant
from inspection.models import InspectionRound


@transaction.atomic
def record_opinion_item(
    *,
    inspection_round: InspectionRound,
    by: User,
    snapshot: IO[bytes] | None = None,
    snapshot_name: str = "",
    **fields: Any,
) -> OnlineOpinionItem:
    item = OnlineOpinionItem(inspection_round=inspection_round, captured_by=by, created_by=by, **fields)
    item.full_clean()
    item.save()
    if item.inspected_unit is not None:
        # The group inspecting the unit may read what the office found about it (docs/domain.md §5.3).
        grant("view", item, to=item.inspected_unit.group)
    if snapshot is not None:
        item.snapshot = store_upload(
            upload=snapshot, name=snapshot_name, uploaded_by=by, allowed_kinds=DOCUMENT_KINDS, owner=item
        )
        item.save(update_fields=["snapshot"])
    audit.log_change(user=by, obj=item, before=None)
    return item


@transaction.atomic
def convert_to_clue(*, item: OnlineOpinionItem, by: User) -> Clue:
    """Register a relevant item as a clue of source online_opinion (counted apart from partner clues)."""
    item = (
        OnlineOpinionItem.objects.select_for_update(no_key=True, of=("self",))
        .select_related("inspected_unit")
        .get(pk=item.pk)
    )
    if item.converted_clue_id:
        raise ValidationError(_("This item has already been turned into a clue."))
    if item.relevance != OnlineOpinionItem.Relevance.RELEVANT or item.inspected_unit is None:
        raise ValidationError(_("Only a relevant item matched to an inspected unit can become a clue."))
    unit = item.inspected_unit
    text = item.summary or item.title
    clue = Clue.objects.create(
        code=clue_codes(item.inspection_round, 1)[0],
        inspection_round_id=item.inspection_round_id,
        inspected_unit=unit,
        assigned_group_id=unit.group_id,
        source_type=Clue.SourceType.ONLINE_OPINION,
        source_ref=item.url[:100],
        source_channel="media",
        received_date=item.published_at or timezone.localdate(),
        allegation_summary=text[:300],
        allegation_detail=text,
        categories=["other"],
        created_by=by,
    )
    item.converted_clue = clue
    item.save(update_fields=["converted_clue", "updated_at"])
    audit.log_change(user=by, obj=clue, before=None)
    return clue
