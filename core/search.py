"""The search box's sources: each app registers how to find its rows from its AppConfig.ready,
so the search page (reports) reads every app without importing them.

A source starts from Model.objects.for_user(user), the one permission entry point, and links
only to a page the user may open: a hit never names a row its page would answer 404 for.
Matching is a case-insensitive substring (icontains), which finds Chinese text without word
breaks on SQLite and PostgreSQL alike.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise

from core.models import User

# Hits shown per source; a longer query narrows it down.
CAP = 10


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    subtitle: str
    url: str


# (user, query, request or None) -> at most CAP hits; the request is there for access logging.
Find = Callable[[User, str, HttpRequest | None], list[Hit]]


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str | Promise
    find: Find
    order: int


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(kind: str, label: str | Promise, find: Find, *, order: int) -> None:
    """Search `find` under `kind`; its section is shown in `order` (lower first)."""
    _SOURCES[kind] = SearchSource(kind, label, find, order)


def search_sources() -> list[SearchSource]:
    return sorted(_SOURCES.values(), key=lambda source: source.order)
