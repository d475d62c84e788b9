"""Typed readers for environment variables.

Invalid values raise ImproperlyConfigured instead of being guessed at; every secret
also accepts NAME_FILE (Docker secrets).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_env_file(path: Path) -> None:
    """Read NAME=VALUE lines from path into the environment, below anything already set.

    Used for var/dev.env, which `make venv` writes in a development checkout (DJANGO_DEBUG=1),
    so that a bare `manage.py makemigrations` works there. Production images never contain
    var/ (.dockerignore), so production keeps DEBUG off unless the environment says otherwise.
    """
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise ImproperlyConfigured(f"{path}:{number}: expected NAME=VALUE, got {line!r}")
        os.environ.setdefault(name.strip(), value.strip())


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_secret(name: str, default: str = "") -> str:
    path = os.environ.get(name + "_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).resolve() if raw else default


def parse_site_url(url: str) -> str:
    """https://xc.example.gov.cn -> the site's origin, without a trailing slash.

    Links in e-mails are this origin joined with a path (/clues/1/); a path, query or
    fragment here would be silently dropped or doubled, so they are refused.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"SITE_URL must be http(s)://host[:port], got {url!r}")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(f"SITE_URL must be the site's origin only (no path, query or user), got {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def parse_database_url(url: str) -> dict:
    """postgres://user:password@host:port/name -> a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be postgres://…, got scheme {parts.scheme!r}")
    name = parts.path.lstrip("/")
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(name),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }
