"""A partner's reply files sealed at rest, and its workbook downloaded only as a sealed,
watermarked copy (issue 11, core/files.py)."""

import hashlib
import importlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clues.importing.spec import BY_KEY
from clues.models import ClueImportBatch
from clues.services import importing, replies
from core.files import open_stored, private_storage, store_upload
from core.models import AuditLog, StoredFile
from tests.clues.workbooks import HEADER, data_row, standard_rows, write_xlsx
from tests.conftest import make_user
from tests.core.test_files import ole_bytes

PDF = b"%PDF-1.4\n% MKRATTACH\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
REPORTER = "MKRREPORTER举报人甲"
NAMED = "MKRNAMED张三"
# Whole markers, never the prefix: a sealed file is random-looking bytes, and a large one holds
# "MKR" by chance now and then (a test that failed once in a PostgreSQL run); nine bytes do not.
MARKERS = ("MKRATTACH", "MKRREPORTER", "MKRNAMED")


def shows_a_marker(content: bytes | str) -> bool:
    text = content.decode("latin-1") if isinstance(content, bytes) else content
    return any(marker in text for marker in MARKERS)


KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
REPORTER_COLUMN = HEADER.index(BY_KEY["reporter_name"].label) + 1


def csv_workbook() -> bytes:
    """A partner workbook in clear text (CSV), so that a marker in clear shows in the raw bytes."""
    rows = standard_rows(data_row(reported_name=NAMED, reporter_name=REPORTER, inspected_unit="被巡察单位A"))
    lines = [",".join("" if value is None else str(value) for value in row) for row in rows]
    return "\n".join(lines).encode("utf-8")


def on_disk(stored: StoredFile) -> bytes:
    return Path(private_storage().path(stored.storage_name)).read_bytes()


def upload_reply(world: Any, letter: Any) -> ClueImportBatch:
    partner = world.users["partner_x"]
    batch = replies.upload_workbook(letter=letter, by=partner, upload=io.BytesIO(csv_workbook()), name="线索.csv")
    replies.attach_file(letter=letter, by=partner, upload=io.BytesIO(PDF), name="回函.pdf", cover_letter=True)
    return ClueImportBatch.objects.select_related("file", "reply__cover_letter").get(pk=batch.pk)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_file_of_a_reply_is_sealed_on_disk(world, sent):
    batch = upload_reply(world, sent["x"])
    cover = batch.reply.cover_letter
    for stored in (batch.file, cover):
        raw = on_disk(stored)
        assert stored.sealed
        assert not shows_a_marker(raw)
        clear = open_stored(stored).read()
        # Size and digest are those of the clear content: integrity checks and dedupe still hold.
        assert (len(clear), hashlib.sha256(clear).hexdigest()) == (stored.size, stored.sha256)
    assert REPORTER.encode() in open_stored(batch.file).read()
    assert open_stored(cover).read() == PDF
    # The workbook was parsed from its clear content once, when staged.
    assert batch.status == ClueImportBatch.Status.STAGED
    assert batch.rows.filter(kind="data").count() == 1


@pytest.mark.parametrize("role", ["clue_custodian", "office_head", "partner_x"])
def test_a_reply_workbook_downloads_as_a_sealed_watermarked_copy(world, sent, role):
    batch = upload_reply(world, sent["x"])
    reader = world.users[role]

    response = client_for(reader).get(reverse("core:file-download", args=[batch.file.pk]))

    assert response.status_code == 200
    assert "%EF%BC%88%E5%B7%B2%E5%AF%86%E5%B0%81%EF%BC%89.xlsx" in response["Content-Disposition"]  # （已密封）.xlsx
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert not any(REPORTER in cell for cell in cells)
    assert NAMED in cells  # the rest of the partner's content is there
    copy = book.worksheets[1]
    header = next(row for row in copy.iter_rows(values_only=True) if NAMED not in row and "序号" in row)
    data = next(row for row in copy.iter_rows(values_only=True) if NAMED in row)
    assert header[REPORTER_COLUMN - 1] == BY_KEY["reporter_name"].label  # the header is kept
    assert data[REPORTER_COLUMN - 1] == "（已密封）"
    notice = book.worksheets[0]
    assert reader.get_username() in notice["A1"].value  # the reader's watermark, seen and in the properties
    assert reader.get_username() in book.properties.creator
    assert AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD, user=reader, object_id=str(batch.file.pk)).exists()


def test_the_sealed_copy_keeps_the_form_s_lines_above_the_header(world, sent, tmp_path):
    # The template's metadata row has 文号: in the reporter column's letter (O2), above the header.
    title, metadata, *table = standard_rows(data_row(reporter_name=REPORTER, inspected_unit="被巡察单位A"))
    metadata = [*metadata, *[None] * (REPORTER_COLUMN - 1 - len(metadata)), "文号:", "示巡办函〔2017〕1号"]
    path = write_xlsx(tmp_path / "线索.xlsx", [title, metadata, *table])
    batch = replies.upload_workbook(
        letter=sent["x"], by=world.users["partner_x"], upload=io.BytesIO(path.read_bytes()), name="线索.xlsx"
    )

    response = client_for(world.users["clue_custodian"]).get(reverse("core:file-download", args=[batch.file.pk]))

    copy = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    column = [row[REPORTER_COLUMN - 1] for row in copy.iter_rows(values_only=True)]
    assert column == [None, "文号:", BY_KEY["reporter_name"].label, "（已密封）"]


def test_an_attachment_of_a_reply_downloads_decrypted_as_uploaded(world, sent):
    cover = upload_reply(world, sent["x"]).reply.cover_letter
    response = client_for(world.users["clue_custodian"]).get(reverse("core:file-download", args=[cover.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_a_wrong_key_answers_a_plain_message_not_a_500(world, sent, settings):
    batch = upload_reply(world, sent["x"])
    settings.SEAL_KEYS = [KEY_B]
    client = client_for(world.users["clue_custodian"])
    for stored in (batch.file, batch.reply.cover_letter):
        response = client.get(reverse("core:file-download", args=[stored.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 503
        assert "密封" in response.content.decode()
        assert not shows_a_marker(response.content.decode())
    assert not AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD).exists()


def test_rotation_re_seals_the_files_under_the_new_key(world, sent, settings):
    settings.SEAL_KEYS = [KEY_A]
    batch = upload_reply(world, sent["x"])
    files = [batch.file, batch.reply.cover_letter]
    before = [on_disk(stored) for stored in files]
    settings.SEAL_KEYS = [KEY_B, KEY_A]
    call_command("rotate_seal_key", "--batch-size", "1")
    after = [on_disk(stored) for stored in files]
    assert all(new != old for new, old in zip(after, before, strict=True))
    call_command("rotate_seal_key")  # idempotent: nothing left to re-seal
    assert [on_disk(stored) for stored in files] == after
    settings.SEAL_KEYS = [KEY_B]
    assert open_stored(batch.reply.cover_letter).read() == PDF


def test_the_migration_seals_reply_files_stored_in_clear(world, sent):
    reply = upload_reply(world, sent["x"]).reply
    clear = store_upload(
        upload=io.BytesIO(csv_workbook()), name="旧.csv", uploaded_by=world.users["partner_x"],
        allowed_kinds={"csv"}, owner=reply,
    )  # fmt: skip
    other = store_upload(
        upload=io.BytesIO(PDF), name="其他.pdf", uploaded_by=world.users["office_staff"], allowed_kinds={"pdf"}
    )
    assert REPORTER.encode() in on_disk(clear)
    migration = importlib.import_module("clues.migrations.0008_seal_reply_files")

    migration.seal_reply_files(apps, None)
    migration.seal_reply_files(apps, None)  # run again after an interruption: no double seal

    clear.refresh_from_db()
    assert clear.sealed
    assert not shows_a_marker(on_disk(clear))
    assert REPORTER.encode() in open_stored(clear).read()
    other.refresh_from_db()
    assert not other.sealed  # only a partner's reply is sealed
    assert on_disk(other) == PDF


def test_the_round_admin_lists_no_stored_file(world, sent):
    batch = upload_reply(world, sent["x"])
    client = client_for(make_user("sysadmin", "system_admin", is_staff=True))
    for url in (
        reverse("admin:inspection_inspectionround_add"),
        reverse("admin:inspection_inspectionround_change", args=[world.round.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert batch.file.original_name not in response.content.decode()
        assert "回函.pdf" not in response.content.decode()


def test_the_marked_workbook_with_a_wrong_key_answers_a_plain_message(world, sent, settings):
    batch = upload_reply(world, sent["x"])
    settings.SEAL_KEYS = [KEY_B]
    response = client_for(world.users["partner_x"]).get(reverse("clues:batch-errors", args=[batch.pk]))
    assert response.status_code == 503


def test_an_unreadable_workbook_is_not_served_at_all(world, sent):
    # Sniffed as .xls (an OLE container with a Workbook stream) but unreadable: the parser rejects
    # it, no sealed copy can be made, and the original is not served instead.
    broken = ole_bytes("Workbook", text=REPORTER)
    batch = replies.upload_workbook(
        letter=sent["x"], by=world.users["partner_x"], upload=io.BytesIO(broken), name="坏.xls"
    )
    assert batch.status == ClueImportBatch.Status.REJECTED
    response = client_for(world.users["clue_custodian"]).get(reverse("core:file-download", args=[batch.file.pk]))
    assert response.status_code == 422
    assert not shows_a_marker(response.content.decode())


def test_a_csv_reply_s_error_workbook_marks_the_row_its_staging_found(world, sent):
    """The staged rows name the CSV's sheet as the error workbook rebuilt from the sealed file
    does: it was named after the random temporary copy, so the marks found no sheet."""
    partner = world.users["partner_x"]
    rows = standard_rows(data_row(received_date="2017-02-30", reporter_name=REPORTER, inspected_unit="被巡察单位A"))
    text = "\n".join(",".join("" if value is None else str(value) for value in row) for row in rows)
    batch = replies.upload_workbook(letter=sent["x"], by=partner, upload=io.BytesIO(text.encode()), name="线索.csv")
    assert batch.file.sealed
    assert batch.status == ClueImportBatch.Status.INVALID
    workbook = openpyxl.load_workbook(io.BytesIO(importing.error_workbook(batch, watermark="审核")))
    sheet = workbook[workbook.sheetnames[1]]
    date_column = HEADER.index(BY_KEY["received_date"].label) + 1
    assert "2017-02-30" in sheet.cell(row=4, column=date_column).comment.text
    assert sheet.cell(row=4, column=REPORTER_COLUMN).value != REPORTER
