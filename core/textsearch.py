"""Substring search that an index serves, for Chinese text without word breaks (issue 16 item 2).

A query is cut into terms at spaces and at the punctuation people type between words (，、；);
a row matches when each term is a substring of one of the fields an app searches (ASCII letters
in any case; clues: code, matter, allegation, source reference, reported persons' names and
positions; never a sealed field). The app gives that substring test (text_match's contains) and,
on PostgreSQL, its document: the same fields as one text, for the index.

PostgreSQL: trigram indexes need three characters and a Chinese name has two, so
xc_search_vector(document) (SQL, created by core migration 0017) turns the document into
tokens: every pair of neighbouring characters of a run of Chinese, Japanese or Korean characters
(bigrams), and every suffix of at least two characters (cut to 32) of a run of ASCII letters and
digits, lower-cased. An app indexes its document with GIN on that vector; a term becomes the AND
of its bigrams and, for each ASCII run, a prefix match ('0012':*; any substring of a word is a
prefix of one of its suffixes), all in one tsquery that the index answers. Every character
class is decided alike here and in the SQL (_WIDE, _ASCII), so the index never drops a row the
substring test would keep. Where the index's answer is exactly the substring test (a term of two
Chinese characters, or of 2 to 32 ASCII letters and digits) nothing else is evaluated; otherwise
(三字人名, a code with a dash, a term with a single Chinese character) the rows the index found
are checked with the substring test itself. A term with no run of two characters of one class
(a single Chinese character, "-") gives the index nothing to use: it is the substring test alone,
correct but a scan of the table, the price of a one-character query.

SQLite (the embedded default): the substring test alone, a scan; correct, not fast.
"""

import re
from collections.abc import Callable
from typing import Any

from django.db.models import BooleanField, Expression, Func, Q, TextField

# The SQL of xc_search_vector's character classes, shared with its migration so both read one text.
# Wide: kana (without the middle dot ・, a separator), CJK extension A, unified ideographs, Hangul
# syllables, compatibility ideographs, the supplementary ideograph planes (extensions B to H).
WIDE_CLASS = r"\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
ASCII_CLASS = "0-9a-z"
# An ASCII token is a suffix cut to this length: a longer run is matched on its first 32 characters
# and checked with the substring test.
ASCII_TOKEN_MAX = 32

SEARCH_VECTOR_SQL = rf"""
CREATE OR REPLACE FUNCTION xc_search_vector(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT array_to_tsvector(coalesce(array_agg(token), '{{}}'))
FROM (
    SELECT substr(word[1], i, {ASCII_TOKEN_MAX}) AS token
    FROM regexp_matches(
        translate(document, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '[{ASCII_CLASS}]{{2,}}', 'g'
    ) AS word, generate_series(1, length(word[1]) - 1) AS i
    UNION ALL
    SELECT substr(run[1], i, 2)
    FROM regexp_matches(document, '[{WIDE_CLASS}]{{2,}}', 'g') AS run, generate_series(1, length(run[1]) - 1) AS i
) AS tokens
$$
"""  # noqa: S608 - built from this module's constants
DROP_SEARCH_VECTOR_SQL = "DROP FUNCTION IF EXISTS xc_search_vector(text)"

_RUN = re.compile(rf"(?P<ascii>[{ASCII_CLASS}]+)|(?P<wide>[{WIDE_CLASS}]+)")
# Lower-cases ASCII only, as translate() does in the SQL: the same on every database and locale.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# What separates a query's terms: spaces and the list punctuation people type between words.
_TERM_BREAK = re.compile(r"[\s,，、;；]+")


def search_terms(q: str) -> list[str]:
    """The terms of a query, each to be found in the document; a query of separators only is one term."""
    return [term for term in _TERM_BREAK.split(q) if term] or ([q.strip()] if q.strip() else [])


def index_terms(term: str) -> tuple[list[str], bool]:
    """The tsquery lexemes the index must hold for term to be a substring of a document, and whether
    holding them is exactly that (no substring test needed)."""
    lexemes: list[str] = []
    runs = list(_RUN.finditer(term.translate(_ASCII_LOWER)))
    for run in runs:
        text = run.group()
        if run.lastgroup == "wide":
            # Tokens are letters, digits and CJK characters only: nothing to quote inside '...'.
            lexemes += [f"'{text[i : i + 2]}'" for i in range(len(text) - 1)]
        elif len(text) >= 2:
            lexemes.append(f"'{text[:ASCII_TOKEN_MAX]}':*")
    whole = len(runs) == 1 and runs[0].group() == term.translate(_ASCII_LOWER)
    exact = whole and (len(term) == 2 if runs[0].lastgroup == "wide" else 2 <= len(term) <= ASCII_TOKEN_MAX)
    return lexemes, exact


def holds(field: str, term: str) -> Q:
    """field holds term as a substring, case-folded only where term has a letter with case. For
    Chinese (no case) UPPER() on both sides of LIKE costs more than the LIKE itself: the search
    page's rectification items at 40,000 took 55-82 ms case-folded, 23 ms without (issue 16)."""
    lookup = "icontains" if term.lower() != term.upper() else "contains"
    return Q(**{f"{field}__{lookup}": term})


class SearchVector(Func):
    """xc_search_vector(document): the expression an app's GIN index is built on (PostgreSQL)."""

    function = "xc_search_vector"
    output_field = TextField()  # a tsvector, never read back


class _Matches(Func):
    """vector @@ tsquery, the lexemes given as they are (no parser between them and the index)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, vector: Expression, lexemes: list[str]) -> None:
        super().__init__(vector)
        self.tsquery = " & ".join(lexemes)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        vector, params = compiler.compile(self.source_expressions[0])
        return f"({vector} @@ %s::tsquery)", [*params, self.tsquery]


def text_match(q: str, *, vendor: str, vector: Expression, contains: Callable[[str], Q]) -> Q:
    """Rows where every term of q is found by contains(term), the substring test over the searched
    fields; on PostgreSQL the index condition on vector (SearchVector of the same text) comes
    first, and contains() is left out for the terms the index answers exactly. The test reads the
    columns themselves, not the indexed text: at a few microseconds a row instead of the tens the
    text's function costs, on every row the index found (measured in docs/benchmarks.md)."""
    condition = Q()
    lexemes: list[str] = []
    for term in search_terms(q):
        term_lexemes, exact = index_terms(term) if vendor == "postgresql" else ([], False)
        lexemes += term_lexemes
        if not exact:
            condition &= contains(term)
    return Q(_Matches(vector, lexemes)) & condition if lexemes else condition
