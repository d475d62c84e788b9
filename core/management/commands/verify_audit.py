import sys
from typing import Any

from django.core.management.base import BaseCommand

from core.audit import first_broken_link


class Command(BaseCommand):
    help = 'Check the audit log\'s hash chain: print "intact" (exit 0) or the first broken entry (exit 1).'

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_link()
        if broken is None:
            self.stdout.write("intact")
            return
        self.stderr.write(f"broken at audit entry {broken.entry_id}: {broken.reason}")
        sys.exit(1)
