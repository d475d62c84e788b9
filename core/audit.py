"""The audit trail: every change to a domain record, every read of a confidential one."""

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditLog
from core.sealing import SealedTextField

# Never copied into the trail: a change shows as "[hidden]" before and after. Sealed fields
# (the reporter's identity, docs/domain.md §5.2) are hidden by their type, in snapshot().
SECRET_FIELDS = frozenset({"password", "id_card_no"})
HIDDEN = "[hidden]"


# Case content (docs/domain.md §5.2 rule 10): the admin shows only the action, type and id of entries
# about these models, and of every read, so the system administrator never learns what was read.
RESTRICTED_APPS = frozenset({"clues", "talentpool", "liaison", "reports"})
RESTRICTED_MODELS = frozenset({"core.storedfile"})
UNRESTRICTED_MODELS = frozenset({"clues.partnerunit"})
ACCESS_ACTIONS = frozenset(
    {AuditLog.Action.VIEW, AuditLog.Action.DOWNLOAD, AuditLog.Action.EXPORT, AuditLog.Action.REVEAL}
)


def shows_content(entry: AuditLog) -> bool:
    """Whether an administrator who is no superuser may read the entry's record name, changes and note."""
    content_type = ContentType.objects.get_for_id(entry.content_type_id)
    label = f"{content_type.app_label}.{content_type.model}"
    restricted = label in RESTRICTED_MODELS or (
        content_type.app_label in RESTRICTED_APPS and label not in UNRESTRICTED_MODELS
    )
    return not restricted and entry.action not in ACCESS_ACTIONS


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
            # A keyed digest, not the value: enough to tell that it changed. Keyed, because a
            # plain hash of a name or an ID number is undone by hashing every candidate.
            values[field.attname] = HIDDEN + _digest(str(value)) if value else ""
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal) or (
            value is not None and not isinstance(value, str | int | float | bool | list | dict)
        ):
            value = str(value)
        values[field.attname] = value
    return values


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:8]


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
    return _append(
        AuditLog(
            action=action,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changes=changes or {},
        ),
        user=user,
        request=request,
        note=note,
    )


def log_list_read(
    *, user: Any, model: type[models.Model], ids: list[Any], filters: str, request: HttpRequest | None = None
) -> AuditLog:
    """One access-log row for a page that lists records: which ones it showed, under which filters.

    One row per page, not per record, so a list page's queries stay flat.
    """
    return _append(
        AuditLog(
            action=AuditLog.Action.VIEW,
            content_type=ContentType.objects.get_for_model(model),
            object_id="",
            object_repr=str(model._meta.verbose_name_plural)[:200],
            changes={"ids": [str(pk) for pk in ids]},
        ),
        user=user,
        request=request,
        # Readable, not percent-encoded: the office reads this note.
        note=_("List; filters: %(filters)s") % {"filters": unquote_plus(filters) or "-"},
    )


def _append(entry: AuditLog, *, user: Any, request: HttpRequest | None, note: str) -> AuditLog:
    """Write entry at the head of the hash chain."""
    actor = user if getattr(user, "is_authenticated", False) else None
    entry.user = actor
    entry.username = actor.get_username() if actor else ""
    entry.ip = _ip(request)
    entry.note = str(note)[:200]
    # savepoint=False: a failed audit write fails the whole use case, and no SAVEPOINT queries.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        entry.prev_hash = AuditLog.objects.order_by("-pk").values_list("entry_hash", flat=True).first() or ""
        entry.at = timezone.now()
        entry.entry_hash = chain_hash(entry)
        entry.save(force_insert=True)
    return entry


# Any constant: the key of the advisory lock that serialises appends to the chain on PostgreSQL.
CHAIN_LOCK_KEY = 7_203_114_517


def _lock_chain() -> None:
    """Hold the chain until this transaction ends, so no two writers chain onto the same row.

    SQLite needs nothing: its transactions start IMMEDIATE (config.settings), one writer at a time.
    The lock is held to commit, so a long transaction that audits delays other auditing writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _ip(request: HttpRequest | None) -> str | None:
    address = request.META.get("REMOTE_ADDR") if request else None
    if not address:
        return None
    try:
        # The form PostgreSQL's inet returns, so the hash matches what is read back.
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def chain_hash(entry: AuditLog) -> str:
    """sha256 over the entry's canonical content, the previous entry's hash included."""
    content_type = ContentType.objects.get_for_id(entry.content_type_id)
    canonical = {
        "prev": entry.prev_hash,
        "at": entry.at.astimezone(UTC).isoformat(),
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "type": f"{content_type.app_label}.{content_type.model}",
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "ip": entry.ip,
        "note": entry.note,
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


def first_broken_link(entries: Iterable[AuditLog] | None = None) -> BrokenLink | None:
    """The first entry, in chain order, whose link to the one before or whose own hash does not hold."""
    if entries is None:
        entries = AuditLog.objects.order_by("pk").iterator(chunk_size=2000)
    previous = ""
    for entry in entries:
        if entry.prev_hash != previous:
            return BrokenLink(entry.pk, "previous-entry hash does not match: an entry before it was removed or changed")
        if chain_hash(entry) != entry.entry_hash:
            return BrokenLink(entry.pk, "content does not match its hash: the entry was changed")
        previous = entry.entry_hash
    return None


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
