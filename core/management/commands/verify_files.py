import sys
from typing import Any

from django.core.management.base import BaseCommand

from core.integrity import describe, verify_files


class Command(BaseCommand):
    help = (
        "Check every stored file against its SHA-256 and look for orphan files (on disk, no row): "
        "prints what is missing, changed, does not open with the seal keys, or orphaned. Exit 0 "
        "when everything matches, 1 otherwise."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=None,
            help="files younger than this are not orphans (default: ORPHAN_GRACE_MINUTES, 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_files(grace_minutes=options["grace_minutes"])
        self.stdout.write(describe(report, limit=None))
        if not report.ok:
            sys.exit(1)
