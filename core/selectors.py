from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from core.models import Notification


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# The inbox's keyset order (core.pagination), on the index notification_inbox_idx.
INBOX_ORDER = ("-created_at", "-pk")


def inbox_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by(*INBOX_ORDER)


def record_reference(target_type: ContentType, target_id: Any, target: Model | None) -> str:
    """What a record is called on pages every resolver may read (the system administrator too):
    its type and document number (a letter's 示巡办函〔2017〕3号), else its type and id; never
    its str(), which names case content for some models (a rectification measure, a clue code)."""
    model = target_type.model_class()
    kind = str(model._meta.verbose_name) if model is not None else target_type.model
    number = getattr(target, "doc_number", "") if target is not None else ""
    if number:
        return f"{kind} {number}"
    return _("%(kind)s #%(id)s") % {"kind": kind, "id": target_id}
