"""The one way a stateful record changes status (docs/domain.md §3, issue 13 item 1).

Each stateful model declares a `Workflow`: its transitions, each naming where it may start,
where it ends, who may take it, the guards that must find nothing wrong (every problem listed
in one refusal) and the effects that run in the same transaction. `perform` is the only writer
of a workflow's status field, so every move is locked, checked and audited the same way:

- the row is locked with `SELECT … FOR NO KEY UPDATE` (it blocks other writers of the row, not
  inserts of rows that point at it) and its status is read again, so a stale page or a double
  click is refused with a message instead of moving the record twice;
- who, source and guards are checked on the locked row;
- the status (and the fields the caller sets with it) is saved, and one audit entry with
  action "transition" records the before and after of every changed field;
- the effects run last (notifications, grants and revokes, reminders), inside the transaction.

`allowed_transitions(obj, user)` is what a page offers: the moves that start from the
record's status and that the user may take. Guards are not run there: a blocked move stays
offered and, when taken, says what is missing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditLog


@dataclass(frozen=True)
class Move:
    """What a guard or an effect is told about the move being made."""

    transition: "Transition"
    by: Any
    source: str
    data: dict[str, Any]


Who = Callable[[Any, Any], bool]
# A guard returns the problems it finds, in words the user reads (translated); [] lets the move pass.
Guard = Callable[[Any, Move], list[str]]
Effect = Callable[[Any, Move], None]


def anyone(user: Any, obj: Any) -> bool:
    """Who for moves whose caller has already decided who may act (system moves, checked services)."""
    return True


@dataclass(frozen=True)
class Transition:
    """One declared move: from any of `sources` to `target`, by whom `who` accepts, once `guards` pass."""

    name: str
    sources: tuple[str, ...]
    target: str
    who: Who = anyone
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    # The button's words; the target's label when empty.
    label: str = ""


@dataclass
class Workflow:
    """The transitions of one model's status field, by name."""

    model: type[models.Model]
    transitions: Iterable[Transition]
    status_field: str = "status"
    # Loaded with the locked row (joined, not locked: `of=("self",)`), for guards and messages.
    related: tuple[str, ...] = ()
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {}
        for transition in self.transitions:
            if transition.name in self.by_name:
                raise ValueError(f"Duplicate transition {transition.name!r} on {self.model.__name__}")
            self.by_name[transition.name] = transition

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def add(self, transition: Transition) -> Transition:
        """Declare one more transition (an app above declares a move on a lower layer's model)."""
        if transition.name in self.by_name:
            raise ValueError(f"Duplicate transition {transition.name!r} on {self.model.__name__}")
        self.by_name[transition.name] = transition
        return transition

    def add_guard(self, name: str, guard: Guard) -> None:
        """Add a guard to a declared transition (registries of apps above, e.g. a round's stage guards)."""
        transition = self.by_name[name]
        if guard not in transition.guards:
            self.by_name[name] = replace(transition, guards=(*transition.guards, guard))

    def status_of(self, obj: models.Model) -> str:
        return getattr(obj, self.status_field)


_WORKFLOWS: dict[type[models.Model], Workflow] = {}

M = TypeVar("M", bound=models.Model)


def register(workflow: Workflow) -> Workflow:
    """Make `workflow` the one that serves its model (the admin, pages and `perform` find it here)."""
    _WORKFLOWS[workflow.model] = workflow
    return workflow


def _concrete(model: type[models.Model]) -> type[models.Model]:
    return model._meta.concrete_model or model


def workflow_for(model: type[models.Model] | models.Model) -> Workflow:
    model_class = model if isinstance(model, type) else type(model)
    return _WORKFLOWS[_concrete(model_class)]


def status_fields(model: type[models.Model]) -> list[str]:
    """The fields of model that only transitions write: its workflow's, and any field named status.

    By name too, because a model whose moves are not declared yet (a group follows its round)
    must not be moved by hand either.
    """
    names = {field_.name for field_ in model._meta.concrete_fields if field_.name == "status"}
    workflow = _WORKFLOWS.get(_concrete(model))
    if workflow is not None:
        names.add(workflow.status_field)
    return sorted(names)


def _stale(obj: models.Model, workflow: Workflow) -> str:
    field_ = cast("models.Field[Any, Any]", obj._meta.get_field(workflow.status_field))
    return _("This %(record)s is %(status)s now: the action no longer applies; reload the page.") % {
        "record": obj._meta.verbose_name,
        "status": dict(field_.flatchoices).get(workflow.status_of(obj), workflow.status_of(obj)),
    }


def lock(obj: M, workflow: Workflow | None = None) -> M:
    """The row again, locked for the rest of the transaction (FOR NO KEY UPDATE on PostgreSQL)."""
    workflow = workflow or workflow_for(obj)
    queryset = type(obj)._default_manager.select_for_update(no_key=True, of=("self",))
    if workflow.related:
        queryset = queryset.select_related(*workflow.related)
    try:
        return queryset.get(pk=obj.pk)
    except ObjectDoesNotExist:
        raise ValidationError(_("The record was removed meanwhile; reload the page.")) from None


@transaction.atomic
def perform(
    obj: M,
    name: str,
    *,
    by: Any,
    fields: dict[str, Any] | None = None,
    note: str = "",
    locked: bool = False,
    **data: Any,
) -> M:
    """Take the transition `name` on obj, or refuse with a ValidationError listing every reason.

    `fields` are set on the row with the status (and seen by the guards); `data` is handed to
    guards and effects. `locked=True` says the caller locked obj in this transaction already
    (several rows locked in a stable order, to avoid deadlocks) and it is not read again.
    Returns the locked, moved row: callers use it, not the object they passed.
    """
    workflow = workflow_for(obj)
    transition = workflow[name]
    row = obj if locked else lock(obj, workflow)
    source = workflow.status_of(row)
    if source not in transition.sources:
        # A double click or a stale page: the record has moved on since the page was drawn.
        raise ValidationError(_stale(row, workflow))
    if not transition.who(by, row):
        raise ValidationError(_("You may not do this."))
    before = audit.snapshot(row)
    for key, value in (fields or {}).items():
        setattr(row, key, value)
    move = Move(transition, by, source, data)
    problems = [problem for guard in transition.guards for problem in guard(row, move)]
    if problems:
        raise ValidationError(problems)
    setattr(row, workflow.status_field, transition.target)
    row.save()
    audit.log_action(
        user=by, action=AuditLog.Action.TRANSITION, obj=row, changes=audit.diff(before, audit.snapshot(row)), note=note
    )
    for effect in transition.effects:
        effect(row, move)
    return row


def allowed_transitions(obj: models.Model, user: Any) -> list[Transition]:
    """The moves a page offers `user` on obj: those starting from its status that the user may take."""
    workflow = workflow_for(obj)
    status = workflow.status_of(obj)
    return [t for t in workflow.by_name.values() if status in t.sources and t.who(user, obj)]
