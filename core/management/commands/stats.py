import json
from typing import Any

from django.core.management.base import BaseCommand

from core.statistics import compute_all


class Command(BaseCommand):
    help = "Print the statistics the office reports (DOMAIN §4.1), computed from the records."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object keyed by statistic code")

    def handle(self, *args: Any, **options: Any) -> None:
        figures = compute_all()
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
            return
        width = max((len(code) for code in figures), default=0)
        for code, value in figures.items():
            self.stdout.write(f"{code.ljust(width)}  {value}")
