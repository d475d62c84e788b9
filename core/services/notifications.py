from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue
from core.models import Notification, User


@transaction.atomic
def notify(
    *, recipients: Iterable[User], title: str, body: str = "", url: str = "", level: str = "info"
) -> list[Notification]:
    """Put a message in each recipient's inbox and email those with an address.

    Emails go out from a task after commit, so a mail server outage never undoes the
    in-app message and a retried email never duplicates it.
    """
    from core.tasks import send_notification_email  # core.tasks imports this module

    people = {user.pk: user for user in recipients if user.is_active}
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, url=url, level=level) for user in people.values()
    )
    for note, user in zip(notes, people.values(), strict=True):
        if user.email:
            enqueue(send_notification_email, note.pk)
    return notes


def send_notification_email(*, notification: Notification) -> None:
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{notification.url}"
    send_mail(
        subject=notification.title,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when no ids are given) as read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
