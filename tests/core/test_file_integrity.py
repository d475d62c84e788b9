"""Stored files against their SHA-256 (issue 12): verify_files, cleanup_files, refused downloads
of changed files, bytes removed with their row, and the nightly check (core/integrity.py)."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from core import integrity
from core.files import store_upload
from core.models import AuditLog, Heartbeat, Notification, StoredFile
from core.tasks import verify_files as nightly_verify_files
from tests.conftest import make_user
from tests.helpers import logged_in

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HOUR_AGO = time.time() - 3600 * 2


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


def keep(uploader: Any, content: bytes = PDF, *, sealed: bool = False, name: str = "材料.pdf") -> StoredFile:
    return store_upload(
        upload=io.BytesIO(content), name=name, uploaded_by=uploader, allowed_kinds={"pdf"}, sealed=sealed
    )


def on_disk(storage_dir: Path, stored: StoredFile) -> Path:
    return storage_dir / stored.storage_name


def change_a_byte(path: Path) -> None:
    """One byte in the middle becomes another letter: still valid base64 in a sealed file (whose
    decoder would skip a byte outside its alphabet), so the ciphertext itself changes."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] = ord("A") if data[middle] != ord("A") else ord("B")
    path.write_bytes(bytes(data))


def orphan(storage_dir: Path, name: str = "ff/orphan", *, mtime: float = HOUR_AGO) -> Path:
    path = storage_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    os.utime(path, (mtime, mtime))
    return path


def run_verify_files(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_files", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


# ---------------------------------------------------------------- verify_files


def test_every_file_matching_passes_sealed_ones_by_their_clear_content(storage_dir, uploader):
    plain, sealed = keep(uploader), keep(uploader, sealed=True)
    assert on_disk(storage_dir, sealed).read_bytes() != PDF  # stored encrypted, hash of the clear bytes
    report = integrity.verify_files()
    assert report.ok
    assert report.checked == 2
    code, out = run_verify_files()
    assert code == 0
    assert "已检查 2 个文件：0 个缺失，0 个已改动" in out
    assert plain.original_name not in out


def test_a_changed_byte_a_missing_file_and_an_orphan_are_each_reported_and_fail(storage_dir, uploader):
    changed, missing, sealed_changed, intact = (
        keep(uploader),
        keep(uploader),
        keep(uploader, sealed=True),
        keep(uploader),
    )
    change_a_byte(on_disk(storage_dir, changed))
    on_disk(storage_dir, missing).unlink()
    change_a_byte(on_disk(storage_dir, sealed_changed))
    left = orphan(storage_dir)

    report = integrity.verify_files()
    assert report.changed == [changed.storage_name]
    assert report.missing == [missing.storage_name]
    assert report.unopened == [sealed_changed.storage_name]  # Fernet refuses a changed ciphertext
    assert report.orphans == [left.relative_to(storage_dir).as_posix()]
    assert intact.storage_name not in str(report)

    code, out = run_verify_files()
    assert code == 1
    for name in (changed.storage_name, missing.storage_name, sealed_changed.storage_name, "ff/orphan"):
        assert name in out


@pytest.mark.parametrize("damage", ["changed", "missing", "orphan"])
def test_each_problem_alone_fails_verify_files(storage_dir, uploader, damage):
    stored = keep(uploader)
    if damage == "changed":
        change_a_byte(on_disk(storage_dir, stored))
    elif damage == "missing":
        on_disk(storage_dir, stored).unlink()
    else:
        orphan(storage_dir)
    assert run_verify_files()[0] == 1


def test_a_file_younger_than_the_grace_period_is_no_orphan(storage_dir, uploader, settings):
    settings.ORPHAN_GRACE_MINUTES = 60
    keep(uploader)
    orphan(storage_dir, mtime=time.time())  # an upload whose row may still be committing
    assert integrity.verify_files().ok
    assert integrity.find_orphans(grace_minutes=0) == ["ff/orphan"]
    assert run_verify_files("--grace-minutes", "0")[0] == 1


# ---------------------------------------------------------------- cleanup_files


def test_cleanup_is_a_dry_run_by_default_and_deletes_only_orphans(storage_dir, uploader):
    kept = [keep(uploader), keep(uploader, sealed=True)]
    left = orphan(storage_dir)
    young = orphan(storage_dir, "ee/young", mtime=time.time())
    before = sorted(p for p in storage_dir.rglob("*") if p.is_file())

    out = io.StringIO()
    call_command("cleanup_files", stdout=out)
    assert "ff/orphan" in out.getvalue()
    assert sorted(p for p in storage_dir.rglob("*") if p.is_file()) == before  # nothing deleted

    call_command("cleanup_files", "--delete", stdout=io.StringIO())
    assert not left.exists()
    assert young.exists()  # inside the grace period: perhaps an upload still committing
    assert all(on_disk(storage_dir, stored).exists() for stored in kept)
    assert integrity.verify_files(grace_minutes=60).ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_killed_before_commit_leaves_the_orphan_that_cleanup_finds(storage_dir, uploader):
    kept = keep(uploader)
    killed = subprocess.run(
        [sys.executable, "-m", "tests.core.killed_upload", str(connection.settings_dict["NAME"]), str(uploader.pk)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_PRIVATE_MEDIA_ROOT": str(storage_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 1, killed.stderr
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [kept.pk]  # the row rolled back
    files = {p.relative_to(storage_dir).as_posix() for p in storage_dir.rglob("*") if p.is_file()}
    (left,) = files - {kept.storage_name}  # its bytes did not

    assert integrity.find_orphans(grace_minutes=0) == [left]
    out = io.StringIO()
    call_command("cleanup_files", "--grace-minutes", "0", "--delete", stdout=out)
    assert left in out.getvalue()
    assert {p.relative_to(storage_dir).as_posix() for p in storage_dir.rglob("*") if p.is_file()} == {kept.storage_name}


# ---------------------------------------------------------------- downloads


def test_an_intact_file_downloads(storage_dir, uploader):
    stored = keep(uploader)
    response = logged_in(uploader).get(reverse("core:file-download", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_changed_file_is_refused_in_chinese_logged_and_not_served(storage_dir, uploader, caplog):
    stored = keep(uploader)
    change_a_byte(on_disk(storage_dir, stored))
    response = logged_in(uploader).get(reverse("core:file-download", args=[stored.pk]))
    assert response.status_code == 409
    body = response.content.decode()
    assert "该文件自保存以来已被改动" in body
    assert PDF[:8].decode() not in body
    assert "Content-Disposition" not in response
    assert any(r.levelname == "ERROR" and str(stored.pk) in r.getMessage() for r in caplog.records)
    assert not AuditLog.objects.filter(action=AuditLog.Action.DOWNLOAD, object_id=str(stored.pk)).exists()


def test_a_changed_sealed_file_is_refused_without_a_server_error(storage_dir, uploader):
    stored = keep(uploader, sealed=True)
    change_a_byte(on_disk(storage_dir, stored))
    response = logged_in(uploader).get(reverse("core:file-download", args=[stored.pk]))
    assert response.status_code == 503  # Fernet cannot tell a changed byte from a wrong key
    assert "或者该文件已被改动" in response.content.decode()


# ---------------------------------------------------------------- deleted rows


def test_a_deleted_row_takes_its_bytes_on_commit_and_a_rolled_back_one_keeps_them(
    storage_dir, uploader, django_capture_on_commit_callbacks
):
    rolled_back, deleted = keep(uploader), keep(uploader, sealed=True)
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        rolled_back.delete()
        raise RuntimeError
    assert on_disk(storage_dir, rolled_back).exists()

    path = on_disk(storage_dir, deleted)
    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()
        assert path.exists()  # not before the commit
    assert not path.exists()
    assert integrity.verify_files().ok


# ---------------------------------------------------------------- the nightly job


def test_the_nightly_check_tells_office_heads_and_administrators_and_the_status_page_shows_it(storage_dir, world):
    head, staff = world.users["office_head"], world.users["office_staff"]
    admin = make_user("sysadmin", "system_admin")
    stored = keep(staff)
    assert nightly_verify_files() is True
    assert not Notification.objects.exists()
    page = logged_in(staff).get(reverse("core:health")).content.decode()
    assert "存储文件" in page

    change_a_byte(on_disk(storage_dir, stored))
    assert nightly_verify_files() is False
    notes = Notification.objects.all()
    assert {n.recipient for n in notes} == {head, admin}
    assert stored.storage_name in notes[0].body
    assert stored.original_name not in notes[0].body  # a file's name may be case content
    assert Heartbeat.objects.get(name=integrity.HEARTBEAT_NAME).detail
    page = logged_in(staff).get(reverse("core:health")).content.decode()
    assert "1 个已改动" in page
