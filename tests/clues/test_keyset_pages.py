"""The registry pages by cursor (core.pagination): next/previous links that keep the filters, never
skip or repeat a clue while clues are registered meanwhile, survive a tampered cursor or an old
?page= link, run as many queries at any depth, and never let a cursor reach past the permission filter."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from clues.models import Clue
from clues.views import registry as registry_views
from core import pagination
from tests.clues.lifecycle import handed, register
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db

PER_PAGE = 3
URL = reverse("clues:clue-list")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(registry_views, "PAGE_SIZE", PER_PAGE)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]*)"\s*rel="{rel}"', body)
    return html.unescape(found.group(1)) if found else None


def open_page(client: Client, url: str, params: dict | None = None) -> tuple[list[str], str]:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return [clue.code for clue in response.context["page_obj"]], response.content.decode()


def walk(client: Client, url: str) -> list[list[str]]:
    """Every page from url on, following the next links as a user would."""
    pages = []
    next_url: str | None = url
    while next_url:
        codes, body = open_page(client, next_url if next_url.startswith("/") else URL + next_url)
        pages.append(codes)
        next_url = link(body, "next")
    return pages


def rows(pages: list[list[str]]) -> list[str]:
    return [code for page in pages for code in page]


def newest_first(clues) -> list[str]:
    """Newest registered first: by id (clues.selectors.registry.REGISTRY_PAGE_ORDER)."""
    return [c.code for c in sorted(clues, key=lambda c: c.pk, reverse=True)]


def test_the_pages_list_every_clue_once_newest_first_and_previous_goes_back(world):
    clues = [register(world) for _ in range(8)]
    client = client_of(world.users["office_head"])

    pages = walk(client, URL)

    assert [len(p) for p in pages] == [3, 3, 2]
    assert rows(pages) == newest_first(clues)
    first, body = open_page(client, URL)
    second, body = open_page(client, URL + link(body, "next"))
    back, _body = open_page(client, URL + link(body, "prev"))
    assert back == first == pages[0]
    assert second == pages[1]


def test_clues_registered_between_two_pages_are_neither_skipped_nor_repeated(world):
    clues = [register(world) for _ in range(7)]
    client = client_of(world.users["office_head"])
    first, body = open_page(client, URL)

    newer = register(world)  # lands before the cursor: not on the pages after it
    # Registered in one transaction with the cursor's clue (as an import's rows are): the same
    # created_at does not tie them in the order.
    same_time = register(world)
    Clue.objects.filter(pk=same_time.pk).update(created_at=Clue.objects.get(code=first[-1]).created_at)
    backdated = register(world)  # its created_at moved back a day: still the newest by id
    Clue.objects.filter(pk=backdated.pk).update(created_at=min(c.created_at for c in clues) - timedelta(days=1))

    rest = rows(walk(client, URL + link(body, "next")))

    assert len(rest) == len(set(rest))
    assert not set(rest) & set(first)
    assert not {newer.code, same_time.code, backdated.code} & set(rest)
    assert rest == [code for code in newest_first(clues) if code not in first]
    assert rows(walk(client, URL)) == newest_first([*clues, newer, same_time, backdated])


def test_the_links_keep_the_filters(world):
    mine = [register(world) for _ in range(4)]
    register(world, world.unit_b)
    client = client_of(world.users["office_head"])
    _codes, body = open_page(client, URL, {"unit": world.unit_a.pk, "page": "7"})

    next_link = link(body, "next")

    assert f"unit={world.unit_a.pk}" in next_link
    assert "page=" not in next_link
    assert rows(walk(client, URL + next_link)) == newest_first(mine)[PER_PAGE:]


@pytest.mark.parametrize("cursor", ["garbage", "", "a" * 400])
def test_a_tampered_cursor_or_a_stale_page_number_gives_the_first_page(world, cursor):
    clues = [register(world) for _ in range(4)]
    client = client_of(world.users["office_head"])
    _codes, body = open_page(client, URL)
    good = link(body, "next").split("cursor=")[1]
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")

    for params in ({"cursor": cursor}, {"cursor": forged}, {"page": "300"}, {"page": "x"}):
        codes, _body = open_page(client, URL, params)
        assert codes == newest_first(clues)[:PER_PAGE], params


def test_a_page_runs_as_many_queries_deep_in_a_long_registry(world, monkeypatch):
    # No exact count on PostgreSQL: its estimate (SQLite still counts).
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 0)
    client = client_of(world.users["office_head"])

    def second_page_queries() -> int:
        _codes, body = open_page(client, URL)
        return page_queries(client, URL + link(body, "next"))

    for _ in range(7):
        register(world)
    few = second_page_queries()
    for _ in range(12):
        register(world)
    assert second_page_queries() == few


def test_the_count_is_exact_below_the_limit_and_shown_as_an_estimate_above(world, monkeypatch, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    for _ in range(7):
        register(world)
    client = client_of(world.users["office_head"])
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "zh-hans"})

    response = client.get(URL)
    assert response.context["page_obj"].paginator.count == 7
    assert "共 7 条记录" in response.content.decode()

    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 0)
    response = client.get(URL)
    paginator = response.context["page_obj"].paginator
    if paginator.count_is_estimate:  # PostgreSQL: the planner's estimate
        assert paginator.count > 0
        assert f"约 {paginator.count} 条" in response.content.decode()
    else:  # SQLite counts
        assert paginator.count == 7


def test_a_cursor_never_reaches_past_the_permission_filter(world):
    theirs = [handed(world, world.unit_b) for _ in range(4)]
    mine = [handed(world) for _ in range(4)]
    theirs += [handed(world, world.unit_b) for _ in range(4)]
    member = client_of(world.users["member_a"])

    assert rows(walk(member, URL)) == newest_first(mine)
    # A cursor taken from the office head's pages (which hold group B's clues) shows the member
    # only group A's clues past that point.
    _codes, body = open_page(client_of(world.users["office_head"]), URL)
    head_next = link(body, "next")
    seen = rows(walk(member, URL + head_next))
    assert not set(seen) & {c.code for c in theirs}
    assert set(seen) <= {c.code for c in mine}
