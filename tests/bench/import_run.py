"""Run `manage.py import_clues` in a process of its own, for the import benchmark's peak RSS.

    python -m tests.bench.import_run DATABASE_NAME STORAGE_DIR WORKBOOK LETTER_NUMBER

The benchmark's test database (the name pytest-django gave it) and private storage are set
here, before the first connection; the environment (seal keys, DATABASE_URL for PostgreSQL)
is the test run's. Prints one JSON object: the command's report, its exit code, the seconds
it took, the process's peak RSS in KiB, and the CPU seconds the import took in this process and
in its PostgreSQL backend (read from /proc: null for SQLite or a server on another machine),
which tell how far the import is from its limit on the machine's cores (docs/benchmarks.md).

The peak is VmHWM of /proc/self/status, the high-water mark of this process's own memory, not
getrusage's ru_maxrss: Linux carries ru_maxrss across exec from the process that was forked,
a copy of the whole pytest process, so it reported pytest's size (149-152 MiB) as the import's
whether the workbook had 10,000 rows or 100,000 (measured in session 16; VmHWM: 126 and 134 MiB).
"""

import io
import json
import os
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path


def main(database: str, storage: str, path: str, letter: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database
    settings.UPLOAD_MAX_BYTES = 200 * 2**20  # the bench file is larger than an office upload
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": storage}},
    }
    from django.core.management import call_command

    out = io.StringIO()
    backend = _backend_pid()
    python_before, server_before = _own_cpu_seconds(), _cpu_seconds(backend)
    started = time.perf_counter()
    code = 0
    with redirect_stdout(out):
        try:
            call_command("import_clues", path, "--letter", letter, "--commit", "--json", stdout=out)
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
    seconds = time.perf_counter() - started
    python_cpu = _own_cpu_seconds() - python_before
    server_after = _cpu_seconds(backend)
    server_cpu = None if server_before is None or server_after is None else server_after - server_before
    report = json.loads(out.getvalue())
    peak = _high_water_kib()
    summary = {key: report[key] for key in ("status", "data_rows", "clues_created")}
    summary["errors"] = report["errors"][:5]
    run = {"exit": code, "seconds": seconds, "peak_kib": peak, "python_cpu": python_cpu, "server_cpu": server_cpu}
    sys.stdout.write(json.dumps({**run, "report": summary}) + "\n")


def _backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:  # the command runs on this connection: one backend throughout
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of a process on this machine (fields 14 and 15 of /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except (OSError, TypeError):  # no such process here, or no pid
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _high_water_kib() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))


if __name__ == "__main__":
    main(*sys.argv[1:5])
