"""Helpers every test module shares: a logged-in client, the query-count checks, and running
background jobs (core.jobs) as a worker would.

The permission matrix (`assert_matrix`, `role_keys`, `status_for`) lives beside the `world`
fixture in tests/conftest.py, because it walks that fixture's users.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any
from urllib.parse import urlencode

from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from core import jobs
from core.models import Job, User


def logged_in(user: User) -> Client:
    """A fresh client with user logged in (no password round trip)."""
    client = Client()
    client.force_login(user)
    return client


@contextmanager
def assert_max_queries(limit: int) -> Iterator[CaptureQueriesContext]:
    """Fail when the block runs more than limit queries, listing them.

    `with assert_max_queries(few): client.get(url)` after growing the rows is the list-page
    check of CONTRIBUTING: a page's queries must not grow with its rows.
    """
    with CaptureQueriesContext(connection) as captured:
        yield captured
    count = len(captured.captured_queries)
    if count > limit:
        listed = "\n".join(query["sql"] for query in captured.captured_queries)
        raise AssertionError(f"{count} queries, at most {limit} expected:\n{listed}")


def page_queries(who: User | Client, url: str, **params: Any) -> int:
    """The number of queries one GET of url runs for who, asserting the page answers 200.

    A first GET warms what is cached once per process or session (content types, the
    session row), so the count is the page's own and comparable between two calls.
    """
    client = who if isinstance(who, Client) else logged_in(who)
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return len(captured.captured_queries)


def download(client: Client, job: Job) -> bytes:
    """The job's file through the download view, as its page links it."""
    response = client.get(reverse("core:file-download", args=[job.result_id]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def unpublished(make: Callable[[], Any]) -> Any:
    """Committed, so another connection sees it; its task not published (the eager test
    settings would otherwise run it at commit, before the test's own worker could)."""
    with transaction.atomic():
        made = make()
        connection.run_on_commit.clear()
    return made


def seen_elsewhere(job_id: int) -> tuple[Any, ...]:
    """The job's row as the page's request (another connection) reads it right now."""
    seen = []

    def read() -> None:
        try:
            seen.append(Job.objects.values_list("status", "progress_done", "progress_total").get(pk=job_id))
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return seen[0]


def through_job(client: Client, url: str, params: dict[str, Any] | None = None) -> bytes:
    """A workbook made by a background job: POST starts it, a worker runs it (here, this test),
    its page offers the file; returns the file's bytes."""
    query = f"?{urlencode(params)}" if params else ""
    response = client.post(url + query)
    assert response.status_code == 302, f"POST {url}: {response.status_code}"
    job = Job.objects.get(pk=resolve(response.url).kwargs["pk"])
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    return download(client, job)


@contextmanager
def demo_seeded(django_db_blocker: Any) -> Iterator[str]:
    """`seed_demo` in an outer transaction that is rolled back at the end; yields its output.

    For a module- or class-scoped fixture: seeding builds six rounds through the services and
    takes seconds, so the tests of a module share one seed, each in its own savepoint (`db`).
    """
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        # Each test's teardown checks deferred constraints inside its savepoint; on PostgreSQL
        # rolling the savepoint back queues the seed's thousands of deferred foreign-key checks
        # again, so every test re-ran them (about a second each). Run once here, they are done.
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)
