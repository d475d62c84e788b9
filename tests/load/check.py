"""After the load test: every action the simulated users took landed exactly once.

    python -m tests.load.check OUT_DIR

Reads the ledgers tests/load/locustfile.py wrote (approved.jsonl, contacts.jsonl) and the
letters tests/load/prepare.py made (pending.json), then checks the database:

- every letter an office head approved is sent, with its own document number, one delivery
  (done), the partner's circle granted view and answer once, one notice per partner user
  and one reminder plan; no letter was approved that nobody approved (double clicks refused);
- every contact a liaison officer logged is in the contact log exactly once, and nothing else.

Deliveries still pending once the worker has had its time are reported, then left to the
delivery sweep (run here, as beat runs it every five minutes) before the check. Exit 0 when
everything holds, 1 otherwise.
"""

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

WAIT_SECONDS = 60  # for the worker to finish, then again for the sweep


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _wait_until(predicate: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def _say(text: str) -> None:
    sys.stdout.write(f"loadtest check: {text}\n")
    sys.stdout.flush()


def main() -> int:
    out = Path(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    # Imported once the app registry is ready (django.setup above).
    from django.contrib.contenttypes.models import ContentType

    from clues.models import InfoRequestLetter, LetterGroupObjectPermission
    from clues.services import letters
    from core import delivery
    from core.models import Delivery, Notification, Reminder
    from liaison.models import ContactLogEntry

    problems: list[str] = []
    prepared = set(json.loads((out / "pending.json").read_text(encoding="utf-8")))
    approvals = _lines(out / "approved.jsonl")
    approved = {row["letter"] for row in approvals}
    doubles = sum(row["double_click"] for row in approvals)
    moved = set(
        InfoRequestLetter.objects.filter(pk__in=prepared)
        .exclude(status=InfoRequestLetter.Status.PENDING_APPROVAL)
        .values_list("pk", flat=True)
    )
    _say(
        f"{len(approvals)} approvals posted ({doubles} with a double click), {len(moved)} of the {len(prepared)} prepared letters approved"
    )
    if len(approved) != len(approvals):
        problems.append("a letter was approved twice in the ledger")
    if moved != approved:
        problems.append(
            f"approved without a ledger entry: {sorted(moved - approved)}; lost: {sorted(approved - moved)}"
        )

    letter_type = ContentType.objects.get_for_model(InfoRequestLetter)
    deliveries = Delivery.objects.filter(target_type=letter_type, target_id__in=approved)
    pending = deliveries.filter(state=Delivery.State.PENDING)
    if _wait_until(lambda: not pending.exists()):
        _say("every delivery was done by the worker, without the sweep")
    else:
        # What the worker left pending waits for the sweep (beat: every five minutes); run it now.
        _say(f"{pending.count()} deliveries still pending {WAIT_SECONDS}s after the load: running the delivery sweep")
        delivery.sweep()
        _wait_until(lambda: not pending.exists())

    numbers = Counter(InfoRequestLetter.objects.exclude(doc_number="").values_list("doc_number", flat=True).order_by())
    repeated = [number for number, count in numbers.items() if count > 1]
    if repeated:
        problems.append(f"document numbers given twice: {repeated}")
    rows = Counter(deliveries.values_list("target_id", flat=True).order_by())
    done = set(deliveries.filter(state=Delivery.State.DONE).values_list("target_id", flat=True))
    for letter in InfoRequestLetter.objects.filter(pk__in=approved).select_related("partner"):
        partner_users = {user.pk for user in letters.partner_users(letter.partner)}
        recipients = Counter(
            Notification.objects.filter(url=f"/letters/{letter.pk}/").values_list("recipient", flat=True).order_by()
        )
        effects = {
            "deliveries": rows[letter.pk],
            "done": letter.pk in done and letter.delivered_at is not None,
            "grants": LetterGroupObjectPermission.objects.filter(content_object=letter).count(),
            "one notice each": dict(recipients) == dict.fromkeys(partner_users, 1),
            "reminders": Reminder.objects.filter(target_type=letter_type, target_id=str(letter.pk)).count(),
        }
        expected = {
            "deliveries": 1,
            "done": True,
            "grants": 2,
            "one notice each": True,
            "reminders": len(letters.reminder_plan(letter)),
        }
        if effects != expected:
            problems.append(f"letter {letter.pk}: {effects}, expected {expected}")
    _say(f"{len(done)} of {len(approved)} approved letters delivered; each checked for exactly one of everything")

    tokens = Counter(row["token"] for row in _lines(out / "contacts.jsonl"))
    logged = Counter(
        subject.removeprefix("压测联络 ")
        for subject in ContactLogEntry.objects.filter(subject__startswith="压测联络 ").values_list("subject", flat=True)
    )
    _say(f"{sum(tokens.values())} contacts logged by the liaison officers, {sum(logged.values())} in the contact log")
    if logged != tokens or any(count != 1 for count in logged.values()):
        problems.append(f"contact log differs from the ledger: missing {tokens - logged}, extra {logged - tokens}")

    for problem in problems[:20]:
        _say(f"FAILED {problem}")
    _say("every action landed exactly once" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
