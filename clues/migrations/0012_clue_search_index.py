"""The clue search's GIN index (clues.models.search; PostgreSQL only): built over the existing rows here,
so this migration is the backfill (its time at a million clues is in docs/benchmarks.md)."""

from django.db import migrations

from clues.models.search import (
    CLUE_SEARCH_INDEX_SQL,
    CLUE_SEARCH_TEXT_SQL,
    DROP_CLUE_SEARCH_INDEX_SQL,
    DROP_CLUE_SEARCH_TEXT_SQL,
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CLUE_SEARCH_TEXT_SQL)
        schema_editor.execute(CLUE_SEARCH_INDEX_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CLUE_SEARCH_INDEX_SQL)
        schema_editor.execute(DROP_CLUE_SEARCH_TEXT_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0011_letter_urgency_mark"),
        ("core", "0018_search_vector"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
