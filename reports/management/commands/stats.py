import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.statistics import compute_all
from inspection.models import InspectionRound
from reports.selectors.dashboard import figures as dashboard_figures


class Command(BaseCommand):
    help = "Print the statistics the office reports (docs/domain.md §4.1), computed from the records."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object keyed by statistic code")
        parser.add_argument(
            "--round",
            type=int,
            metavar="N",
            help="restrict to the round with this id (figures no round narrows, like the pool size, are left out)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["round"] is None:
            figures = compute_all()
        else:
            # The dashboard's selectors: the page's "selected round" column is this output.
            inspection_round = InspectionRound.objects.filter(pk=options["round"]).first()
            if inspection_round is None:
                raise CommandError(f"No round with id {options['round']}.")
            figures = dashboard_figures(inspection_round)
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
            return
        width = max((len(code) for code in figures), default=0)
        for code, value in figures.items():
            self.stdout.write(f"{code.ljust(width)}  {value}")
