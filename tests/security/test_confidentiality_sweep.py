"""Sealed means sealed (issue 11): every role of the demo requests every page and download the office
head and the custodian can reach, and no marker of a clue reaches a reader who may not see it.

The world (tests/security/sweep_world.py) plants a unique marker in every field of clues imported
from a partner's workbook and of clues registered by hand, hands them to group A (and group B),
transfers some with the reporter and some without, and recuses group A's member from unit A2.
The crawl (tests/security/sweep_crawl.py) follows links as the office head and the custodian,
adds every URL pattern of the site filled with the world's objects and a few searches for the
markers, and reads each response as text (HTML, .docx and .xlsx unzipped, .csv decoded).

Every violation is collected and reported together, one line per role × URL × marker.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, resolve, reverse

from core.models import AuditLog, StoredFile
from tests.security.sweep_crawl import SKIPPED_NAMES, Page, crawl, fill, pattern_name, site_patterns, text_of
from tests.security.sweep_world import (
    CLUES,
    REPLY_FILE_MARKERS,
    MarkedClue,
    SweepWorld,
    build,
    content_markers,
)

# ---------------------------------------------------------------- who may read what (docs/domain.md §5.2, issue 11)

# A clue's content (names, positions, matters, source refs, the partner's handling notes), per role.
# Roles not named read no clue content anywhere: office staff (counts only, rule 6), the leading
# group (dashboards are counts, §5.3), the other partner, the liaison officer (rule 2), the home-unit
# contact, the pool manager and the system administrator (rule 10, the whole admin included).
CONTENT_READERS: dict[str, Callable[[MarkedClue], bool]] = {
    "office_head": lambda clue: True,  # rule 5
    "clue_custodian": lambda clue: True,
    "group_leader": lambda clue: clue.unit in ("a1", "a2"),  # group A's clues (rule 3)
    "group_member": lambda clue: clue.unit == "a1",  # group A's, except unit A2: recused (rule 7)
    "other_leader": lambda clue: clue.unit == "b",
    "other_member": lambda clue: clue.unit == "b",
    "commission_receiver": lambda clue: clue.receiver == "commission",  # rule 4: transferred to it
    "orgdept_receiver": lambda clue: clue.receiver == "orgdept",
    # Partner X wrote its rows (rule 1): it reads them again only on its own letter, reply and batch
    # pages and in the files it uploaded (PARTNER_OWN_PAGES), never anywhere else.
    "partner_user": lambda clue: clue.imported,
}
PARTNER_OWN_PAGES = ("clues:letter-", "clues:batch-", "core:file-download")
# The names of the reply's files (the workbook, the cover letter) are the provenance of the clues
# imported from it: whoever may read one of those clues may read them, and nobody else.
# Who may reveal a clue's reporter (issue 11 §1); even they see it only in a response that the
# product logged as a reveal of that clue by them (the reveal fragment, a transfer letter printing
# it). The office head may not (CONTRIBUTING, issue 4).
REVEALERS: dict[str, Callable[[MarkedClue], bool]] = {
    "clue_custodian": lambda clue: True,
    "group_leader": lambda clue: clue.unit in ("a1", "a2"),
    "other_leader": lambda clue: clue.unit == "b",
    "commission_receiver": lambda clue: clue.receiver == "commission" and clue.reporter_in_transfer,
    "orgdept_receiver": lambda clue: clue.receiver == "orgdept" and clue.reporter_in_transfer,
}
ROLES = [
    "office_head", "office_staff", "clue_custodian", "leading_group", "group_leader", "group_member",
    "other_leader", "other_member", "partner_user", "other_partner", "liaison_officer",
    "commission_receiver", "orgdept_receiver", "home_unit_contact", "pool_manager", "sysadmin",
]  # fmt: skip
# Links followed per URL pattern while crawling.
CRAWL_CAP = 3


@pytest.fixture(scope="module")
def sweep(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[SweepWorld]:
    """The world, built once for the module and rolled back after its last test."""
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build(tmp_path_factory.mktemp("sweep"))
        transaction.set_rollback(True)


@pytest.fixture
def world(sweep: SweepWorld, db: Any) -> SweepWorld:
    return sweep


def client_for(world: SweepWorld, role: str) -> Client:
    # A page that fails with a 500 shows no marker: it is another issue's bug, not a leak.
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


# ---------------------------------------------------------------- what each marker is


class Marker:
    def __init__(self, text: str, clue: MarkedClue | None, kind: str) -> None:
        self.text, self.clue, self.kind = text, clue, kind

    def describe(self) -> str:
        if self.clue is None:
            return "name of a file of the partner's reply"
        return f"{self.kind} of clue {self.clue.key} (unit {self.clue.unit})"


def all_markers() -> list[Marker]:
    markers = [Marker(text, None, "reply file") for text in REPLY_FILE_MARKERS]
    for clue in CLUES:
        markers += [Marker(text, clue, "content") for text in content_markers(clue)]
        markers += [Marker(text, clue, "reporter") for text in clue.reporter_markers()]
    return markers


def own_upload(user: Any, page: Page) -> bool:
    """The page is a file this user uploaded: a partner may fetch its own workbook again."""
    if page.name != "core:file-download":
        return False
    return StoredFile.objects.filter(pk=resolve(page.url).kwargs["file_id"], uploaded_by=user).exists()


def allowed(marker: Marker, role: str, page: Page, revealed: set[int], world: SweepWorld) -> bool:
    reads = CONTENT_READERS.get(role, lambda clue: False)
    if marker.kind == "reporter":
        may_reveal = REVEALERS.get(role, lambda clue: False)(marker.clue)
        # The partner wrote the reporter cell itself; its own file is no new disclosure.
        authored = role == "partner_user" and own_upload(world.users[role], page)
        return (may_reveal and world.clues[marker.clue.key].pk in revealed) or authored
    if role == "partner_user" and not page.name.startswith(PARTNER_OWN_PAGES):
        return False
    if marker.kind == "reply file":
        return any(reads(clue) for clue in CLUES if clue.imported)
    return reads(marker.clue)


# ---------------------------------------------------------------- the URLs


def site_urls(world: SweepWorld) -> list[Page]:
    """Links followed as the office head and the custodian, every pattern filled, and searches."""
    pages: dict[str, Page] = {}
    for role in ("office_head", "clue_custodian"):
        for page in crawl(client_for(world, role), "/", cap=CRAWL_CAP, within=lambda p: not p.startswith("/admin")):
            pages.setdefault(page.url, page)
    for route, name in site_patterns():
        for url in [] if name in SKIPPED_NAMES else fill(route):
            pages.setdefault(url, Page(url, name))
    # Searches for a marker cut short: the page echoes the query, a hit shows the whole marker.
    for query in ("MKR", "MKRI1NAM", "MKRH2MATTE", "MKRREPI1NAM", "MKRREPH1NAM"):
        for path in ("/search/", "/clues/"):
            url = f"{path}?q={query}"
            pages.setdefault(url, Page(url, pattern_name(url)))
    return list(pages.values())


def admin_urls(world: SweepWorld) -> list[Page]:
    """The admin as the system administrator reaches it, and the audit entries of every clue object."""
    pages = {p.url: p for p in crawl(client_for(world, "sysadmin"), "/admin/", cap=CRAWL_CAP,
                                     within=lambda p: p.startswith("/admin") and "?" not in p)}  # fmt: skip
    # Every audit entry of a clue or a partner's batch: their snapshots are where content would sit.
    clue_types = ContentType.objects.filter(app_label="clues", model__in=["clue", "clueimportbatch"])
    for pk in AuditLog.objects.filter(content_type__in=clue_types).values_list("pk", flat=True):
        url = reverse("admin:core_auditlog_change", args=[pk])
        pages.setdefault(url, Page(url, "admin:core_auditlog_change"))
    for pk in StoredFile.objects.values_list("pk", flat=True):
        try:
            url = reverse("admin:core_storedfile_change", args=[pk])
        except NoReverseMatch:
            break
        pages.setdefault(url, Page(url, "admin:core_storedfile_change"))
    for query in ("MKR", "MKRRE"):
        for changelist in ("admin:core_auditlog_changelist", "admin:core_storedfile_changelist"):
            url = f"{reverse(changelist)}?q={query}"
            pages.setdefault(url, Page(url, changelist))
    return list(pages.values())


# ---------------------------------------------------------------- the sweep


def sweep_as(world: SweepWorld, role: str, pages: list[Page], markers: list[Marker], seen: dict) -> list[str]:
    """Request every page as one role; the violations found, and every marker seen recorded in `seen`."""
    client = client_for(world, role)
    user = world.users[role]
    violations = []
    for page in pages:
        last = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(page.url)
        text = text_of(response)
        found = [m for m in markers if m.text in text]
        if not found:
            continue
        revealed = {
            int(pk)
            for pk in AuditLog.objects.filter(pk__gt=last, user=user, action=AuditLog.Action.REVEAL).values_list(
                "object_id", flat=True
            )
        }
        for marker in found:
            seen[marker.text].add(role)
            if not allowed(marker, role, page, revealed, world):
                violations.append(
                    f"{role} GET {page.url} [{page.name}] {response.status_code}: {marker.text} ({marker.describe()})"
                )
    return violations


def test_no_marker_reaches_a_reader_who_may_not_see_it(world: SweepWorld) -> None:
    pages = site_urls(world)
    admin_pages = admin_urls(world)
    markers = all_markers()
    seen: dict[str, set[str]] = defaultdict(set)
    violations = []
    for role in ROLES:
        violations += sweep_as(world, role, pages + (admin_pages if role == "sysadmin" else []), markers, seen)

    # The sweep proves something only if the pages it requested do show the markers to those who may
    # read them: every content marker reached one of its readers.
    unseen = [
        m.text
        for m in markers
        if m.kind == "content" and not any(CONTENT_READERS[r](m.clue) for r in seen[m.text] if r in CONTENT_READERS)
    ]
    assert not unseen, f"markers no reader saw (is the crawl reaching the clue pages?): {unseen}"
    assert not violations, f"{len(violations)} markers reached readers who may not see them:\n" + "\n".join(
        sorted(violations)
    )


def test_a_reveal_shows_the_reporter_to_the_custodian_in_its_fragment_and_nowhere_else(world: SweepWorld) -> None:
    clue = world.clues["I1"]
    marked = next(c for c in CLUES if c.key == "I1")
    name, contact = marked.reporter_markers()
    custodian = client_for(world, "clue_custodian")
    fragment = custodian.post(reverse("clues:clue-reveal", args=[clue.pk]), {"reason": "核查反映人身份，需联系核实"})
    assert fragment.status_code == 200
    assert name in text_of(fragment)
    assert contact in text_of(fragment)

    after = [reverse("clues:clue-detail", args=[clue.pk]), reverse("clues:clue-list"), "/search/?q=MKRI1NAM"]
    wrong = []
    for role in ROLES:
        client = custodian if role == "clue_custodian" else client_for(world, role)
        for url in after:
            text = text_of(client.get(url))
            wrong += [f"{role} GET {url}: {marker}" for marker in (name, contact) if marker in text]
    assert not wrong, "the reporter showed again after the custodian's reveal:\n" + "\n".join(wrong)
