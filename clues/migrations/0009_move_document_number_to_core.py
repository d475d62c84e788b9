from django.db import migrations


class Migration(migrations.Migration):
    """DocumentNumber now belongs to core (core 0008 adds it to core's state with the same
    db_table): state only, the table and its rows stay."""

    dependencies = [
        ("clues", "0008_seal_reply_files"),
        ("core", "0008_document_number"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DocumentNumber")],
            database_operations=[],
        ),
    ]
