"""Reading the files the app serves, as a reader would: rows below the watermark, all text."""

import io

from openpyxl import load_workbook


def export_rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    """The rows of an exported workbook's sheet below its watermark line, header row first."""
    book = load_workbook(io.BytesIO(content))
    rows = list((book[sheet] if sheet else book.active).iter_rows(values_only=True))
    watermark = [value for value in rows[0] if value not in (None, "")]
    assert len(watermark) == 1, rows[0]
    assert "下载" in watermark[0]
    return rows[1:]
