from django.db import migrations


def seal_reply_files(apps, schema_editor):
    """Encrypt the files of partners' replies stored in clear before files were sealed (issue 11):
    workbooks, attachments and cover letters, all owned by a LetterReply. Needs the seal key,
    like 0006. One file at a time, the file before its flag: a run stopped halfway is run again
    (seal_in_place leaves a file that opens already as it is)."""
    from core.files import seal_in_place

    ContentType = apps.get_model("contenttypes", "ContentType")
    StoredFile = apps.get_model("core", "StoredFile")
    reply_type = ContentType.objects.filter(app_label="clues", model="letterreply").first()
    if reply_type is None:
        return
    files = StoredFile.objects.filter(owner_type=reply_type, sealed=False).values_list("pk", "storage_name")
    for pk, storage_name in files.iterator(chunk_size=500):
        try:
            seal_in_place(storage_name)
        except FileNotFoundError:
            continue  # nothing on disk to seal
        StoredFile.objects.filter(pk=pk).update(sealed=True)


class Migration(migrations.Migration):
    # Not atomic: each file's flag is committed right after its file is encrypted on disk,
    # which no transaction could roll back.
    atomic = False

    dependencies = [
        ("clues", "0007_pending_deliveries"),
        ("core", "0007_stored_file_sealed"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seal_reply_files, migrations.RunPython.noop)]
