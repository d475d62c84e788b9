from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.files import reseal_files
from core.sealing import SealBroken, reseal_all


class Command(BaseCommand):
    help = (
        "Re-seal every sealed value (the reporter's identity) and every sealed file (a partner's "
        "reply) with the newest key, the first of "
        "XC_SEAL_KEYS. Rotation: put the new key first (XC_SEAL_KEYS=NEW,OLD), restart, run this, "
        "then drop the old key."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="rows per transaction, files per query (default 500)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            count = reseal_all(batch_size=options["batch_size"])
            files = reseal_files(batch_size=options["batch_size"])
        except SealBroken as exc:
            raise CommandError(f"{exc} Keep every old key in XC_SEAL_KEYS until the rotation has finished.") from exc
        self.stdout.write(
            f"Re-sealed {count} values and {files} files with the newest key; everything sealed now opens with it alone."
        )
