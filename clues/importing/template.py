"""The clue workbook sent with each letter (docs/domain.md §6.1), prefilled for one partner and letter.

The Chinese text here is document content for the partner, not interface text, so it is
written directly rather than translated.
"""

import io
from collections.abc import Sequence
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.worksheet import Worksheet

from clues.importing import spec
from clues.models.categories import CATEGORY_LABELS
from core.excel.columns import RANKS
from core.excel.export import mark_properties

DATA_SHEET = "问题线索"
HELP_SHEET = "填表说明"
LIST_SHEET = "字典"
HEADER_ROW = 3
FIRST_DATA_ROW = 4
TEMPLATE_ROWS = 1000  # rows that carry the drop-down lists and text formats

_THIN = Side(style="thin", color="FF808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_TEXT_KEYS = ("source_ref",)  # reference numbers must never become numbers (quirk 28)

_INSTRUCTIONS = (
    "请在“问题线索”工作表第4行起逐行填写，每条问题线索占一行，不要插入合并单元格、小计行或空行。",
    "“被巡察单位”请从下拉列表中选择，只能填写本函所列单位。",
    "“被反映人姓名”每行可填写一人或多人，多人之间用顿号“、”分隔；姓名不详的可填“不详”。",
    "“单位及职务”填写被反映人现任单位和职务；“职级”“是否中共党员”“问题类别”“线索来源”“办理情况”请从下拉列表中选择。",
    "“问题类别”可选多项，用顿号“、”分隔，例如：廉洁纪律、八项规定精神。",
    "“反映的主要问题”请写明时间、地点、人物、事项，10至2000字，可在单元格内换行（Alt+Enter）。",
    "“来源编号或文号”填写信访件编号、审计报告文号、案号等，按文本填写，勿填为数字。",
    "“收到(发现)时间”请填写具体日期，格式如2017-08-03；只知道月份的可填2017-08，只知道年份的可填2017。",
    "“涉及金额(万元)”以万元为单位填写数字，例如1.5；不涉及金额的留空。",
    "“反映人”填写举报人或信访人姓名，匿名的填“匿名”。此栏信息严格保密，仅限线索管理人员查看。",
    "“佐证材料”写明材料名称和附件序号，附件随回函一并上传。",
    "经查无相关问题线索的，请在第4行“反映的主要问题”栏填写“经查，未发现相关问题线索”，或不填写任何数据行。",
    "请勿修改表头、工作表名称和列的顺序。填报完成后加盖单位公章，随回函扫描件一并上传。",
)


def build_clue_template(
    *, title: str, partner_name: str, doc_number: str, unit_names: Sequence[str], watermark: str
) -> bytes:
    """xlsx bytes: 问题线索 (title, metadata, header, drop-downs), 填表说明, hidden 字典.

    The form goes back to us filled in, so its watermark stays out of the cells: in the
    printed page header and the file's properties.
    """
    workbook = Workbook()
    mark_properties(workbook, watermark)
    # A new workbook's active sheet is its one worksheet.
    sheet = cast(Worksheet, workbook.active)
    # A new sheet always has its header items (openpyxl makes them).
    cast(HeaderFooterItem, sheet.oddHeader).center.text = watermark
    sheet.title = DATA_SHEET
    _title_and_metadata(sheet, title, partner_name, doc_number)
    for index, column in enumerate(spec.COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.label)
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), _HEADER_FILL, _WRAP, _BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 36
    _text_formats(sheet)
    _drop_downs(workbook, sheet, unit_names)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    _instructions(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column(key: str) -> str:
    return get_column_letter([column.key for column in spec.COLUMNS].index(key) + 1)


def _title_and_metadata(sheet: Worksheet, title: str, partner_name: str, doc_number: str) -> None:
    last = get_column_letter(len(spec.COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    # label cell, value range: five pairs across the seventeen columns
    layout = (
        ("A2", "填报单位(盖章):", "C2:E2", partner_name),
        ("F2", "填报人:", "G2:H2", ""),
        ("I2", "联系电话:", "J2:K2", ""),
        ("L2", "填报日期:", "M2:N2", ""),
        ("O2", "文号:", "P2:Q2", doc_number),
    )
    sheet.merge_cells("A2:B2")
    for label_cell, label, value_range, value in layout:
        sheet[label_cell] = label
        sheet[label_cell].font = Font(bold=True)
        sheet[label_cell].alignment = Alignment(horizontal="right", vertical="center")
        sheet.merge_cells(value_range)
        first = value_range.split(":")[0]
        sheet[first] = value or None
        sheet[first].number_format = "@"
        sheet[first].border = Border(bottom=_THIN)
    sheet.row_dimensions[2].height = 22


def _text_formats(sheet: Worksheet) -> None:
    for key in _TEXT_KEYS:
        letter = _column(key)
        for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + TEMPLATE_ROWS):
            sheet[f"{letter}{row}"].number_format = "@"
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + TEMPLATE_ROWS):
        sheet[f"{_column('received_date')}{row}"].number_format = "yyyy-mm-dd"
        sheet[f"{_column('allegation')}{row}"].alignment = Alignment(wrap_text=True, vertical="top")


def _drop_downs(workbook: Workbook, sheet: Worksheet, unit_names: Sequence[str]) -> None:
    lists = workbook.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    choices = {
        "inspected_unit": list(unit_names),
        "reported_rank": [names[0] for names in RANKS.values()],
        "is_party_member": ["是", "否", "不详"],
        "category": list(CATEGORY_LABELS.values()),
        "source_channel": [names[0] for names in spec.SOURCES.values()],
        "handling_status": [names[0] for names in spec.STATUSES.values()],
    }
    last_row = FIRST_DATA_ROW + TEMPLATE_ROWS - 1
    for index, (key, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(1, index, spec.BY_KEY[key].label)
        for offset, value in enumerate(values, start=2):
            lists.cell(offset, index, value)
        if not values:
            continue
        source = f"'{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        # Several categories may be listed in one cell, so that list only suggests values.
        strict = key != "category"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=strict)
        validation.error = "请从下拉列表中选择。"
        validation.errorTitle = spec.BY_KEY[key].label
        target = _column(key)
        validation.add(f"{target}{FIRST_DATA_ROW}:{target}{last_row}")
        sheet.add_data_validation(validation)


def _instructions(workbook: Workbook) -> None:
    help_sheet = workbook.create_sheet(HELP_SHEET, 1)
    help_sheet["A1"] = "填表说明"
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 110
    for number, text in enumerate(_INSTRUCTIONS, start=1):
        cell = help_sheet.cell(number + 1, 1, f"{number}. {text}")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
