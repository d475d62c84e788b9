"""Private file storage: random names, SHA-256 and size recorded, type sniffed from content,
size and unpacked-size limits, downloads only through a permission-checked, logged view.

Sealed files (issue 11): every file of a partner's reply (its clue workbooks, attachments and
cover letter) is kept encrypted with the seal keys (core.sealing), like the reporter's cells
in the database: a workbook holds reporter names, and a file backup must not hold them in
clear. size and sha256 stay those of the clear content (integrity checks, dedupe); every read
here (open_stored, clear_path) decrypts, and a wrong key raises SealBroken.

Integrity (issue 12): a download checks the file against its SHA-256 before a byte goes out
(open_verified, check_intact) and is refused when it no longer matches; `verify_files` checks
every file at night (core.integrity). Deleting a StoredFile row removes its bytes on commit.
A sealed file is checked by its clear content, the only hash kept: a changed byte in the
ciphertext already stops it opening (Fernet authenticates), which SealBroken reports.

Downloads: an app may register a rendition for the files of its records (register_rendition),
served instead of the stored bytes. The original partner workbook is never served, not even to
the partner (it wrote it and keeps its own copy): its download is a copy with the reporter's
cells sealed and the reader's watermark (clues registers it). A sealed original cannot be
served in part, and opening it would be a reveal outside the one place that reveals, with a
reason, to whom may (custodian, group leader).

Watermarks (docs/domain.md §5.2 rule 9): every file the app generates (exports, letters, error
workbooks, templates, that sealed copy) carries its reader's watermark (core.watermark). Other
stored originals (cover letters, attachments, evidence) are served as uploaded, their download
logged with its reader and time, and not watermarked: they are the record of what was sent,
checked against the SHA-256 kept here, which a stamped copy would no longer match; and
rewriting the properties of an uploaded OOXML package means re-zipping files from
Excel/WPS variants we have not seen, for a mark a reader never sees. Who may download them is
narrow instead (a reply's files: its partner, the custodian and the office head).
"""

import hashlib
import io
import struct
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from xlrd.compdoc import CompDoc, CompDocError

from core.models import StoredFile
from core.sealing import SealBroken, open_bytes, resealed_bytes, seal_bytes

_CHUNK = 64 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTENT_TYPES_MAX = 1024 * 1024
_MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "doc": "application/msword",
    "csv": "text/csv",
    "text": "text/plain",
}
SPREADSHEET_KINDS = frozenset({"xlsx", "xlsm", "xls", "csv"})
DOCUMENT_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "docx", "doc"})


class FileRejected(ValidationError):
    """An upload refused before anything was stored; the message is shown to the uploader."""


def private_storage() -> Any:
    return storages["private"]


def sniff(head: bytes, path: str) -> str:
    """The file's real type from its content; "unknown" when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path)
    if b"\x00" not in head and _decodes_as_text(head):
        return "text"
    return "unknown"


def _sniff_zip(path: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsm" if _is_macro_enabled(archive) else "xlsx"
            if "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return "broken"
    return "zip"


def _is_macro_enabled(archive: zipfile.ZipFile) -> bool:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return False
    # Read it only when small: sniffing runs before the unpacked-size check.
    if info.file_size > _CONTENT_TYPES_MAX:
        return False
    return b"macroEnabled" in archive.read(info)


def _sniff_ole(path: str) -> str:
    """Tell legacy .xls and .doc from encrypted .xlsx/.docx by the container's stream names."""
    with open(path, "rb") as fh:  # noqa: PTH123 - a temp path string
        data = fh.read()
    try:
        streams = {node.name for node in CompDoc(data, logfile=io.StringIO()).dirlist}
    except (CompDocError, IndexError, ValueError, struct.error):
        return "broken"
    if streams & {"EncryptionInfo", "EncryptedPackage"}:
        return "encrypted"
    if streams & {"Workbook", "Book"}:
        return "xls"
    if "WordDocument" in streams:
        return "doc"
    return "unknown"


def _decodes_as_text(head: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            # The chunk may end inside a multi-byte character.
            try:
                head[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def check_archive(path: str) -> None:
    """Refuse zip bombs: too much unpacked data, an abnormal ratio, or too many entries."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(_("The file is damaged and cannot be opened.")) from exc
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > 10_000 or unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES:
        raise FileRejected(_("The file unpacks to an abnormal size and was refused."))
    if unpacked / packed > settings.UPLOAD_MAX_COMPRESSION_RATIO:
        raise FileRejected(_("The file is compressed abnormally and was refused."))


def _kind_for_text(name: str) -> str:
    return "csv" if PurePath(name).suffix.lower() == ".csv" else "text"


def _describe(kinds: Iterable[str]) -> str:
    return "、".join(sorted(kinds))


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, held in a temporary file until kept or discarded."""

    path: str
    kind: str
    size: int
    sha256: str


@contextmanager
def checked_upload(*, upload: IO[bytes], name: str, allowed_kinds: Iterable[str]) -> Iterator[CheckedFile]:
    """Copy an upload to a temporary file and check it; raises FileRejected when it is refused.

    Used by store_upload, and alone where a file is only validated (a dry-run import).
    """
    allowed = frozenset(allowed_kinds)
    limit = settings.UPLOAD_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="upload-") as tmp:
        if hasattr(upload, "seek"):
            upload.seek(0)
        for chunk in iter(lambda: upload.read(_CHUNK), b""):
            size += len(chunk)
            if size > limit:
                raise FileRejected(
                    _("The file is larger than the limit of %(size)s.") % {"size": filesizeformat(limit)}
                )
            digest.update(chunk)
            tmp.write(chunk)
        tmp.flush()
        if size == 0:
            raise FileRejected(_("The file is empty."))
        tmp.seek(0)
        kind = sniff(tmp.read(8192), tmp.name)
        if kind == "text":
            kind = _kind_for_text(name)
        if kind == "encrypted":
            raise FileRejected(_("The file is password-protected. Remove the password and upload it again."))
        if kind == "broken":
            raise FileRejected(_("The file is damaged and cannot be opened."))
        if PurePath(name).suffix.lower() == ".et" and "xlsx" in allowed and kind not in {"xlsx", "xlsm"}:
            # WPS saves .et either as OOXML (read like .xlsx, by content) or in its own binary format.
            raise FileRejected(
                _(
                    "This WPS spreadsheet (.et) is in WPS's own binary format, which cannot be read. "
                    "In WPS, save it as an Excel workbook (.xlsx) and upload that."
                )
            )
        if kind not in allowed:
            raise FileRejected(
                _("This type of file is not accepted here. Accepted types: %(kinds)s.") % {"kinds": _describe(allowed)}
            )
        if kind in {"xlsx", "xlsm", "docx"}:
            check_archive(tmp.name)
        yield CheckedFile(path=tmp.name, kind=kind, size=size, sha256=digest.hexdigest())


def keep_checked(
    *, checked: CheckedFile, name: str, uploaded_by: Any, owner: models.Model | None = None, sealed: bool = False
) -> StoredFile:
    """Move a checked file into private storage under a random name and record it; sealed:
    encrypted with the seal keys (a partner's reply)."""
    with open(checked.path, "rb") as fh:  # noqa: PTH123 - a temp path string
        content = ContentFile(seal_bytes(fh.read())) if sealed else File(fh)
        stored_name = private_storage().save(f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}", content)
    try:
        return StoredFile.objects.create(
            storage_name=stored_name,
            original_name=PurePath(name).name[:255] or "file",
            kind=checked.kind,
            content_type=_MIME.get(checked.kind, "application/octet-stream"),
            size=checked.size,
            sha256=checked.sha256,
            sealed=sealed,
            uploaded_by=uploaded_by,
            owner_type=ContentType.objects.get_for_model(owner) if owner is not None else None,
            owner_id=str(owner.pk) if owner is not None else "",
        )
    except Exception:
        # Bytes without a row are unreachable; remove them rather than leave litter. (If an
        # outer transaction rolls back later, the orphan is equally unreachable and harmless.)
        private_storage().delete(stored_name)
        raise


def store_upload(
    *,
    upload: IO[bytes],
    name: str,
    uploaded_by: Any,
    allowed_kinds: Iterable[str],
    owner: models.Model | None = None,
    sealed: bool = False,
) -> StoredFile:
    """Check and keep an uploaded file; raises FileRejected (nothing stored) when it is refused."""
    with checked_upload(upload=upload, name=name, allowed_kinds=allowed_kinds) as checked:
        return keep_checked(checked=checked, name=name, uploaded_by=uploaded_by, owner=owner, sealed=sealed)


def store_generated(
    *, content: bytes, name: str, kind: str, uploaded_by: Any, owner: models.Model, sealed: bool = True
) -> StoredFile:
    """Keep a file the app made (a background job's export) in private storage, owned by
    `owner` so that it is downloaded through the permission-checked view like any other; sealed
    by default: it may list clues. It carries its reader's watermark already (core.jobs)."""
    stored_name = private_storage().save(
        f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}", ContentFile(seal_bytes(content) if sealed else content)
    )
    try:
        return StoredFile.objects.create(
            storage_name=stored_name,
            original_name=PurePath(name).name[:255] or "file",
            kind=kind,
            content_type=_MIME.get(kind, "application/octet-stream"),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            sealed=sealed,
            uploaded_by=uploaded_by,
            owner_type=ContentType.objects.get_for_model(owner),
            owner_id=str(owner.pk),
        )
    except Exception:
        private_storage().delete(stored_name)
        raise


def _storage_path(storage_name: str) -> Path:
    # Private storage is a local filesystem.
    return Path(private_storage().path(storage_name))


def _clear_bytes(stored: StoredFile) -> bytes:
    data = _storage_path(stored.storage_name).read_bytes()
    return open_bytes(data) if stored.sealed else data


@contextmanager
def clear_path(stored: StoredFile) -> Iterator[str]:
    """A local path holding the file's clear content, for readers that need a path (the
    spreadsheet reader). A sealed file is decrypted once into a temporary file, removed on exit,
    like an upload's own temporary copy. Raises SealBroken when the keys do not open it."""
    if not stored.sealed:
        yield str(_storage_path(stored.storage_name))
        return
    with tempfile.NamedTemporaryFile(prefix="clear-") as tmp:
        tmp.write(_clear_bytes(stored))
        tmp.flush()
        yield tmp.name


def open_stored(stored: StoredFile) -> IO[bytes]:
    """The file's clear content; raises SealBroken when the keys do not open a sealed file."""
    if stored.sealed:
        return io.BytesIO(_clear_bytes(stored))
    return private_storage().open(stored.storage_name, "rb")


class FileChanged(Exception):
    """A stored file's clear content no longer matches the SHA-256 recorded when it was kept."""


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def open_verified(stored: StoredFile) -> IO[bytes]:
    """open_stored, after checking the content against the recorded SHA-256; raises FileChanged
    (and FileNotFoundError, SealBroken like open_stored).

    The hash is taken on the very handle that is then served, rewound, so no byte goes out
    before the whole file has been checked: files are bounded (UPLOAD_MAX_BYTES), and a changed
    file must be refused, not cut off halfway through a download."""
    handle = open_stored(stored)
    try:
        if sha256_of(handle) != stored.sha256:
            raise FileChanged(stored.pk)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle


def check_intact(stored: StoredFile) -> None:
    """Raise FileChanged unless the file's content matches its SHA-256: for a download that
    serves something made from the file (a rendition) rather than the file itself."""
    with open_verified(stored):
        pass


def delete_bytes_on_commit(sender: type[StoredFile], instance: StoredFile, **kwargs: Any) -> None:
    """post_delete of a StoredFile row: remove its bytes once the deletion commits.

    Connected in CoreConfig.ready: storage bookkeeping, not domain flow, and a signal is the one
    hook that also sees cascades and queryset deletes. After commit, so a rolled-back deletion
    keeps its file; robust, so a storage error after the commit does not fail the caller (the
    file is then an orphan that `cleanup_files` finds)."""
    name = instance.storage_name
    transaction.on_commit(lambda: private_storage().delete(name), robust=True)


def _replace(path: Path, data: bytes) -> None:
    """Write a stored file's new content atomically: a reader sees the old bytes or the new."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".seal-", delete=False) as tmp:
        tmp.write(data)
        tmp.flush()
    Path(tmp.name).replace(path)


def seal_in_place(storage_name: str) -> bool:
    """Encrypt a file stored in clear; False when it opens with the keys already, so that a run
    interrupted between the file and its row's flag can simply run again (a migration)."""
    path = _storage_path(storage_name)
    data = path.read_bytes()
    try:
        open_bytes(data)
        return False
    except SealBroken:
        _replace(path, seal_bytes(data))
        return True


def reseal_files(*, batch_size: int = 500) -> int:
    """Re-encrypt every sealed file with the newest key (rotate_seal_key); returns how many.

    Idempotent like core.sealing.reseal_all: a file sealed with the newest key already is left
    alone. Each file is replaced atomically, so an interrupted run leaves every file readable
    with the old or the new key. A file missing from storage is skipped: it holds nothing.
    """
    count = 0
    last = None
    while True:
        files = StoredFile.objects.filter(sealed=True).order_by("pk")
        if last is not None:
            files = files.filter(pk__gt=last)
        names = list(files.values_list("pk", "storage_name")[:batch_size])
        for _pk, storage_name in names:
            path = _storage_path(storage_name)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            token = resealed_bytes(data)
            if token is not None:
                _replace(path, token)
                count += 1
        if len(names) < batch_size:
            return count
        last = names[-1][0]


@dataclass(frozen=True)
class Rendition:
    """What a download serves instead of a stored file's bytes."""

    content: bytes
    filename: str
    content_type: str


_RENDITIONS: dict[type[models.Model], Callable[..., Rendition | None]] = {}


def register_rendition(owner_model: type[models.Model], render: Callable[..., Rendition | None]) -> None:
    """Files owned by owner_model are downloaded as render(stored, watermark=...) makes them,
    or as stored when it returns None. Called from the owning app's AppConfig.ready."""
    _RENDITIONS[owner_model] = render


def rendition_for(stored: StoredFile, *, watermark: str) -> Rendition | None:
    model = stored.owner_type.model_class() if stored.owner_type is not None else None
    render = _RENDITIONS.get(model) if model is not None else None
    return render(stored, watermark=watermark) if render is not None else None


def visible_to(stored: StoredFile, user: Any) -> bool:
    """A file is visible to whoever may view the record it belongs to (or to its uploader if none)."""
    if stored.owner_type is None:  # no query when the id is null
        return stored.uploaded_by_id == getattr(user, "pk", None)
    model = stored.owner_type.model_class()
    if model is None:
        return False
    queryset = model._default_manager.all()
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user).filter(pk=stored.owner_id).exists()
    return False
