"""What the clues app checks in `manage.py check_records` (core.records; registered in CluesConfig.ready)."""

from django.utils.translation import gettext as _

from clues import tallies
from clues.models import Clue, InfoRequestLetter, LetterGroupObjectPermission
from clues.stages import group_clue_grants
from core.permissions import scope_group_name
from inspection.models import InspectionRound

S = Clue.Status
# A clue in any of these has not been handed to a group (or never will be): every other status
# comes after the handover (docs/domain.md §3.3).
BEFORE_HANDOVER = (S.REGISTERED, S.SCREENED, S.DUPLICATE, S.OUT_OF_SCOPE)


def delivered_letters_reach_their_partner() -> list[str]:
    """A delivered letter is readable by its partner's circle (the delivery's grant)."""
    letters = list(
        InfoRequestLetter.objects.filter(delivered_at__isnull=False).select_related("partner__org_unit").order_by("pk")
    )
    granted = set(
        LetterGroupObjectPermission.objects.filter(
            content_object__in=[letter.pk for letter in letters], permission__codename="view_inforequestletter"
        ).values_list("content_object_id", "group__name")
    )
    return [
        _("Letter %(letter)s to %(partner)s is delivered, but the partner cannot read it.")
        % {"letter": letter, "partner": letter.partner.org_unit.display_name}
        for letter in letters
        if (letter.pk, scope_group_name(letter.partner.org_unit, "partner")) not in granted
    ]


def clues_past_screening_were_handed_over() -> list[str]:
    """Every clue a group has (assessed, proposed, transferred, concluded) came to it by a handover."""
    missing = Clue.objects.exclude(status__in=BEFORE_HANDOVER).filter(handovers__isnull=True).order_by("code")
    return [
        _("Clue %(code)s is %(status)s but was never handed to a group.")
        % {"code": clue.code, "status": clue.get_status_display()}
        for clue in missing.only("code", "status")
    ]


def archived_rounds_closed_to_their_groups() -> list[str]:
    """docs/domain.md §5.2 rule 3: after the archive no group circle reads the round's clues."""
    problems = []
    for inspection_round in InspectionRound.objects.filter(status=InspectionRound.Status.ARCHIVED).order_by("pk"):
        count = group_clue_grants(inspection_round).values("content_object").distinct().count()
        if count:
            problems.append(
                _("%(round)s is archived, but its groups can still read %(count)s of its clues.")
                % {"round": inspection_round.title, "count": count}
            )
    return problems


def clue_counters_equal_a_recount() -> list[str]:
    """The dashboard's and the funnel's counters (clues.tallies) hold what a count of the clues finds."""
    return [
        _("Clue counter %(table)s %(key)s holds %(held)s; the clues count %(counted)s.")
        % {"table": table, "key": "/".join(str(part) for part in key), "held": have, "counted": counted}
        for (table, key), have, counted in tallies.differences()
    ]
