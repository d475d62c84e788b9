"""Reading the files the app serves, as a reader would: rows below the watermark, all text."""

import io

from openpyxl import load_workbook


def export_rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    """The rows of an exported workbook's sheet below its title and watermark lines, header row first."""
    book = load_workbook(io.BytesIO(content))
    rows = list((book[sheet] if sheet else book.active).iter_rows(values_only=True))
    assert "导出时间" in rows[0][0], rows[0]  # the title row: what, the filters, when
    watermark = [value for value in rows[1] if value not in (None, "")]
    assert len(watermark) == 1, rows[1]
    assert "下载" in watermark[0]
    return rows[2:]


def file_text(content: bytes) -> str:
    """Every text of a served .docx or .xlsx: a Word file's header, body and footer; a
    workbook's cells, every sheet, and its properties; a CSV as text."""
    import zipfile

    from core.documents import document_text

    if not content.startswith(b"PK"):
        return content.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        is_docx = "word/document.xml" in archive.namelist()
    if is_docx:
        return document_text(content, margins=True)
    book = load_workbook(io.BytesIO(content))
    props = book.properties
    cells = (str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    headers = (ws.oddHeader.center.text or "" for ws in book.worksheets)
    return "\n".join([props.creator or "", props.description or "", props.keywords or "", *headers, *cells])
