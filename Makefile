# The documented interface for developers and CI (`make help` lists the targets).
# Everything runs from the project venv in .venv; nothing here needs pyenv, uv or Docker.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

# The venv is stamped with the hash of the lock it was installed from, so a second
# `make venv` with an unchanged lock installs nothing, and a changed lock reinstalls.
DEV_LOCK := requirements-dev.lock
LOCK_SHA := $(shell sha256sum $(DEV_LOCK) 2>/dev/null | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(LOCK_SHA)

# Developer commands run with DEBUG on: the embedded default needs no secret or services.
DEV_ENV := DJANGO_DEBUG=1
# `check --deploy` runs on a production-like environment; the keys are random per run.
DEPLOY_ENV = DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=xc.example.gov.cn SITE_URL=https://xc.example.gov.cn \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	XC_SEAL_KEYS="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"

.PHONY: help venv run test check e2e bench bench-data loadtest messages lock clean

help: ## list the targets
	@grep -E '^[a-z0-9][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

venv: $(STAMP) var/dev.env ## create .venv and install requirements-dev.lock (skipped when unchanged)

# Marks this checkout as a development one, so a bare `manage.py …` runs with DEBUG on.
# Never in an image (.dockerignore drops var/); the environment always wins over it.
var/dev.env:
	@mkdir -p var
	@printf '# Written by make venv: this checkout is for development.\nDJANGO_DEBUG=1\n' > $@

$(STAMP):
	@test -x $(PY) || { echo "make: creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --disable-pip-version-check --quiet --require-hashes -r $(DEV_LOCK)
	@rm -f $(VENV)/.installed-*
	@touch $@

run: venv ## migrate, seed demo data if empty, then web + worker + beat on 127.0.0.1:PORT (8000)
	PORT=$(PORT) VENV=$(VENV) bash scripts/run-dev

# Tests run on one worker per core (pytest-xdist, at most 4; tests/pytest_env.py gives each its
# own data folder and Redis database). --dist load hands each worker tests in collection order,
# where pytest-django puts the transactional tests (whose flush empties the tables) last; the
# grouping modes would run a module's transactional tests before other modules' tests. XDIST=0
# runs in one process.
XDIST ?= auto
TEST_WORKERS = $(if $(filter 0,$(XDIST)),-p no:xdist,-n $(XDIST) --maxprocesses=4 --dist load)

test: venv ## the whole test suite except benchmarks (browser tests included); XDIST=0 for one process
	bash scripts/ensure-browser
	$(PY) -m pytest $(TEST_WORKERS) $(PYTEST_ARGS)

e2e: venv ## browser tests only (Playwright on Debian's Chromium)
	bash scripts/ensure-browser
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

bench: venv ## benchmarks under tests/bench (not part of `make test`); the 1M-clue pages with DATABASE_URL=…/xc_scale
	$(PY) -m pytest tests/bench -m bench -s -p no:cacheprovider $(PYTEST_ARGS)

# Issue 16's 1M-clue data set (tests/bench/scale_data.py): COPY into its own PostgreSQL database.
# A database that already holds clues is refused; REBUILD=1 drops and rebuilds it.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/xc_scale)

bench-data: venv ## build the 1M-clue PostgreSQL data set of issue 16 in BENCH_DATABASE_URL (REBUILD=1 to rebuild)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.scale_data $(if $(REBUILD),--rebuild)

loadtest: venv ## locust, 20 then 100 users for 60 s against gunicorn + PostgreSQL + Redis + worker + beat (scripts/loadtest)
	VENV=$(VENV) bash scripts/loadtest

check: venv ## lint, format check, types, layer contracts, templates (djLint), missing migrations, deploy checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint . --check
	$(VENV)/bin/djlint . --lint
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

messages: venv ## update locale/zh_Hans and compile it (needs gettext)
	@command -v xgettext >/dev/null || { \
		echo "缺少 gettext，请运行: sudo apt-get install -y gettext"; \
		echo "gettext is missing; run: sudo apt-get install -y gettext"; exit 1; }
	$(DEV_ENV) $(PY) manage.py makemessages -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=var --ignore=node_modules --ignore=tests
	$(DEV_ENV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=var

# pip-compile (pip-tools, in a scratch venv: not a dependency of the project) writes every
# version with the sha256 of each file PyPI has for it; `make venv` and the Dockerfile install
# with --require-hashes. Versions already in a lock are kept; UPGRADE=1 takes the newest the
# .in files allow. No index or find-links line is written: the locks do not depend on a
# machine's pip configuration.
PIP_TOOLS := pip-tools==7.6.2

lock: ## regenerate the hashed requirements.lock and requirements-dev.lock from the .in files (UPGRADE=1 to upgrade)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/pip" install --disable-pip-version-check --quiet $(PIP_TOOLS); \
	for pair in requirements.in:requirements.lock requirements-dev.in:requirements-dev.lock; do \
		src=$${pair%%:*}; dst=$${pair##*:}; \
		echo "make: locking $$src -> $$dst"; \
		CUSTOM_COMPILE_COMMAND="make lock" "$$tmp/venv/bin/pip-compile" --quiet --generate-hashes \
			--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
			$(if $(UPGRADE),--upgrade) --output-file "$$dst" "$$src"; \
	done

clean: ## remove caches and test output (keeps .venv and the dev database)
	rm -rf .pytest_cache .ruff_cache .mypy_cache var/e2e var/static var/test*.sqlite3*
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
