"""Document numbers (core.numbering) and the move of their counter table from clues to core."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from core.models import DocumentNumber
from core.numbering import next_doc_number, next_numbers

pytestmark = pytest.mark.django_db


def test_numbers_follow_each_other_per_series_and_year():
    assert next_doc_number(series="s", year=2024, fmt="函〔{year}〕{n}号") == "函〔2024〕1号"
    assert next_doc_number(series="s", year=2024, fmt="函〔{year}〕{n}号") == "函〔2024〕2号"
    assert next_doc_number(series="s", year=2025, fmt="{year}-{n}") == "2025-1"
    assert next_doc_number(series="t", year=2024, fmt="{n}") == "1"
    assert list(next_numbers(series="s", year=2024, count=3)) == [3, 4, 5]
    assert DocumentNumber.objects.get(series="s", year=2024).last == 5


def test_the_counters_keep_their_table_and_rows_after_the_move():
    assert DocumentNumber._meta.db_table == "clues_documentnumber"
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO clues_documentnumber (series, year, last) VALUES ('old', 2023, 41)")
    assert next_doc_number(series="old", year=2023, fmt="{n}") == "42"


def test_the_migration_state_has_the_model_in_core_only():
    state = MigrationLoader(connection).project_state()
    assert ("core", "documentnumber") in state.models
    assert ("clues", "documentnumber") not in state.models
    assert state.models["core", "documentnumber"].options["db_table"] == "clues_documentnumber"
