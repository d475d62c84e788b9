"""The reporter's identity is sealed at rest and opened only by a logged reveal (issue 11, item 1).

Stored values are read with raw SQL: what a database dump or a backup would hold.
"""

import importlib
import json

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from clues.models import Clue, ClueImportRow
from clues.services import replies
from core.models import AuditLog
from core.sealing import SEALED_MARK, Sealed
from tests.clues.lifecycle import handed, proposed, register, transfer
from tests.clues.test_import_values import (
    EXTRA_HEADERS,
    _rows,
    batch,  # noqa: F401 - a fixture
)
from tests.clues.test_replies import HEADERS, cover_letter, workbook
from tests.conftest import assert_matrix, role_keys

pytestmark = pytest.mark.django_db

REPORTER, CONTACT = "举报人甲", "13800000000"
HEADERS_ALL = HEADERS + EXTRA_HEADERS


def _columns(table: str, columns: list[str]) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} ORDER BY {quote('id')}")  # noqa: S608
        return [tuple(row) for row in cursor.fetchall()]


def _dump(table: str) -> str:
    """Every column of every row of table, as text: what a dump of it holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return json.dumps([list(map(str, row)) for row in cursor.fetchall()], ensure_ascii=False)


def test_the_clue_s_reporter_columns_hold_no_clear_text(world):
    clue = register(world)
    ((name, contact),) = _columns(Clue._meta.db_table, ["reporter_name", "reporter_contact"])
    assert REPORTER not in name
    assert CONTACT not in contact
    assert (Sealed(name).open(), Sealed(contact).open()) == (REPORTER, CONTACT)
    assert REPORTER not in _dump(Clue._meta.db_table)
    # Read back, it prints as the seal mark: a page that forgets the rule leaks nothing.
    stored = Clue.objects.get(pk=clue.pk)
    assert str(stored.reporter_name) == SEALED_MARK
    assert stored.reporter_name.open() == REPORTER


def test_the_audit_trail_never_holds_the_reporter(world):
    register(world)
    trail = json.dumps(list(AuditLog.objects.values_list("changes", "note", "object_repr")), ensure_ascii=False)
    assert REPORTER not in trail
    assert CONTACT not in trail
    created = AuditLog.objects.get(action=AuditLog.Action.CREATE, content_type__model="clue")
    assert created.changes["reporter_name"] == [None, "[hidden]"]


def test_an_imported_reporter_is_sealed_in_the_staged_row_and_the_clue(world, sent, batch):  # noqa: F811
    # Staged: raw shows the seal mark where the partner wrote the reporter; values hold none.
    dump = _dump(ClueImportRow._meta.db_table)
    assert "李明" not in dump
    assert "匿名" not in dump
    anonymous, named, _none = batch.rows.filter(kind=ClueImportRow.Kind.DATA).order_by("row_number")
    assert named.raw["反映人"] == SEALED_MARK
    assert "reporter_name" not in named.values
    assert named.reporter.open() == "李明"
    cover_letter(sent["x"], world.users["partner_x"])
    reply = replies.submit_reply(letter=sent["x"], by=world.users["partner_x"])
    replies.accept_reply(reply=reply, by=world.users["office_staff"])
    assert "李明" not in _dump(Clue._meta.db_table)
    clue = Clue.objects.get(source_import_row=named)
    assert clue.reporter_name.open() == "李明"
    assert Clue.objects.get(source_import_row=anonymous).is_anonymous
    # The clue page's "row as the partner wrote it" shows the mark, to everyone who opens it.
    client = Client()
    client.force_login(world.users["clue_custodian"])
    page = client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()
    assert SEALED_MARK in page
    assert "李明" not in page


def test_the_migration_seals_what_was_stored_in_clear(world, batch):  # noqa: F811
    clue = register(world)
    row = batch.rows.filter(kind=ClueImportRow.Kind.DATA).order_by("row_number")[1]
    # As the rows stood before the seal: reporter in clear in the clue, raw and values.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Clue._meta.db_table)} SET reporter_name = %s, reporter_contact = %s WHERE id = %s",  # noqa: S608
            [REPORTER, CONTACT, clue.pk],
        )
    raw = {**row.raw, "反映人": "李明"}
    values = {**row.values, "reporter_name": "李明"}
    ClueImportRow.objects.filter(pk=row.pk).update(raw=raw, values=values, reporter=Sealed(""))
    migration = importlib.import_module("clues.migrations.0006_seal_reporter_identity")
    migration.seal_stored_reporters(apps, None)
    assert REPORTER not in _dump(Clue._meta.db_table)
    assert "李明" not in _dump(ClueImportRow._meta.db_table)
    clue = Clue.objects.get(pk=clue.pk)
    assert (clue.reporter_name.open(), clue.reporter_contact.open()) == (REPORTER, CONTACT)
    row = ClueImportRow.objects.get(pk=row.pk)
    assert (row.raw["反映人"], row.reporter.open()) == (SEALED_MARK, "李明")
    assert "reporter_name" not in row.values


def test_the_clue_s_group_leader_and_the_custodian_reveal_before_any_transfer(world):
    clue = handed(world)
    url = reverse("clues:clue-reveal", args=[clue.pk])
    assert_matrix(world, url, role_keys("clue_custodian", "leader_a"), method="post")


def test_a_receiver_reveals_only_when_its_transfer_included_the_reporter(world):
    included, left_out = proposed(world), proposed(world)
    transfer(world, [included], include_reporter=True)
    transfer(world, [left_out])
    readers = ("clue_custodian", "leader_a")
    assert_matrix(
        world,
        reverse("clues:clue-reveal", args=[included.pk]),
        role_keys(*readers, "commission_receiver"),
        method="post",
    )
    assert_matrix(world, reverse("clues:clue-reveal", args=[left_out.pk]), role_keys(*readers), method="post")


def test_a_receiver_s_reveal_shows_the_reporter_and_is_logged(world):
    clue = proposed(world)
    transfer(world, [clue], include_reporter=True)
    client = Client()
    client.force_login(world.users["commission_receiver"])
    page = client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="reveal"' in page  # the reveal fragment, not "Sealed."
    assert REPORTER not in page
    url = reverse("clues:clue-reveal", args=[clue.pk])
    shown = client.post(url, {"reason": "初核需联系反映人"}, headers={"HX-Request": "true"}).content.decode()
    assert REPORTER in shown
    assert CONTACT in shown
    entry = AuditLog.objects.get(action=AuditLog.Action.REVEAL)
    assert (entry.user, entry.note) == (world.users["commission_receiver"], "初核需联系反映人")


def test_a_receiver_without_the_reporter_sees_the_clue_sealed(world):
    clue = proposed(world)
    transfer(world, [clue])
    client = Client()
    client.force_login(world.users["commission_receiver"])
    page = client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="reveal"' not in page
    assert REPORTER not in page


def test_a_reveal_under_a_wrong_key_says_so_logs_an_error_and_reveals_nothing(world, settings, caplog):
    clue = handed(world)
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    client = Client()
    client.force_login(world.users["leader_a"])
    url = reverse("clues:clue-reveal", args=[clue.pk])
    shown = client.post(url, {"reason": "核实举报内容需联系反映人"}, headers={"HX-Request": "true"})
    assert shown.status_code == 200
    assert "密钥" in shown.content.decode()
    assert any(r.levelname == "ERROR" and "does not open" in r.getMessage() for r in caplog.records)
    assert not AuditLog.objects.filter(action=AuditLog.Action.REVEAL).exists()


def test_a_problem_found_in_the_reporter_cell_does_not_quote_it(world, sent):
    row = _rows()[0]
    row[HEADERS_ALL.index("反映人")] = 110101199001011234  # an ID number stored as a number
    upload = workbook([row], headers=HEADERS_ALL)
    staged = replies.upload_workbook(letter=sent["x"], by=world.users["partner_x"], upload=upload, name="b.xlsx")
    dump = _dump(ClueImportRow._meta.db_table)
    assert "1101011990" not in dump
    (issue,) = [i for r in staged.rows.all() for i in r.issues if i["column"] == "reporter_name"]
    assert SEALED_MARK in issue["message"]
