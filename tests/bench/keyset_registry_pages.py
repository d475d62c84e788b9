"""Issue 16 item 4: the clue registry's pages on the 1M-clue data set (tests/bench/scale_data.py),
server time in-process (django.test.Client), 30 requests after 3 warm-up, as the office head and
as a group member (access through guardian grants), unfiltered, filtered and on page 300.

Not a pytest module: it runs against a copy of the data set, migrated to the branch::

    createdb -h 127.0.0.1 -U postgres -T xc_scale xc_NAME_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xc_NAME_bench .venv/bin/python manage.py migrate
    DJANGO_ALLOWED_HOSTS=testserver DATABASE_URL=… .venv/bin/python manage.py shell \
        < tests/bench/keyset_registry_pages.py
"""

import os
import re
import statistics
import time
from urllib.parse import parse_qsl

from django.test import Client
from django.urls import reverse

from clues.selectors.registry import REGISTRY_PAGE_ORDER, ClueFilters, clue_registry
from clues.views.registry import PAGE_SIZE
from core.models import User
from core.pagination import KeysetPaginator
from inspection.models import InspectionRound

REQUESTS, WARM_UP = 30, 3
URL = reverse("clues:clue-list")
DETAIL = 'href="' + reverse("clues:clue-detail", args=[0]).replace("/0/", r"/\d+/") + '"'


def late(user: User, query: str = "") -> str:
    """The query of page 300, as 299 next links reach it."""
    filters = ClueFilters.from_query(dict(parse_qsl(query)))
    paginator = KeysetPaginator(clue_registry(user, filters), REGISTRY_PAGE_ORDER, PAGE_SIZE)
    return (query + "&" if query else "") + f"cursor={paginator.cursor_after(299 * PAGE_SIZE)}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(user: User, label: str, query: str) -> None:
    client = Client()
    client.force_login(user)
    url = URL + ("?" + query if query else "")
    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    rows = len(re.findall(DETAIL, response.content.decode()))
    print(f"  {label:<40} p50 {statistics.median(times):7.1f} ms  p95 {p95(times):7.1f} ms  {rows} rows")  # noqa: T201


def main() -> None:
    latest = InspectionRound.objects.order_by("-year", "-round_no").first()
    assert latest is not None
    head = User.objects.get(username="bench_head")
    print(f"registry pages, load average {os.getloadavg()}")  # noqa: T201
    client = Client()
    floor = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get("/healthz/")
        floor.append((time.perf_counter() - started) * 1000)
    print(f"  {'floor: /healthz/':<40} p50 {statistics.median(floor):7.1f} ms  p95 {p95(floor):7.1f} ms")  # noqa: T201
    round_query = f"round={latest.pk}"
    for user in (head, User.objects.get(username="bench_member")):
        who = "head" if user == head else "member"
        run(user, f"{who}: no filter", "")
        run(user, f"{who}: ?round=latest", round_query)
        run(user, f"{who}: ?status=transferred", "status=transferred")
        run(user, f"{who}: ?round=latest&status=received", round_query + "&status=received")
        run(user, f"{who}: page 300, no filter", late(user))
        run(user, f"{who}: page 300, ?round=latest", late(user, round_query))


main()
