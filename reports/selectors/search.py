"""One search box over what every app registers with core.search: rounds, units, people, letters,
clues and rectification items, each source reading its model's for_user()."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from core.search import CAP, Hit, search_sources

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    hits: list[Hit]

    @property
    def capped(self) -> bool:
        return len(self.hits) >= CAP


def clean_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(user: Any, q: str, request: HttpRequest | None = None) -> list[Section]:
    """Every source's hits for q that user may open, sources without hits left out."""
    q = clean_query(q)
    if not q or not user.is_authenticated:
        return []
    sections = []
    for source in search_sources():
        hits = source.find(user, q, request)
        if hits:
            sections.append(Section(source.kind, str(source.label), hits))
    return sections
