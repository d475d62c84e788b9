import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from core.records import run_record_checks


class Command(BaseCommand):
    help = (
        "Check every record against the rules the platform enforces (each round against the guards of its "
        "stage, and each app's invariants): list the violations and exit 1, or exit 0 when there are none."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            violations = run_record_checks()
            for violation in violations:
                self.stdout.write(f"[{violation.check}] {violation.message}")
            if violations:
                self.stdout.write(_("%(count)s violations found.") % {"count": len(violations)})
                sys.exit(1)
            self.stdout.write(_("Every record follows the rules."))
