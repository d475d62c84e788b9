"""One backup archive: the database, the private files and a manifest, in one dated tar file.

    xuncha-backup-20170315-033000.tar
      database/db.dump | database/db.sqlite3   core.backup.database
      files/<storage name> ...                 each StoredFile row's file, bytes as stored
      manifest.json                            SHA-256 and size of every other member, the rows
                                               per table, the stored-file names, what was missing

Consistent: the files are those the dumped StoredFile rows name (read in the dump's own
snapshot), so a restore has a file for every row and no file without one. Files are never
rewritten in place (random names; re-sealing replaces a file atomically), so an open handle
reads one version. Sealed files go in as stored, i.e. encrypted; the seal keys are never in the
archive (README: a backup that holds both defeats the seal).

Plain tar, not gzip: its largest members do not compress (a pg_dump custom dump is compressed
already, xlsx/docx are zip files, sealed files are ciphertext) and a restore reads it in one pass.
Written as a hidden ".partial" file and renamed when complete: an archive with its final name is
whole. Mode 0600: it holds case content.

A restore extracts and checks every member against the manifest before touching anything, loads
the database, puts the files in place, then checks the result again: rows per table equal to the
manifest's, every file's SHA-256 as recorded.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.backup import database
from core.integrity import storage_root

FORMAT = "xuncha-backup/1"
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024
_MANIFEST_MAX = 256 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


class RestoreRefused(BackupError):
    """The target is not empty and --force was not given: nothing was touched."""


@dataclass
class BackupResult:
    path: Path
    missing_files: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Hashing:
    """A reader that hashes what passes through it (tarfile reads a member's bytes once)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _archive_name() -> str:
    return f"xuncha-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"


def create_backup(output: Path) -> BackupResult:
    """Write one archive into the folder output; returns its path and the files that rows name
    but that were not on disk (the archive is then incomplete, and says so)."""
    output.mkdir(parents=True, exist_ok=True)
    final = output / _archive_name()
    if final.exists():
        raise BackupError(_("%(path)s exists already; try again in a second.") % {"path": final})
    partial = output / f".{final.name}.partial"
    members: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(dir=output, prefix=".backup-") as scratch:
        dumped = database.dump(Path(scratch))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    with dumped.path.open("rb") as fh:
                        members[f"database/{dumped.path.name}"] = _add(tar, f"database/{dumped.path.name}", fh)
                    missing = _add_files(tar, dumped.storage_names, members)
                    manifest = {
                        "format": FORMAT,
                        "created_at": timezone.now().isoformat(),
                        "vendor": connection.vendor,
                        "database": f"database/{dumped.path.name}",
                        "tables": dumped.tables,
                        "stored_files": dumped.storage_names,
                        "missing_files": missing,
                        "seal_keys": "not included: keep XC_SEAL_KEYS apart from every backup (README)",
                        "members": members,
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                    _add_bytes(tar, MANIFEST, data)
                # On disk, end-of-archive blocks included, before it takes its final name.
                raw.flush()
                os.fsync(raw.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(final)
    return BackupResult(final, missing)


def _add(tar: tarfile.TarFile, name: str, handle: IO[bytes]) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = os.fstat(handle.fileno()).st_size
    info.mtime = int(time.time())
    info.mode = 0o600
    reader = _Hashing(handle)
    tar.addfile(info, reader)  # reads exactly info.size bytes
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_files(tar: tarfile.TarFile, storage_names: list[str], members: dict[str, dict[str, Any]]) -> list[str]:
    root = storage_root()
    missing = []
    for name in storage_names:
        try:
            handle = (root / name).open("rb")
        except FileNotFoundError:
            missing.append(name)
            continue
        with handle:
            members[f"files/{name}"] = _add(tar, f"files/{name}", handle)
    return missing


def _safe_member_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("The archive holds an unsafe path: %(name)s") % {"name": name})
    if name != MANIFEST and path.parts[0] not in {"database", "files"}:
        raise BackupError(_("The archive holds an unexpected member: %(name)s") % {"name": name})
    return path


def _extract(archive: Path, staging: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Every member into staging, hashed on the way; returns the manifest and what was found."""
    found: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for info in tar:
                path = _safe_member_name(info.name)
                if not info.isfile() or info.name in found or (info.name == MANIFEST and manifest is not None):
                    raise BackupError(_("The archive holds an unexpected member: %(name)s") % {"name": info.name})
                source = tar.extractfile(info)
                if source is None:  # never for a regular file
                    raise BackupError(_("The archive holds an unexpected member: %(name)s") % {"name": info.name})
                if info.name == MANIFEST:
                    if info.size > _MANIFEST_MAX:
                        raise BackupError(_("The archive's manifest is too large."))
                    manifest = json.loads(source.read())
                    continue
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = _Hashing(source)
                with target.open("wb") as out:
                    shutil.copyfileobj(reader, out, _CHUNK)
                found[info.name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(_("The archive cannot be read: %(error)s") % {"error": exc}) from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError(_("This is not a backup archive of this system (no manifest)."))
    return manifest, found


def _compare_members(manifest: dict[str, Any], found: dict[str, dict[str, Any]]) -> list[str]:
    listed: dict[str, dict[str, Any]] = manifest.get("members", {})
    problems = [_("Missing from the archive: %(name)s") % {"name": name} for name in sorted(set(listed) - set(found))]
    problems += [_("Not in the manifest: %(name)s") % {"name": name} for name in sorted(set(found) - set(listed))]
    problems += [
        _("Does not match its SHA-256: %(name)s") % {"name": name}
        for name in sorted(set(listed) & set(found))
        if listed[name] != found[name]
    ]
    return problems


def _files_present(root: Path, *, besides: Path) -> bool:
    return any(path.is_file() and besides not in path.parents for path in root.rglob("*"))


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    """Restore archive into this database and private storage, which must be empty unless force.

    Raises BackupError (RestoreRefused) before anything is changed when the archive is damaged,
    is of the other database, or the target is not empty; returns what the check after the
    restore found (nothing, when everything matches)."""
    root = storage_root()
    root.mkdir(parents=True, exist_ok=True)
    # Inside the storage folder (which may be a mount point of its own): the files move in by
    # renaming, on one file system, and never leave the folder meant for them.
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".restore-"))
    try:
        manifest, found = _extract(archive, staging)
        problems = _compare_members(manifest, found)
        if problems:
            raise BackupError("\n".join([_("The archive is damaged; nothing was restored."), *problems]))
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                _("The archive holds a %(archive)s database; this system runs on %(here)s.")
                % {"archive": manifest["vendor"], "here": connection.vendor}
            )
        _refuse_unless_empty(root, staging, force=force)
        database.load(staging / manifest["database"], replace=force)
        _move_files_in(staging / "files", root, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _check_restored(manifest, root)


def _refuse_unless_empty(root: Path, staging: Path, *, force: bool) -> None:
    reasons = []
    if not database.is_empty():
        reasons.append(_("The database %(name)s is not empty.") % {"name": connection.settings_dict["NAME"]})
    if _files_present(root, besides=staging):
        reasons.append(_("The data folder %(path)s is not empty.") % {"path": root})
    if reasons and not force:
        reasons.append(
            _(
                "A restore goes into an empty database and an empty data folder. Nothing was changed. "
                "To replace what is there with the backup, run the command again with --force."
            )
        )
        raise RestoreRefused("\n".join(reasons))


def _move_files_in(restored: Path, root: Path, staging: Path) -> None:
    """Put the restored files where private storage looks; what was there (--force) goes first."""
    for entry in root.iterdir():
        if entry == staging:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if restored.is_dir():  # a system without files has none
        for entry in restored.iterdir():
            entry.rename(root / entry.name)


def _sha256_and_size(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _check_restored(manifest: dict[str, Any], root: Path) -> RestoreResult:
    """The restored state against the manifest: rows per table, and every file's SHA-256."""
    result = RestoreResult()
    counts = database.row_counts()
    for table, expected in sorted(manifest["tables"].items()):
        if counts.get(table) != expected:
            result.problems.append(
                _("Table %(table)s holds %(actual)s rows, the backup %(expected)s.")
                % {"table": table, "actual": counts.get(table), "expected": expected}
            )
    for table in sorted(set(counts) - set(manifest["tables"])):
        result.problems.append(_("Table %(table)s is not in the backup.") % {"table": table})
    for member, expected in sorted(manifest["members"].items()):
        if not member.startswith("files/"):
            continue
        try:
            actual = _sha256_and_size(root / member.removeprefix("files/"))
        except FileNotFoundError:
            result.problems.append(_("Missing after the restore: %(name)s") % {"name": member})
            continue
        if actual != expected:
            result.problems.append(_("Does not match its SHA-256 after the restore: %(name)s") % {"name": member})
    return result
