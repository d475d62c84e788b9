"""The audit trail: every change to a domain record, every read of a confidential one."""

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from core.models import AuditLog
from core.sealing import SealedTextField

# Never copied into the trail: a change shows as "[hidden]" before and after.
SECRET_FIELDS = frozenset({"password", "id_card_no"})
HIDDEN = "[hidden]"


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of obj, as JSON-safe values, for a before/after comparison."""
    values = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, SealedTextField):
            # No digest either: a name's digest is found again by hashing a list of names.
            values[field.attname] = HIDDEN if value else ""
            continue
        if field.attname in SECRET_FIELDS:
            # A digest, not the value: enough to tell that it changed.
            values[field.attname] = HIDDEN + hashlib.sha256(str(value).encode()).hexdigest()[:8] if value else ""
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal) or (
            value is not None and not isinstance(value, str | int | float | bool | list | dict)
        ):
            value = str(value)
        values[field.attname] = value
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    ignored = {"updated_at"}
    return {
        key: [before.get(key), value] for key, value in after.items() if key not in ignored and before.get(key) != value
    }


def log_action(
    *,
    user: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    note: str = "",
) -> AuditLog:
    return AuditLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        ip=request.META.get("REMOTE_ADDR") if request else None,
        note=note[:200],
    )


def log_change(
    *, user: Any, obj: models.Model, before: dict[str, Any] | None, request: HttpRequest | None = None
) -> AuditLog | None:
    """Log a create (before is None) or an update (only when a field really changed)."""
    after = snapshot(obj)
    if before is None:
        return log_action(user=user, action=AuditLog.Action.CREATE, obj=obj, changes=diff({}, after), request=request)
    changes = diff(before, after)
    if not changes:
        return None
    return log_action(user=user, action=AuditLog.Action.UPDATE, obj=obj, changes=changes, request=request)


def history(obj: models.Model) -> models.QuerySet[AuditLog]:
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")
