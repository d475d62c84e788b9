"""A round's way from draft to archive (docs/domain.md §3.1): each move checked, and refused with the list of what is missing.

What depends on records other apps keep (declarations and secondments, liaison officers,
transfers still to send) those apps register here from their AppConfig.ready, as stage guards;
what they do when a stage is reached (clues drafts the letters) they register as stage actions,
with a preview (register_stage_preview) that the confirmation page shows before the move. Decision:
a group's own states follow the round (stationed when the round goes on site, withdrawn when it
leaves), since the office moves groups together.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import transitions
from core.models import User
from core.permissions import scope_group, scope_group_name
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound

R = InspectionRound.Status

NEXT: dict[str, tuple[str, ...]] = {
    R.DRAFT: (R.APPROVED, R.CANCELLED),
    R.APPROVED: (R.PREPARING, R.CANCELLED),
    R.PREPARING: (R.ONSITE, R.CANCELLED),
    R.ONSITE: (R.REPORTING,),
    R.REPORTING: (R.FEEDBACK,),
    R.FEEDBACK: (R.RECTIFYING,),
    R.RECTIFYING: (R.REVIEWING,),
    R.REVIEWING: (R.ARCHIVED,),
}


@dataclass(frozen=True)
class Check:
    """What stands in the way of a move: blocking problems and warnings that only inform."""

    problems: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


# A guard returns the problems it finds in words; an action runs after the move, inside its transaction;
# a preview says in words what an action will do, for the page that confirms the move.
StageGuard = Callable[[InspectionRound], list[str]]
StageAction = Callable[[InspectionRound, Any], None]
StagePreview = Callable[[InspectionRound], list[str]]
_STAGE_GUARDS: defaultdict[str, list[StageGuard]] = defaultdict(list)
_STAGE_ACTIONS: defaultdict[str, list[StageAction]] = defaultdict(list)
_STAGE_PREVIEWS: defaultdict[str, list[StagePreview]] = defaultdict(list)


def register_stage_guard(to: str, guard: StageGuard) -> StageGuard:
    """Add a check to every move to the stage `to`; the move is refused while it finds problems."""
    if guard not in _STAGE_GUARDS[to]:
        _STAGE_GUARDS[to].append(guard)
    return guard


def register_stage_action(to: str, action: StageAction) -> StageAction:
    """Run action(round, by) when a round reaches the stage `to`."""
    if action not in _STAGE_ACTIONS[to]:
        _STAGE_ACTIONS[to].append(action)
    return action


def register_stage_preview(to: str, preview: StagePreview) -> StagePreview:
    """Say on the confirmation page what reaching `to` will change (the app's stage action, in words)."""
    if preview not in _STAGE_PREVIEWS[to]:
        _STAGE_PREVIEWS[to].append(preview)
    return preview


def may_advance(user: Any, inspection_round: InspectionRound) -> bool:
    """Only the office head moves a round (docs/domain.md §3.1); None is the system (seeding, commands)."""
    return user is None or user.has_perm("inspection.advance_inspectionround")


def _built_in_guard(inspection_round: InspectionRound, move: transitions.Move) -> list[str]:
    guard = _GUARDS.get(move.transition.target)
    return guard(inspection_round).problems if guard else []


def _registered_guards(inspection_round: InspectionRound, move: transitions.Move) -> list[str]:
    return [problem for guard in _STAGE_GUARDS[move.transition.target] for problem in guard(inspection_round)]


def _page_current(inspection_round: InspectionRound, move: transitions.Move) -> list[str]:
    """A confirmation page names the stage it was drawn at; a round that moved since refuses it.

    core.transitions refuses a move whose source no longer applies; this also refuses one that
    still applies but from another stage than the page showed (cancelling from draft vs approved).
    """
    seen = move.data.get("seen")
    if seen and seen != move.source:
        return [
            _("This round is %(status)s now: the action no longer applies; reload the page.")
            % {"status": inspection_round.get_status_display()}
        ]
    return []


def _reached(inspection_round: InspectionRound, move: transitions.Move) -> None:
    """What reaching a stage does: the groups follow the round, archive ends the leaders' reading, app actions."""
    to = move.transition.target
    _set_groups(inspection_round, to, move.by)
    _set_units(inspection_round, to, move.by)
    if to == R.ARCHIVED:
        _close_leaders_access(inspection_round)
    for action in _STAGE_ACTIONS[to]:
        action(inspection_round, move.by)


# One transition per target stage, named after it; the guards of other apps come through register_stage_guard.
WORKFLOW = transitions.register(
    transitions.Workflow(
        InspectionRound,
        [
            transitions.Transition(
                to,
                tuple(source for source, targets in NEXT.items() if to in targets),
                to,
                who=may_advance,
                guards=(_page_current, _built_in_guard, _registered_guards),
                effects=(_reached,),
            )
            # In the order of the stages, so a page offers the next stage before cancelling.
            for to in R.values
            if any(to in targets for targets in NEXT.values())
        ],
    )
)


def check_move(inspection_round: InspectionRound, to: str) -> Check:
    """What the round page shows for a move: the same guards the move runs, and the warnings."""
    if to not in NEXT.get(inspection_round.status, ()):
        return Check(
            [_("The round is %(status)s; it cannot move there.") % {"status": inspection_round.get_status_display()}],
            [],
        )
    guard = _GUARDS.get(to)
    check = guard(inspection_round) if guard else Check([], [])
    move = transitions.Move(WORKFLOW[to], None, inspection_round.status, {})
    return Check(check.problems + _registered_guards(inspection_round, move), check.warnings)


def preview_move(inspection_round: InspectionRound, to: str) -> list[str]:
    """What reaching `to` will change, in words: the confirmation page shows it before the move."""
    changes: list[str] = []
    groups = inspection_round.groups.count()
    group_status = _GROUPS_BECOME.get(to)
    if group_status and groups:
        changes.append(
            _("The round's %(count)s groups will become %(status)s.") % {"count": groups, "status": group_status.label}
        )
    if to == R.ARCHIVED:
        circles = [scope_group_name(group, "leaders") for group in inspection_round.groups.all()]
        count = User.objects.filter(groups__name__in=circles).distinct().count()
        if count:
            changes.append(_("%(count)s leaders will leave their groups' leaders' circles.") % {"count": count})
    for preview in _STAGE_PREVIEWS[to]:
        changes += preview(inspection_round)
    return changes


def move_round(
    *, inspection_round: InspectionRound, to: str, by: User | None, seen: str = "", **fields: Any
) -> InspectionRound:
    """Move the round to `to` or refuse, naming every missing piece in one message.

    `seen` is the stage the confirming page showed; a round that has moved on since refuses.
    """
    if to not in WORKFLOW.by_name:
        raise ValidationError(
            _("The round is %(status)s; it cannot move there.") % {"status": inspection_round.get_status_display()}
        )
    return transitions.perform(inspection_round, to, by=by, fields=fields, seen=seen)


def _approval(inspection_round: InspectionRound) -> Check:
    problems = []
    if inspection_round.work_plan_id is None:
        problems.append(_("Attach the work plan."))
    if not inspection_round.inspected_units.exists():
        problems.append(_("Add at least one inspected unit."))
    for group in inspection_round.groups.filter(inspected_units__isnull=True):
        problems.append(_("%(group)s covers no unit.") % {"group": group.label})
    if not inspection_round.approved_by_text:
        problems.append(_("Record which meeting approved the plan."))
    return Check(problems, [])


def _preparation(inspection_round: InspectionRound) -> Check:
    warnings = [] if inspection_round.upward_filed_at else [_("The plan has not been filed with the level above yet.")]
    return Check([], warnings)


def _entry(inspection_round: InspectionRound) -> Check:
    """Before entry: complete groups (declarations, secondments and liaison officers are registered guards)."""
    problems: list[str] = []
    groups = inspection_round.groups.prefetch_related("memberships").order_by("number")
    for group in groups:
        problems += group_completeness(group).problems
    return Check(problems, [])


def _exit(inspection_round: InspectionRound) -> Check:
    return Check([] if inspection_round.actual_exit_date else [_("Record the date the groups left.")], [])


_GUARDS: dict[str, Callable[[InspectionRound], Check]] = {
    R.APPROVED: _approval,
    R.PREPARING: _preparation,
    R.ONSITE: _entry,
    R.REPORTING: _exit,
}


# docs/domain.md §7: a group normally has 5 to 7 members (a warning, never blocking); the draw warns too.
GROUP_SIZE_MIN, GROUP_SIZE_MAX = 5, 7


def group_completeness(group: InspectionGroup) -> Check:
    """docs/domain.md §2.2: one leader and one or two deputies are required; 5-7 members is the norm."""
    members = [m for m in group.memberships.all() if m.end_date is None]
    leaders = sum(m.role == GroupMembership.Role.LEADER for m in members)
    deputies = sum(m.role == GroupMembership.Role.DEPUTY_LEADER for m in members)
    values = {"group": group.label}
    problems = []
    if leaders != 1:
        problems.append(_("%(group)s needs exactly one leader.") % values)
    if not 1 <= deputies <= 2:
        problems.append(_("%(group)s needs one or two deputy leaders.") % values)
    warnings = []
    if not GROUP_SIZE_MIN <= len(members) <= GROUP_SIZE_MAX:
        warnings.append(
            _("%(group)s has %(count)s members; groups normally have 5 to 7.") % {**values, "count": len(members)}
        )
    return Check(problems, warnings)


# What a group's status becomes when the round reaches a stage (the groups follow the round), and the
# transition of GROUP_WORKFLOW that takes it there.
_GROUPS_BECOME: dict[str, InspectionGroup.Status] = {
    R.ONSITE: InspectionGroup.Status.STATIONED,
    R.REPORTING: InspectionGroup.Status.WITHDRAWN,
    R.ARCHIVED: InspectionGroup.Status.ARCHIVED,
}
_GROUP_MOVE: dict[str, str] = {R.ONSITE: "station", R.REPORTING: "withdraw", R.ARCHIVED: "archive"}
# The stages after the site and before the archive, in which the groups have withdrawn.
_AFTER_SITE = (R.REPORTING, R.FEEDBACK, R.RECTIFYING, R.REVIEWING)


def group_status_for(round_status: str) -> str | None:
    """The status a group must have while its round is at `round_status` (None: any, before entry)."""
    if round_status in _AFTER_SITE:
        return InspectionGroup.Status.WITHDRAWN
    return _GROUPS_BECOME.get(round_status)


def _set_groups(inspection_round: InspectionRound, to: str, by: Any) -> None:
    """Each group of the round takes its own transition (audited, locked) to the stage's group status."""
    name = _GROUP_MOVE.get(to)
    if name is None:
        return
    sources = GROUP_WORKFLOW[name].sources
    for group in inspection_round.groups.filter(status__in=sources).order_by("number"):
        transitions.perform(group, name, by=by)


G = InspectionGroup.Status


def _round_is(*stages: str) -> transitions.Guard:
    """A group moves with its round: its move is refused unless the round has reached the stage."""

    def guard(group: InspectionGroup, move: transitions.Move) -> list[str]:
        inspection_round = group.inspection_round
        if inspection_round.status in stages:
            return []
        return [
            _("%(group)s follows its round, and %(round)s is %(status)s.")
            % {"group": group.label, "round": inspection_round.title, "status": inspection_round.get_status_display()}
        ]

    return guard


def _complete(group: InspectionGroup, move: transitions.Move) -> list[str]:
    return group_completeness(group).problems


def may_move_group(user: Any, group: InspectionGroup) -> bool:
    """Whoever moves the round moves its groups (the office head; None is the system)."""
    return may_advance(user, group.inspection_round)


# docs/domain.md §3.1 (decision: groups follow the round): stationed at entry, withdrawn at exit,
# archived at archive, each a transition run by the round's move; a group that never went on site
# (a round entered before groups followed it) still withdraws and archives with its round.
GROUP_WORKFLOW = transitions.register(
    transitions.Workflow(
        InspectionGroup,
        [
            transitions.Transition(
                "station",
                (G.FORMING, G.AUTHORIZED),
                G.STATIONED,
                who=may_move_group,
                guards=(_round_is(R.ONSITE), _complete),
            ),
            transitions.Transition(
                "withdraw",
                (G.FORMING, G.AUTHORIZED, G.STATIONED),
                G.WITHDRAWN,
                who=may_move_group,
                guards=(_round_is(*_AFTER_SITE),),
            ),
            transitions.Transition(
                "archive",
                tuple(status for status in G.values if status != G.ARCHIVED),
                G.ARCHIVED,
                who=may_move_group,
                guards=(_round_is(R.ARCHIVED),),
            ),
        ],
        related=("inspection_round",),
    )
)


def _close_leaders_access(inspection_round: InspectionRound) -> None:
    """Leaders read their group's clues until the round is archived (docs/domain.md §5.2 rule 3).

    Emptying the circles ends what was granted to them in other apps too (a secondment's
    view); clues revokes its own grants to the groups' circles as a stage action.
    """
    for group in inspection_round.groups.all():
        scope_group(group, "leaders").user_set.clear()


# ---------------------------------------------------------------- the inspected unit's progress

U = InspectedUnit.Status
# The unit's move when its round reaches a stage; the feedback (liaison) gives its own move.
_UNIT_MOVE: dict[str, str] = {R.ONSITE: "enter", R.RECTIFYING: "rectify", R.REVIEWING: "close", R.ARCHIVED: "close"}


def _set_units(inspection_round: InspectionRound, to: str, by: Any) -> None:
    """Each unit of the round takes its own transition to the stage's unit status, if it is where that starts."""
    name = _UNIT_MOVE.get(to)
    if name is None:
        return
    units = inspection_round.inspected_units.filter(status__in=UNIT_WORKFLOW[name].sources).order_by("pk")
    for unit in units:
        transitions.perform(unit, name, by=by)


# The statuses a unit may have while its round is at a stage (issue 13 item 9, check_records).
_UNITS_MAY_BE: dict[str, tuple[str, ...]] = {
    R.ONSITE: (U.ONSITE,),
    R.REPORTING: (U.ONSITE, U.FEEDBACK_GIVEN),
    R.FEEDBACK: (U.ONSITE, U.FEEDBACK_GIVEN),
    R.RECTIFYING: (U.RECTIFYING, U.RECTIFIED, U.REOPENED),
    R.REVIEWING: (U.RECTIFIED, U.REOPENED),
    R.ARCHIVED: (U.RECTIFIED, U.REOPENED),
}


def unit_statuses_for(round_status: str) -> tuple[str, ...] | None:
    """The statuses a unit may have while its round is at `round_status` (None: any, before entry)."""
    return _UNITS_MAY_BE.get(round_status)


def move_unit_if_due(unit: InspectedUnit, name: str, *, by: Any) -> InspectedUnit:
    """Take the unit's move `name` when it starts from the unit's status (a unit already past it stays).

    For the moves other records cause (feedback delivered, an item reopened), which happen once
    whatever the unit's recorded progress was.
    """
    if unit.status not in UNIT_WORKFLOW[name].sources:
        return unit
    return transitions.perform(unit, name, by=by)


def _unit_round_is(*stages: str) -> transitions.Guard:
    def guard(unit: InspectedUnit, move: transitions.Move) -> list[str]:
        inspection_round = unit.inspection_round
        if inspection_round.status in stages:
            return []
        return [
            _("%(unit)s follows its round, and %(round)s is %(status)s.")
            % {
                "unit": unit.org_unit.display_name,
                "round": inspection_round.title,
                "status": inspection_round.get_status_display(),
            }
        ]

    return guard


def may_move_unit(user: Any, unit: InspectedUnit) -> bool:
    """Whoever moves the round moves its units with it (the office head; None is the system)."""
    return may_advance(user, unit.inspection_round)


# docs/domain.md §3.1: the unit's progress. On site with its round, feedback given when its feedback
# is delivered (liaison, by whoever delivered it), rectifying and rectified with its round, reopened
# when a follow-up check reopens one of its items (liaison, the office).
UNIT_WORKFLOW = transitions.register(
    transitions.Workflow(
        InspectedUnit,
        [
            transitions.Transition(
                "enter", (U.PLANNED,), U.ONSITE, who=may_move_unit, guards=(_unit_round_is(R.ONSITE),)
            ),
            transitions.Transition("give_feedback", (U.PLANNED, U.ONSITE), U.FEEDBACK_GIVEN),
            transitions.Transition(
                "rectify",
                (U.FEEDBACK_GIVEN,),
                U.RECTIFYING,
                who=may_move_unit,
                guards=(_unit_round_is(R.RECTIFYING, R.REVIEWING, R.ARCHIVED),),
            ),
            transitions.Transition(
                "close",
                (U.FEEDBACK_GIVEN, U.RECTIFYING, U.REOPENED),
                U.RECTIFIED,
                who=may_move_unit,
                guards=(_unit_round_is(R.REVIEWING, R.ARCHIVED),),
            ),
            transitions.Transition("reopen", (U.RECTIFIED,), U.REOPENED),
        ],
        related=("inspection_round", "org_unit"),
    )
)
