"""Clue-workbook import throughput against raw openpyxl on a 50,000-row partner workbook.

Prints the figures; nothing is asserted about time (benchmarks inform, they do not gate)."""

import json
import os
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clues.importing.parser import parse_clue_workbook
from core.excel.units import UnitRef
from tests.bench.workbook import write_partner_workbook

ROWS = 50_000
ROOT = Path(__file__).resolve().parents[2]
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


@pytest.mark.bench
@pytest.mark.django_db
def test_clue_import_end_to_end_throughput(tmp_path, settings):
    """The whole path an upload takes (checks, parse, normalise, validate, stage, commit) through
    `manage.py import_clues --commit`, against raw openpyxl iteration of the same file."""
    import io
    import json
    import resource
    from contextlib import redirect_stdout

    from django.core.management import call_command

    from clues.models import Clue, ClueImportRow
    from clues.services import letters
    from clues.services.partners import register_partner
    from inspection import services as rounds
    from tests.factories import OrganisationFactory

    settings.UPLOAD_MAX_BYTES = 200 * 2**20  # the bench file is larger than an office upload
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    inspection_round = rounds.create_round(by=None, committee_term=13, year=2017, round_no=1, title="基准轮次")
    group = rounds.create_group(by=None, inspection_round=inspection_round, number=1)
    for name in UNITS:
        rounds.assign_unit(by=None, group=group, org_unit=OrganisationFactory(name=name))
    register_partner(
        by=None, org_unit=OrganisationFactory(name="区审计局"), category="audit", sort_order=1, request_items=["审计"]
    )
    (letter,) = letters.create_round_letters(inspection_round=inspection_round, by=None)
    letters.submit_for_approval(letter=letter, by=None)
    letter = letters.approve_and_send(letter=letter, by=None)

    path = str(tmp_path / "partner.xlsx")
    write_partner_workbook(path, ROWS, UNITS)
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    sum(1 for row in workbook.active.iter_rows(values_only=True) for _ in row)
    workbook.close()
    raw_rate = ROWS / (time.perf_counter() - started)

    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(out), pytest.raises(SystemExit) as exit_info:
        call_command("import_clues", path, "--letter", letter.doc_number, "--commit", "--json", stdout=out)
    seconds = time.perf_counter() - started
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = json.loads(out.getvalue())
    assert exit_info.value.code == 0, report["errors"][:5]
    assert report["clues_created"] == ROWS == Clue.objects.count()
    assert ClueImportRow.objects.filter(clue__isnull=False).count() == ROWS
    rate = ROWS / seconds
    print(  # noqa: T201 - the benchmark's report
        f"\nclue import end to end ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}), {ROWS} rows: "
        f"raw openpyxl values_only {raw_rate:,.0f} rows/s; import_clues --commit {rate:,.0f} rows/s "
        f"({seconds:.1f} s); ratio {rate / raw_rate:.2f}; process peak RSS {after_kib / 1024:.0f} MiB "
        f"(grew {max(after_kib - before_kib, 0) / 1024:.0f} MiB during the import)"
    )


STREAM_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))


@pytest.mark.bench
@pytest.mark.timeout(1800)
@pytest.mark.django_db(transaction=True)
def test_clue_import_streams_in_flat_memory(tmp_path):
    """Issue 16 item 5: `import_clues --commit` of a 100,000-row workbook in a process of its own
    (tests/bench/import_run.py), for its peak RSS, against raw openpyxl read-only iteration of
    the same file in this process. The data the command needs is committed (transaction=True)."""
    from django.db import connection

    letter = _bench_letter()
    path = str(tmp_path / "partner.xlsx")
    write_partner_workbook(path, STREAM_ROWS, UNITS)
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    sum(1 for row in workbook.active.iter_rows(values_only=True) for _ in row)
    workbook.close()
    raw_rate = STREAM_ROWS / (time.perf_counter() - started)

    storage = tmp_path / "private"
    storage.mkdir()
    database = str(connection.settings_dict["NAME"])
    connection.close()  # SQLite: the child writes the same file
    command = [sys.executable, "-m", "tests.bench.import_run", database, str(storage), path, letter.doc_number]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["exit"] == 0, run
    assert run["report"]["clues_created"] == STREAM_ROWS
    rate = STREAM_ROWS / run["seconds"]
    print(  # noqa: T201 - the benchmark's report
        f"\nclue import in its own process ({connection.vendor}), {STREAM_ROWS:,} rows: raw openpyxl values_only "
        f"{raw_rate:,.0f} rows/s; import_clues --commit {rate:,.0f} rows/s ({run['seconds']:.1f} s); "
        f"ratio {rate / raw_rate:.2f} (target >= 0.9 on PostgreSQL); peak RSS {run['peak_kib'] / 1024:.0f} MiB "
        f"(target <= 150); CPU {run['python_cpu']:.1f} s in the command, {_seconds(run['server_cpu'])} in its "
        f"PostgreSQL backend; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} s"


def _bench_letter():
    from clues.services import letters
    from clues.services.partners import register_partner
    from inspection import services as rounds
    from tests.factories import OrganisationFactory

    inspection_round = rounds.create_round(by=None, committee_term=13, year=2017, round_no=1, title="基准轮次")
    group = rounds.create_group(by=None, inspection_round=inspection_round, number=1)
    for name in UNITS:
        rounds.assign_unit(by=None, group=group, org_unit=OrganisationFactory(name=name))
    register_partner(
        by=None, org_unit=OrganisationFactory(name="区审计局"), category="audit", sort_order=1, request_items=["审计"]
    )
    (letter,) = letters.create_round_letters(inspection_round=inspection_round, by=None)
    letters.submit_for_approval(letter=letter, by=None)
    return letters.approve_and_send(letter=letter, by=None)
