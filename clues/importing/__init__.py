"""Import of partner clue workbooks (DOMAIN §6): the column spec, the parser and the template.

from clues.importing import parse_clue_workbook, UnitRef, build_clue_template
"""

from clues.importing.parser import build_clue_error_workbook, error_marks, parse_clue_workbook
from clues.importing.result import Issue, ParsedRow, ParseResult, UnitRef
from clues.importing.template import build_clue_template

__all__ = [
    "Issue",
    "ParseResult",
    "ParsedRow",
    "UnitRef",
    "build_clue_error_workbook",
    "build_clue_template",
    "error_marks",
    "parse_clue_workbook",
]
