"""Loaded with -p before pytest-django reads the settings: the environment of a test run.

Tests run like production (DEBUG off) except for what a test client cannot do over plain
HTTP (HTTPS redirects, secure cookies) and what needs a build step (hashed static files).
Celery runs tasks eagerly in unit tests; tests that exercise the broker turn that off.
"""

import os
from pathlib import Path

# Explicit, so a development checkout's var/dev.env (DJANGO_DEBUG=1) does not apply to tests.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-000000000000")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Links in e-mails start with it; required with DEBUG off, as in production.
os.environ.setdefault("SITE_URL", "http://testserver")
# A fixed seal key (a Fernet key), for tests only: real ones live outside the repository.
os.environ.setdefault("XC_SEAL_KEYS", "dGVzdC1vbmx5LXNlYWwta2V5LW5vdC1mb3ItdXNlLTA=")

# pytest-xdist (`make test` runs a worker per core, at most 4): each worker gets its own data
# folder (broker folders, mail, media) and its own Redis database, so one worker's real Celery
# worker never takes another's tasks and a cache flush stays in its worker. gwN takes the
# configured database number minus N (.ci/run flushes 12-15). The test databases are suffixed
# by pytest-django itself.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER:
    _index = int(_WORKER.removeprefix("gw"))
    _data = Path(os.environ.get("DJANGO_DATA_DIR", Path(__file__).resolve().parent.parent / "var"))
    os.environ["DJANGO_DATA_DIR"] = str(_data / "xdist" / _WORKER)
    for _name in ("CELERY_BROKER_URL", "REDIS_URL"):
        _url = os.environ.get(_name, "")
        _head, _, _db = _url.rpartition("/")
        if _url.startswith("redis://") and _db.isdigit():
            os.environ[_name] = f"{_head}/{int(_db) - _index}"

# WhiteNoise warns on every request when STATIC_ROOT is missing; tests never collect static.
Path(os.environ.get("DJANGO_DATA_DIR", Path(__file__).resolve().parent.parent / "var"), "static").mkdir(
    parents=True, exist_ok=True
)
