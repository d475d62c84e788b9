"""Stored files checked against their records (issue 12): `verify_files`, `cleanup_files` and
the nightly core.verify_files job.

Every StoredFile row records the SHA-256 and size of its clear content. A file is *missing*
when its row names no file on disk, *changed* when its clear content hashes otherwise, and
*unopened* when it is sealed and the seal keys do not open it: Fernet authenticates its
ciphertext, so a changed byte of a sealed file and a wrong key look the same from here (if
every sealed file is unopened, suspect the key first). An *orphan* is a file on disk with no
row: the bytes of an upload whose transaction rolled back or whose process was killed before
commit (core.files.keep_checked saves the bytes before the row exists).

An upload's bytes are on disk before its row commits, so a file younger than the grace period
(ORPHAN_GRACE_MINUTES) is never called an orphan: it may belong to an import still running.
"""

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import private_storage, sha256_of
from core.models import Heartbeat, StoredFile, User
from core.roles import Role
from core.sealing import SealBroken, open_bytes
from core.services.notifications import notify

logger = logging.getLogger(__name__)

# The Heartbeat row holding the last nightly result (its beat_at: when it ran), for the status page.
HEARTBEAT_NAME = "files"
_BATCH = 500
# A notification names this many files of each problem at most; verify_files lists them all.
_LISTED = 20


@dataclass
class FileReport:
    """What a check found; the lists hold storage names (random, they reveal nothing)."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unopened: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.unopened or self.orphans)

    def counts(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "missing": len(self.missing),
            "changed": len(self.changed),
            "unopened": len(self.unopened),
            "orphans": len(self.orphans),
        }


def storage_root() -> Path:
    return Path(private_storage().location)


def _clear_sha256(path: Path, *, sealed: bool) -> str:
    if not sealed:
        with path.open("rb") as fh:
            return sha256_of(fh)
    return hashlib.sha256(open_bytes(path.read_bytes())).hexdigest()


def check_rows(report: FileReport) -> None:
    """Check every StoredFile row's file against its SHA-256, adding to report."""
    root = storage_root()
    rows = StoredFile.objects.order_by().values_list("storage_name", "sha256", "sealed")
    for name, sha256, sealed in rows.iterator(chunk_size=_BATCH):
        report.checked += 1
        path = root / name
        try:
            actual = _clear_sha256(path, sealed=sealed)
        except FileNotFoundError:
            report.missing.append(name)
            continue
        except SealBroken:
            report.unopened.append(name)
            continue
        if actual != sha256:
            report.changed.append(name)


def _files_on_disk(root: Path, *, older_than: float) -> Iterator[str]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.stat().st_mtime < older_than:
            yield path.relative_to(root).as_posix()


def find_orphans(*, grace_minutes: int | None = None) -> list[str]:
    """Files on disk, older than the grace period, that no StoredFile row names."""
    grace = settings.ORPHAN_GRACE_MINUTES if grace_minutes is None else grace_minutes
    names = _files_on_disk(storage_root(), older_than=time.time() - grace * 60)
    orphans: list[str] = []
    while batch := list(islice(names, _BATCH)):
        known = set(StoredFile.objects.filter(storage_name__in=batch).values_list("storage_name", flat=True))
        orphans.extend(name for name in batch if name not in known)
    return orphans


def verify_files(*, grace_minutes: int | None = None) -> FileReport:
    report = FileReport()
    check_rows(report)
    report.orphans = find_orphans(grace_minutes=grace_minutes)
    return report


def delete_orphans(names: list[str]) -> list[str]:
    """Delete the named orphans; returns those deleted. A name that has gained a row meanwhile
    (it was an upload in progress after all) is kept."""
    known = set(StoredFile.objects.filter(storage_name__in=names).values_list("storage_name", flat=True))
    deleted = []
    for name in names:
        if name in known:
            continue
        private_storage().delete(name)
        logger.warning("Deleted orphan file %s from private storage", name)
        deleted.append(name)
    return deleted


def describe(report: FileReport, *, limit: int | None = _LISTED) -> str:
    """The report for people: counts, then the storage names of each problem (never the files'
    own names, which may be case content: the administrators get this too)."""
    lines = [
        _(
            "Checked %(checked)s files: %(missing)s missing, %(changed)s changed, "
            "%(unopened)s do not open with the seal keys, %(orphans)s orphan files."
        )
        % report.counts()
    ]
    labels = {
        _("Missing"): report.missing,
        _("Changed"): report.changed,
        _("Does not open with the seal keys"): report.unopened,
        _("Orphan"): report.orphans,
    }
    for label, names in labels.items():
        lines.extend(f"{label}: {name}" for name in names[:limit])
        if limit is not None and len(names) > limit:
            lines.append(_("%(label)s: %(count)s more") % {"label": label, "count": len(names) - limit})
    return "\n".join(lines)


def verify_and_report() -> FileReport:
    """The nightly job: check every file, keep the result for the status page, and tell the
    office heads and the system administrators when something is wrong."""
    report = verify_files()
    Heartbeat.objects.update_or_create(
        name=HEARTBEAT_NAME, defaults={"beat_at": timezone.now(), "detail": json.dumps(report.counts())}
    )
    if not report.ok:
        logger.error("Stored files do not match their records: %s", report.counts())
        recipients = User.objects.filter(is_active=True, groups__name__in=[Role.OFFICE_HEAD, Role.SYSTEM_ADMIN])
        notify(
            recipients=recipients.distinct(),
            title=_("The nightly file check found problems"),
            body=describe(report)
            + "\n\n"
            + _("Run `python manage.py verify_files` on the server for details; README: backup and recovery."),
            level="error",
        )
    return report
