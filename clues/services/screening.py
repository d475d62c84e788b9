"""The clue custodian's work before a clue reaches a group: duplicates, scope, grading, handover."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clues.models import Clue, ClueHandover
from clues.services.lifecycle import locked, move
from core import audit
from core.models import Notification, Organisation, User
from core.permissions import grant, scope_group
from core.services.notifications import notify
from inspection.models import InspectionGroup

# A clue may be merged into its original until its group starts assessing it: an on-site clue
# reaches its group with its duplicate suggestion undecided (hand_over's on_site).
MERGEABLE = (*Clue.BEFORE_HANDOVER, Clue.Status.HANDED_TO_GROUP)


@transaction.atomic
def mark_duplicate(*, clue: Clue, of: Clue, by: User) -> Clue:
    """Merge: close a clue as a duplicate of another of the same round; it no longer counts."""
    (clue,) = locked(clue)
    if of.pk == clue.pk or of.inspection_round_id != clue.inspection_round_id:
        raise ValidationError(_("A clue can only duplicate another clue of the same round."))
    if of.status == Clue.Status.DUPLICATE:
        raise ValidationError(_("Merge into the original clue, not into another duplicate."))
    if clue.status not in MERGEABLE:
        raise ValidationError(_("Only a clue its group has not begun to assess can be closed as a duplicate."))
    return move(clue, Clue.Status.DUPLICATE, by=by, duplicate_of=of, possible_duplicate_of=None)


@transaction.atomic
def dismiss_duplicate(*, clue: Clue, by: User) -> Clue:
    """The suggested pair are different matters: drop the suggestion, keep both clues."""
    (clue,) = locked(clue)
    if clue.possible_duplicate_of_id is None:
        raise ValidationError(_("This clue has no duplicate suggestion."))
    before = audit.snapshot(clue)
    clue.possible_duplicate_of = None
    clue.save(update_fields=["possible_duplicate_of", "updated_at"])
    audit.log_change(user=by, obj=clue, before=before)
    return clue


@transaction.atomic
def screen(*, clue: Clue, by: User, grade: str, verifiability: str = "") -> Clue:
    """Grade a clue; a registered clue becomes screened (a handed-over one keeps its status)."""
    (clue,) = locked(clue)
    if clue.status not in (*Clue.BEFORE_HANDOVER, Clue.Status.HANDED_TO_GROUP, Clue.Status.UNDER_ASSESSMENT):
        raise ValidationError(_("A clue can be graded until the group has concluded on it."))
    if clue.possible_duplicate_of_id:
        raise ValidationError(_("Decide on the duplicate suggestion first."))
    fields = {"grade": Clue.Grade(grade), "verifiability": verifiability}
    if clue.status == Clue.Status.REGISTERED:
        return move(clue, Clue.Status.SCREENED, by=by, **fields)
    before = audit.snapshot(clue)
    for name, value in fields.items():
        setattr(clue, name, value)
    clue.save(update_fields=[*fields, "updated_at"])
    audit.log_change(user=by, obj=clue, before=before)
    return clue


GRADEABLE = (*Clue.BEFORE_HANDOVER, Clue.Status.HANDED_TO_GROUP, Clue.Status.UNDER_ASSESSMENT)
# The registry's bulk actions (issue 14 item 5), each confirmed on a page listing every clue.
BULK_GRADE = "grade"
BULK_HAND_OVER = "hand-over"


def bulk_problems(clue: Clue, action: str) -> list[str]:
    """What would refuse `action` on this clue now, for the confirmation page (the services
    check again on the locked row)."""
    problems = []
    allowed = GRADEABLE if action == BULK_GRADE else Clue.BEFORE_HANDOVER
    if clue.status not in allowed:
        problems.append(
            _("A clue can be graded until the group has concluded on it.")
            if action == BULK_GRADE
            else _("Only a registered or screened clue can be handed over.")
        )
    if clue.possible_duplicate_of_id:
        problems.append(_("Clue %(code)s has an undecided duplicate suggestion.") % {"code": clue.code})
    return problems


@dataclass
class BulkOutcome:
    """What a bulk grading did: the clues graded, and each refused clue with its reasons."""

    done: list[Clue] = field(default_factory=list)
    refused: list[tuple[Clue, list[str]]] = field(default_factory=list)


def grade_many(
    *,
    clues: Iterable[Clue],
    by: User,
    grade: str,
    verifiability: str = "",
    progress: Callable[[int], None] | None = None,
) -> BulkOutcome:
    """Grade each clue through `screen`, one transaction each; a refused clue is listed with its
    reasons and the others are graded. Run again, it grades the same clues to the same values."""
    outcome = BulkOutcome()
    for clue in clues:
        try:
            outcome.done.append(screen(clue=clue, by=by, grade=grade, verifiability=verifiability))
        except ValidationError as exc:
            outcome.refused.append((clue, exc.messages))
        if progress is not None:
            progress(1)
    return outcome


@transaction.atomic
def mark_out_of_scope(*, clue: Clue, by: User, reason: str, forwarded_to: Organisation | None = None) -> Clue:
    (clue,) = locked(clue)
    if not reason.strip():
        raise ValidationError(_("Give the reason the clue is out of scope."))
    return move(
        clue, Clue.Status.OUT_OF_SCOPE, by=by, out_of_scope_reason=reason.strip()[:200], forwarded_to=forwarded_to
    )


@transaction.atomic
def hand_over(*, clues: list[Clue], by: User, now: datetime | None = None, on_site: bool = False) -> list[ClueHandover]:
    """Hand clues to the group covering their unit (转交): the group may read and assess them.

    All or nothing: one clue that cannot move (a duplicate suggestion undecided, a stale
    page) refuses the whole batch, so the custodian never wonders which ones went.

    on_site: a clue the group registered itself goes to it even with a duplicate suggestion
    undecided. The suggested original is of the same unit, so of the same group, which may
    conclude "duplicate" in its assessment; refusing would lose what its member wrote down.
    """
    now = now or timezone.now()
    handovers = []
    by_group: dict[int, list[Clue]] = defaultdict(list)
    for clue in locked(clues):
        if clue.possible_duplicate_of_id and not on_site:
            raise ValidationError(_("Clue %(code)s has an undecided duplicate suggestion.") % {"code": clue.code})
        move(clue, Clue.Status.HANDED_TO_GROUP, by=by)
        handovers.append(ClueHandover(clue=clue, group_id=clue.assigned_group_id, handed_at=now, handed_by=by))
        by_group[clue.assigned_group_id].append(clue)
    ClueHandover.objects.bulk_create(handovers)
    for group in InspectionGroup.objects.filter(pk__in=by_group):
        group_clues = by_group[group.pk]
        _grant_group(group, group_clues)
        notify(
            recipients=User.objects.filter(is_active=True, groups=scope_group(group)),
            title=_("%(count)s clues handed to %(group)s") % {"count": len(group_clues), "group": group.label},
            body=", ".join(c.code for c in group_clues),
            url="/clues/",
            kind=Notification.Kind.HANDOFF,
        )
    return handovers


def _grant_group(group: InspectionGroup, clues: list[Clue]) -> None:
    """Members read and assess; the leaders' circle also reads after leaving and may reveal the reporter."""
    members, leaders = scope_group(group), scope_group(group, "leaders")
    grant("view", clues, to=members)
    grant("assess", clues, to=members)
    grant("view", clues, to=leaders)
    grant("reveal", clues, to=leaders)
