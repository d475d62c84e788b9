"""The weekly deadline digest to the office head, sent through the core reminder engine.

Scheduling writes one Reminder per office head and week (target = the head's account, kind
DIGEST, due at DIGEST_WEEKDAY/DIGEST_HOUR of the week); its unique key makes a repeated run a
no-op. The ordinary due-reminder sweep sends it, claiming the row first, so it goes out once.
"""

from datetime import date, datetime, time, timedelta
from typing import cast

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Reminder, User
from core.roles import Role
from core.services.reminders import PlannedReminder, ReminderMessage, register_kind, schedule_reminders
from core.wording import message_date
from reports.selectors.deadlines import DeadlineRow, deadline_counts, deadlines_for

DIGEST = "digest.weekly"
# Rows listed by name in the digest; the board has the rest.
LISTED = 15


def digest_due_at(day: date) -> datetime:
    """The moment the digest of day's week (Monday to Sunday) goes out."""
    monday = day - timedelta(days=day.weekday())
    send_day = monday + timedelta(days=settings.DIGEST_WEEKDAY)
    return timezone.make_aware(datetime.combine(send_day, time(settings.DIGEST_HOUR)))


def office_heads() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct().order_by("pk"))


def schedule_weekly_digests(*, now: datetime | None = None) -> int:
    """Plan this week's digest for every active office head; returns how many rows were new.

    Safe to run any number of times: a head's digest for a week is one row (unique target,
    kind, due moment). A head added mid-week gets the week's digest at once if its moment passed.
    """
    due_at = digest_due_at(timezone.localdate(now or timezone.now()))
    # schedule_reminders cannot tell a new row from a conflict (bulk_create ignore_conflicts);
    # skipping the planned ones keeps the count honest, the unique key keeps races harmless.
    planned = set(Reminder.objects.filter(kind=DIGEST, due_at=due_at).values_list("target_id", flat=True))
    heads = [head for head in office_heads() if str(head.pk) not in planned]
    for head in heads:
        schedule_reminders(target=head, plan=[PlannedReminder(DIGEST, due_at, "info")])
    return len(heads)


def _days(row: DeadlineRow) -> str:
    """How the row stands, never as a negative count: overdue N working days, due today, N left."""
    if row.days_left < 0:
        text = ngettext("%(n)s working day overdue", "%(n)s working days overdue", row.overdue_days) % {
            "n": row.overdue_days
        }
    elif row.overdue:  # the deadline was the last working day; today is a day off after it
        text = _("Overdue")
    elif row.days_left == 0:
        text = _("Due today")
    else:
        text = ngettext("%(n)s working day left", "%(n)s working days left", row.days_left) % {"n": row.days_left}
    if row.natural_days:
        text += _(", counted in natural days until the calendar is updated")
    return text


def _line(row: DeadlineRow) -> str:
    return _("%(kind)s | %(title)s | %(concerns)s | %(responsible)s | due %(due)s (%(days)s)") % {
        "kind": row.kind_label,
        "title": row.title,
        "concerns": row.concerns,
        "responsible": row.responsible,
        "due": message_date(row.due),
        "days": _days(row),
    }


@register_kind(DIGEST)
def render_digest(reminder: Reminder) -> ReminderMessage | None:
    head = cast("User", reminder.target)  # the digest kind is scheduled on users only
    if not head.is_active or not head.has_role(Role.OFFICE_HEAD):
        return None  # no longer the head: the digest is pointless
    rows = deadlines_for(head)
    overdue = [row for row in rows if row.overdue]
    upcoming = [row for row in rows if not row.overdue]
    lines = [
        _("%(label)s: %(due)s due, %(overdue)s overdue")
        % {"label": c["label"], "due": c["due"], "overdue": c["overdue"]}
        for c in deadline_counts(rows)
    ]
    shown_overdue = overdue[:LISTED]
    shown_upcoming = upcoming[: max(LISTED - len(shown_overdue), 5)]
    if shown_overdue:
        lines += ["", _("Overdue:"), *(_line(row) for row in shown_overdue)]
    if shown_upcoming:
        lines += ["", _("Coming up:"), *(_line(row) for row in shown_upcoming)]
    more = len(rows) - len(shown_overdue) - len(shown_upcoming)
    if more:
        lines += ["", _("%(count)s more on the deadline board.") % {"count": more}]
    title = _("Weekly deadlines: %(due)s due, %(overdue)s overdue") % {"due": len(rows), "overdue": len(overdue)}
    return ReminderMessage(recipients=[head], title=title, body="\n".join(lines), url=reverse("reports:deadlines"))
