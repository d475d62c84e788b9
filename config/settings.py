"""Settings for the inspection coordination platform.

One module, driven by environment variables (documented in .env.example). With no
variables set, and DJANGO_DEBUG=1, it runs on SQLite and a filesystem broker, so a bare
machine can run the whole product: web, worker and beat.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
    load_env_file,
    parse_database_url,
    parse_site_url,
)

# ---------------------------------------------------------------- paths
BASE_DIR = Path(__file__).resolve().parent.parent
# A development checkout marks itself (make venv); the real environment always wins.
load_env_file(BASE_DIR / "var" / "dev.env")
DATA_DIR = env_path("DJANGO_DATA_DIR", BASE_DIR / "var")
PRIVATE_MEDIA_ROOT = env_path("DJANGO_PRIVATE_MEDIA_ROOT", DATA_DIR / "private")

# ---------------------------------------------------------------- core
DEBUG = env_bool("DJANGO_DEBUG", False)
# With DEBUG on, show Django's technical 404/403/500 pages instead of the product's (core.middleware).
TECHNICAL_ERROR_PAGES = env_bool("XC_TECHNICAL_ERROR_PAGES", False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    # A fixed, obviously fake key: a random one would differ per process and break sessions.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0000000000"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The address users open the site at; links in e-mails are this origin joined with a page's path
# (a worker has no request to take the host from). Required in production, as a wrong default
# would send every recipient to a machine that is not the office's.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL is required when DJANGO_DEBUG is off: links in e-mails start with it.")
SITE_URL = parse_site_url(SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "csp",
    "core",
    "inspection",
    "talentpool",
    "clues",
    "liaison",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.product_error_pages",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# ---------------------------------------------------------------- database
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": {
            **parse_database_url(DATABASE_URL),
            # Measured: a new PostgreSQL connection per request costs ~11 ms.
            "CONN_MAX_AGE": env_int("DJANGO_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            # JIT compiles a query whose estimated cost passes jit_above_cost: measured at 1M clues
            # (issue 16) that cost 200-380 ms of compiling on pages that then run in tens of ms.
            # The app's queries are short; a report that wants JIT can SET jit = on itself.
            # Parallel plans off for the same reason: starting workers cost the pages more than
            # they saved, and they compete with the other requests for the same cores. Measured at
            # 1M clues (docs/benchmarks.md, session 16): a receiver's search page 121-136 -> 72-77 ms
            # p50 (a parallel sort of 9,285 matches before the permission probe), no page slower.
            "OPTIONS": {"options": "-c jit=off -c max_parallel_workers_per_gather=0"},
        }
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite cannot create its folder
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on
            # busy_timeout instead of failing with "database is locked" mid-transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
            },
            # A file, not :memory:, so tests with threads see one database, as workers do;
            # one per test process, so two runs on one machine never share it.
            "TEST": {"NAME": DATA_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }

# ---------------------------------------------------------------- cache and sessions
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# ---------------------------------------------------------------- celery
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL == "filesystem://":
    for _folder in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)  # kombu does not make parents
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Redis redelivers unacknowledged messages after this; it must exceed any countdown.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 6 * 3600,
        # Celery's own publishing (beat's schedule, a task's retry) gives up after one retry
        # during an outage; a sweep re-publishes what was missed. Workers reconnect on their
        # own (broker_connection_retry). core.enqueue publishes with tighter bounds still.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker outage must not hold a user's request: core.enqueue gives up connecting to, or
# waiting on, the broker after this many seconds, without retrying (a sweep publishes later).
CELERY_PUBLISH_TIMEOUT_SECONDS = env_int("CELERY_PUBLISH_TIMEOUT_SECONDS", 1)
# After a publish failed, a process skips publishing for this many seconds, so a request that
# publishes many tasks (approve all) waits for the broker once, not once per task.
CELERY_PUBLISH_PAUSE_SECONDS = env_int("CELERY_PUBLISH_PAUSE_SECONDS", 10)
# Beat records its own heartbeat on every tick, for the health page.
CELERY_BEAT_SCHEDULER = "core.beat:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Every minute: https://crontab.guru/#*_*_*_*_*
    "send-due-reminders": {"task": "core.sweep_due_reminders", "schedule": crontab()},
    # Every 5 minutes: https://crontab.guru/#*/5_*_*_*_*
    # Letters, transfers, secondment requests, handover requests: see core/delivery.py.
    "sweep-deliveries": {"task": "core.sweep_deliveries", "schedule": crontab(minute="*/5")},
    # Every minute: https://crontab.guru/#*_*_*_*_*
    # E-mails not sent yet (broker down when written, SMTP failing): see core/outbox.py.
    "sweep-outbox": {"task": "core.sweep_outbox", "schedule": crontab()},
    # Every minute: https://crontab.guru/#*_*_*_*_*
    "worker-heartbeat": {"task": "core.record_worker_heartbeat", "schedule": crontab()},
    # Every minute: https://crontab.guru/#*_*_*_*_*
    # Background jobs whose task was never published (broker down) or whose worker died: core/jobs.py.
    "sweep-jobs": {"task": "core.sweep_jobs", "schedule": crontab()},
    # Hourly at :05, https://crontab.guru/#5_*_*_*_* : makes sure this week's digest row exists
    # for every office head (idempotent); the reminder sweep sends it once at DIGEST_WEEKDAY/HOUR.
    "schedule-weekly-digests": {"task": "reports.schedule_weekly_digests", "schedule": crontab(minute=5)},
    # Nightly at 03:30, https://crontab.guru/#30_3_*_*_* : every stored file against its SHA-256,
    # and orphan files; problems go to the office heads and administrators (core/integrity.py).
    "verify-files": {"task": "core.verify_files", "schedule": crontab(hour=3, minute=30)},
}
# Seconds after which a worker or beat heartbeat counts as stale on the health page.
HEARTBEAT_STALE_AFTER = env_int("HEARTBEAT_STALE_AFTER", 180)
# A reminder left in "sending" this long is shown to staff as stuck, never resent blindly.
REMINDER_STUCK_AFTER = timedelta(minutes=env_int("REMINDER_STUCK_MINUTES", 15))
# A failed delivery waits this long before the sweep retries it, doubling per failure up to the max.
DELIVERY_RETRY_SECONDS = env_int("DELIVERY_RETRY_SECONDS", 60)
DELIVERY_RETRY_MAX_SECONDS = env_int("DELIVERY_RETRY_MAX_SECONDS", 3600)
# A delivery still pending this long (or failed once) is shown to the office as stuck.
DELIVERY_STUCK_AFTER = timedelta(minutes=env_int("DELIVERY_STUCK_MINUTES", 15))
# Long work (core/jobs.py): above these sizes a page starts a background job with a progress
# page instead of working inside the request.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 5000)
REPLY_ACCEPT_INLINE_MAX_ROWS = env_int("REPLY_ACCEPT_INLINE_MAX_ROWS", 2000)
BULK_INLINE_MAX_ITEMS = env_int("BULK_INLINE_MAX_ITEMS", 5)
# A job's task is killed after this long; a job "running" for longer than that has lost its
# worker, so the sweep queues it again (up to JOB_MAX_ATTEMPTS claims, then it is failed).
JOB_TIME_LIMIT_SECONDS = env_int("JOB_TIME_LIMIT_SECONDS", 3600)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# A queued job nobody has claimed this long is published again by the sweep.
JOB_REPUBLISH_SECONDS = env_int("JOB_REPUBLISH_SECONDS", 120)
# A job writes its progress at most once per this many rows.
JOB_PROGRESS_EVERY_ROWS = env_int("JOB_PROGRESS_EVERY_ROWS", 1000)

# ---------------------------------------------------------------- auth and login safety
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Three of: lower, upper, digit, symbol.
    {"NAME": "core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins for one username from one address before that pair is locked out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# Failed logins from one address, across usernames, before the address is locked out; larger,
# as an office's users share one NAT address (core.lockout).
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
# Username and address together: nobody elsewhere can lock the office head out by guessing.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_ip"
# Reverse proxies in front of the app (each appends to X-Forwarded-For); 0 when browsers reach
# gunicorn directly. Wrong here, every user shares the proxy's address for the lockout.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
ANONYMOUS_USER_NAME = None  # guardian: anonymous users get no object permissions
GUARDIAN_RAISE_403 = False

# ---------------------------------------------------------------- security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): our own scripts and styles only, as files. Every script
# is a static file (no inline <script>, no on*= handlers), and no page carries inline styles:
# ECharts styles its nodes through the DOM (allowed) and draws tooltips as rich text, htmx is
# told not to inject its indicator <style> (base.html). The one inline block is the 500 page's,
# which must render without static files; its hash is pinned here and checked by a test.
ERROR_PAGE_STYLE_HASH = "'sha256-LNjTPNZtgYULsjXdPKYlOJseHXDqpqn8lPQVIxWD8V0='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# ---------------------------------------------------------------- sealed reporter identity
# Fernet keys, newest first: the first seals, every one opens (core.sealing). Never in the
# database: XC_SEAL_KEYS (or XC_SEAL_KEYS_FILE), comma- or line-separated; a development
# checkout reads var/seal.key, which `make run` creates. Generate one with
# python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
_seal_keys = env_secret("XC_SEAL_KEYS")
if not _seal_keys and DEBUG and (DATA_DIR / "seal.key").is_file():
    _seal_keys = (DATA_DIR / "seal.key").read_text(encoding="utf-8")
SEAL_KEYS = [key for key in re.split(r"[\s,]+", _seal_keys) if key]
if not SEAL_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "XC_SEAL_KEYS is required when DJANGO_DEBUG is off: it seals the reporter's identity (README)."
    )
for _key in SEAL_KEYS:
    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured("XC_SEAL_KEYS holds a value that is not a Fernet key (README).") from exc

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# ---------------------------------------------------------------- static and files
STATIC_URL = "/static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", DATA_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# A stored file younger than this is never called an orphan: an upload's bytes are on disk
# before its row commits, and an import may still be running (core/integrity.py).
ORPHAN_GRACE_MINUTES = env_int("ORPHAN_GRACE_MINUTES", 60)
# Zip-based uploads (xlsx, docx) are refused when unpacked size or ratio is abnormal.
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# ---------------------------------------------------------------- email
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 10
else:
    # No mail server on the embedded default: messages land as files under var/mail.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xuncha@localhost")
# An e-mail that failed waits this long before the sweep sends it again, doubling per failure up
# to the max; after EMAIL_MAX_ATTEMPTS tries it is marked failed and shown on the status page.
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60)
EMAIL_RETRY_MAX_SECONDS = env_int("EMAIL_RETRY_MAX_SECONDS", 3600)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)

# ---------------------------------------------------------------- the office
INSPECTION_JURISDICTION_NAME = env_str("INSPECTION_JURISDICTION_NAME", "示范区")
INSPECTION_JURISDICTION_LEVEL = env_str("INSPECTION_JURISDICTION_LEVEL", "district")
if INSPECTION_JURISDICTION_LEVEL not in {"district", "county"}:
    raise ImproperlyConfigured("INSPECTION_JURISDICTION_LEVEL must be district or county")
INSPECTION_UPPER_OFFICE_NAME = env_str("INSPECTION_UPPER_OFFICE_NAME", "市委巡察办")

# ---------------------------------------------------------------- letters to partner departments
# Document number of an information request letter; {year} and {n} are filled in.
LETTER_DOC_NUMBER_FORMAT = env_str("LETTER_DOC_NUMBER_FORMAT", "示巡办函〔{year}〕{n}号")
# Working days a partner has to answer, counted from the day the letter is sent.
LETTER_REPLY_WORKING_DAYS = env_int("LETTER_REPLY_WORKING_DAYS", 5)
# Working days a partner gets to answer again after the office returns its answer.
LETTER_RETURN_WORKING_DAYS = env_int("LETTER_RETURN_WORKING_DAYS", 3)
# Reminder ladders, one setting each: steps in days from the deadline, then options.
#   "-2, 0, +2x4; escalate=2; hour=9" is a reminder 2 working days before the deadline, one on
#   the day, then four 2 working days apart; from the 2nd overdue one on the escalation (red)
#   reaches the office head too; all at 09:00 local time. "days=calendar" counts calendar
#   days. A step may be named and given recipients: "red +1 > unit_head+office".
# (core.services.reminders.parse_ladder reads them; a bad value stops the start-up.)
# The letter ladder (to the partner's users):
LETTER_REMINDER_LADDER = env_str("LETTER_REMINDER_LADDER", "-2, 0, +2x4; escalate=2; hour=9")

# ---------------------------------------------------------------- clue transfers (移交)
# Document number of a transfer letter; {year} and {n} are filled in.
TRANSFER_DOC_NUMBER_FORMAT = env_str("TRANSFER_DOC_NUMBER_FORMAT", "示巡办移〔{year}〕{n}号")
# Calendar days the receiver has to report its disposition back (three months in practice).
TRANSFER_FEEDBACK_DAYS = env_int("TRANSFER_FEEDBACK_DAYS", 90)
# The office head approves transfers at a meeting (书记专题会 etc.): its name, date and minutes
# reference are required on the approval page and by the service unless this is off.
TRANSFER_APPROVAL_REQUIRES_MEETING = env_bool("TRANSFER_APPROVAL_REQUIRES_MEETING", True)
# Reminders to the receiver about the feedback date (calendar days; grammar as for letters).
TRANSFER_REMINDER_LADDER = env_str("TRANSFER_REMINDER_LADDER", "-10, 0, +10x3; escalate=2; hour=9; days=calendar")

# ---------------------------------------------------------------- secondments (抽调)
# Document number of a secondment letter (商调函); {year} and {n} are filled in.
SECONDMENT_DOC_NUMBER_FORMAT = env_str("SECONDMENT_DOC_NUMBER_FORMAT", "示巡办调〔{year}〕{n}号")
# Working days a home unit has to answer, counted from the day the letter is sent.
SECONDMENT_REPLY_WORKING_DAYS = env_int("SECONDMENT_REPLY_WORKING_DAYS", 3)
# Reminders to the home unit's contacts (working days; grammar as for letters).
SECONDMENT_REMINDER_LADDER = env_str("SECONDMENT_REMINDER_LADDER", "-1, 0, +1x3; escalate=2; hour=9")

# ---------------------------------------------------------------- liaison: rectification
# Calendar days after the feedback meeting by which the unit's rectification plan is due (one month).
RECTIFICATION_PLAN_DUE_DAYS = env_int("RECTIFICATION_PLAN_DUE_DAYS", 30)
# Calendar days after the feedback meeting by which the rectification report is due (two months).
RECTIFICATION_REPORT_DUE_DAYS = env_int("RECTIFICATION_REPORT_DUE_DAYS", 60)
# The escalation ladder of an open item (calendar days; grammar as for letters): green 20 days
# before its deadline, yellow 10 days before, red the day after it. Each level is sent once, to
# the recipients named: responsible_person, responsible_leader (matched by name among the
# unit's people with an account), liaison_officer, unit_head (the unit's people whose position
# is one of RECTIFICATION_UNIT_HEAD_POSITIONS) and office (office head and staff).
RECTIFICATION_REMINDER_LADDER = env_str(
    "RECTIFICATION_REMINDER_LADDER",
    "green -20 > responsible_person, yellow -10 > responsible_person+responsible_leader,"
    " red +1 > unit_head+office; hour=9; days=calendar",
)
RECTIFICATION_UNIT_HEAD_POSITIONS = env_list(
    "RECTIFICATION_UNIT_HEAD_POSITIONS", ["党委书记", "党组书记", "党支部书记", "书记", "主要负责人"]
)

# ---------------------------------------------------------------- liaison: offices and handovers
# A unit of an open round whose contact log has no entry for more than this many working
# days is flagged to the office as quiet.
LIAISON_QUIET_WORKING_DAYS = env_int("LIAISON_QUIET_WORKING_DAYS", 5)
# Overdue handover requests: a reminder to the unit's liaison officer (and the requesting
# member) every working day after the due date, three times; red from the second on
# (grammar as for letters).
HANDOVER_REMINDER_LADDER = env_str("HANDOVER_REMINDER_LADDER", "+1x3; escalate=2; hour=9")
# The per-step settings the ladders replaced: one left in the environment would be ignored
# silently, so the start-up stops and names the ladder setting to use instead.
_RETIRED_REMINDER_SETTINGS = {
    "LETTER_REMINDER_LADDER": "LETTER_REMIND_DAYS_BEFORE LETTER_OVERDUE_EVERY_DAYS LETTER_OVERDUE_REMINDERS"
    " LETTER_ESCALATE_FROM LETTER_REMINDER_HOUR",
    "TRANSFER_REMINDER_LADDER": "TRANSFER_REMIND_DAYS_BEFORE TRANSFER_OVERDUE_EVERY_DAYS"
    " TRANSFER_OVERDUE_REMINDERS TRANSFER_ESCALATE_FROM",
    "SECONDMENT_REMINDER_LADDER": "SECONDMENT_REMIND_DAYS_BEFORE SECONDMENT_OVERDUE_EVERY_DAYS"
    " SECONDMENT_OVERDUE_REMINDERS SECONDMENT_ESCALATE_FROM SECONDMENT_REMINDER_HOUR",
    "RECTIFICATION_REMINDER_LADDER": "RECTIFICATION_GREEN_DAYS_BEFORE RECTIFICATION_YELLOW_DAYS_BEFORE"
    " RECTIFICATION_GREEN_TO RECTIFICATION_YELLOW_TO RECTIFICATION_RED_TO RECTIFICATION_REMINDER_HOUR",
    "HANDOVER_REMINDER_LADDER": "HANDOVER_REMIND_EVERY_WORKING_DAYS HANDOVER_REMIND_TIMES HANDOVER_REMIND_HOUR",
}
for _ladder, _retired in _RETIRED_REMINDER_SETTINGS.items():
    for _name in _retired.split():
        if _name in os.environ:
            raise ImproperlyConfigured(f"{_name} is no longer read: set {_ladder} instead (see .env.example)")

# ---------------------------------------------------------------- reports
# The weekly deadline digest to each office head: weekday (0 = Monday … 6 = Sunday) and local
# hour at which it goes out, once per week.
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 0)
DIGEST_HOUR = env_int("DIGEST_HOUR", 8)
if not (0 <= DIGEST_WEEKDAY <= 6 and 0 <= DIGEST_HOUR <= 23):
    raise ImproperlyConfigured("DIGEST_WEEKDAY must be 0-6 and DIGEST_HOUR 0-23")

# ---------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
