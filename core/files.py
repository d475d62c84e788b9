"""Private file storage: random names, SHA-256 and size recorded, type sniffed from content,
size and unpacked-size limits, downloads only through a permission-checked, logged view.

Watermarks (DOMAIN §5.2 rule 9): every file the app generates (exports, letters, error
workbooks, templates) carries its reader's watermark (core.watermark). Stored originals
(partner workbooks, cover letters, evidence) are served as uploaded, their download logged
with its reader and time, and not watermarked: they are the record of what was sent, checked
against the SHA-256 kept here, which a stamped copy would no longer match; and rewriting the
properties of an uploaded OOXML package without lxml means re-zipping files from Excel/WPS
variants we have not seen, for a mark a reader never sees. Who may download them is narrow
instead (a reply's files: its partner, the custodian and the office head).
"""

import hashlib
import io
import struct
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.models import StoredFile

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
    from xlrd.compdoc import CompDoc, CompDocError

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
        if kind not in allowed:
            raise FileRejected(
                _("This type of file is not accepted here. Accepted types: %(kinds)s.") % {"kinds": _describe(allowed)}
            )
        if kind in {"xlsx", "xlsm", "docx"}:
            check_archive(tmp.name)
        yield CheckedFile(path=tmp.name, kind=kind, size=size, sha256=digest.hexdigest())


def keep_checked(*, checked: CheckedFile, name: str, uploaded_by: Any, owner: models.Model | None = None) -> StoredFile:
    """Move a checked file into private storage under a random name and record it."""
    with open(checked.path, "rb") as fh:  # noqa: PTH123 - a temp path string
        stored_name = private_storage().save(f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}", File(fh))
    try:
        return StoredFile.objects.create(
            storage_name=stored_name,
            original_name=PurePath(name).name[:255] or "file",
            kind=checked.kind,
            content_type=_MIME.get(checked.kind, "application/octet-stream"),
            size=checked.size,
            sha256=checked.sha256,
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
    *, upload: IO[bytes], name: str, uploaded_by: Any, allowed_kinds: Iterable[str], owner: models.Model | None = None
) -> StoredFile:
    """Check and keep an uploaded file; raises FileRejected (nothing stored) when it is refused."""
    with checked_upload(upload=upload, name=name, allowed_kinds=allowed_kinds) as checked:
        return keep_checked(checked=checked, name=name, uploaded_by=uploaded_by, owner=owner)


def stored_path(stored: StoredFile) -> str:
    """A local path to read a stored file from (private storage is a local filesystem)."""
    return private_storage().path(stored.storage_name)


def open_stored(stored: StoredFile) -> IO[bytes]:
    return private_storage().open(stored.storage_name, "rb")


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
