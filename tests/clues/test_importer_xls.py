"""Legacy .xls workbooks (Excel 97-2003, and WPS .et saved as .xls), written with xlwt."""

from datetime import date
from pathlib import Path

import xlwt

from core.files import sniff
from tests.clues.workbooks import data_row, parse, row_at, standard_rows


def write_xls(path: Path, rows, *, merge_unit_rows: tuple[int, int] | None = None) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("问题线索")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or (merge_unit_rows and c == 1 and merge_unit_rows[0] < r <= merge_unit_rows[1]):
                continue
            if isinstance(value, date):
                sheet.write(r, c, value, xlwt.easyxf(num_format_str="YYYY-MM-DD"))
            else:
                sheet.write(r, c, value)
    if merge_unit_rows:
        first, last = merge_unit_rows
        sheet.merge(first, last, 1, 1)
    book.save(str(path))
    return path


def test_an_xls_workbook_is_sniffed_and_parsed(tmp_path):
    path = write_xls(tmp_path / "f.xls", standard_rows(data_row(), data_row(reported_name="李四")))
    data = path.read_bytes()
    assert sniff(data[:8192], str(path)) == "xls"
    result = parse(path, kind="xls")
    assert (result.status, len(result.data_rows)) == ("ok", 2)
    assert result.header_row == 3
    assert row_at(result, 5).values["reported_persons"][0]["name"] == "李四"


def test_xls_dates_stored_as_dates_are_read(tmp_path):
    path = write_xls(tmp_path / "f.xls", standard_rows(data_row(received_date=date(2017, 8, 3))))
    values = row_at(parse(path, kind="xls"), 4).values
    assert (values["received_date"], values["received_date_precision"]) == ("2017-08-03", "day")


def test_xls_vertically_merged_unit_cells_are_filled_down(tmp_path):
    rows = standard_rows(data_row(), data_row(reported_name="李四"), data_row(reported_name="王五"))
    path = write_xls(tmp_path / "f.xls", rows, merge_unit_rows=(3, 5))
    result = parse(path, kind="xls")
    assert result.status == "ok"
    assert {row.values["unit_id"] for row in result.data_rows} == {1}
