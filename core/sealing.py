"""The reporter's identity sealed at rest (issue 11).

A whistle-blower's safety depends on the seal, so the identity is encrypted with keys that
are never in the database: a dump, a backup, the admin or the audit trail hold ciphertext only.
The keys come from settings.SEAL_KEYS (XC_SEAL_KEYS, newest first): the first seals, every
one opens, which is what rotation needs (`manage.py rotate_seal_key`).

A sealed column reads back as a Sealed value, not as text: it prints as the seal mark, so a
template or an export that forgets the rule shows "（已密封）", and only open() decrypts. That
also keeps every other page working when the key is lost: only opening fails.
"""

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver

# Stored data, not a UI string: the raw row keeps it where the partner wrote the reporter.
SEALED_MARK = "（已密封）"


class SealBroken(Exception):
    """A sealed value does not open with the configured keys."""


@lru_cache(maxsize=1)
def _keys() -> tuple[Fernet, MultiFernet]:
    """The newest key, which seals, and all of them, which open."""
    if not settings.SEAL_KEYS:
        raise ImproperlyConfigured(
            "No seal key: set XC_SEAL_KEYS (or XC_SEAL_KEYS_FILE); `make run` creates var/seal.key in development."
        )
    fernets = [Fernet(key) for key in settings.SEAL_KEYS]
    return fernets[0], MultiFernet(fernets)


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "SEAL_KEYS":
        _keys.cache_clear()


def seal(text: str) -> str:
    """The token of text under the newest key; empty text stays empty (no reporter)."""
    if not text:
        return ""
    newest, _all = _keys()
    return newest.encrypt(text.encode()).decode()


def open_token(token: str) -> str:
    if not token:
        return ""
    return open_bytes(token.encode()).decode()


def resealed(token: str) -> str | None:
    """The token under the newest key, or None when it is sealed with that key already."""
    if not token:
        return None
    token_bytes = resealed_bytes(token.encode())
    return None if token_bytes is None else token_bytes.decode()


# The same for whole files (core.files keeps a partner's reply sealed on disk).


def seal_bytes(data: bytes) -> bytes:
    return _keys()[0].encrypt(data)


def open_bytes(token: bytes) -> bytes:
    try:
        return _keys()[1].decrypt(token)
    except InvalidToken as exc:
        # Never an empty or garbled value: a wrong key must be noticed, not shown as "no reporter".
        raise SealBroken(
            "A sealed value does not open with the keys in XC_SEAL_KEYS: the key is wrong, or a key "
            "used before the last rotation is missing."
        ) from exc


def resealed_bytes(token: bytes) -> bytes | None:
    """The token under the newest key, or None when it is sealed with that key already."""
    newest, every = _keys()
    try:
        newest.decrypt(token)
        return None
    except InvalidToken:
        pass
    try:
        return every.rotate(token)
    except InvalidToken as exc:
        raise SealBroken("A sealed value does not open with any key in XC_SEAL_KEYS; nothing was re-sealed.") from exc


class Sealed:
    """A sealed value as read from the database: prints as the seal mark, opens only on purpose."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __bool__(self) -> bool:
        return bool(self.token)

    def __str__(self) -> str:
        return SEALED_MARK if self.token else ""

    def __repr__(self) -> str:
        return f"<Sealed {'value' if self.token else 'empty'}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def open(self) -> str:
        return open_token(self.token)


def opened(value: "Sealed | str") -> str:
    """The clear text of a sealed field's value: a Sealed read from the database, or text set
    on an instance that has not been read back."""
    return value.open() if isinstance(value, Sealed) else value


class SealedTextField(models.TextField):
    """Text stored as a Fernet token. Only equality with "" (nothing recorded) can be queried:
    a token differs every time, so searching, filtering or ordering by the clear text is
    impossible by design."""

    description = "Sealed text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not editable: no model form (the admin's included) shows or overwrites it.
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def to_python(self, value: Any) -> Any:
        return value if value is None or isinstance(value, Sealed) else str(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return value.token
        return seal(str(value))

    def value_to_string(self, obj: models.Model) -> str:
        # dumpdata and fixtures carry the token, never the seal mark nor the clear text.
        value = self.value_from_object(obj)
        return self.get_prep_value(value) or ""

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name in ("exact", "isnull") else None


def sealed_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with sealed columns, and their names."""
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]
        if names:
            found.append((model, names))
    return found


def reseal_all(*, batch_size: int = 500) -> int:
    """Seal every sealed value with the newest key; returns how many were re-sealed.

    Idempotent: a value sealed with the newest key already is left alone, so an interrupted
    run is simply started again. One transaction per batch keeps locks short; a value that
    opens with no key stops the run (SealBroken) before its batch is written.
    """
    count = 0
    for model, names in sealed_fields():
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model._default_manager.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .values_list("pk", *names)[:batch_size]
                )
                for pk, *values in rows:
                    changed = {
                        name: Sealed(token)
                        for name, value in zip(names, values, strict=True)
                        if value is not None and (token := resealed(value.token)) is not None
                    }
                    if changed:
                        model._default_manager.filter(pk=pk).update(**changed)
                        count += len(changed)
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
    return count
