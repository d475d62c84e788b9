"""The watermark line and where the writers put it."""

import io
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from core import documents
from core.documents import OfficialDocument, document_text
from core.excel.export import write_sheets, write_table
from core.watermark import watermark_text
from tests.conftest import make_user


def test_the_watermark_names_the_reader_and_the_time_in_shanghai(db):
    user = make_user("zhangsan", "office_staff")
    user.first_name, user.last_name = "三", "张"
    text = watermark_text(user, at=datetime(2018, 1, 5, 1, 30, tzinfo=UTC))
    assert "zhangsan" in text
    assert "张三" in text  # family name first, as the pages show it (Django's own reads "三 张")
    assert "2018-01-05 09:30" in text  # 01:30 UTC is 09:30 in Asia/Shanghai
    assert user.get_short_name() == "张三"  # the admin's greeting: the whole name, not "三"


def test_a_word_file_carries_it_in_its_page_header_and_footer_not_in_the_body(db):
    data = documents.render("summary", OfficialDocument(title="标题", body=["正文"]), watermark="水印行")
    assert "水印行" not in document_text(data)
    lines = document_text(data, margins=True).splitlines()
    assert (lines[0], lines[-1]) == ("水印行", "水印行")
    assert "正文" in lines
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "水印行" in archive.read("docProps/core.xml").decode()


def test_a_workbook_carries_it_above_the_header_of_every_sheet_and_in_its_properties():
    data, count = write_table("表", ["甲"], [["=1+1"]], watermark="水印行")
    book = load_workbook(io.BytesIO(data))
    assert list(book.active.iter_rows(values_only=True))[1:] == [("水印行",), ("甲",), ("'=1+1",)]
    assert count == 1
    assert (book.properties.creator, book.properties.description, book.properties.keywords) == ("水印行",) * 3
    book = load_workbook(io.BytesIO(write_sheets([("一", ["甲"], []), ("二", ["乙"], [])], watermark="水印行")))
    assert [ws["A2"].value for ws in book.worksheets] == ["水印行", "水印行"]
