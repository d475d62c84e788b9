"""Possible duplicates: the same matter reported twice (often by the petitions bureau and the commission).

A clue is suggested as a duplicate of an earlier one of the same unit that names one of the
same people in the same month with a similar allegation. The custodian decides; nothing is
dropped automatically. The import and registration by hand use this one rule.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from clues.models import Clue
from inspection.models import InspectionRound

# Allegations whose first 50 characters are at least this similar are flagged as possible duplicates.
DUPLICATE_SIMILARITY = 0.8


@dataclass
class Fingerprint:
    clue_id: int | None
    names: frozenset[str]
    head: str
    month: str


def fingerprint(unit_id: int, values: dict[str, Any], clue_id: int | None = None) -> tuple[int, Fingerprint]:
    names = frozenset(p["name"] for p in values.get("reported_persons", []) if not p.get("placeholder"))
    head = (values.get("allegation") or "")[:50]
    month = (values.get("received_date") or "")[:7]
    return unit_id, Fingerprint(clue_id, names, head, month)


def is_same(a: Fingerprint, b: Fingerprint) -> bool:
    matcher = SequenceMatcher(None, a.head, b.head)
    # quick_ratio bounds ratio from above: most non-duplicates stop there.
    return matcher.quick_ratio() >= DUPLICATE_SIMILARITY and matcher.ratio() >= DUPLICATE_SIMILARITY


class FingerprintIndex:
    """Fingerprints by (unit, reported name, month): a row is compared only with its likely twins."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, str, str], list[Fingerprint]] = {}

    def add(self, unit_id: int, fp: Fingerprint) -> None:
        for name in fp.names:
            self._buckets.setdefault((unit_id, name, fp.month), []).append(fp)

    def match(self, unit_id: int, fp: Fingerprint) -> Fingerprint | None:
        for name in fp.names:
            for known in self._buckets.get((unit_id, name, fp.month), ()):
                if is_same(known, fp):
                    return known
        return None


def known_fingerprints(inspection_round: InspectionRound) -> FingerprintIndex:
    """Clues of the round already registered, for duplicate flags across all replies."""
    index = FingerprintIndex()
    rows = Clue.objects.filter(inspection_round=inspection_round).values(
        "pk", "inspected_unit_id", "reported_persons", "allegation_detail", "received_date"
    )
    for row in rows.iterator(chunk_size=2000):
        values = {
            "reported_persons": row["reported_persons"],
            "allegation": row["allegation_detail"],
            "received_date": row["received_date"].isoformat(),
        }
        index.add(*fingerprint(row["inspected_unit_id"], values, row["pk"]))
    return index


def suggested_original(clue: Clue) -> Clue | None:
    """The earlier clue of the round this new one may duplicate, if any."""
    values = {
        "reported_persons": clue.reported_persons,
        "allegation": clue.allegation_detail,
        "received_date": clue.received_date.isoformat(),
    }
    unit_id, fp = fingerprint(clue.inspected_unit_id, values)
    match = known_fingerprints(clue.inspection_round).match(unit_id, fp)
    return Clue.objects.filter(pk=match.clue_id).first() if match and match.clue_id is not None else None
