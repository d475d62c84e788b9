"""The one reminder engine: letters, secondments, transfers, handovers and rectification plug in here.

A feature declares a *ladder* (see Ladder below: its steps are data, read from one setting)
or registers a single *kind* with a function that, given the Reminder row, returns the
message to send (or None when the reminder has become pointless, e.g. the letter was
answered). Scheduling writes one row per (record, kind, due moment); a beat sweep finds due
rows through an index and fans out one task per row; the task claims its row with a
conditional UPDATE before sending, so nothing is ever sent twice.
"""

import functools
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import transitions
from core.enqueue import enqueue, publish
from core.models import Notification, Reminder, User
from core.permissions import PermissionQuerySet
from core.services.notifications import notify
from core.workdays import add_working_days

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderMessage:
    recipients: list[User]
    title: str
    body: str = ""
    url: str = ""


ReminderRenderer = Callable[[Reminder], ReminderMessage | None]
_KINDS: dict[str, ReminderRenderer] = {}


def register_kind(kind: str) -> Callable[[ReminderRenderer], ReminderRenderer]:
    def decorator(render: ReminderRenderer) -> ReminderRenderer:
        _KINDS[kind] = render
        return render

    return decorator


@dataclass(frozen=True)
class PlannedReminder:
    kind: str
    due_at: datetime
    level: str = "green"


# ---------------------------------------------------------------- ladders
#
# A ladder is the whole reminder plan of one kind of record, as data: its steps (days from the
# deadline, level, recipients) come from one setting per ladder, so an office changes its
# rhythm without code, and each step name is one reminder kind ("letter.before",
# "letter.due", "letter.overdue", "letter.escalation"). The unique key (record, kind, due
# moment) still tells the repeats of a step apart, so each reminder goes out exactly once.

LEVEL_OF_STEP = {"before": "green", "due": "yellow", "overdue": "yellow", "escalation": "red"}
# How a step reads where a person sees a reminder row (the admin's list), not its code.
STEP_LABELS = {
    "before": gettext_lazy("before the deadline"),
    "due": gettext_lazy("on the deadline"),
    "overdue": gettext_lazy("overdue"),
    "escalation": gettext_lazy("escalation"),
    "green": gettext_lazy("green notice"),
    "yellow": gettext_lazy("yellow warning"),
    "red": gettext_lazy("red escalation"),
}
LEVELS = ("green", "yellow", "red")
_STEP = re.compile(r"^(?:(?P<name>[a-z_]+)\s+)?(?P<offset>[+-]?\d+)(?:x(?P<times>\d+))?(?:\s*>\s*(?P<to>[a-z_+ ]+))?$")


@dataclass(frozen=True)
class LadderStep:
    """One rung of a ladder. Repeated rungs count their offset from the previous repeat."""

    name: str
    offset: int
    level: str
    recipients: tuple[str, ...] = ()  # names the ladder's app resolves; empty: the ladder's own
    repeat: bool = False

    @property
    def phase(self) -> str:
        """before, due or after the deadline: what the message says."""
        if self.name in LEVEL_OF_STEP:
            return {"before": "before", "due": "due"}.get(self.name, "after")
        return "before" if self.offset < 0 else "due" if self.offset == 0 else "after"


@dataclass(frozen=True)
class LadderTiming:
    steps: tuple[LadderStep, ...]
    hour: int = 9
    working_days: bool = True


@functools.lru_cache(maxsize=64)
def parse_ladder(text: str) -> LadderTiming:
    """Read a ladder setting such as "-2, 0, +2x4; escalate=2; hour=9; days=working".

    Steps are days from the deadline; "+2x4" is four steps two days apart after it. Steps after
    the deadline are "overdue", and from the escalate-th one on "escalation" (red). A step may
    be named ("red +1") and given recipients ("... > unit_head+office"). Raises
    ImproperlyConfigured with what is wrong, so a bad value stops the start-up.
    """
    steps_text, *options_text = [part.strip() for part in text.split(";")]
    options = {}
    for option in options_text:
        key, _sep, value = option.partition("=")
        options[key.strip()] = value.strip()
    unknown = set(options) - {"escalate", "hour", "days"}
    if unknown or options.get("days", "working") not in {"working", "calendar"}:
        raise ImproperlyConfigured(f"Reminder ladder {text!r}: options are escalate=N, hour=H, days=working|calendar")
    try:
        escalate = int(options.get("escalate", "0"))
        hour = int(options.get("hour", "9"))
    except ValueError:
        raise ImproperlyConfigured(f"Reminder ladder {text!r}: escalate and hour are whole numbers") from None
    if not 0 <= hour <= 23:
        raise ImproperlyConfigured(f"Reminder ladder {text!r}: hour is 0 to 23")
    steps: list[LadderStep] = []
    overdue = 0
    for raw in filter(None, (part.strip() for part in steps_text.split(","))):
        found = _STEP.match(raw)
        if not found:
            raise ImproperlyConfigured(f"Reminder ladder {text!r}: cannot read step {raw!r}")
        offset, times = int(found["offset"]), int(found["times"] or 1)
        to = tuple(name.strip() for name in (found["to"] or "").split("+") if name.strip())
        if found["times"] and offset <= 0:
            raise ImproperlyConfigured(f"Reminder ladder {text!r}: only steps after the deadline repeat")
        for _repeat in range(times):
            name = found["name"]
            if name is None:
                if offset > 0:
                    overdue += 1
                name = "before" if offset < 0 else "due" if offset == 0 else "overdue"
                if name == "overdue" and escalate and overdue >= escalate:
                    name = "escalation"
            level = LEVEL_OF_STEP.get(name, name)
            if level not in LEVELS:
                raise ImproperlyConfigured(f"Reminder ladder {text!r}: a named step is green, yellow or red")
            steps.append(LadderStep(name, offset, level, to, repeat=bool(found["times"])))
    by_name: dict[str, LadderStep] = {}
    for step in steps:
        # The row keeps only the step's name: two steps of one name must agree on their recipients.
        if by_name.setdefault(step.name, step).recipients != step.recipients:
            raise ImproperlyConfigured(f"Reminder ladder {text!r}: steps named {step.name} need the same recipients")
    return LadderTiming(tuple(steps), hour=hour, working_days=options.get("days", "working") == "working")


@dataclass(frozen=True)
class Ladder:
    """What an app declares once per ladder; the timing comes from settings.<setting>."""

    name: str  # the kinds' prefix: "letter" makes "letter.before", "letter.overdue", …
    setting: str
    is_open: Callable[[Any], bool]  # False once the record is answered: its reminders are dropped
    recipients: Callable[[Any, tuple[str, ...]], list[User]]  # the accounts behind recipient names
    message: Callable[[Any, LadderStep], tuple[str, str, str]]  # title, body and url of a step
    to: tuple[str, ...] = ()  # recipients of a step that names none
    escalate_to: tuple[str, ...] = ()  # added for the escalation steps

    def timing(self) -> LadderTiming:
        return parse_ladder(getattr(settings, self.setting))

    def kind(self, step_name: str) -> str:
        return f"{self.name}.{step_name}"

    def step(self, step_name: str) -> LadderStep | None:
        """The step of that name; a derived name still works after the setting dropped it."""
        for step in self.timing().steps:
            if step.name == step_name:
                return step
        if step_name in LEVEL_OF_STEP:
            return LadderStep(step_name, 0, LEVEL_OF_STEP[step_name])
        return None

    def step_recipients(self, step: LadderStep) -> tuple[str, ...]:
        names = step.recipients or self.to
        if step.name == "escalation":
            names += tuple(name for name in self.escalate_to if name not in names)
        return names

    def plan(self, deadline: date, *, start: date | None = None) -> list[PlannedReminder]:
        """The reminders about a record due on deadline; steps before the deadline that fall
        on or before start (the day it was sent) are left out, as they would come too late."""
        timing = self.timing()

        def shift(day: date, days: int) -> date:
            if timing.working_days:
                return add_working_days(day, days)
            return day + timedelta(days=days)

        plan = []
        chain = deadline
        for step in timing.steps:
            if step.repeat:
                chain = shift(chain, step.offset)
                day = chain
            else:
                chain = deadline  # a new group of repeats counts from the deadline again
                day = deadline if step.offset == 0 else shift(deadline, step.offset)
            if start is not None and step.offset < 0 and day <= start:
                continue
            moment = timezone.make_aware(datetime.combine(day, time(timing.hour)))
            plan.append(PlannedReminder(self.kind(step.name), moment, step.level))
        return plan

    def render(self, reminder: Reminder) -> ReminderMessage | None:
        step = self.step(reminder.kind.removeprefix(f"{self.name}."))
        target = reminder.target
        if step is None or not self.is_open(target):
            return None  # answered (or withdrawn) since the reminder was planned
        title, body, url = self.message(target, step)
        return ReminderMessage(
            recipients=self.recipients(target, self.step_recipients(step)), title=title, body=body, url=url
        )


_LADDERS: dict[str, Ladder] = {}


def register_ladder(ladder: Ladder) -> Ladder:
    """Make every step of the ladder a reminder kind. Called from the app's AppConfig.ready."""
    parse_ladder(getattr(settings, ladder.setting))  # a bad setting stops the start-up, not a send
    _LADDERS[ladder.name] = ladder
    return ladder


def _renderer(kind: str) -> ReminderRenderer | None:
    if kind in _KINDS:
        return _KINDS[kind]
    prefix, _dot, step_name = kind.rpartition(".")
    ladder = _LADDERS.get(prefix)
    if ladder is not None and ladder.step(step_name) is not None:
        return ladder.render
    return None


def schedule_reminders(*, target: models.Model, plan: Iterable[PlannedReminder]) -> int:
    """Record the reminders to send about target; rows that exist already are left alone. Returns how many are new."""
    ct = ContentType.objects.get_for_model(target)
    rows = [
        Reminder(target_type=ct, target_id=str(target.pk), kind=p.kind, due_at=p.due_at, level=p.level) for p in plan
    ]
    for row in rows:
        if _renderer(row.kind) is None:
            raise ValueError(f"Unknown reminder kind {row.kind!r}")
    # bulk_create with ignore_conflicts returns every row it was given: count the new ones first.
    planned = Reminder.objects.filter(target_type=ct, target_id=str(target.pk), kind__in={r.kind for r in rows})
    existing = set(planned.values_list("kind", "due_at"))
    new = [row for row in rows if (row.kind, row.due_at) not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def cancel_reminders(*, target: models.Model, due_before: datetime | None = None) -> int:
    """Stop pending reminders about target (all, or only those due before a moment).

    By moment, not by kind: the repeats of a ladder step share their kind.
    """
    rows = Reminder.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        status=Reminder.Status.PENDING,
    )
    if due_before is not None:
        rows = rows.filter(due_at__lt=due_before)
    return rows.update(status=Reminder.Status.CANCELLED)


def replan_reminders(*, target: models.Model, plan: Iterable[PlannedReminder], now: datetime | None = None) -> int:
    """Make target's pending reminders the plan's moments still ahead, after its deadline moved.

    Pending rows the plan no longer has are cancelled; planned moments cancelled earlier (an
    answer stopped the ladder, a return restarts it) are pending again, since the unique key
    keeps their rows; the others are added. Sent rows stay as they are. Returns how many are pending.
    """
    now = now or timezone.now()
    ahead = [p for p in plan if p.due_at > now]
    wanted = {(p.kind, p.due_at) for p in ahead}
    rows = Reminder.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
    stale, revive = [], []
    for pk, kind, due_at, status in rows.values_list("pk", "kind", "due_at", "status"):
        if status == Reminder.Status.PENDING and (kind, due_at) not in wanted:
            stale.append(pk)
        elif status == Reminder.Status.CANCELLED and (kind, due_at) in wanted:
            revive.append(pk)
    rows.filter(pk__in=stale, status=Reminder.Status.PENDING).update(status=Reminder.Status.CANCELLED)
    rows.filter(pk__in=revive, status=Reminder.Status.CANCELLED).update(status=Reminder.Status.PENDING)
    schedule_reminders(target=target, plan=ahead)
    return rows.filter(status=Reminder.Status.PENDING).count()


def due_reminder_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep_due_reminders(*, now: datetime | None = None) -> int:
    """Fan out one send task per due reminder. Safe to run any number of times at once."""
    from core.tasks import send_reminder as send_reminder_task  # core.tasks imports this module

    ids = due_reminder_ids(now=now)
    for reminder_id in ids:
        if not publish(send_reminder_task, reminder_id):
            break  # the broker is down: the rest wait for the next sweep
    return len(ids)


def send_reminder(*, reminder_id: int, now: datetime | None = None) -> Reminder | None:
    """Send one due reminder unless another worker already has; returns it if this call sent it."""
    now = now or timezone.now()
    claimed = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING, due_at__lte=now).update(
        status=Reminder.Status.SENDING, claimed_at=now
    )
    if claimed != 1:
        return None  # sent, cancelled, not yet due, or another worker got there first
    reminder = Reminder.objects.select_related("target_type").get(pk=reminder_id)
    render = _renderer(reminder.kind)
    superseded = _later_step_due(reminder, now)
    message = render(reminder) if render and reminder.target is not None and not superseded else None
    # Finished only while this claim still holds: a stuck reminder the office re-queued or
    # cancelled meanwhile (core.services.stuck) is not this worker's any more.
    ours = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING, claimed_at=now)
    with transaction.atomic():
        if message is None:
            ours.update(status=Reminder.Status.CANCELLED)
            return None
        notify(
            recipients=message.recipients,
            title=message.title,
            body=message.body,
            url=message.url,
            level=reminder.level,
            kind=Notification.Kind.REMINDER,
        )
        reminder.status, reminder.sent_at = Reminder.Status.SENT, timezone.now()
        reminder.recipients_count = len(message.recipients)
        if (
            ours.update(status=reminder.status, sent_at=reminder.sent_at, recipients_count=reminder.recipients_count)
            != 1
        ):
            transaction.set_rollback(True)  # its notices (and their e-mails) go with the lost claim
            return None
    return reminder


def _later_step_due(reminder: Reminder, now: datetime) -> bool:
    """Whether a later step of the same ladder about the same record is due as well: the record
    was entered after several of its moments had passed (a deadline set in the past), or the
    sweeps stopped for days. Only the latest step is sent then, not "due today", "overdue" and
    "escalation" in the same second; the earlier ones are cancelled as superseded."""
    prefix = reminder.kind.rpartition(".")[0]
    if prefix not in _LADDERS:
        return False  # a kind of its own (register_kind), not a step of a ladder
    return (
        Reminder.objects.filter(
            target_type_id=reminder.target_type_id,
            target_id=reminder.target_id,
            kind__startswith=f"{prefix}.",
            due_at__gt=reminder.due_at,
            due_at__lte=now,
        )
        .exclude(status=Reminder.Status.CANCELLED)
        .exists()
    )


def stuck_reminders() -> PermissionQuerySet[Reminder]:
    """Reminders a worker claimed but never finished: shown to staff, never resent blindly.

    The office head or the system administrator re-queues or cancels them (core.services.stuck).
    """
    cutoff = timezone.now() - settings.REMINDER_STUCK_AFTER
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=cutoff)


def is_stuck(reminder: Reminder, *, now: datetime | None = None) -> bool:
    """stuck_reminders() for one row in hand (locked by the caller)."""
    cutoff = (now or timezone.now()) - settings.REMINDER_STUCK_AFTER
    claimed_at = reminder.claimed_at
    return reminder.status == Reminder.Status.SENDING and claimed_at is not None and claimed_at < cutoff


def _may_resolve(user: Any, reminder: Reminder) -> bool:
    return bool(user is not None and user.has_perm("core.resolve_reminder"))


def _publish_again(reminder: Reminder, move: transitions.Move) -> None:
    from core.tasks import send_reminder as send_reminder_task  # core.tasks imports this module

    enqueue(send_reminder_task, reminder.pk)


# The moves the office makes on a stuck reminder. The engine's own claim (pending -> sending ->
# sent) stays a conditional UPDATE: a claim must not wait for a lock (docs in STYLE §3).
S = Reminder.Status
WORKFLOW = transitions.register(
    transitions.Workflow(
        Reminder,
        [
            # A worker died holding it; in-app notices and the row commit together, so none went out.
            transitions.Transition("requeue", (S.SENDING,), S.PENDING, who=_may_resolve, effects=(_publish_again,)),
            # Never sent: the sweep and send_reminder take pending rows only.
            transitions.Transition("cancel", (S.SENDING,), S.CANCELLED, who=_may_resolve),
        ],
    )
)


def reminders_of_closed_records() -> list[str]:
    """check_records: a reminder still pending about a record its ladder calls closed (answered,
    signed off, withdrawn) or about a record that is gone would be sent for nothing."""
    problems = []
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).select_related("target_type")
    for reminder in pending.prefetch_related("target").order_by("pk").iterator(chunk_size=500):
        prefix = reminder.kind.rpartition(".")[0]
        ladder = _LADDERS.get(prefix)
        target = reminder.target
        values = {"kind": reminder.kind, "due": f"{reminder.due_at:%Y-%m-%d}", "record": target}
        if target is None:
            problems.append(_("Reminder %(kind)s due %(due)s is pending for a record that no longer exists.") % values)
        elif ladder is not None and not ladder.is_open(target):
            problems.append(_("Reminder %(kind)s due %(due)s is pending, but %(record)s is closed.") % values)
    return problems
