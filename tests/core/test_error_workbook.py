"""core.excel.errors when the original turns unreadable part-way: the error reaches the caller,
and no half-written sheet is left for the garbage collector to finalise (openpyxl's write-only
sheets with lxml raise inside the finaliser, an "exception ignored" in whatever test runs next)."""

import gc
import sys

import pytest
from openpyxl import Workbook

from core.excel import errors
from core.excel.errors import Mark, build_error_workbook, build_sealed_copy


class Unreadable(Exception):
    pass


@pytest.fixture
def broken_halfway(tmp_path, monkeypatch):
    """A workbook whose second sheet cannot be read once the first has been copied."""
    book = Workbook()
    book.active.title = "问题线索"
    book.active.append(["编号", "被反映人"])
    book.active.append([1, "张三"])
    book.create_sheet("附表").append(["x"])
    path = tmp_path / "partner.xlsx"
    book.save(path)
    read = errors.read_workbook

    def read_then_fail(path, *, kind):
        sheets = read(path, kind=kind)
        yield next(sheets)
        raise Unreadable

    monkeypatch.setattr(errors, "read_workbook", read_then_fail)
    return str(path)


@pytest.fixture
def unraisable(monkeypatch):
    seen: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda report: seen.append(report.exc_value))
    return seen


def test_an_error_workbook_of_a_file_unreadable_halfway_raises_and_leaves_nothing_open(broken_halfway, unraisable):
    with pytest.raises(Unreadable):
        build_error_workbook(
            broken_halfway, kind="xlsx", marks=[Mark("问题线索", 2, 2, "error", "缺少")], watermark="水印"
        )
    gc.collect()
    assert unraisable == []


def test_a_sealed_copy_of_a_file_unreadable_halfway_raises_and_leaves_nothing_open(broken_halfway, unraisable):
    with pytest.raises(Unreadable):
        build_sealed_copy(
            broken_halfway,
            kind="xlsx",
            watermark="水印",
            sealed={"问题线索": {2}},
            is_label=lambda value: False,
            table_start=lambda rows: None,
        )
    gc.collect()
    assert unraisable == []
