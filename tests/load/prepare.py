"""Work for the load test's office heads (scripts/loadtest, before the web server starts).

    python -m tests.load.prepare OUT_DIR [PER_PARTNER]

On the seeded demo, drafts PER_PARTNER supplementary letters to every partner of round 1,
each with a requested item, and submits them for approval, through the services the pages
call; writes their ids to OUT_DIR/pending.json for the simulated office heads to approve.
"""

import json
import os
import sys
from pathlib import Path

import django


def main() -> None:
    out, per_partner = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 30
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    # Imported once the app registry is ready (django.setup above).
    from clues.models import InfoRequestLetter
    from clues.services import letters
    from core.models import User
    from demo import data

    staff = User.objects.get(username="office_staff")
    mains = InfoRequestLetter.objects.filter(
        inspection_round__title=data.ROUND_1["title"], kind=InfoRequestLetter.Kind.MAIN
    ).order_by("partner__sort_order")
    pending = []
    for main in mains:
        for n in range(per_partner):
            letter = letters.create_supplementary_letter(main=main, by=staff)
            letter = letters.update_letter(letter=letter, by=staff, request_items=[f"压测补充事项{n + 1}"])
            pending.append(letters.submit_for_approval(letter=letter, by=staff).pk)
    (out / "pending.json").write_text(json.dumps(pending), encoding="utf-8")
    sys.stdout.write(f"loadtest: {len(pending)} supplementary letters awaiting the office head's approval\n")


if __name__ == "__main__":
    main()
