"""The roster template: one header row, drop-downs for every coded column and for the units.

The Chinese text here is workbook content, not interface text, so it is written directly.
"""

import io
from collections.abc import Sequence
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.worksheet import Worksheet

from core.excel.export import mark_properties
from talentpool.importing import spec

DATA_SHEET = "人才库名册"
LIST_SHEET = "字典"
TEMPLATE_ROWS = 1000

_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")


def build_roster_template(*, unit_names: Sequence[str], watermark: str) -> bytes:
    """xlsx bytes: the header in row 1, lists in a hidden sheet, drop-downs down to row 1001; the
    watermark in the printed page header and the file's properties, out of the cells read back."""
    workbook = Workbook()
    mark_properties(workbook, watermark)
    # A new workbook's active sheet is its one worksheet.
    sheet = cast(Worksheet, workbook.active)
    # A new sheet always has its header items (openpyxl makes them).
    cast(HeaderFooterItem, sheet.oddHeader).center.text = watermark
    sheet.title = DATA_SHEET
    for index, column in enumerate(spec.COLUMNS, start=1):
        cell = sheet.cell(1, index, column.label)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    # Phone numbers must stay text, or Excel shows them in scientific notation.
    phone = _letter("phone")
    for row in range(2, TEMPLATE_ROWS + 2):
        sheet[f"{phone}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    _drop_downs(workbook, sheet, unit_names)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(key: str) -> str:
    return get_column_letter(list(spec.BY_KEY).index(key) + 1)


def _drop_downs(workbook: Workbook, sheet: Worksheet, unit_names: Sequence[str]) -> None:
    lists = workbook.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    # (columns, values, strict): several specialties may share a cell, and a unit may be new
    # to the list's spelling, so those lists only suggest.
    choices = (
        (("gender",), spec.labels(spec.GENDERS), True),
        (("rank",), spec.labels(spec.RANK_CHOICES), True),
        (("specialty",), spec.labels(spec.SPECIALTIES), False),
        (("pool",), spec.labels(spec.POOLS), True),
        (("status",), spec.labels(spec.STATUSES), True),
        (("home_unit", "nominated_by"), list(unit_names), False),
    )
    for index, (keys, values, strict) in enumerate(choices, start=1):
        if not values:
            continue
        letter = get_column_letter(index)
        for offset, value in enumerate(values, start=1):
            lists.cell(offset, index, value)
        source = f"'{LIST_SHEET}'!${letter}$1:${letter}${len(values)}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=strict)
        validation.error = "请从下拉列表中选择。"
        for key in keys:
            validation.add(f"{_letter(key)}2:{_letter(key)}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
