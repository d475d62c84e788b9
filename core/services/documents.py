"""The office head replaces a document kind's Word template, or reverts to the default."""

from typing import IO, Any

from django.db import transaction

from core import audit
from core.documents import check_template
from core.files import checked_upload, keep_checked
from core.models import AuditLog, DocumentTemplate, StoredFile


@transaction.atomic
def upload_template(*, by: Any, kind: str, upload: IO[bytes], name: str) -> DocumentTemplate:
    """Check the upload (a .docx that renders with the kind's sample context) and make it the
    kind's template; raises FileRejected, nothing stored, when it does not render."""
    with checked_upload(upload=upload, name=name, allowed_kinds={"docx"}) as checked:
        check_template(kind, checked.path)
        stored = keep_checked(checked=checked, name=name, uploaded_by=by)
    previous = DocumentTemplate.objects.select_for_update(no_key=True).filter(kind=kind).first()
    if previous is not None:
        old_file = previous.file
        previous.delete()
        StoredFile.objects.filter(pk=old_file.pk).delete()
    template = DocumentTemplate.objects.create(kind=kind, file=stored, uploaded_by=by)
    stored.owner = template
    stored.save(update_fields=["owner_type", "owner_id"])
    audit.log_change(user=by, obj=template, before=None)
    return template


@transaction.atomic
def revert_template(*, by: Any, kind: str) -> bool:
    """Back to the default shipped with the app; False when the kind had no own template."""
    template = DocumentTemplate.objects.select_for_update(no_key=True).filter(kind=kind).first()
    if template is None:
        return False
    audit.log_action(user=by, action=AuditLog.Action.DELETE, obj=template, note=template.file.original_name)
    stored = template.file
    template.delete()
    stored.delete()
    return True
