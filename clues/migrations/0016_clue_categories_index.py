"""A GIN index over the clues' categories on PostgreSQL (issue 16): the registry's category filter
asks `categories @> '["code"]'`, which it serves; a rare category otherwise read every clue
(300 ms at a million). SQLite has no such index and filters as before (clues.selectors.registry)."""

from django.db import migrations

INDEX = "clue_categories_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON clues_clue USING gin (categories jsonb_path_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("clues", "0015_clue_grant_by_clue")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
