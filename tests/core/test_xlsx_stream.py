"""A large sheet's values are read as a stream (core.excel.xlsx_stream), a small one's with
python-calamine: both give the reader the same rows, whatever wrote the file."""

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from core.excel import reader, xlsx_stream
from core.excel.export import Percent, write_table
from core.excel.reader import EMPTY, read_workbook


def _rows(path: Path, *, streamed: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    monkeypatch.setattr(xlsx_stream, "STREAM_ABOVE", -1 if streamed else 1 << 40)
    out = []
    for sheet in read_workbook(str(path), kind="xlsx"):
        for row in sheet.rows:
            cells = list(row.cells)
            while cells and cells[-1] == EMPTY:  # calamine pads every row to the sheet's width
                cells.pop()
            out.append((sheet.name, sheet.hidden, row.number, row.hidden, cells))
    return out


def _naive(*parts: int) -> datetime:
    return datetime(*parts)  # noqa: DTZ001 - cells hold naive dates


def _read_all(path: Path) -> None:
    for sheet in read_workbook(str(path), kind="xlsx"):
        list(sheet.rows)


def _same(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calamine = _rows(path, streamed=False, monkeypatch=monkeypatch)
    streamed = _rows(path, streamed=True, monkeypatch=monkeypatch)
    assert streamed == calamine
    return streamed


def test_values_styles_merges_and_comments_read_alike(tmp_path, monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题线索"
    sheet["A1"] = "标题 & <说明> \"引号\" 'x'"
    sheet.merge_cells("A1:D1")
    sheet["C3"] = "从第三列开始"
    sheet["D3"] = 12
    sheet["E3"] = 1.5
    sheet["F3"] = 123456789012
    sheet["G3"] = True
    sheet["H3"] = _naive(2017, 8, 3, 9, 30)
    sheet["I3"] = date(2017, 8, 3)
    sheet["J3"] = "  前后空格  "
    sheet["K3"] = "换行\n第二行"
    sheet["L3"] = "=SUM(D3:E3)"  # a formula saved without a result
    sheet["M3"] = "#N/A"
    sheet["M3"].data_type = "e"
    sheet["N3"] = "控制字符_x000D_"
    sheet["O3"] = CellRichText(["富", TextBlock(InlineFont(b=True), "文本")])
    sheet["P3"] = time(9, 30)
    sheet["B5"] = "红字"
    sheet["B5"].font = Font(color="FFFF0000", strike=True)
    sheet["C5"] = "填色"
    sheet["C5"].fill = PatternFill("solid", fgColor="FFFFFF00")
    sheet["D5"] = "批注"
    sheet["D5"].comment = Comment("说明", "王五")
    sheet.row_dimensions[6].hidden = True
    sheet["A6"] = "隐藏行"
    sheet["A9"] = "空行之后"
    sheet.merge_cells("A9:A11")
    hidden = workbook.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    path = tmp_path / "mixed.xlsx"
    workbook.save(path)
    rows = _same(path, monkeypatch)
    first = rows[0][4]
    assert first[0].value == "标题 & <说明> \"引号\" 'x'"
    assert [cell.value for cell in rows[2][4][2:9]] == ["从第三列开始", 12, 1.5, 123456789012, True, _naive(2017, 8, 3, 9, 30), _naive(2017, 8, 3)]  # fmt: skip


def test_a_1904_workbook_and_inline_strings(tmp_path, monkeypatch):
    workbook = Workbook(write_only=True)
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.create_sheet("表")
    sheet.append(["编号", "受理日期", "金额"])
    for number in range(50):
        sheet.append([number, _naive(2017, 1 + number % 12, 1 + number % 28), number * 1.25])
    path = tmp_path / "mac.xlsx"
    workbook.save(path)
    rows = _same(path, monkeypatch)
    assert rows[1][4][1].value == _naive(2017, 1, 1)


def test_an_export_reads_back_alike(tmp_path, monkeypatch):
    rows = [["=危险", "区教育局", date(2017, 3, 1), Percent(0.25), 3, "长" * 80] for _ in range(30)]
    data, _count = write_table("问题线索台账", ["编号", "单位", "日期", "进度", "数", "摘要"], rows, watermark="水印")
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    read = _same(path, monkeypatch)
    assert read[3][4][0].value == "'=危险"


def test_a_damaged_sheet_is_unreadable(tmp_path, monkeypatch):
    workbook = Workbook()
    workbook.active["A1"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>1</v>", b"<v>x</v>")
            target.writestr(item, content)
    monkeypatch.setattr(xlsx_stream, "STREAM_ABOVE", -1)
    with pytest.raises(reader.UnreadableWorkbook):
        _read_all(path)
