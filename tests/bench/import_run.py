"""Run `manage.py import_clues` in a process of its own, for the import benchmark's peak RSS.

    python -m tests.bench.import_run DATABASE_NAME STORAGE_DIR WORKBOOK LETTER_NUMBER

The benchmark's test database (the name pytest-django gave it) and private storage are set
here, before the first connection; the environment (seal keys, DATABASE_URL for PostgreSQL)
is the test run's. Prints one JSON object: the command's report, its exit code, the seconds
it took and the process's peak RSS in KiB (getrusage of this process: nothing else runs in it).
"""

import io
import json
import os
import resource
import sys
import time
from contextlib import redirect_stdout


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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = {key: report[key] for key in ("status", "data_rows", "clues_created")}
    summary["errors"] = report["errors"][:5]
    sys.stdout.write(json.dumps({"exit": code, "seconds": seconds, "peak_kib": peak, "report": summary}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:5])
