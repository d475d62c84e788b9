"""Run `manage.py import_clues` in a process of its own, for the import benchmark's peak RSS.

    python -m tests.bench.import_run DATABASE_NAME STORAGE_DIR WORKBOOK LETTER_NUMBER

The benchmark's test database (the name pytest-django gave it) and private storage are set
here, before the first connection; the environment (seal keys, DATABASE_URL for PostgreSQL)
is the test run's. Prints one JSON object: the command's report, its exit code, the seconds
it took and the process's peak RSS in KiB.

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
    started = time.perf_counter()
    code = 0
    with redirect_stdout(out):
        try:
            call_command("import_clues", path, "--letter", letter, "--commit", "--json", stdout=out)
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
    seconds = time.perf_counter() - started
    report = json.loads(out.getvalue())
    peak = _high_water_kib()
    summary = {key: report[key] for key in ("status", "data_rows", "clues_created")}
    summary["errors"] = report["errors"][:5]
    sys.stdout.write(json.dumps({"exit": code, "seconds": seconds, "peak_kib": peak, "report": summary}) + "\n")


def _high_water_kib() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))


if __name__ == "__main__":
    main(*sys.argv[1:5])
