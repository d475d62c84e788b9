"""Backup → restore round trip on the database the suite runs on (issue 12), through the real
commands: `backup` here, `restore` in a fresh process pointed at an empty target.

The target is a scratch database and data folder, never the live test database: on SQLite a
new DJANGO_DATA_DIR (its db.sqlite3 and private/), on PostgreSQL a database `<test db>_restore`
created and dropped here. Rows and files are compared with queries of the test's own, not with
what the restore command reports about itself.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from core.files import store_upload
from core.models import StoredFile

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


def _pg_params(name: str) -> dict[str, Any]:
    params = connection.settings_dict
    return {
        "dbname": name,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
    }


def _pg_admin(sql: str) -> None:
    with closing(psycopg2.connect(**_pg_params("postgres"))) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty place to restore into: its environment for manage.py, and how to open it."""
    data_dir = tmp_path / "target"
    env = {**os.environ, "DJANGO_DATA_DIR": str(data_dir), "DJANGO_PRIVATE_MEDIA_ROOT": str(data_dir / "private")}
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)
        yield {"env": env, "files": data_dir / "private", "open": lambda: sqlite3.connect(data_dir / "db.sqlite3")}
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    params = _pg_params(name)
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{name}"')
    auth = params["user"] or ""
    if params["password"]:
        auth += f":{params['password']}"
    env["DATABASE_URL"] = f"postgres://{auth}@{params['host'] or ''}:{params['port'] or 5432}/{name}"
    try:
        yield {"env": env, "files": data_dir / "private", "open": lambda: psycopg2.connect(**params)}
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in cursor.fetchall())


def _counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a name from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _counts(cursor, connection.vendor)


def restored_counts(target: dict[str, Any]) -> dict[str, int]:
    with closing(target["open"]()) as db:
        return _counts(db.cursor(), connection.vendor)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def restore(archive: Path, target: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *args],
        cwd=ROOT,
        env=target["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def backup(output: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(output), stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


@pytest.fixture
def records(world: Any, storage_dir: Path) -> list[StoredFile]:
    """The fixture world plus a plain file and a sealed one (encrypted on disk)."""
    by = world.users["office_staff"]
    return [
        store_upload(upload=io.BytesIO(PDF), name="工作方案.pdf", uploaded_by=by, allowed_kinds={"pdf"}),
        store_upload(upload=io.BytesIO(PDF * 2), name="回函.pdf", uploaded_by=by, allowed_kinds={"pdf"}, sealed=True),
    ]


def test_backup_then_restore_into_an_empty_target_gives_the_same_rows_and_files(records, storage_dir, target, tmp_path):
    archive = backup(tmp_path / "backups")
    assert archive.parent == tmp_path / "backups"
    assert archive.name.startswith("xuncha-backup-")
    assert archive.suffix == ".tar"
    assert archive.stat().st_mode & 0o077 == 0  # case content: for its owner only
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert {f"files/{stored.storage_name}" for stored in records} <= set(names)
    sealed = next(stored for stored in records if stored.sealed)
    assert (storage_dir / sealed.storage_name).read_bytes() != PDF * 2  # archived as stored: encrypted

    done = restore(archive, target)
    assert done.returncode == 0, done.stderr
    assert "已恢复" in done.stdout

    expected = live_counts()
    assert expected["core_storedfile"] == 2
    assert expected["core_user"] > 5
    assert restored_counts(target) == expected
    assert files_in(target["files"]) == files_in(storage_dir)


def test_restore_refuses_a_target_that_is_not_empty_unless_forced(records, storage_dir, target, tmp_path):
    archive = backup(tmp_path / "backups")
    assert restore(archive, target).returncode == 0
    (target["files"] / "extra").write_bytes(b"not from the backup")

    refused = restore(archive, target)
    assert refused.returncode != 0
    assert "不是空的" in refused.stderr
    assert "--force" in refused.stderr
    assert (target["files"] / "extra").exists()  # nothing was changed

    forced = restore(archive, target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert restored_counts(target) == live_counts()
    assert files_in(target["files"]) == files_in(storage_dir)  # "extra" is gone


def test_restore_checks_every_member_against_the_manifest_before_touching_anything(records, target, tmp_path):
    archive = backup(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar"
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = tar.getmember(f"files/{records[0].storage_name}")
    data[member.offset_data] ^= 0xFF
    damaged.write_bytes(bytes(data))

    refused = restore(damaged, target)
    assert refused.returncode != 0
    assert "已损坏" in refused.stderr
    assert records[0].storage_name in refused.stderr
    assert restored_counts(target) == {}  # the target database was never touched
    assert files_in(target["files"]) == {}


def test_a_file_missing_at_backup_time_is_listed_and_fails_the_backup_but_the_archive_is_written(
    records, storage_dir, tmp_path
):
    (storage_dir / records[0].storage_name).unlink()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("backup", "--output", str(tmp_path / "backups"), stdout=out, stderr=err)
    assert exit_.value.code == 1
    archive = Path(out.getvalue().strip().splitlines()[-1])
    assert records[0].storage_name in err.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["missing_files"] == [records[0].storage_name]
    assert f"files/{records[1].storage_name}" in manifest["members"]
    assert manifest["tables"]["core_storedfile"] == 2
