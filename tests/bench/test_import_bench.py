"""Clue-workbook import throughput against raw openpyxl on a 50,000-row partner workbook.

Prints the figures; nothing is asserted about time (benchmarks inform, they do not gate)."""

import time
import tracemalloc
from datetime import date

import pytest
from openpyxl import load_workbook

from clues.importing import UnitRef, parse_clue_workbook
from tests.bench.workbook import write_partner_workbook

ROWS = 50_000
UNITS = ("区住房和城乡建设局", "区民政局", "区教育局", "区卫生健康委员会", "区交通运输局", "区财政局")


@pytest.mark.bench
def test_clue_import_throughput(tmp_path):
    path = str(tmp_path / "partner.xlsx")
    write_partner_workbook(path, ROWS, UNITS)

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    cells = sum(1 for row in workbook.active.iter_rows(values_only=True) for _ in row)
    workbook.close()
    raw_seconds = time.perf_counter() - started

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    cell_objects = sum(len(row) for row in workbook.active.iter_rows())
    workbook.close()
    raw_cell_seconds = time.perf_counter() - started

    units = [UnitRef(index, (name,)) for index, name in enumerate(UNITS, start=1)]
    started = time.perf_counter()
    result = parse_clue_workbook(path, kind="xlsx", units=units, letter_year=2017, today=date(2017, 9, 1))
    parse_seconds = time.perf_counter() - started
    # A second run under tracemalloc for the peak: tracing slows Python code several times over.
    del result
    tracemalloc.start()
    result = parse_clue_workbook(path, kind="xlsx", units=units, letter_year=2017, today=date(2017, 9, 1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    data = sum(1 for row in result.rows if row.kind == "data")
    assert data == ROWS
    raw_rate, cell_rate, parse_rate = ROWS / raw_seconds, ROWS / raw_cell_seconds, ROWS / parse_seconds
    print(  # noqa: T201 - the benchmark's report
        f"\nclue import bench, {ROWS} rows ({cells} cells, {cell_objects} cell objects): "
        f"raw openpyxl values_only {raw_rate:,.0f} rows/s; raw openpyxl cells {cell_rate:,.0f} rows/s; "
        f"parse_clue_workbook {parse_rate:,.0f} rows/s; "
        f"ratio {parse_rate / raw_rate:.2f} vs values_only, {parse_rate / cell_rate:.2f} vs cells (target >= 0.5); "
        f"peak memory of the parse {peak / 2**20:.1f} MiB (the result holds every row); status {result.status}"
    )
