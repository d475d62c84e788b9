from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.integrity import delete_orphans, find_orphans


class Command(BaseCommand):
    help = (
        "List orphan files (in private storage, with no StoredFile row, older than the grace "
        "period: an upload whose transaction never committed). A dry run unless --delete."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--delete", action="store_true", help="delete the orphans (default: only list them)")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=None,
            help="files younger than this are left alone (default: ORPHAN_GRACE_MINUTES, 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        orphans = find_orphans(grace_minutes=options["grace_minutes"])
        for name in orphans:
            self.stdout.write(name)
        if not options["delete"]:
            self.stdout.write(
                _("%(count)s orphan files; nothing deleted (dry run; add --delete to delete them).")
                % {"count": len(orphans)}
            )
            return
        deleted = delete_orphans(orphans)
        self.stdout.write(_("%(count)s orphan files deleted.") % {"count": len(deleted)})
