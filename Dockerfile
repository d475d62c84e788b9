# syntax=docker/dockerfile:1
# One image for web, worker, beat and the one-shot migrate service (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_DATA_DIR=/data \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    GUNICORN_CMD_ARGS="--workers 3 --timeout 60 --access-logfile - --control-socket /tmp/gunicorn.ctl"

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app

# pg_dump and pg_restore for `manage.py backup` and `restore`: bookworm's client is major 15,
# the PostgreSQL of docker-compose.yml.
RUN apt-get update \
    && apt-get install --no-install-recommends -y postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them; every file is checked against
# the sha256 in the lock (make lock).
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Static files are collected into the image (served by whitenoise). The keys below exist
# only in this RUN line; the real ones come from the environment at run time. The
# compiled .mo catalogues are committed, so compilemessages is not needed here.
RUN DJANGO_SECRET_KEY=build-time-only-collectstatic-not-a-secret-0123456789abcdef \
    XC_SEAL_KEYS=YnVpbGQtdGltZS1vbmx5LWNvbGxlY3RzdGF0aWMtMDA= \
    DJANGO_DEBUG=0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /data/private \
    && chown -R app:app /data

USER app:app
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
