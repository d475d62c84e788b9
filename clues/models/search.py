"""What the clue search reads (core.textsearch): a clue's searchable text and its index.

The text is the code, the matter (allegation_summary), the allegation, the source reference and
the string values of reported_persons (names and positions), one per line, so that a term, which
holds no space, never spans two of them; the matter is left out when the allegation begins with
it, as an imported clue's does (a term found in it is found in the allegation). Nothing else: the
reporter's identity (sealed, core.sealing) must never reach an index, where a search could tell
it from its absence.

On PostgreSQL the text is clue_search_text(...) (migration 0012) and clue_search_idx is a GIN
index on xc_search_vector of it: an expression index, so every write keeps it current whatever
the path (save, update(), the importer's COPY through core.bulk, a restore) and no column can go
stale. The substring test (contains) reads the fields themselves; on SQLite it is the whole search.
"""

import json
from typing import Any

from django.db.models import BooleanField, F, Func, Q, TextField

from core.textsearch import holds

CLUE_SEARCH_TEXT_SQL = r"""
CREATE OR REPLACE FUNCTION clue_search_text(
    code text, summary text, detail text, source_ref text, persons jsonb
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT code || E'\n'
    -- An imported clue's matter is the first 300 characters of its allegation: tokenised once.
    || CASE WHEN starts_with(detail, summary) THEN detail ELSE summary || E'\n' || detail END
    || E'\n' || source_ref || E'\n' || coalesce(
        (SELECT string_agg(value #>> '{}', E'\n')
         FROM jsonb_path_query(persons, 'strict $.** ? (@.type() == "string")') AS value),
        ''
    )
$$
"""
DROP_CLUE_SEARCH_TEXT_SQL = "DROP FUNCTION IF EXISTS clue_search_text(text, text, text, text, jsonb)"

# maintenance_work_mem: a GIN index is built in memory in chunks of it, merged at the end; more
# memory, fewer and larger chunks for a million clues' index (its build time: docs/benchmarks.md).
CLUE_SEARCH_INDEX_SQL = """
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX clue_search_idx ON clues_clue USING gin (
    xc_search_vector(clue_search_text(code, allegation_summary, allegation_detail, source_ref, reported_persons))
);
ANALYZE clues_clue;
"""
DROP_CLUE_SEARCH_INDEX_SQL = "DROP INDEX IF EXISTS clue_search_idx"

_COLUMNS = ("code", "allegation_summary", "allegation_detail", "source_ref", "reported_persons")


class ClueSearchText(Func):
    """A clue's searchable text: the same expression the index is built on, so PostgreSQL uses it."""

    function = "clue_search_text"
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(*(F(column) for column in _COLUMNS))


class _PersonsContain(Func):
    """True where a string of the clue's reported persons (a name, a position) holds term, in any case."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, term: str) -> None:
        super().__init__(F("reported_persons"))
        self.term = term

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        # json_tree: every string in the list, decoded (SQLite keeps JSON with \\u escapes).
        persons, params = compiler.compile(self.source_expressions[0])
        pattern = f"%{connection.ops.prep_for_like_query(self.term)}%"
        strings = f"SELECT 1 FROM json_tree({persons}) WHERE type = 'text' AND value LIKE %s ESCAPE '\\'"  # noqa: S608
        return f"EXISTS ({strings})", [*params, pattern]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # like_regex takes only a literal: the term goes into the path as a JSON string, read
        # literally ("q") in any case ("i").
        persons, params = compiler.compile(self.source_expressions[0])
        path = f'strict $.** ? (@.type() == "string" && @ like_regex {json.dumps(self.term, ensure_ascii=False)} flag "iq")'
        return f"jsonb_path_exists({persons}, %s::jsonpath)", [*params, path]


def contains(term: str) -> Q:
    """The substring test of the clue search (core.textsearch.text_match) over the searched fields."""
    return (
        holds("code", term)
        | holds("allegation_summary", term)
        | holds("allegation_detail", term)
        | holds("source_ref", term)
        | Q(_PersonsContain(term))
    )


class PersonNamed(Func):
    """True where one of the clue's reported persons is named exactly `name` (the search's first rank)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, name: str) -> None:
        super().__init__(F("reported_persons"))
        self.name = name

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        persons, params = compiler.compile(self.source_expressions[0])
        named = f"SELECT 1 FROM json_each({persons}) AS person WHERE json_extract(person.value, '$.name') = %s"  # noqa: S608
        return f"EXISTS ({named})", [*params, self.name]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        persons, params = compiler.compile(self.source_expressions[0])
        return f"({persons} @> jsonb_build_array(jsonb_build_object('name', %s::text)))", [*params, self.name]
