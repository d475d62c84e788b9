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

# WhiteNoise warns on every request when STATIC_ROOT is missing; tests never collect static.
Path(os.environ.get("DJANGO_DATA_DIR", Path(__file__).resolve().parent.parent / "var"), "static").mkdir(
    parents=True, exist_ok=True
)
