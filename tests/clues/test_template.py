"""The generated clue template: layout, drop-downs, and a filled copy parses cleanly."""

import io

from openpyxl import load_workbook

from clues.importing.spec import COLUMNS
from clues.importing.template import build_clue_template
from tests.clues.workbooks import UNITS, data_row, parse

UNIT_NAMES = [unit.names[0] for unit in UNITS]


def _template():
    return build_clue_template(
        title="关于提供被巡察单位问题线索情况统计表",
        partner_name="区审计局",
        doc_number="示巡办函〔2017〕5号",
        unit_names=UNIT_NAMES,
        watermark="审计局联系人（partner）于2017-08-03 09:00下载",
    )


def test_template_layout_follows_the_domain_workbook():
    workbook = load_workbook(io.BytesIO(_template()))
    assert workbook.sheetnames == ["问题线索", "填表说明", "字典"]
    sheet = workbook["问题线索"]
    assert sheet["A1"].value == "关于提供被巡察单位问题线索情况统计表"
    assert "A1:Q1" in {str(ref) for ref in sheet.merged_cells.ranges}
    assert (sheet["A2"].value, sheet["C2"].value, sheet["P2"].value) == (
        "填报单位(盖章):",
        "区审计局",
        "示巡办函〔2017〕5号",
    )
    assert [cell.value for cell in sheet[3]] == [column.label for column in COLUMNS]
    assert sheet.freeze_panes == "A4"
    assert sheet["J4"].number_format == "@"
    assert workbook["字典"].sheet_state == "hidden"
    assert workbook["填表说明"]["A2"].value.startswith("1. ")


def test_template_drop_downs_point_at_the_dictionary_sheet():
    workbook = load_workbook(io.BytesIO(_template()))
    validations = {str(v.sqref): v.formula1 for v in workbook["问题线索"].data_validations.dataValidation}
    assert validations["B4:B1003"] == "'字典'!$A$2:$A$4"
    assert validations["G4:G1003"] == "'字典'!$D$2:$D$11"
    units = [workbook["字典"].cell(row, 1).value for row in range(2, 5)]
    assert units == UNIT_NAMES


def test_a_filled_template_round_trips(tmp_path):
    workbook = load_workbook(io.BytesIO(_template()))
    sheet = workbook["问题线索"]
    sheet["G2"], sheet["J2"], sheet["M2"] = "王五", "13812345678", "2017-09-01"
    rows = [
        data_row(seq=1, amount=1.5, handling_status="正在办理"),
        data_row(seq=2, inspected_unit="区民政局", reported_name="李四、王五", category="八项规定精神、工作纪律",
                 reported_rank="科员及以下", is_party_member="否", source_channel="审计发现", received_date="2017-07-01"),
    ]  # fmt: skip
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(4 + offset, column, value)
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    result = parse(path)
    assert (result.status, result.sheet, result.header_row, result.nil_return) == ("ok", "问题线索", 3, False)
    assert result.metadata["reporting_unit"] == "区审计局"
    assert result.metadata["doc_number"] == "示巡办函〔2017〕5号"
    assert [row.kind for row in result.rows] == ["data", "data"]
    assert [row.issues for row in result.rows] == [[], []]
    assert result.rows[0].values["amount_yuan"] == "15000.00"
    assert result.rows[1].values["categories"] == ["eight_point_rules", "work"]


def test_an_untouched_template_is_a_nil_return():
    # Pre-formatted empty rows must not count as data.
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        path.write_bytes(_template())
        result = parse(path)
    assert (result.status, result.nil_return, result.rows) == ("ok", True, [])
