"""xc_search_vector(text), the tokens of core.textsearch that apps build their GIN indexes on (PostgreSQL only)."""

from django.db import migrations

from core.textsearch import DROP_SEARCH_VECTOR_SQL, SEARCH_VECTOR_SQL


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_VECTOR_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SEARCH_VECTOR_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0017_reminder_level_choices"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
