"""The partner clue-workbook parser against every messy-input quirk of docs/domain.md §6.3, one test each,
plus nil returns, rejected files and the error workbook."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.styles import Font

from clues.importing.parser import build_clue_error_workbook
from tests.clues.workbooks import (
    ALLEGATION,
    HEADER,
    METADATA,
    TITLE,
    data_row,
    issues_of,
    parse,
    row_at,
    standard_rows,
    write_csv,
    write_xlsx,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- structure --------------------------------------------------------------------------------


def test_quirk_01_header_found_below_title_and_metadata_rows(tmp_path):
    rows = [[TITLE], [], METADATA, [], HEADER, data_row()]
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert (result.status, result.header_row, result.sheet) == ("ok", 5, "问题线索")
    assert result.metadata == {
        "title": TITLE,
        "reporting_unit": "区审计局",
        "filled_by": "王五",
        "phone": "13812345678",
        "filled_date": "2017年9月1日",
    }
    assert [row.kind for row in result.rows] == ["data"]


def test_quirk_02_two_level_merged_header_concatenates_labels(tmp_path):
    top = ["序号", "被巡察单位", "被反映人", None, "问题类别", "反映的主要问题", "线索来源", "收到(发现)时间"]
    sub = [None, None, "姓名", "职务", None, None, None, None]
    row = [1, "区民政局", "李四", "副局长", "廉洁纪律", ALLEGATION, "审计", "2017-08-03"]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "G1:G2", "H1:H2"]
    result = parse(write_xlsx(tmp_path / "f.xlsx", [top, sub, row], merges=merges))
    assert result.status == "ok"
    assert result.columns["问题线索"]["reported_name"] == 3
    assert result.columns["问题线索"]["reported_position"] == 4
    parsed = row_at(result, 3)
    assert parsed.values["reported_persons"] == [{"name": "李四", "position": "副局长", "placeholder": False}]
    assert parsed.raw["被反映人/姓名"] == "李四"


def test_quirk_03_vertically_merged_unit_is_filled_down_but_other_columns_are_not(tmp_path):
    rows = standard_rows(
        data_row(seq=1, inspected_unit="区民政局", reported_name="甲"),
        data_row(seq=None, inspected_unit=None, reported_name="乙", source_channel=None),
        data_row(seq=3, inspected_unit=None, reported_name="丙"),
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows, merges=["A4:A5", "B4:B6", "I4:I5"]))
    assert [row.values["unit_id"] for row in result.data_rows] == [2, 2, 2]
    assert row_at(result, 5).values["source_channel"] == "petition"
    assert row_at(result, 5).values["seq"] is None
    assert result.status == "ok"


def test_quirk_03_merged_cell_outside_the_whitelist_is_not_copied(tmp_path):
    rows = standard_rows(data_row(reported_name="甲"), data_row(reported_name=None))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows, merges=["C4:C5"]))
    assert ("reported_name", "warning") in issues_of(result, 5)
    assert ("reported_name", "error") in issues_of(result, 5)


def test_quirk_04_blank_rows_inside_are_kept_and_trailing_formatting_rows_are_ignored(tmp_path):
    rows = standard_rows(data_row(), [], [], [], data_row(reported_name="李四"))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows, formatted_rows=3000))
    assert [row.kind for row in result.rows] == ["data", "blank", "blank", "blank", "data"]
    assert result.rows[-1].row_number == 8


def test_quirk_05_section_heading_rows_give_the_unit_for_rows_below(tmp_path):
    rows = standard_rows(
        ["一、住建局"],
        data_row(inspected_unit=None, reported_name="甲"),
        [None, "(二)区民政局"],
        data_row(inspected_unit=None, reported_name="乙"),
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [row.kind for row in result.rows] == ["section_heading", "data", "section_heading", "data"]
    assert [row.values["unit_id"] for row in result.data_rows] == [1, 2]
    assert result.status == "ok"


def test_quirk_06_subtotals_notes_signatures_and_blank_markers_are_not_data(tmp_path):
    rows = standard_rows(
        data_row(),
        ["合计", None, "共1条"],
        ["共计1条"],
        ["注:1.金额单位为万元。"],
        ["以下空白"],
        ["审核人:赵六", None, None, None, "负责人:钱七"],
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [row.kind for row in result.rows] == ["data", "subtotal", "subtotal", "note", "note", "signature"]
    assert result.status == "ok"


def test_quirk_07_repeated_header_mid_sheet_is_skipped(tmp_path):
    rows = standard_rows(data_row(), HEADER, data_row(reported_name="李四"))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [row.kind for row in result.rows] == ["data", "repeated_header", "data"]


def test_quirk_08_reordered_and_extra_columns(tmp_path):
    header = ["反映的主要问题", "联系人", "被反映人", "被巡察单位", "问题类型", "来源", "受理时间", "备注", "备注2"]
    row = [ALLEGATION, "王五", "张三", "区教育局", "群众纪律", "审计发现", "2017.8.3", "无", "补充说明"]
    result = parse(write_xlsx(tmp_path / "f.xlsx", [header, row]))
    assert result.status == "ok"
    values = row_at(result, 2).values
    assert (values["unit_id"], values["categories"], values["source_channel"]) == (3, ["mass"], "audit")
    assert row_at(result, 2).raw["联系人"] == "王五"
    assert row_at(result, 2).raw["备注2"] == "补充说明"


def test_quirk_08_missing_required_columns_are_a_file_error(tmp_path):
    header = ["序号", "被巡察单位", "被反映人姓名", "反映的主要问题", "备注"]
    row = [1, "区教育局", "张三", ALLEGATION, None]
    result = parse(write_xlsx(tmp_path / "f.xlsx", [header, row]))
    assert result.status == "invalid"
    [issue] = [issue for issue in result.file_issues if issue.severity == "error"]
    assert issue.message == "Required columns are missing: 问题类别、线索来源、收到(发现)时间."


def test_quirk_09_hidden_and_filtered_rows_are_still_data(tmp_path):
    rows = standard_rows(data_row(), data_row(reported_name="李四"))
    path = write_xlsx(tmp_path / "f.xlsx", rows, hidden_rows=[5])
    workbook = load_workbook(path)
    workbook.active.auto_filter.ref = "A3:Q5"
    workbook.active.freeze_panes = "A4"
    workbook.save(path)
    result = parse(path)
    assert [row.kind for row in result.rows] == ["data", "data"]
    assert issues_of(result, 5) == [("", "warning")]
    assert result.status == "ok"


# --- sheets and files -------------------------------------------------------------------------


def test_quirk_10_extra_sheets_are_ignored(tmp_path):
    extra = {
        "Sheet2": [],
        "Sheet3": [],
        "填表说明": [["1. 请逐行填写"]],
        "字典": [["县处级"]],
        "透视表": [["行标签", "计数"]],
    }
    path = write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row()), extra_sheets=extra, hidden_sheets=["字典"])
    result = parse(path)
    assert (result.status, result.sheet) == ("ok", "问题线索")
    assert [issue.message for issue in result.file_issues] == [
        "Sheet “透视表” has no recognisable header and is ignored."
    ]


@pytest.mark.parametrize("name", ["Sheet1", "问题线索 ", "问题线索(审计局)", "线索登记表"])
def test_quirk_11_data_sheet_under_another_name(tmp_path, name):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row()), sheet=name))
    assert (result.status, result.sheet, len(result.data_rows)) == ("ok", name, 1)


def test_quirk_11_one_sheet_per_unit_takes_the_unit_from_the_sheet_name(tmp_path):
    header = [label for label in HEADER if label != "被巡察单位"]
    row = [value for value, label in zip(data_row(), HEADER, strict=True) if label != "被巡察单位"]
    path = write_xlsx(tmp_path / "f.xlsx", [header, row], sheet="住建局", extra_sheets={"区民政局": [header, row, row]})
    result = parse(path)
    assert (result.status, result.sheet) == ("ok", "住建局,区民政局")
    assert [(row.sheet, row.values["unit_id"]) for row in result.data_rows] == [
        ("住建局", 1),
        ("区民政局", 2),
        ("区民政局", 2),
    ]


def test_quirk_12_csv_in_gb18030_and_utf8_with_bom(tmp_path):
    rows = standard_rows(data_row(), data_row(reported_name="李四"))
    for encoding in ("gb18030", "utf-8-sig"):
        result = parse(write_csv(tmp_path / f"{encoding}.csv", rows, encoding=encoding), kind="csv")
        assert (result.status, len(result.data_rows)) == ("ok", 2)
        assert result.data_rows[1].values["reported_persons"][0]["name"] == "李四"


def test_quirk_12_xlsm_reads_like_xlsx_and_a_damaged_file_is_rejected(tmp_path):
    assert parse(write_xlsx(tmp_path / "f.xlsm", standard_rows(data_row())), kind="xlsm").status == "ok"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = parse(broken)
    assert result.status == "rejected"
    assert result.file_issues[0].message == "The file cannot be read as a spreadsheet."


def test_quirk_13_formulas_without_saved_results(tmp_path):
    # openpyxl saves formulas without cached values, exactly like the tools of quirk 13.
    rows = standard_rows(data_row(seq="=ROW()-3", amount="=1+2"))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert row_at(result, 4).values["seq"] is None
    assert issues_of(result, 4) == [("amount", "warning")]
    assert row_at(result, 4).issues[0].message.startswith("The cell holds a formula without a saved result")


# --- text normalisation -----------------------------------------------------------------------


def test_quirk_14_full_width_and_invisible_characters_are_folded(tmp_path):
    header = [label.replace("(", "（").replace(")", "）") for label in HEADER]
    header[1] = "\u3000被巡察单位\u200b"
    row = data_row(inspected_unit="\ufeff区民政局\u00a0", received_date="２０１７－０８－０３", source_ref="ＡＢ１２３")
    result = parse(write_xlsx(tmp_path / "f.xlsx", [header, row]))
    values = row_at(result, 2).values
    assert (values["unit_id"], values["received_date"], values["source_ref"]) == (2, "2017-08-03", "AB123")
    assert result.status == "ok"


def test_quirk_15_padded_names_lose_inner_spaces_only_in_name_fields(tmp_path):
    rows = standard_rows(data_row(reported_name=" 张  三 ", reported_position="  区住建局  局长 "))
    values = row_at(parse(write_xlsx(tmp_path / "f.xlsx", rows)), 4).values
    assert values["reported_persons"] == [{"name": "张三", "position": "区住建局 局长", "placeholder": False}]


def test_quirk_16_line_breaks_in_headers_and_text(tmp_path):
    header = [
        label.replace("被反映人姓名", "被反映人\n姓名").replace("反映的主要问题", "反映的\r\n主要问题")
        for label in HEADER
    ]
    row = data_row(allegation="一、收受礼金。\n二、违规吃喝。\n")
    result = parse(write_xlsx(tmp_path / "f.xlsx", [header, row]))
    assert result.columns["问题线索"]["reported_name"] == 3
    assert row_at(result, 2).values["allegation"] == "一、收受礼金。\n二、违规吃喝。"


def test_quirk_17_freely_written_enumerations_map_to_codes(tmp_path):
    rows = standard_rows(
        data_row(category="违反廉洁纪律", reported_rank="正科", source_channel="群众来信举报"),
        data_row(category="违反中央八项规定精神、选人用人问题", handling_status="办理中"),
        data_row(category="吃拿卡要", reported_rank="乡科级", handling_status="研究中"),
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    first, second, third = (row.values for row in result.data_rows)
    assert (first["categories"], first["reported_rank"], first["source_channel"]) == (
        ["integrity"],
        "section_chief",
        "petition",
    )
    assert (second["categories"], second["handling_status"]) == (
        ["eight_point_rules", "personnel_selection"],
        "in_progress",
    )
    assert (third["categories"], third["reported_rank"], third["handling_status"]) == (["other"], "other", "unknown")
    assert issues_of(result, 6) == [
        ("reported_rank", "warning"),
        ("category", "warning"),
        ("handling_status", "warning"),
    ]
    assert result.status == "ok"


def test_quirk_17_one_tick_column_per_category(tmp_path):
    header = ["被巡察单位", "被反映人姓名", "问题类别", None, None, "反映的主要问题", "线索来源", "收到时间"]
    sub = [None, None, "廉洁纪律", "八项规定", "其他", None, None, None]
    row = ["区教育局", "张三", "√", None, "●", ALLEGATION, "信访", "2017-08-03"]
    merges = ["A1:A2", "B1:B2", "C1:E1", "F1:F2", "G1:G2", "H1:H2"]
    result = parse(write_xlsx(tmp_path / "f.xlsx", [header, sub, row], merges=merges))
    assert result.status == "ok"
    assert row_at(result, 3).values["categories"] == ["integrity", "other"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("是", True), ("Y", True), ("√", True), ("有", True), ("1", True), ("中共党员", True), ("否", False), ("N", False),
     ("×", False), ("无", False), ("0", False), ("群众", False), ("不详", None)],
)  # fmt: skip
def test_quirk_18_yes_no_variants(tmp_path, text, expected):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row(is_party_member=text))))
    assert row_at(result, 4).values["is_party_member"] is expected
    assert row_at(result, 4).issues == []


def test_quirk_19_ditto_marks_copy_the_row_above(tmp_path):
    rows = standard_rows(
        data_row(inspected_unit="区民政局", received_date="2017-07-01", amount=2),
        data_row(inspected_unit="同上", received_date="〃", amount="—", reported_name="李四"),
        data_row(inspected_unit="—", received_date="同上", reported_name="王五"),
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    values = [
        (row.values["unit_id"], row.values["received_date"], row.values["amount_yuan"]) for row in result.data_rows
    ]
    assert values == [(2, "2017-07-01", "20000.00"), (2, "2017-07-01", None), (2, "2017-07-01", None)]
    assert result.status == "ok"


def test_quirk_19_ditto_mark_on_the_first_row_is_an_error(tmp_path):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row(inspected_unit="同上"))))
    assert ("inspected_unit", "error") in issues_of(result, 4)


def test_quirk_20_placeholder_names_are_kept_with_a_warning(tmp_path):
    rows = standard_rows(*(data_row(reported_name=name) for name in ("张某某", "王**", "某局长", "不详")))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [row.values["reported_persons"][0]["placeholder"] for row in result.data_rows] == [True] * 4
    assert all(issues_of(result, number) == [("reported_name", "warning")] for number in range(4, 8))
    assert result.data_rows[0].issues[0].message == "“张某某” is not a full name."


def test_quirk_21_several_people_in_one_cell(tmp_path):
    rows = standard_rows(
        data_row(reported_name="张三(局长)、李四(副局长)", reported_position=None),
        data_row(reported_name="张三等3人"),
        data_row(reported_name="王五，赵六;钱七/孙八"),
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    first, second, third = (row.values["reported_persons"] for row in result.data_rows)
    assert first == [
        {"name": "张三", "position": "局长", "placeholder": False},
        {"name": "李四", "position": "副局长", "placeholder": False},
    ]
    assert second == [{"name": "张三", "position": "局长", "placeholder": False}]
    assert issues_of(result, 5) == [("reported_name", "warning")]
    assert [person["name"] for person in third] == ["王五", "赵六", "钱七", "孙八"]


@pytest.mark.parametrize(
    ("written", "unit_id", "warned"),
    [("区住建局", 1, False), ("中共示范区住房和城乡建设局党组", 1, False), ("民政局党委", 2, False),
     ("住房和城乡建设局", 1, False), ("区住房城乡建设局", 1, True), ("教育", 3, True)],
)  # fmt: skip
def test_quirk_22_unit_name_variants(tmp_path, written, unit_id, warned):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row(inspected_unit=written))))
    assert row_at(result, 4).values["unit_id"] == unit_id
    assert issues_of(result, 4) == ([("inspected_unit", "warning")] if warned else [])


def test_quirk_22_unknown_unit_is_a_row_error_listing_the_allowed_units(tmp_path):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row(inspected_unit="区财政局"))))
    [issue] = row_at(result, 4).issues
    assert (
        issue.message == "“区财政局” is not one of the units in the letter: 示范区住房和城乡建设局、区民政局、区教育局."
    )
    assert result.status == "invalid"


def test_quirk_23_traditional_characters_and_letter_o_in_years(tmp_path):
    rows = standard_rows(data_row(inspected_unit="區民政局", category="廉潔紀律", received_date="2O17年8月3日"))
    values = row_at(parse(write_xlsx(tmp_path / "f.xlsx", rows)), 4).values
    assert (values["unit_id"], values["categories"], values["received_date"]) == (2, ["integrity"], "2017-08-03")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso", "precision", "warnings"),
    [("2017年8月3日", "2017-08-03", "day", 0), ("2017.8.3", "2017-08-03", "day", 0), ("2017/8/3", "2017-08-03", "day", 0),
     ("17.8.3", "2017-08-03", "day", 0), ("20170803", "2017-08-03", "day", 0), ("2017年8月", "2017-08-01", "month", 0),
     ("2017年", "2017-01-01", "year", 0), ("8月3日", "2017-08-03", "day", 1), ("2017年上半年", "2017-01-01", "month", 1),
     ("2017年下半年", "2017-07-01", "month", 1), ("2016年至2017年", "2016-01-01", "year", 1), ("不详", None, None, 1)],
)  # fmt: skip
def test_quirk_24_date_forms(tmp_path, written, iso, precision, warnings):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row(received_date=written))))
    values = row_at(result, 4).values
    assert (values["received_date"], values["received_date_precision"]) == (iso, precision)
    assert values["received_date_text"] == written
    assert issues_of(result, 4) == [("received_date", "warning")] * warnings


def test_quirk_25_serials_datetimes_and_chinese_numerals(tmp_path):
    from datetime import datetime

    dates = (42950, "42950", datetime(2017, 8, 3, 0, 0), "二〇一七年八月三日", "2017-08-03 00:00:00")  # noqa: DTZ001
    rows = standard_rows(*(data_row(received_date=value) for value in dates))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [row.values["received_date"] for row in result.data_rows] == ["2017-08-03"] * 5
    assert result.status == "ok"


def test_quirk_26_impossible_dates_are_errors_never_guesses(tmp_path):
    rows = standard_rows(
        *(data_row(received_date=value) for value in ("2071年3月", "1917.5.4", "2017-02-30", "2017-09-02"))
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert [row.values["received_date"] for row in result.data_rows] == [None] * 4
    assert [row.issues[0].message for row in result.data_rows] == [
        "The date 2071年3月 is in the future.",
        "The date 1917.5.4 is before 1990.",
        "The date 2017-02-30 does not exist.",
        "The date 2017-09-02 is in the future.",
    ]
    assert result.status == "invalid"


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "yuan", "approximate"),
    [("1.5万元", "15000.00", False), ("15000元", "15000.00", False), ("约2万", "20000.00", True), ("1,500.00", "15000000.00", False),
     ("2万余元", "20000.00", True), ("壹万伍仟元", "15000.00", False), ("不详", None, False), (1.5, "15000.00", False)],
)  # fmt: skip
def test_quirk_27_amounts_convert_to_yuan(tmp_path, written, yuan, approximate):
    values = row_at(parse(write_xlsx(tmp_path / "f.xlsx", standard_rows(data_row(amount=written)))), 4).values
    assert (values["amount_yuan"], values["amount_approximate"]) == (yuan, approximate)


def test_quirk_27_a_header_in_yuan_reads_bare_numbers_as_yuan(tmp_path):
    header = [label.replace("涉及金额(万元)", "涉案金额(元)") for label in HEADER]
    result = parse(write_xlsx(tmp_path / "f.xlsx", [header, data_row(amount=15000)]))
    assert row_at(result, 2).values["amount_yuan"] == "15000.00"


def test_quirk_28_long_identifiers_stored_as_numbers_are_flagged(tmp_path):
    rows = standard_rows(
        data_row(source_ref=410102198001011234), data_row(source_ref="4.10102E+17"), data_row(source_ref=2017)
    )
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    # Excel keeps 15 significant digits: the ID card number has already lost its last ones.
    assert result.data_rows[0].values["source_ref"].startswith("4101021980010")
    assert [row.values["source_ref"] for row in result.data_rows[1:]] == ["4.10102E+17", "2017"]
    assert issues_of(result, 4) == [("source_ref", "warning")]
    assert issues_of(result, 5) == [("source_ref", "warning")]
    assert issues_of(result, 6) == []


def test_quirk_29_numbers_stored_as_text_with_an_apostrophe(tmp_path):
    rows = standard_rows(data_row(source_ref="'0012017", seq="'1"))
    result = parse(write_csv(tmp_path / "f.csv", rows, encoding="utf-8"), kind="csv")
    assert row_at(result, 4).values["source_ref"] == "0012017"
    assert result.status == "ok"


def test_quirk_30_formatting_that_carries_meaning_becomes_warnings(tmp_path):
    rows = standard_rows(data_row())
    path = write_xlsx(
        tmp_path / "f.xlsx",
        rows,
        fonts={"H4": Font(color="FFFF0000"), "C4": Font(strike=True)},
        fills={"B4": "FFFFFF00"},
        comments={"K4": "实际收到时间待核实"},
    )
    result = parse(path)
    assert sorted(issues_of(result, 4)) == [
        ("allegation", "warning"),
        ("inspected_unit", "warning"),
        ("received_date", "warning"),
        ("reported_name", "warning"),
    ]
    messages = {issue.column: issue.message for issue in row_at(result, 4).issues}
    assert messages["received_date"] == "Cell comment: 实际收到时间待核实"
    assert messages["reported_name"] == "Struck-through text (often means withdrawn)."
    assert result.status == "ok"


# --- row rules, nil returns, rejected files, the error workbook -------------------------------


def test_allegation_must_be_ten_to_two_thousand_characters(tmp_path):
    rows = standard_rows(data_row(allegation="收受礼金"), data_row(allegation="违" * 2001))
    result = parse(write_xlsx(tmp_path / "f.xlsx", rows))
    assert issues_of(result, 4) == [("allegation", "error")]
    assert issues_of(result, 5) == [("allegation", "error")]


def test_nil_return_with_zero_data_rows(tmp_path):
    result = parse(write_xlsx(tmp_path / "f.xlsx", standard_rows()))
    assert (result.status, result.nil_return, result.rows) == ("ok", True, [])


def test_nil_return_written_as_a_sentence_in_the_first_data_row(tmp_path):
    merged = parse(write_xlsx(tmp_path / "m.xlsx", standard_rows(["经查，未发现相关问题线索"]), merges=["A4:Q4"]))
    in_column = parse(write_xlsx(tmp_path / "c.xlsx", standard_rows([None] * 7 + ["无相关情况"])))
    for result in (merged, in_column):
        assert (result.status, result.nil_return) == ("ok", True)
        assert [(row.kind, row.values) for row in result.rows] == [("note", {"nil_return": True})]


def test_file_without_a_recognisable_header_is_rejected(tmp_path):
    result = parse(
        write_xlsx(tmp_path / "f.xlsx", [["会议纪要"], ["时间", "地点", "人员"], ["2017-08-03", "会议室", "张三"]])
    )
    assert (result.status, result.rows) == ("rejected", [])
    assert result.file_issues[-1].severity == "error"


def test_error_workbook_marks_the_exact_cells(tmp_path):
    rows = standard_rows(data_row(), data_row(received_date="2017-02-30", reported_name="张某某"))
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    result = parse(path)
    workbook = load_workbook(
        io.BytesIO(
            build_clue_error_workbook(
                str(path), kind="xlsx", result=result, watermark="审核员（auditor）于2017-08-03 09:00下载"
            )
        )
    )
    assert workbook.sheetnames == ["错误说明", "问题线索"]
    sheet = workbook["问题线索"]
    date_cell, name_cell = sheet["K5"], sheet["C5"]
    assert (date_cell.value, date_cell.fill.fgColor.rgb) == ("2017-02-30", "FFFF8080")
    assert "The date 2017-02-30 does not exist." in date_cell.comment.text
    assert (name_cell.fill.fgColor.rgb, name_cell.comment.text) == ("FFFFFF80", "[警告] “张某某” is not a full name.")
    assert sheet["K4"].comment is None
    summary = [[cell.value for cell in row] for row in workbook["错误说明"].iter_rows()]
    assert summary[0][0] == "审核员（auditor）于2017-08-03 09:00下载"
    summary = summary[1:]
    assert summary[0] == ["工作表", "行", "列", "级别", "说明"]
    assert summary[1:] == [
        ["问题线索", 5, "被反映人姓名", "警告", "“张某某” is not a full name."],
        ["问题线索", 5, "收到(发现)时间", "错误", "The date 2017-02-30 does not exist."],
    ]


def test_error_workbook_rebuilds_a_csv_upload(tmp_path):
    path = write_csv(tmp_path / "f.csv", standard_rows(data_row(inspected_unit="区财政局")), encoding="gb18030")
    result = parse(path, kind="csv")
    workbook = load_workbook(
        io.BytesIO(
            build_clue_error_workbook(
                str(path), kind="csv", result=result, watermark="审核员（auditor）于2017-08-03 09:00下载"
            )
        )
    )
    sheet = workbook[workbook.sheetnames[1]]
    assert (sheet["B4"].value, sheet["B4"].fill.fgColor.rgb) == ("区财政局", "FFFF8080")
    assert sheet["A3"].value == "序号"


def test_error_workbook_seals_the_reporter_column_from_each_sheet_s_header_down(tmp_path):
    reporter = HEADER.index("反映人") + 1
    # The template's metadata row has 文号: in the reporter column's letter (O2), above the header.
    metadata = [*METADATA, *[None] * (reporter - 1 - len(METADATA)), "文号:", "示巡办函〔2017〕3号"]
    rows = [[TITLE], metadata, HEADER, data_row(reporter_name="实名举报人丙")]
    # A sheet whose header is its first row: its table is sealed from there, not from row 3.
    other = [HEADER, data_row(reporter_name="实名举报人丁")]
    path = write_xlsx(tmp_path / "f.xlsx", rows, extra_sheets={"第二张": other})
    result = parse(path)
    workbook = load_workbook(
        io.BytesIO(build_clue_error_workbook(str(path), kind="xlsx", result=result, watermark="水印"))
    )
    column = [row[reporter - 1] for row in workbook["问题线索"].iter_rows(values_only=True)]
    assert column == [None, "文号:", "反映人", "（已密封）"]
    column = [row[reporter - 1] for row in workbook["第二张"].iter_rows(values_only=True)]
    assert column == ["反映人", "（已密封）"]
