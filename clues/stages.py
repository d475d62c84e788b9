"""What the clues app adds to a round's stages (registered in CluesConfig.ready)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission

from clues.models import (
    CaseRecord,
    Clue,
    ClueGroupObjectPermission,
    InfoRequestLetter,
    PartnerUnit,
    TransferGroupObjectPermission,
)
from clues.services.letters import create_round_letters
from core import audit
from core.models import AuditLog
from core.permissions import scope_group_name
from inspection.models import InspectedUnit, InspectionRound

S = Clue.Status
# Proposed or approved for transfer, and neither sent nor sent back to the group with the head's note.
UNSENT = (S.PROPOSED_FOR_TRANSFER, S.TRANSFER_APPROVED)


def draft_letters(inspection_round: InspectionRound, by: Any) -> None:
    """approved → preparing drafts the letters to every active partner (docs/domain.md §3.1)."""
    create_round_letters(inspection_round=inspection_round, by=by)


def letters_preview(inspection_round: InspectionRound) -> list[str]:
    """What approved → preparing will draft, for the page that confirms it."""
    have = InfoRequestLetter.objects.filter(
        inspection_round=inspection_round, kind=InfoRequestLetter.Kind.MAIN
    ).exclude(status=InfoRequestLetter.Status.WITHDRAWN)
    count = PartnerUnit.objects.filter(active=True).exclude(pk__in=have.values("partner")).count()
    if not count:
        return []
    return [_("%(count)s letters will be drafted to the active partner departments.") % {"count": count}]


def unscreened_or_unsent(inspection_round: InspectionRound) -> list[str]:
    """Before the groups leave the site: every clue of the round's units screened, every proposed
    transfer sent or sent back with a reason (issue 13 item 2), counted per unit.

    Counts, not codes: the office staff who see this page see clue counts only (docs/domain.md §5.2 rule 6).
    """
    units = (
        InspectedUnit.objects.filter(inspection_round=inspection_round)
        .select_related("org_unit")
        .annotate(
            unscreened=Count("clues", filter=Q(clues__status=S.REGISTERED)),
            unsent=Count("clues", filter=Q(clues__status__in=UNSENT)),
        )
        .filter(Q(unscreened__gt=0) | Q(unsent__gt=0))
        .order_by("group__number", "pk")
    )
    problems = []
    for unit in units:
        name = unit.org_unit.display_name
        if unit.unscreened:
            problems.append(
                _("%(unit)s: %(count)s clues have not been screened.") % {"unit": name, "count": unit.unscreened}
            )
        if unit.unsent:
            problems.append(
                _("%(unit)s: %(count)s clues proposed for transfer are neither sent nor sent back with a reason.")
                % {"unit": name, "count": unit.unsent}
            )
    return problems


def transfers_not_sent(inspection_round: InspectionRound) -> list[str]:
    """Before archiving: no clue proposed or approved for transfer is left unsent."""
    waiting = Clue.objects.filter(inspection_round=inspection_round, status__in=UNSENT).count()
    if waiting:
        return [_("%(count)s clues proposed for transfer have not been sent.") % {"count": waiting}]
    return []


def _circles(inspection_round: InspectionRound) -> list[str]:
    """The names of the round's groups' circles: their members' and their leaders'."""
    groups = list(inspection_round.groups.all())
    return [scope_group_name(group) for group in groups] + [scope_group_name(group, "leaders") for group in groups]


def group_clue_grants(inspection_round: InspectionRound) -> Any:
    return ClueGroupObjectPermission.objects.filter(
        group__name__in=_circles(inspection_round), content_object__inspection_round=inspection_round
    )


def _group_labels(inspection_round: InspectionRound, clue_grants: Any) -> str:
    """The groups whose circles hold the grants, as the page names them (第1巡察组、第2巡察组)."""
    clues = Clue.objects.filter(pk__in=clue_grants.values("content_object"))
    groups = inspection_round.groups.filter(pk__in=clues.values("assigned_group")).order_by("number")
    return "、".join(group.label for group in groups)


def archive_preview(inspection_round: InspectionRound) -> list[str]:
    """What archiving will take from the groups, for the page that confirms it."""
    clue_grants = group_clue_grants(inspection_round)
    count = clue_grants.values("content_object").distinct().count()
    if not count:
        return []
    return [
        _("%(count)s clues will no longer be readable by the members and leaders of %(groups)s; the office keeps them.")
        % {"count": count, "groups": _group_labels(inspection_round, clue_grants)}
    ]


def close_groups_reading(inspection_round: InspectionRound, by: Any) -> None:
    """Archive: the groups' members and leaders lose the round's clues, their transfers and the cases
    filed from them (docs/domain.md §5.2 rule 3: the leaders read until the archive); the office
    reads through its roles, which no grant gives or takes.
    """
    circles = _circles(inspection_round)
    clue_grants = group_clue_grants(inspection_round)
    clues = clue_grants.values("content_object").distinct().count()
    groups = _group_labels(inspection_round, clue_grants)
    removed = clue_grants.delete()[0]
    removed += TransferGroupObjectPermission.objects.filter(
        group__name__in=circles, content_object__inspection_round=inspection_round
    ).delete()[0]
    # Cases keep their grants in guardian's generic table; a round's circles hold only its own cases.
    removed += GroupObjectPermission.objects.filter(
        group__name__in=circles, content_type=ContentType.objects.get_for_model(CaseRecord)
    ).delete()[0]
    if removed:
        audit.log_action(
            user=by,
            action=AuditLog.Action.UPDATE,
            obj=inspection_round,
            changes={"group_clue_access": [clues, 0]},
            note=_("Archived: %(count)s clues closed to %(groups)s.") % {"count": clues, "groups": groups},
        )
