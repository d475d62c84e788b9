from collections.abc import Iterable

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core import audit, outbox
from core.models import Notification, User
from core.models.accounts import INBOX_ONLY

# What a user edits about themselves on the profile page (the form validates the address).
PROFILE_FIELDS = ("first_name", "last_name", "email", "phone", "notification_prefs")


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    level: str = "info",
    kind: str = Notification.Kind.GENERAL,
) -> list[Notification]:
    """Put a message in each recipient's inbox and email those with an address who want it.

    `kind` (Notification.Kind) is what the recipient's preference is set for: a recipient who
    keeps that kind in the inbox (User.wants_email, the profile page) gets no e-mail.

    The e-mails are outbox rows written in this same transaction (core.outbox): a rolled-back
    notification leaves no e-mail, and a committed one is sent by a task or, if the broker is
    down or the mail server fails, by the outbox sweep. A mail server outage never undoes the
    in-app message.
    """
    people = {user.pk: user for user in recipients if user.is_active}
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, url=url, level=level, kind=kind)
        for user in people.values()
    )
    outbox.add_for_notifications([note for note in notes if note.recipient.wants_email(kind)])
    return notes


def open_notification(*, user: User, notification_id: int) -> Notification:
    """The recipient opens one of their notifications: it is marked read; someone else's is a 404."""
    note = get_object_or_404(Notification, pk=notification_id, recipient=user)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    return note


@transaction.atomic
def update_profile(
    *, user: User, first_name: str, last_name: str, email: str, phone: str, prefs: dict[str, str]
) -> User:
    """The user's own name, address, phone and, per notification kind, inbox only or inbox and e-mail."""
    before = audit.snapshot(user)
    user.first_name, user.last_name, user.email, user.phone = first_name, last_name, email, phone
    user.notification_prefs = {
        kind: INBOX_ONLY for kind, choice in prefs.items() if kind in Notification.Kind.values and choice == INBOX_ONLY
    }
    user.save(update_fields=[*PROFILE_FIELDS])
    audit.log_change(user=user, obj=user, before=before)
    return user


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when no ids are given) as read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
