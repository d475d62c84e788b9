from django.db import migrations, models


class Migration(migrations.Migration):
    """DocumentNumber moves from clues to core: state only, the table clues_documentnumber stays
    as it is (db_table) with its rows; clues 0009 removes the model from the clues state."""

    dependencies = [
        ("core", "0007_stored_file_sealed"),
        ("clues", "0008_seal_reply_files"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentNumber",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("series", models.CharField(max_length=50, verbose_name="series")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("last", models.PositiveIntegerField(default=0, verbose_name="last number")),
                    ],
                    options={
                        "verbose_name": "document number series",
                        "verbose_name_plural": "document number series",
                        "db_table": "clues_documentnumber",
                        "constraints": [
                            models.UniqueConstraint(fields=("series", "year"), name="document_number_once_per_year")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
