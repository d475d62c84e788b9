"""Collect the site's URLs (links followed from the start page, and every URL pattern filled with the
world's objects) and read any response as text (HTML, .docx, .xlsx, .csv, anything else)."""

import io
import re
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from openpyxl import load_workbook

from clues.models import (
    CaseRecord,
    Clue,
    ClueImportBatch,
    ClueTransfer,
    InfoRequestLetter,
    LetterReply,
    OnlineOpinionItem,
)
from core.models import Delivery, Job, Notification, Reminder, StoredFile
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound
from liaison.models import FeedbackProblem, HandoverRecord, RectificationItem, RectificationReport
from talentpool.models import CollaborationZone, Draw, RecusalDeclaration, SecondmentRequest, TalentPoolEntry

# The model behind `<int:pk>` for each route prefix (the route up to its pk). A new route with a pk
# fails the sweep until it is named here, so no page escapes it.
PK_MODELS: dict[str, type[Model]] = {
    "rounds/": InspectionRound,
    "inbox/": Notification,  # opening one marks it read and follows its link: only the recipient's own
    "pools/": TalentPoolEntry,
    "secondments/": SecondmentRequest,
    "secondments/draws/": Draw,
    "recusals/": RecusalDeclaration,
    "cross-staffing/zones/": CollaborationZone,
    "liaison/units/": InspectedUnit,
    "liaison/handovers/": HandoverRecord,
    "rectification/items/": RectificationItem,
    "rectification/reports/": RectificationReport,
    "letters/": InfoRequestLetter,
    "imports/": ClueImportBatch,
    "replies/": LetterReply,
    "opinion/": OnlineOpinionItem,
    "clues/": Clue,
    "transfers/": ClueTransfer,
    "cases/": CaseRecord,
    "status/stuck/reminders/": Reminder,
    "status/stuck/deliveries/": Delivery,
    "jobs/": Job,
}
# Other arguments, by name.
ARG_MODELS: dict[str, type[Model]] = {
    "round_pk": InspectionRound,
    "unit_pk": InspectedUnit,
    "group_pk": InspectionGroup,
    "problem_pk": FeedbackProblem,
    "file_id": StoredFile,
}
# String arguments name an action; GET on them must show nothing either.
ARG_WORDS: dict[str, list[str]] = {
    "what": ["unit", "member"],
    "move": ["vet"],
    "action": ["deliver", "requeue"],
    "step": ["sign-off"],
    "to": ["archived"],
    "page": ["handovers", "feedback", "ledger"],
    "kind": [
        "info_request_letter",
        "summary",
    ],  # document template kinds (core.documents.register_kind)  # the liaison officer's portal (liaison MY_UNIT_PAGES)
}
# Objects per model tried for each pattern (every clue: they are what the sweep is about).
PER_PATTERN = 3
# Pages never requested: logging out would end the crawl's session.
SKIPPED_NAMES = {"logout", "admin:logout"}
LINK = re.compile(r"""(?:href|hx-get|src)\s*=\s*["']([^"'#][^"']*)["']""")
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Page:
    url: str
    name: str  # the URL pattern's name, e.g. "clues:clue-detail"


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterable[tuple[str, URLPattern, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), entry, f"{namespace}{entry.name or ''}"


def pattern_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return ""
    return match.view_name


def site_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern of the site outside the admin."""
    return [(route, name) for route, _p, name in _walk(get_resolver()) if not route.startswith("admin/")]


_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill(route: str) -> list[str]:
    """URLs for one route with its arguments taken from the world's objects; [] if it has none to give.

    Raises LookupError for an argument the tables above do not know: name it there.
    """
    choices: list[list[tuple[str, str]]] = []
    for match in _ARG.finditer(route):
        converter, arg = match.group(1) or "str", match.group(2)
        if arg == "pk":
            key = route[: match.start()]
            model = PK_MODELS.get(key)
            if model is None:
                raise LookupError(f"{route}: name the model of <pk> for {key!r} in PK_MODELS")
            limit = None if model is Clue else PER_PATTERN
            values = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:limit]]
        elif arg in ARG_MODELS:
            values = [str(pk) for pk in ARG_MODELS[arg].objects.order_by("pk").values_list("pk", flat=True)]
            values = values if arg == "file_id" else values[:PER_PATTERN]
        elif converter in ("str", "slug") and arg in ARG_WORDS:
            values = ARG_WORDS[arg]
        else:
            raise LookupError(f"{route}: say how to fill <{arg}> in ARG_MODELS or ARG_WORDS")
        choices.append([(match.group(0), v) for v in values])
    urls = ["/" + route]
    for options in choices:
        urls = [url.replace(token, value, 1) for url in urls for token, value in options]
    return [url for url in urls if "<" not in url]


def links(base: str, html: str) -> Iterable[str]:
    for raw in LINK.findall(html):
        url = urldefrag(urljoin(base, unescape(raw)))[0]
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and not parts.path.startswith("/static/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, start: str, *, cap: int, within: Callable[[str], bool] = lambda path: True) -> list[Page]:
    """Follow links (GET only) from start, at most `cap` URLs per URL pattern."""
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    queue = deque([start])
    pages = []
    while queue:
        url = queue.popleft()
        name = pattern_name(url)
        if url in seen or not name or name in SKIPPED_NAMES or not within(url) or per_pattern[name] >= cap:
            continue
        seen.add(url)
        per_pattern[name] += 1
        pages.append(Page(url, name))
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            queue.extend(links(url, response.content.decode()))
    return pages


def body(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(response: HttpResponse) -> str:
    """Everything a reader can get out of a response, as text."""
    data = body(response)
    if data[:4] == b"PK\x03\x04":
        return _ooxml_text(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _ooxml_text(data: bytes) -> str:
    """.docx/.xlsx: every XML part with its tags stripped (body, headers, footers, comments, docProps),
    and for a workbook every cell of every sheet as openpyxl reads it."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                parts.append(unescape(TAG.sub(" ", archive.read(name).decode("utf-8", "replace"))))
        is_workbook = "xl/workbook.xml" in archive.namelist()
    if is_workbook:
        workbook = load_workbook(io.BytesIO(data))
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            parts.extend(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
            parts.extend(str(x) for x in (sheet.oddHeader.center.text, sheet.oddFooter.center.text) if x)
        props = workbook.properties
        parts.extend(str(v) for v in vars(props).values() if v)
    return "\n".join(parts)
