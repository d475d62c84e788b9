"""Helpers every test module shares: a logged-in client and the query-count checks.

The permission matrix (`assert_matrix`, `role_keys`, `status_for`) lives beside the `world`
fixture in tests/conftest.py, because it walks that fixture's users.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import User


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
