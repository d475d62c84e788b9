"""Stuck reminders and deliveries for the stuck-work tests (and the POST endpoint table)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from clues.models import InfoRequestLetter
from clues.services.partners import register_partner
from core.models import Delivery, Reminder, User
from core.services.reminders import PlannedReminder, ReminderMessage, register_kind, schedule_reminders
from tests.clues.conftest import send
from tests.conftest import World

STUCK_KIND = "test.stuck_work"
ERROR = "OperationalError('server closed the connection unexpectedly')"


@register_kind(STUCK_KIND)
def _render(reminder: Reminder) -> ReminderMessage:
    return ReminderMessage(recipients=list(User.objects.filter(username="staff")), title="请按时报送材料")


def stuck_reminder(world: World, *, n: int = 0, claimed_minutes_ago: int = 60) -> Reminder:
    """A reminder about the round that a worker claimed and never finished."""
    now = timezone.now()
    due = now - timedelta(hours=2, minutes=n)
    schedule_reminders(target=world.round, plan=[PlannedReminder(STUCK_KIND, due)])
    row = Reminder.objects.get(kind=STUCK_KIND, due_at=due)
    Reminder.objects.filter(pk=row.pk).update(
        status=Reminder.Status.SENDING, claimed_at=now - timedelta(minutes=claimed_minutes_ago)
    )
    return Reminder.objects.get(pk=row.pk)


def sent_letter(world: World) -> InfoRequestLetter:
    """A letter to partner X, approved and sent; its delivery not run (no on_commit in a plain test)."""
    from clues.services import letters

    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    (letter,) = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    return send(letter, world)


def fail(row: Delivery, *, attempts: int = 2, error: str = ERROR) -> Delivery:
    """As core.delivery leaves a row whose attempts failed (test set-up, not a domain write)."""
    Delivery.objects.filter(pk=row.pk).update(
        state=Delivery.State.PENDING,
        done_at=None,
        attempts=attempts,
        retry_at=timezone.now() + timedelta(hours=1),
        last_error=error,
    )
    return Delivery.objects.get(pk=row.pk)


def letter_delivery(letter: InfoRequestLetter) -> Delivery:
    return Delivery.objects.get(target_type=ContentType.objects.get_for_model(letter), target_id=letter.pk)


def stuck_letter_delivery(world: World) -> Delivery:
    return fail(letter_delivery(sent_letter(world)))
