"""Possible duplicates: the same matter reported twice (often by the petitions bureau and the commission).

A clue is suggested as a duplicate of an earlier one of the same unit that names one of the
same people in the same month with a similar allegation. The custodian decides; nothing is
dropped automatically. The import and registration by hand use this one rule.
"""

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.db.models.functions import Substr

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
    head = (values.get("allegation") or "")[:_HEAD]
    month = (values.get("received_date") or "")[:7]
    return unit_id, Fingerprint(clue_id, names, head, month)


def is_same(a: Fingerprint, b: Fingerprint) -> bool:
    matcher = SequenceMatcher(None, a.head, b.head)
    # quick_ratio bounds ratio from above: most non-duplicates stop there.
    return matcher.quick_ratio() >= DUPLICATE_SIMILARITY and matcher.ratio() >= DUPLICATE_SIMILARITY


_HEAD = 50  # characters of the allegation compared


def _heads_from_db(ids: list[int]) -> dict[int, str]:
    heads: dict[int, str] = {}
    for start in range(0, len(ids), 1000):
        rows = Clue.objects.filter(pk__in=ids[start : start + 1000]).values_list(
            "pk", Substr("allegation_detail", 1, _HEAD)
        )
        heads.update(rows)
    return heads


class FingerprintIndex:
    """Clue ids by (unit, reported name, month): a row is compared only with its likely twins.

    Only a hash of each key and the ids are held, about 100 bytes a clue, so a round or an
    imported file of 100,000 clues stays small (the fingerprints themselves took 86 MiB there,
    issue 16); the allegation heads of a row's candidates are read when it is matched, by
    `heads` (from the database by default). Two keys with the same 64-bit hash would only add
    a candidate, still compared by its allegation.
    """

    def __init__(self, heads: Callable[[list[int]], dict[int, str]] = _heads_from_db) -> None:
        self._buckets: dict[int, int | list[int]] = {}
        self._heads = heads

    def add(self, unit_id: int, fp: Fingerprint) -> None:
        if fp.clue_id is None:
            return
        for name in fp.names:
            key = hash((unit_id, name, fp.month))
            bucket = self._buckets.get(key)
            if bucket is None:
                self._buckets[key] = fp.clue_id  # most keys hold one clue: no list for it
            elif isinstance(bucket, int):
                self._buckets[key] = [bucket, fp.clue_id]
            else:
                bucket.append(fp.clue_id)

    def _candidates(self, unit_id: int, fp: Fingerprint) -> list[int]:
        found: list[int] = []
        for name in fp.names:
            bucket = self._buckets.get(hash((unit_id, name, fp.month)))
            if bucket is not None:
                found.extend([bucket] if isinstance(bucket, int) else bucket)
        return found

    def match(self, unit_id: int, fp: Fingerprint) -> Fingerprint | None:
        return self.match_and_add([(unit_id, fp)], add=False)[0]

    def match_and_add(self, rows: list[tuple[int, Fingerprint]], *, add: bool = True) -> list[Fingerprint | None]:
        """For each row in order, the first known clue it looks like (or None), each row then
        known to the rows after it (add); the candidates' heads are read in one go."""
        candidates = []
        for unit_id, fp in rows:
            candidates.append(self._candidates(unit_id, fp))
            if add:
                self.add(unit_id, fp)
        own = {fp.clue_id: fp.head for _unit, fp in rows if fp.clue_id is not None}
        wanted = sorted({pk for found in candidates for pk in found if pk not in own})
        heads = {**self._heads(wanted), **own} if wanted else own
        matches: list[Fingerprint | None] = []
        for (_unit, fp), found in zip(rows, candidates, strict=True):
            match = None
            for pk in found:
                if pk != fp.clue_id and pk in heads:
                    known = Fingerprint(pk, fp.names, heads[pk], fp.month)
                    if is_same(known, fp):
                        match = known
                        break
            matches.append(match)
        return matches


def known_fingerprints(inspection_round: InspectionRound) -> FingerprintIndex:
    """Clues of the round already registered, for duplicate flags across all replies."""
    index = FingerprintIndex()
    rows = Clue.objects.filter(inspection_round=inspection_round).values_list(
        "pk", "inspected_unit_id", "reported_persons", "received_date"
    )
    for pk, unit_id, persons, received in rows.iterator(chunk_size=2000):
        index.add(*fingerprint(unit_id, {"reported_persons": persons, "received_date": received.isoformat()}, pk))
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
