import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.services import calendar
from core.workdays import table_end


class Command(BaseCommand):
    help = (
        "Load statutory holidays and make-up workdays from the chinese-calendar package into the "
        "calendar table and mark those years complete: every year the package knows, or the years "
        "given with --year. Exit 1 when the package does not know a year asked for (enter that "
        "year in the administration instead)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", dest="years", help="a year to load (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        known = calendar.package_years()
        result = calendar.load_holidays(years=options["years"])
        version = calendar.package_version()
        if result.loaded:
            self.stdout.write(
                f"loaded {', '.join(map(str, result.loaded))} from chinese-calendar {version} "
                f"({result.days} days added or changed)"
            )
        end = table_end()
        self.stdout.write(f"the calendar is complete through {end.isoformat() if end else '(no year)'}")
        if result.missing:
            self.stderr.write(
                f"chinese-calendar {version} has no data for {', '.join(map(str, result.missing))} "
                f"(it knows {known[0]}-{known[-1]}): enter those years' holidays and make-up workdays "
                "in the administration (Holiday and workday calendar) and add them to the complete "
                "calendar years, or upgrade the package once it has them"
            )
            sys.exit(1)
