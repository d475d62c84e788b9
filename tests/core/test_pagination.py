"""core.pagination on any order: keys in both directions, a nullable key (NULLs last), ties on
every key but the pk; forward and backward walks give the same pages on both databases, and rows
inserted or deleted between two pages are never skipped or repeated."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import pagination
from core.models import Notification
from core.pagination import KeysetPaginator

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# read_at descending (unread, NULL, last), then title ascending, then the pk descending.
ORDER = ("-read_at", "title", "-pk")


def make(recipient, title: str, hours: int | None) -> Notification:
    return Notification.objects.create(
        recipient=recipient, title=title, read_at=None if hours is None else BASE + timedelta(hours=hours)
    )


def expected(rows: list[Notification]) -> list[int]:
    read = sorted((n for n in rows if n.read_at is not None), key=lambda n: (-n.read_at.timestamp(), n.title, -n.pk))
    unread = sorted((n for n in rows if n.read_at is None), key=lambda n: (n.title, -n.pk))
    return [n.pk for n in read + unread]


def forward(paginator: KeysetPaginator) -> list[list[int]]:
    pages, page = [], paginator.page(None)
    while True:
        pages.append([n.pk for n in page])
        if not page.has_next:
            return pages
        page = paginator.page(page.next_cursor)


@pytest.fixture
def notes(world):
    user = world.users["office_staff"]
    # Ties on read_at and on title, unread rows among them, more than one page of each.
    spec = [("乙", 3), ("甲", 3), ("甲", 3), ("丙", 1), ("甲", None), ("乙", None), ("甲", None), ("丁", 2)]
    return user, [make(user, title, hours) for title, hours in spec]


def paginator(user, per_page: int = 3, *, two_queries: bool = False) -> KeysetPaginator:
    # two_queries: a page's keys first, then its rows by primary key (rows=, as the registry reads).
    rows = Notification.objects.only("title", "read_at") if two_queries else None
    return KeysetPaginator(Notification.objects.filter(recipient=user), ORDER, per_page, rows=rows)


both_ways = pytest.mark.parametrize("two_queries", [False, True], ids=["one query", "keys then rows"])


@both_ways
def test_forward_pages_follow_the_order_with_nulls_last(notes, two_queries):
    user, rows = notes
    pages = forward(paginator(user, two_queries=two_queries))
    assert [pk for page in pages for pk in page] == expected(rows)
    assert [len(page) for page in pages] == [3, 3, 2]


@both_ways
@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_previous_from_each_page_gives_the_page_before(notes, per_page, two_queries):
    user, _rows = notes
    walker = paginator(user, per_page, two_queries=two_queries)
    pages, page = [], walker.page(None)
    while page.has_next:
        following = walker.page(page.next_cursor)
        pages.append(([n.pk for n in page], following))
        page = following
    for before, after in pages:
        back = walker.page(after.previous_cursor)
        assert [n.pk for n in back] == before


@both_ways
def test_rows_inserted_and_deleted_between_pages_are_neither_skipped_nor_repeated(notes, two_queries):
    user, rows = notes
    walker = paginator(user, two_queries=two_queries)
    first = walker.page(None)
    shown = [n.pk for n in first]
    last = first[-1]
    # After the cursor: a read one older than all, an unread one; before it: a newer read one.
    later = [make(user, "戊", -5), make(user, "甲", None)]
    newer = make(user, "戊", 9)
    gone = expected(rows)[4]  # on the second page
    Notification.objects.filter(pk=gone).delete()

    page = walker.page(first.next_cursor)
    while True:
        shown += [n.pk for n in page]
        if not page.has_next:
            break
        page = walker.page(page.next_cursor)

    survivors = [r for r in rows if r.pk != gone] + later
    order = expected(survivors)
    assert shown == [n.pk for n in first] + order[order.index(last.pk) + 1 :]
    assert {n.pk for n in later} <= set(shown)
    assert newer.pk not in shown


def test_an_expression_key_ranks_ahead_of_the_order(notes):
    # As a search ranks exact matches first: here the titles 甲, newest first, then the others.
    user, rows = notes
    ranked = ExpressionWrapper(Q(title="甲"), output_field=BooleanField()).desc()
    walker = KeysetPaginator(Notification.objects.filter(recipient=user), [ranked, "-created_at", "-pk"], 2)
    order = sorted(rows, key=lambda n: (n.title != "甲", -n.created_at.timestamp(), -n.pk))
    assert [pk for page in forward(walker) for pk in page] == [n.pk for n in order]
    last = walker.page(walker.cursor_after(6))
    assert [n.pk for n in walker.page(last.previous_cursor)] == [n.pk for n in order[4:6]]


def test_keys_then_rows_reads_a_page_in_two_queries_and_leaves_out_a_row_deleted_between_them(notes):
    user, rows = notes
    walker = paginator(user, two_queries=True)
    with CaptureQueriesContext(connection) as captured:
        first = walker.page(None)
    assert [n.pk for n in first] == expected(rows)[:3]
    assert len(captured) == 2
    assert all(n.get_deferred_fields() >= {"body"} for n in first), "the rows are read as rows= says"

    vanishing = expected(rows)[4]  # on the second page

    class DeletedBetween:
        """The rows of a page, read after another request deleted one of its keys."""

        def __init__(self, rows):
            self.rows = rows

        def in_bulk(self, pks):
            assert vanishing in pks
            Notification.objects.filter(pk=vanishing).delete()
            return self.rows.in_bulk(pks)

    walker.rows = DeletedBetween(walker.rows)
    second = walker.page(first.next_cursor)
    assert [n.pk for n in second] == [pk for pk in expected(rows)[3:6] if pk != vanishing]
    walker.rows = walker.rows.rows
    assert second.has_next, "the page's last key is known: the next page follows it"
    assert [n.pk for n in walker.page(second.next_cursor)] == expected(rows)[6:]
    assert [n.pk for n in walker.page(second.previous_cursor)] == [n.pk for n in first]


@both_ways
def test_a_ranked_list_counts_its_rows_with_its_first_page(notes, two_queries):
    user, rows = notes
    ranked = ExpressionWrapper(Q(title="甲"), output_field=BooleanField()).desc()
    walker = KeysetPaginator(
        Notification.objects.filter(recipient=user),
        [ranked, "-pk"],
        3,
        rows=Notification.objects.all() if two_queries else None,
        ranks_every_row=True,
    )
    with CaptureQueriesContext(connection) as captured:
        first = walker.page(None)
        assert (walker.count, walker.count_is_estimate) == (len(rows), False)
    reads = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("EXPLAIN")]
    assert len(reads) == (2 if two_queries else 1), "no count query of its own"
    assert "OVER ()" in reads[0]
    assert [n.pk for n in first] == [n.pk for n in sorted(rows, key=lambda n: (n.title != "甲", -n.pk))][:3]
    Notification.objects.filter(pk=first[0].pk).delete()
    second = walker.page(first.next_cursor)
    assert walker.count == len(rows), "counted once, with the first page"
    assert len(second) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_a_ranked_list_estimated_above_the_limit_is_not_counted(notes, monkeypatch):
    """Shown as 「约 N 条」 anyway: a window over every row would only keep PostgreSQL from
    sorting just the page's rows."""
    user, _rows = notes
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 0)
    ranked = ExpressionWrapper(Q(title="甲"), output_field=BooleanField()).desc()
    walker = KeysetPaginator(Notification.objects.filter(recipient=user), [ranked, "-pk"], 3, ranks_every_row=True)
    with CaptureQueriesContext(connection) as captured:
        walker.page(None)
    assert walker.count_is_estimate
    assert not any("OVER ()" in q["sql"] or "COUNT(" in q["sql"] for q in captured.captured_queries)


def test_a_count_below_the_limit_is_exact(notes):
    user, rows = notes
    walker = paginator(user)
    walker.page(None)
    assert (walker.count, walker.count_is_estimate) == (len(rows), False)


def test_a_cursor_after_an_offset_reaches_the_page_the_next_links_reach(notes):
    user, rows = notes
    walker = paginator(user)
    pages = forward(walker)
    assert [n.pk for n in walker.page(walker.cursor_after(6))] == pages[2]
    assert walker.cursor_after(len(rows) + 1) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the count's timeout is PostgreSQL's")
def test_a_count_that_runs_too_long_is_not_shown_and_the_next_queries_run_as_usual(notes, monkeypatch):
    # Each counted row sleeps 5 ms: eight rows pass any 1 ms timeout, as a rare filter over a
    # million rows passes the real one.
    user, rows = notes
    slow = Notification.objects.filter(recipient=user).extra(where=["pg_sleep(0.005) IS NOT NULL"])
    monkeypatch.setattr(pagination, "COUNT_TIMEOUT_MS", 1)
    counted = KeysetPaginator(slow, ORDER, 3)
    assert counted.count is None
    assert counted.count_is_estimate is False
    # The page itself still reads, and the timeout ended with the count.
    assert [n.pk for n in counted.page(None)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.01), current_setting('statement_timeout')")
        assert cursor.fetchone()[1] != "1ms"
    monkeypatch.setattr(pagination, "COUNT_TIMEOUT_MS", 10_000)
    assert KeysetPaginator(slow, ORDER, 3).count == len(rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the count's timeout is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_count_outside_a_transaction_leaves_the_timeout_as_it_was():
    """In autocommit (a request) the count runs in a transaction of its own and its timeout ends
    with it; the connection's next statements run under the usual limit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        before = cursor.fetchone()[0]
    assert not connection.in_atomic_block
    assert pagination._count_within(Notification.objects.all(), 1234) == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone()[0] == before != "1234ms"


def test_the_pagination_says_nothing_of_a_total_it_did_not_count(notes, monkeypatch):
    monkeypatch.setattr(KeysetPaginator, "count", property(lambda self: None))
    page = paginator(notes[0]).page(None)
    with translation.override("zh-hans"):
        html = render_to_string(
            "includes/_keyset_pagination.html", {"page_obj": page}, request=RequestFactory().get("/")
        )
    assert "下一页" in html
    assert "条" not in html
