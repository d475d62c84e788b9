"""The invariants of the records, checked over the whole database by `manage.py check_records` (issue 13 item 9).

Each app registers its checks from its AppConfig.ready (in its records.py): a check looks at every
record it knows and returns one line per violation, in the reader's language, naming the record.
The round's stage guards are one such check (inspection): a round must satisfy the guards of the
move into the stage it is in. The demo passes them all; a corrupted record is listed.
"""

from collections.abc import Callable
from dataclasses import dataclass

RecordCheck = Callable[[], list[str]]
_CHECKS: dict[str, RecordCheck] = {}


def register_record_check(name: str, check: RecordCheck) -> RecordCheck:
    """Add a check to `check_records`; a name is registered once (a second ready() changes nothing)."""
    _CHECKS.setdefault(name, check)
    return check


@dataclass(frozen=True)
class Violation:
    check: str
    message: str


def run_record_checks() -> list[Violation]:
    """Every registered check, in the order registered; the violations they find."""
    return [Violation(name, message) for name, check in _CHECKS.items() for message in check()]


def registered_checks() -> list[str]:
    return list(_CHECKS)
