"""The load test's figures, as the table docs/benchmarks.md records: python -m tests.load.summary OUT_DIR.

One row per run (tests/load/locustfile.py writes OUT_DIR/summary-<users>.json when a run stops):
the measured window (from the moment every user had logged in): its length, requests, requests
per second, p50/p95/max in milliseconds, errors (the logins' included); then the logins apart.
"""

import json
import sys
from pathlib import Path

HEADER = "| users | seconds | requests | req/s | p50 ms | p95 ms | max ms | errors | logins | login p50 / p95 ms |"


def main() -> None:
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in Path(sys.argv[1]).glob("summary-*.json")]
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for run in sorted(runs, key=lambda r: r["users"]):
        w, login = run["window"], run["logins"]
        lines.append(
            f"| {run['users']} | {run['seconds']} | {w['requests']} | {w['rps']} | {w['p50']} | {w['p95']} | "
            f"{w['max']} | {w['errors'] + run['login_errors']} | {login['requests']} | {login['p50']} / {login['p95']} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
