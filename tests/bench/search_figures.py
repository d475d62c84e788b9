"""Issue 16 item 2: the clue search on an existing data set (the 1M-clue one of `make bench-data`).

    DATABASE_URL=postgres://…/xc_scale .venv/bin/python -m tests.bench.search_figures HEAD MEMBER

For the office head HEAD and the group member MEMBER (user names), the registry `?q=` and the
search page with a 2- and a 3-character name that MEMBER may see (taken from the data), each
timed server-side in-process (django.test.Client) over 30 requests after 3 of warm-up (or
XC_BENCH_REQUESTS after XC_BENCH_WARM_UP), next to
/healthz/ in the same run, with the query count; then EXPLAIN ANALYZE of the registry's page
query for each. Prints; asserts nothing (figures inform, docs/benchmarks.md records them).
"""

import os
import statistics
import sys
import time

import django

# The protocol; the environment may ask for fewer (the old search takes seconds a request).
WARM_UP = int(os.environ.get("XC_BENCH_WARM_UP", "3"))
REQUESTS = int(os.environ.get("XC_BENCH_REQUESTS", "30"))


def say(text: str) -> None:
    sys.stdout.write(f"{text}\n")


def main(head_name: str, member_name: str) -> None:
    import tests.pytest_env  # noqa: F401 - the environment of a test run: DEBUG off, as in production

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from clues.models import Clue
    from clues.selectors.registry import ClueFilters, clue_registry
    from core.models import User

    head, member = User.objects.get(username=head_name), User.objects.get(username=member_name)
    # Names the member may see, from the middle of the data: the first of two and of three characters.
    persons = Clue.objects.for_user(member).order_by("pk").values_list("reported_persons", flat=True)
    names = [p[0]["name"] for p in persons[5000:5200] if p]
    queries = {f"{n}-character name": next(name for name in names if len(name) == n) for n in (2, 3)}

    def timed(client: Client, url: str, params: dict) -> tuple[float, float, int]:
        for _ in range(WARM_UP):
            assert client.get(url, params).status_code == 200
        times = []
        for _ in range(REQUESTS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95) - 1], len(captured.captured_queries)

    say(f"\nclue search, {Clue.objects.count():,} clues, {REQUESTS} requests after {WARM_UP} warm-up (ms)")
    say(f"load: {os.getloadavg()}")
    say(f"{'page':<44} {'user':<12} {'p50':>8} {'p95':>8} {'queries':>8}")
    for user in (head, member):
        client = Client()
        client.force_login(user)
        p50, p95, n = timed(client, reverse("healthz"), {})
        say(f"{'/healthz/':<44} {user.username:<12} {p50:8.1f} {p95:8.1f} {n:8}")
        for label, q in queries.items():
            for page, url in (
                ("registry ?q=", reverse("clues:clue-list")),
                ("search page ?q=", reverse("reports:search")),
            ):
                p50, p95, n = timed(client, url, {"q": q})
                say(f"{f'{page} {label} {q}':<44} {user.username:<12} {p50:8.1f} {p95:8.1f} {n:8}")
    for user in (head, member):
        for label, q in queries.items():
            rows = clue_registry(user, ClueFilters(q=q))
            say(f"\nEXPLAIN ANALYZE registry page, {user.username}, {label} {q}: {rows.count():,} rows")
            say(rows[:50].explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main(*sys.argv[1:3])
