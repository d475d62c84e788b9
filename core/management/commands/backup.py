import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, create_backup
from core.backup.database import DatabaseToolFailed


class Command(BaseCommand):
    help = (
        "Write one dated archive into --output: the database (pg_dump, or SQLite's online backup), "
        "the private files as stored, and a manifest of SHA-256 sums. The archive's path is the last "
        "line printed. Exit 1 when rows name files that were not on disk (the archive lists them)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", required=True, type=Path, help="folder to write the archive into")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(options["output"])
        except (BackupError, DatabaseToolFailed) as exc:
            raise CommandError(str(exc)) from exc
        for name in result.missing_files:
            self.stderr.write(_("Not on disk, so not in the archive: %(name)s") % {"name": name})
        if result.missing_files:
            self.stderr.write(_("The archive is incomplete: run verify_files."))
        # Last line of stdout: what a script keeps (`| tail -n 1`).
        self.stdout.write(str(result.path))
        if result.missing_files:
            sys.exit(1)
