from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import Notification, User


@transaction.atomic
def notify(
    *, recipients: Iterable[User], title: str, body: str = "", url: str = "", level: str = "info"
) -> list[Notification]:
    """Put a message in each recipient's inbox and email those with an address.

    The e-mails are outbox rows written in this same transaction (core.outbox): a rolled-back
    notification leaves no e-mail, and a committed one is sent by a task or, if the broker is
    down or the mail server fails, by the outbox sweep. A mail server outage never undoes the
    in-app message.
    """
    people = {user.pk: user for user in recipients if user.is_active}
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, url=url, level=level) for user in people.values()
    )
    outbox.add_for_notifications(notes)
    return notes


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when no ids are given) as read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
