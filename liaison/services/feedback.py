"""The group's feedback to the unit and its problem list (docs/domain.md §2.6), up to delivery.

Who acts: the group's leaders and the office write the feedback; the unit's liaison officer
reads it only once it is delivered (docs/domain.md §5.3), through the grant made at delivery.
"""

from datetime import date, datetime
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, transitions
from core.files import DOCUMENT_KINDS, store_upload
from core.models import User
from core.models.base import TimeStampedModel
from core.permissions import grant, user_can
from core.workdays import add_natural_days
from inspection.models import InspectedUnit
from inspection.permissions import is_group_leader
from inspection.services.workflow import move_unit_if_due
from liaison.models import Feedback, FeedbackProblem, RectificationReport
from liaison.services.offices import liaison_circle


def acts_for_group(user: Any, inspected_unit: InspectedUnit) -> bool:
    """The office (head, staff) or the current leader of the unit's group: they write feedback and sign off."""
    return user.has_perm("liaison.change_rectificationitem") or is_group_leader(user, inspected_unit.group_id)


def is_unit_officer(user: Any, inspected_unit: InspectedUnit) -> bool:
    """The unit's current liaison officer: they submit plans, progress and evidence."""
    return user.groups.filter(pk=liaison_circle(inspected_unit).pk).exists()


def sees_clue_links(user: Any) -> bool:
    """A problem's source clue is the office's to see: never the unit's nor a group member's."""
    return user.has_perm("liaison.view_feedbackproblem") and user.has_perm("clues.view_clue")


def openable_source_clues(user: Any, problems: list[FeedbackProblem]) -> set[int]:
    """The problems' source clues this reader may open (recusal included): only these are linked."""
    ids = [p.source_clue_id for p in problems if p.source_clue_id]
    if not ids or not sees_clue_links(user):
        return set()
    # clues.Clue, reached through the field: liaison does not import clues.
    clue_model = cast("type[TimeStampedModel]", FeedbackProblem._meta.get_field("source_clue").related_model)
    return set(clue_model.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def _require_group_side(by: User, inspected_unit: InspectedUnit) -> None:
    if not acts_for_group(by, inspected_unit):
        raise ValidationError(_("Only the group's leaders or the office may do this."))


@transaction.atomic
def record_feedback(
    *,
    by: User,
    inspected_unit: InspectedUnit,
    meeting_date: date | None,
    principal_oneonone_date: date | None = None,
    document: IO[bytes] | None = None,
    document_name: str = "",
) -> Feedback:
    """Record (or correct) the feedback meeting before delivery; the unit's group may then see and edit it."""
    _require_group_side(by, inspected_unit)
    feedback, created = Feedback.objects.select_for_update(no_key=True).get_or_create(
        inspected_unit=inspected_unit, defaults={"created_by": by}
    )
    if feedback.status == Feedback.Status.DELIVERED:
        raise ValidationError(_("The feedback has been delivered and can no longer change."))
    before = None if created else audit.snapshot(feedback)
    feedback.meeting_date = meeting_date
    feedback.principal_oneonone_date = principal_oneonone_date
    if document is not None:
        feedback.document = store_upload(
            upload=document, name=document_name, uploaded_by=by, allowed_kinds=DOCUMENT_KINDS, owner=feedback
        )
    feedback.full_clean()
    feedback.save()
    grant("view", feedback, to=inspected_unit.group)
    grant("change", feedback, to=inspected_unit.group)
    audit.log_change(user=by, obj=feedback, before=before)
    return feedback


@transaction.atomic
def add_problem(
    *,
    by: User,
    feedback: Feedback,
    category: str,
    description: str,
    is_immediate_fix: bool = False,
    source_clue: Any = None,
) -> FeedbackProblem:
    """Add a problem to the list; a source clue may be linked only by someone who can open it."""
    feedback = transitions.lock(feedback, WORKFLOW)
    _require_group_side(by, feedback.inspected_unit)
    if feedback.status == Feedback.Status.DELIVERED:
        raise ValidationError(_("The feedback has been delivered: its problem list is closed."))
    if source_clue is not None and not (sees_clue_links(by) and user_can(by, "view", source_clue)):
        raise ValidationError(_("You cannot link this clue."))
    seq = (feedback.problems.aggregate(last=Max("seq"))["last"] or 0) + 1
    problem = FeedbackProblem(
        feedback=feedback,
        seq=seq,
        category=category.strip(),
        description=description.strip(),
        is_immediate_fix=is_immediate_fix,
        source_clue=source_clue,
        created_by=by,
    )
    problem.full_clean()
    problem.save()
    audit.log_change(user=by, obj=problem, before=None)
    return problem


def _group_side(user: Any, feedback: Feedback) -> bool:
    return acts_for_group(user, feedback.inspected_unit)


def _meeting_recorded(feedback: Feedback, move: transitions.Move) -> list[str]:
    return [] if feedback.meeting_date else [_("Record the date of the feedback meeting.")]


def _has_problems(feedback: Feedback, move: transitions.Move) -> list[str]:
    return [] if feedback.problems.exists() else [_("Add at least one problem.")]


def _open_to_the_unit(feedback: Feedback, move: transitions.Move) -> None:
    """The unit's liaison circle may read and work on the list; the plan and report fall due."""
    meeting_date = feedback.meeting_date
    if meeting_date is None:  # the guards ask for it; the due dates count from it
        raise ValidationError(_("Record the date of the feedback meeting."))
    unit = feedback.inspected_unit
    move_unit_if_due(unit, "give_feedback", by=move.by)
    grant("view", feedback, to=liaison_circle(unit))
    grant("change", feedback, to=liaison_circle(unit))
    due = {
        RectificationReport.Kind.PLAN: settings.RECTIFICATION_PLAN_DUE_DAYS,
        RectificationReport.Kind.FINAL: settings.RECTIFICATION_REPORT_DUE_DAYS,
    }
    for kind, days in due.items():
        RectificationReport.objects.get_or_create(
            inspected_unit=unit,
            kind=kind,
            defaults={"due_date": add_natural_days(meeting_date, days), "created_by": move.by},
        )


FS = Feedback.Status
WORKFLOW = transitions.register(
    transitions.Workflow(
        Feedback,
        [
            transitions.Transition(
                "approve", (FS.DRAFT,), FS.APPROVED, who=_group_side, guards=(_meeting_recorded, _has_problems)
            ),
            transitions.Transition(
                "deliver",
                (FS.APPROVED,),
                FS.DELIVERED,
                who=_group_side,
                guards=(_meeting_recorded,),
                effects=(_open_to_the_unit,),
            ),
        ],
        related=("inspected_unit__group",),
    )
)


@transaction.atomic
def approve_feedback(*, by: User, feedback: Feedback) -> Feedback:
    """Draft → approved, once the meeting date and at least one problem are recorded."""
    return transitions.perform(feedback, "approve", by=by)


@transaction.atomic
def deliver_feedback(*, by: User, feedback: Feedback, now: datetime | None = None) -> Feedback:
    """Approved → delivered: the unit's liaison circle may now read and work on the list.

    Grants view and change on the feedback to the unit's liaison circle (its problems and items
    follow), and records the plan and report with their due dates (settings, from the meeting).
    """
    return transitions.perform(feedback, "deliver", by=by, fields={"delivered_at": now or timezone.now()})
