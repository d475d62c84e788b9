"""Load a clue workbook for a letter from the command line (late paper replies, past ledgers).

Exit status: 0 valid (and committed with --commit), 1 any row has an error (nothing
committed), 2 the file is rejected (nothing written). --json prints one object:
{"status", "committed", "nil_return", "data_rows", "clues_created", "errors", "warnings"}.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from clues.importing.result import Issue, ParsedRow, ParseResult
from clues.models import InfoRequestLetter
from clues.services.importing import NotClean, stream_for_letter
from clues.services.replies import import_paper_reply
from core.files import SPREADSHEET_KINDS, FileRejected, checked_upload
from core.models import User

EXIT_OK, EXIT_INVALID, EXIT_REJECTED = 0, 1, 2


class Command(BaseCommand):
    help = "Validate (dry run) or import and commit a partner clue workbook for a letter."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--letter", required=True, help="document number of the letter, e.g. 示巡办函〔2017〕3号")
        parser.add_argument("--commit", action="store_true", help="stage the file as a new batch and commit it")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            report, code = self._run(options)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self._print(report)
        sys.exit(code)

    def _run(self, options: dict[str, Any]) -> tuple[dict[str, Any], int]:
        report: dict[str, Any] = {
            "status": "rejected",
            "committed": False,
            "nil_return": False,
            "data_rows": 0,
            "clues_created": 0,
            "errors": [],
            "warnings": [],
        }
        letter = InfoRequestLetter.objects.filter(doc_number=options["letter"]).first()
        if letter is None:
            message = _("No letter has the document number %(number)s.") % {"number": options["letter"]}
            report["errors"].append({"row": 0, "column": "", "message": message})
            return report, EXIT_REJECTED
        user = User.objects.filter(username=options["user"]).first() if options.get("user") else None
        path = Path(options["path"])
        try:
            with (
                path.open("rb") as fh,
                checked_upload(upload=fh, name=path.name, allowed_kinds=SPREADSHEET_KINDS) as checked,
            ):
                # Rows stream from the parser (into the staging and the commit with --commit):
                # only their issues are kept, for the report.
                issues: list[Issue] = []
                data_rows = 0

                def watch(row: ParsedRow) -> None:
                    nonlocal data_rows
                    issues.extend(row.issues)
                    data_rows += row.kind == "data"

                stream = stream_for_letter(path=checked.path, kind=checked.kind, letter=letter, watch=watch)
                if options["commit"]:
                    try:
                        created = import_paper_reply(
                            letter=letter, checked=checked, name=path.name, result=stream, by=user
                        )
                    except NotClean:
                        created = None
                else:
                    created = None
                    for _row in stream:
                        pass
                result = stream.result()
                self._fill(report, result, issues, data_rows)
                if result.status != "ok":
                    return report, EXIT_INVALID if result.status == "invalid" else EXIT_REJECTED
                if created is not None:
                    report["committed"] = True
                    report["clues_created"] = created
        except FileRejected as exc:
            report["errors"].append({"row": 0, "column": "", "message": " ".join(exc.messages)})
            return report, EXIT_REJECTED
        except OSError as exc:
            message = _("The file cannot be read: %(reason)s") % {"reason": exc.strerror}
            report["errors"].append({"row": 0, "column": "", "message": message})
            return report, EXIT_REJECTED
        return report, EXIT_OK

    @staticmethod
    def _fill(report: dict[str, Any], result: ParseResult, row_issues: list[Issue], data_rows: int) -> None:
        report["status"] = result.status
        report["nil_return"] = result.nil_return
        # A rejected file reports no rows, as its batch keeps none.
        rejected = result.status == "rejected"
        report["data_rows"] = 0 if rejected else data_rows
        for issue in list(result.file_issues) + ([] if rejected else row_issues):
            key = "errors" if issue.severity == "error" else "warnings"
            report[key].append({"row": issue.row, "column": issue.column, "message": str(issue.message)})

    def _print(self, report: dict[str, Any]) -> None:
        with translation.override("zh-hans"):
            self.stdout.write(
                _(
                    "Status %(status)s; data rows %(rows)s; clues registered %(clues)s; errors %(errors)s; warnings %(warnings)s"
                )
                % {
                    "status": report["status"],
                    "rows": report["data_rows"],
                    "clues": report["clues_created"],
                    "errors": len(report["errors"]),
                    "warnings": len(report["warnings"]),
                }
            )
            for label, key in ((_("Error"), "errors"), (_("Warning"), "warnings")):
                for issue in report[key]:
                    where = _("row %(row)s") % {"row": issue["row"]}
                    self.stdout.write(f"  {label} {where} {issue['column']}: {issue['message']}")
