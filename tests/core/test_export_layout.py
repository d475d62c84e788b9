"""Exports read like the office's own ledgers (issue 14 item 3): title row with the filters and
the time, frozen header, fitted widths, dates and percentages formatted."""

import io
from datetime import UTC, date, datetime

from django.utils import translation
from openpyxl import load_workbook

from core.excel.export import DATE_FORMAT, MAX_WIDTH, PERCENT_FORMAT, WIDTH_SAMPLE, Percent, text_width, write_table


def _sheet(rows, headers=("编号", "被巡察单位", "受理日期", "整改进度"), **kwargs):
    with translation.override("zh-hans"):
        data, _count = write_table("问题线索台账", headers, rows, watermark="水印行", **kwargs)
    return load_workbook(io.BytesIO(data)).active


def test_cjk_characters_count_double():
    assert text_width("ab") == 2
    assert text_width("巡察") == 4
    assert text_width("（第1组）") == 9


def test_the_title_row_names_what_the_filters_and_the_time_in_beijing():
    sheet = _sheet([], filters="状态：已移交", at=datetime(2026, 12, 7, 1, 30, tzinfo=UTC))
    title = sheet["A1"].value
    assert title.startswith("问题线索台账（筛选条件：状态：已移交；")
    assert "2026年12月7日 09:30" in title  # 01:30 UTC is 09:30 in Asia/Shanghai
    assert sheet["A2"].value == "水印行"
    assert [c.value for c in sheet[3]] == ["编号", "被巡察单位", "受理日期", "整改进度"]
    assert sheet.freeze_panes == "A4"
    assert "无（全部）" in _sheet([])["A1"].value


def test_dates_are_dates_and_percentages_percentages():
    sheet = _sheet([["2017-1", "被巡察单位A", date(2017, 3, 1), Percent(0.25)], ["2017-2", "乙", None, None]])
    assert sheet["C4"].number_format == DATE_FORMAT
    assert sheet["C4"].value.date() == date(2017, 3, 1)
    assert sheet["D4"].number_format == PERCENT_FORMAT
    assert sheet["D4"].value == 0.25
    assert sheet["D5"].value is None


def test_widths_fit_the_longest_cell_of_the_sample_and_are_capped():
    long = "反映其违规收受礼金" * 20
    rows = [["2017-1", "区教育局", date(2017, 3, 1), long]] + [["x", "y", None, None]] * (WIDTH_SAMPLE + 5)
    rows.append(["2017-999", "一个在样本之后才出现的非常非常长的单位名称" * 3, None, None])
    sheet = _sheet(rows)
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert widths["A"] == text_width("2017-1") + 2 < text_width("被巡察单位")  # at least the header's
    assert widths["B"] == text_width("被巡察单位") + 2  # a row past the sample does not widen it
    assert widths["C"] >= 13
    assert widths["D"] == MAX_WIDTH
    assert sheet["D4"].alignment.wrap_text  # longer than the cap: wraps
