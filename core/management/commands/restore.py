import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, restore_backup
from core.backup.database import DatabaseToolFailed


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and an empty private file "
        "folder (--force replaces what is there), then check rows and files against its manifest. "
        "Exit 0 only when everything matches."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="the archive")
        parser.add_argument(
            "--force", action="store_true", help="replace a database and data folder that are not empty"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["path"].is_file():
            raise CommandError(_("No such archive: %(path)s") % {"path": options["path"]})
        try:
            result = restore_backup(options["path"], force=options["force"])
        except (BackupError, DatabaseToolFailed) as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            self.stderr.write(_("Restored, but the result does not match the backup's manifest."))
            sys.exit(1)
        self.stdout.write(_("Restored; every table and file matches the backup's manifest."))
