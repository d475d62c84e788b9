"""Private file storage (core/files.py) and the permission-checked download view."""

import hashlib
import io
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.files import DOCUMENT_KINDS, SPREADSHEET_KINDS, FileRejected, check_archive, sniff, store_upload, visible_to
from core.models import AuditLog, CalendarDay, StoredFile
from tests.conftest import assert_matrix, make_user, role_keys

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # The world fixture hashes ten passwords; the hasher is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def storage_dir(settings: Any, tmp_path: Path) -> Path:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture
def uploader(db: Any) -> Any:
    return make_user("uploader", "office_staff")


def stored_files(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位", "人数"])
    sheet.append(["区住建局", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def encrypted_ooxml_bytes() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE container with these streams."""
    return ole_bytes("EncryptionInfo", "EncryptedPackage", text="\x06DataSpaces")


def ole_bytes(*streams: str, text: str = "") -> bytes:
    """A valid compound file (version 3, 512-byte sectors): header, one FAT sector, one
    directory sector naming the streams (all empty), then a sector of free text."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (
        OLE_MAGIC
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)  # DIFAT[0]: the FAT lives in sector 0
        + struct.pack("<I", free) * 108
    )
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126
    names = ("Root Entry", *streams)
    entries = b""
    for index, name in enumerate(names):
        encoded = (name + "\0").encode("utf-16-le")
        sibling = index + 1 if 0 < index < len(names) - 1 else no_stream
        child = 1 if index == 0 and len(names) > 1 else no_stream
        entries += (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), 5 if index == 0 else 2, 1)
            + struct.pack("<III", no_stream, sibling, child)
            + b"\x00" * 36
            + struct.pack("<IQ", end, 0)
        )
    directory = entries.ljust(512, b"\x00")
    return header + fat + directory + text.encode("utf-16-le").ljust(512, b"\x00")


def upload(data: bytes, name: str, user: Any, kinds: Any = SPREADSHEET_KINDS, owner: Any = None) -> StoredFile:
    return store_upload(upload=io.BytesIO(data), name=name, uploaded_by=user, allowed_kinds=kinds, owner=owner)


def rejected(data: bytes, name: str, user: Any, kinds: Any = SPREADSHEET_KINDS) -> FileRejected:
    """Upload expecting a refusal (English messages, so tests can tell the reasons apart)."""
    with translation.override("en"), pytest.raises(FileRejected) as info:
        upload(data, name, user, kinds)
    assert info.value.messages, "a refusal must carry a message for the uploader"
    return info.value


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpeg"),
        (b"GIF89a" + b"\x00" * 16, "gif"),
        ("单位,人数\n".encode("gb18030"), "text"),
        (b"\x00\x01\x02\x03binary", "unknown"),
    ],
)
def test_sniff_tells_the_type_from_the_first_bytes(tmp_path: Path, head: bytes, kind: str) -> None:
    path = tmp_path / "f"
    path.write_bytes(head)
    assert sniff(head, str(path)) == kind


def test_sniff_looks_inside_zip_and_ole_containers(tmp_path: Path) -> None:
    cases = {
        "xlsx": xlsx_bytes(),
        "xlsm": zip_bytes(
            {"[Content_Types].xml": b"application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xl/workbook.xml": b"<w/>"}
        ),
        "docx": zip_bytes({"word/document.xml": b"<d/>"}),
        "zip": zip_bytes({"readme.txt": b"hello"}),
        "broken": b"PK\x03\x04" + b"\x13\x37" * 200,
        "encrypted": encrypted_ooxml_bytes(),
        "xls": ole_bytes("Workbook", text="区住建局"),
        "doc": ole_bytes("WordDocument", "1Table", "CompObj", text="巡察工作报告"),
    }
    for kind, data in cases.items():
        path = tmp_path / kind
        path.write_bytes(data)
        assert sniff(data[:8192], str(path)) == kind, kind


def test_sniff_does_not_take_a_word_file_mentioning_a_book_for_a_workbook(tmp_path: Path) -> None:
    # Word 97-2003 keeps Chinese text as UTF-16, the same encoding as the stream names.
    data = ole_bytes("WordDocument", "1Table", "CompObj", text="采购MacBook笔记本电脑两台")
    path = tmp_path / "procurement.doc"
    path.write_bytes(data)
    assert sniff(data[:8192], str(path)) == "doc"


def test_check_archive_accepts_a_normal_workbook_and_refuses_a_bomb(tmp_path: Path, settings: Any) -> None:
    normal = tmp_path / "normal.xlsx"
    normal.write_bytes(xlsx_bytes())
    check_archive(str(normal))  # no exception

    settings.UPLOAD_MAX_COMPRESSION_RATIO = 50
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bytes({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"0" * 1_000_000}))
    with pytest.raises(FileRejected):
        check_archive(str(bomb))


def test_check_archive_refuses_an_archive_that_unpacks_too_large(tmp_path: Path, settings: Any) -> None:
    settings.UPLOAD_MAX_UNPACKED_BYTES = 10_000
    path = tmp_path / "big.xlsx"
    # Random-looking (incompressible) content: the ratio is normal, only the size is not.
    path.write_bytes(zip_bytes({"xl/workbook.xml": hashlib.sha512(b"x").digest() * 200}))
    with pytest.raises(FileRejected):
        check_archive(str(path))


def test_check_archive_refuses_a_damaged_archive(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"junk" * 100)
    with pytest.raises(FileRejected):
        check_archive(str(path))


# ---------------------------------------------------------------- store_upload: accepted


def test_it_stores_an_xlsx_with_hash_size_and_a_random_name(storage_dir: Path, uploader: Any) -> None:
    data = xlsx_bytes()
    stored = upload(data, "第一轮名单.xlsx", uploader)

    stored.refresh_from_db()
    assert stored.kind == "xlsx"
    assert stored.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.original_name == "第一轮名单.xlsx"
    assert stored.uploaded_by == uploader
    assert stored.owner_type is None
    assert stored.owner_id == ""
    # The name on disk is random: nothing of the original name, not even the extension.
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{32}", stored.storage_name), stored.storage_name
    assert "名单" not in stored.storage_name
    assert not stored.storage_name.endswith(".xlsx")
    on_disk = storage_dir / stored.storage_name
    assert on_disk.read_bytes() == data


def test_the_same_content_uploaded_twice_gets_two_different_names(storage_dir: Path, uploader: Any) -> None:
    first = upload(PDF, "a.pdf", uploader, DOCUMENT_KINDS)
    second = upload(PDF, "a.pdf", uploader, DOCUMENT_KINDS)
    assert first.storage_name != second.storage_name
    assert first.sha256 == second.sha256
    assert len(stored_files(storage_dir)) == 2


def test_it_stores_a_pdf_as_a_document(storage_dir: Path, uploader: Any) -> None:
    stored = upload(PDF, "报告.pdf", uploader, DOCUMENT_KINDS)
    assert stored.kind == "pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)


def test_it_keeps_only_the_base_name_of_a_path_like_name(storage_dir: Path, uploader: Any) -> None:
    stored = upload(PDF, "../../etc/报告.pdf", uploader, DOCUMENT_KINDS)
    assert stored.original_name == "报告.pdf"
    assert ".." not in stored.storage_name


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff单位,人数\n区住建局,3\n区民政局,4\n".encode(),
        "单位,人数\n区住建局,3\n区民政局,4\n".encode("gb18030"),
    ],
    ids=["utf8-bom", "gb18030"],
)
def test_it_accepts_a_csv_in_utf8_with_bom_or_gb18030(storage_dir: Path, uploader: Any, data: bytes) -> None:
    stored = upload(data, "名单.csv", uploader)
    assert stored.kind == "csv"
    assert stored.content_type == "text/csv"
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_it_accepts_a_file_of_exactly_the_size_limit(storage_dir: Path, uploader: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    data = b"%PDF-1.4\n" + b"0" * (1000 - 9)
    assert len(data) == 1000
    assert upload(data, "a.pdf", uploader, DOCUMENT_KINDS).size == 1000


def test_it_records_the_owner_of_the_file(storage_dir: Path, world: Any) -> None:
    stored = upload(PDF, "a.pdf", world.users["office_staff"], DOCUMENT_KINDS, owner=world.unit_a)
    stored.refresh_from_db()
    assert stored.owner == world.unit_a
    assert stored.owner_id == str(world.unit_a.pk)


# ---------------------------------------------------------------- store_upload: refused


def assert_nothing_stored(location: Path) -> None:
    assert not StoredFile.objects.exists()
    assert stored_files(location) == []


def test_it_refuses_a_pdf_renamed_to_xlsx(storage_dir: Path, uploader: Any) -> None:
    exc = rejected(PDF, "名单.xlsx", uploader, SPREADSHEET_KINDS)
    assert "not accepted" in exc.messages[0]
    assert_nothing_stored(storage_dir)


def test_it_refuses_a_password_protected_workbook(storage_dir: Path, uploader: Any) -> None:
    exc = rejected(encrypted_ooxml_bytes(), "加密.xlsx", uploader)
    assert "password" in exc.messages[0]
    assert_nothing_stored(storage_dir)


def test_it_refuses_a_zip_bomb_shaped_like_a_workbook(storage_dir: Path, uploader: Any) -> None:
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"0" * (50 * 1024 * 1024),
        }
    )
    assert len(bomb) < 1024 * 1024  # small on the wire
    exc = rejected(bomb, "bomb.xlsx", uploader)
    assert "abnormal" in exc.messages[0]
    assert_nothing_stored(storage_dir)


def test_it_unpacks_nothing_beyond_the_limit_while_sniffing(
    storage_dir: Path, uploader: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bomb hidden in [Content_Types].xml: at the 20 MB upload limit, deflate expands to ~20 GB.
    settings.UPLOAD_MAX_UNPACKED_BYTES = 100_000
    bomb = zip_bytes({"[Content_Types].xml": b" " * 2_000_000, "xl/workbook.xml": b"<workbook/>"})
    unpacked: list[int] = []
    original_read = zipfile.ZipExtFile.read

    def counting_read(self: Any, n: int = -1) -> bytes:
        chunk = original_read(self, n)
        unpacked.append(len(chunk))
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    rejected(bomb, "bomb.xlsx", uploader)
    assert_nothing_stored(storage_dir)
    assert sum(unpacked) <= settings.UPLOAD_MAX_UNPACKED_BYTES


def test_it_refuses_a_corrupt_zip(storage_dir: Path, uploader: Any) -> None:
    exc = rejected(b"PK\x03\x04" + b"\xde\xad\xbe\xef" * 64, "坏.xlsx", uploader)
    assert "damaged" in exc.messages[0]
    assert_nothing_stored(storage_dir)


def test_it_refuses_an_empty_file(storage_dir: Path, uploader: Any) -> None:
    exc = rejected(b"", "empty.csv", uploader)
    assert "empty" in exc.messages[0]
    assert_nothing_stored(storage_dir)


def test_it_refuses_a_file_over_the_size_limit(storage_dir: Path, uploader: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    exc = rejected(b"%PDF-1.4\n" + b"0" * 1000, "big.pdf", uploader, DOCUMENT_KINDS)
    assert "larger" in exc.messages[0]
    assert_nothing_stored(storage_dir)


def test_it_refuses_a_text_file_that_is_not_named_csv(storage_dir: Path, uploader: Any) -> None:
    rejected("单位,人数\n".encode(), "名单.txt", uploader)
    assert_nothing_stored(storage_dir)


def test_it_refuses_a_plain_zip(storage_dir: Path, uploader: Any) -> None:
    rejected(zip_bytes({"a.txt": b"hello"}), "a.xlsx", uploader)
    assert_nothing_stored(storage_dir)


# ---------------------------------------------------------------- visibility


def test_an_ownerless_file_is_visible_to_its_uploader_only(storage_dir: Path, uploader: Any) -> None:
    other = make_user("other", "office_staff")
    stored = upload(PDF, "a.pdf", uploader, DOCUMENT_KINDS)
    assert visible_to(stored, uploader)
    assert not visible_to(stored, other)


def test_a_file_of_a_record_without_a_permission_filter_is_visible_to_nobody(storage_dir: Path, uploader: Any) -> None:
    # Fail closed: a model that cannot say who may see it hides its files, even from the uploader.
    day = CalendarDay.objects.create(date="2031-10-01", kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    stored = upload(PDF, "a.pdf", uploader, DOCUMENT_KINDS, owner=day)
    assert not visible_to(stored, uploader)


# ---------------------------------------------------------------- download view


def test_the_uploader_downloads_an_ownerless_file_as_an_attachment(storage_dir: Path, uploader: Any) -> None:
    stored = upload(PDF, "report.pdf", uploader, DOCUMENT_KINDS)
    url = reverse("core:file-download", args=[stored.pk])
    assert url == f"/files/{stored.pk}/"
    client = Client()
    client.force_login(uploader)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "report.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    # Consuming the stream closes the file (and the response, the way the test client allows).
    assert b"".join(response.streaming_content) == PDF
    log = AuditLog.objects.get(action=AuditLog.Action.DOWNLOAD)
    assert log.user == uploader
    assert log.object_id == str(stored.pk)


def test_another_user_gets_404_for_an_ownerless_file(storage_dir: Path, uploader: Any) -> None:
    stored = upload(PDF, "report.pdf", uploader, DOCUMENT_KINDS)
    other = make_user("other", "office_head")
    client = Client()
    client.force_login(other)
    assert client.get(reverse("core:file-download", args=[stored.pk])).status_code == 404
    assert not AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD).exists()


def test_an_unknown_file_id_is_404(db: Any, uploader: Any) -> None:
    client = Client()
    client.force_login(uploader)
    assert client.get("/files/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_unit_file_downloads_for_whoever_may_view_the_unit(storage_dir: Path, world: Any) -> None:
    stored = upload(PDF, "unit.pdf", world.users["member_a"], DOCUMENT_KINDS, owner=world.unit_a)
    allowed = ("office_head", "office_staff", "clue_custodian", "leader_a", "member_a")

    assert_matrix(world, reverse("core:file-download", args=[stored.pk]), role_keys(*allowed))

    logs = AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD, object_id=str(stored.pk))
    assert sorted(log.user.username for log in logs) == sorted(world.users[key].username for key in allowed)


def test_a_chinese_file_name_survives_in_the_download_header(storage_dir: Path, uploader: Any) -> None:
    stored = upload(PDF, "巡察报告.pdf", uploader, DOCUMENT_KINDS)
    client = Client()
    client.force_login(uploader)
    response = client.get(reverse("core:file-download", args=[stored.pk]))
    assert response.status_code == 200
    # RFC 5987 form: filename*=utf-8''%E5%B7%A1...
    assert "filename*=utf-8''%E5%B7%A1%E5%AF%9F%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
