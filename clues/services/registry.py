"""Registering clues by hand, and the access trail every read of a clue leaves."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.models import Clue, ClueHandover
from clues.services.duplicates import suggested_original
from clues.services.numbering import clue_codes
from clues.services.screening import hand_over
from core import audit
from core.models import AuditLog, Notification, User
from core.permissions import user_can
from core.roles import Role
from core.sealing import SealBroken, opened
from core.services.directory import users_with_role
from core.services.notifications import notify
from inspection.models import InspectedUnit
from inspection.permissions import current_memberships, is_group_member

# Sources a person can register by hand; partner letters and online opinion have their own paths.
HAND_SOURCES = (
    Clue.SourceType.PETITION,
    Clue.SourceType.INTERVIEW,
    Clue.SourceType.DOCUMENT_REVIEW,
    Clue.SourceType.SINK_VISIT,
    Clue.SourceType.HIGHER_ASSIGNED,
    Clue.SourceType.OTHER,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def register_clue(
    *,
    by: User,
    inspected_unit: InspectedUnit,
    source_type: str,
    received_date: date,
    allegation_summary: str,
    categories: list[str],
    reported_persons: list[dict] | None = None,
    allegation_detail: str = "",
    source_ref: str = "",
    amount_involved_yuan: Decimal | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    is_anonymous: bool = False,
    now: datetime | None = None,
) -> Clue:
    """A clue from a petition, interview, document review or visit, registered by hand.

    The custodian registers for any unit. A group member registers for the units of their own
    group; the clue is handed to the group at once, so its author can keep working on it.
    """
    custodian = by.has_perm("clues.add_clue")
    on_site = not custodian and is_group_member(by, inspected_unit.group_id)
    if not (custodian or on_site):
        raise PermissionDenied
    if source_type not in HAND_SOURCES:
        raise ValidationError(_("Choose where the clue came from."))
    if not allegation_summary.strip() or not categories:
        raise ValidationError(_("A clue needs a summary and at least one problem category."))
    clue = Clue(
        code=clue_codes(inspected_unit.inspection_round, 1)[0],
        inspection_round_id=inspected_unit.inspection_round_id,
        inspected_unit=inspected_unit,
        assigned_group_id=inspected_unit.group_id,
        source_type=source_type,
        source_ref=source_ref,
        received_date=received_date,
        allegation_summary=allegation_summary.strip(),
        # The summary is the whole allegation when nothing longer was written down.
        allegation_detail=allegation_detail or allegation_summary.strip(),
        categories=categories,
        reported_persons=reported_persons or [],
        amount_involved_yuan=amount_involved_yuan,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        is_anonymous=is_anonymous,
        created_by=by,
    )
    # A matter may name no one yet (e.g. "the unit's canteen"): reported persons may be empty.
    clue.full_clean(exclude=["source_import_row", "possible_duplicate_of", "duplicate_of", "reported_persons"])
    clue.possible_duplicate_of = suggested_original(clue)
    clue.save()
    audit.log_change(user=by, obj=clue, before=None)
    if on_site:
        hand_over(clues=[clue], by=by, now=now, on_site=True)
        clue.refresh_from_db()
        if clue.possible_duplicate_of_id:
            _ask_custodians_about(clue)
    return clue


def _ask_custodians_about(clue: Clue) -> None:
    """An on-site clue went to its group with a duplicate suggestion: the custodians, who decide
    suggestions, are told, since their registry marks only the clues still with them."""
    original = clue.possible_duplicate_of
    notify(
        recipients=users_with_role(Role.CLUE_CUSTODIAN),
        title=_("On-site clue %(code)s may repeat %(original)s")
        % {"code": clue.code, "original": original.code if original else ""},
        body=_("Merge it into the original or dismiss the suggestion."),
        url=reverse("clues:clue-detail", args=[clue.pk]),
        kind=Notification.Kind.HANDOFF,
    )


def record_read(*, clue: Clue, user: Any, request: HttpRequest | None = None) -> None:
    """Every opening of a clue is logged; a member of its group opening it confirms the handover."""
    audit.log_action(user=user, action=AuditLog.Action.VIEW, obj=clue, request=request)
    if clue.status == Clue.Status.HANDED_TO_GROUP:
        ClueHandover.objects.filter(
            clue=clue, received_at__isnull=True, group__in=current_memberships(user).values("group_id")
        ).update(received_at=timezone.now(), received_by=user)


def record_list_read(
    *,
    user: Any,
    rows: Iterable[models.Model],
    filters: str,
    model: type[models.Model] = Clue,
    request: HttpRequest | None = None,
) -> None:
    """A page listing clues (or their transfers) is one access-log entry: what it showed, under which filters.

    Not record_read per row: a row in a list is a read, but not the group taking the handover,
    and one entry per page keeps the page's queries flat.
    """
    audit.log_list_read(user=user, model=model, ids=[row.pk for row in rows], filters=filters, request=request)


@dataclass(frozen=True)
class Reporter:
    name: str
    contact: str
    is_anonymous: bool


def reveal_reporter(*, clue: Clue, user: Any, reason: str, request: HttpRequest | None = None) -> Reporter:
    """Unseal the reporter's identity for one user, with a reason that goes into the access log."""
    if not user_can(user, "reveal", clue):
        raise PermissionDenied
    if len(reason.strip()) < 4:
        raise ValidationError(_("Give the reason you need the reporter's identity."))
    try:
        reporter = Reporter(opened(clue.reporter_name), opened(clue.reporter_contact), clue.is_anonymous)
    except SealBroken:
        # Loud for the administrator (logged as an error), plain for the reader; nothing was revealed.
        logger.exception("The reporter of clue %s does not open with the seal keys.", clue.pk)
        raise ValidationError(
            _(
                "The reporter's identity cannot be opened: the seal key is wrong or missing. Tell the system administrator."
            )
        ) from None
    audit.log_action(user=user, action=AuditLog.Action.REVEAL, obj=clue, request=request, note=reason.strip())
    return reporter


def record_export(*, user: Any, count: int, filters: str, request: HttpRequest | None = None) -> None:
    """An export is logged against the user's account, with what was asked for."""
    audit.log_action(
        user=user,
        action=AuditLog.Action.EXPORT,
        obj=user,
        request=request,
        note=_("%(count)s clues; filters: %(filters)s") % {"count": count, "filters": filters or "-"},
    )
