"""openpyxl with and without lxml on the project's Chinese workbooks, measured in turns.

python-docx (for docxtpl) brings lxml, and openpyxl uses it whenever it is installed unless
OPENPYXL_LXML is "False" (openpyxl/xml/__init__.py reads it once, at its first import). This
runs the same three jobs in fresh processes with lxml on and off, alternating, so that a shared
machine's load falls on both alike:

    .venv/bin/python -m tests.bench.openpyxl_lxml [ROWS] [ROUNDS]

write: the 16-column partner workbook of the import benchmark (write-only, Chinese text);
read: raw read-only iteration of it (values_only), the import benchmark's reference;
export: a 12-column write-only sheet of Chinese text, as clues.exports writes.
Results go in docs/benchmarks.md.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _job(rows: int) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # the workbook writer below reads the project's models

    django.setup()
    from openpyxl import Workbook, load_workbook  # after OPENPYXL_LXML is set
    from openpyxl.xml import LXML  # after OPENPYXL_LXML is set

    from tests.bench.workbook import write_partner_workbook  # after OPENPYXL_LXML is set

    units = ("区住房和城乡建设局", "区民政局", "区教育局", "区卫生健康委员会", "区交通运输局", "区财政局")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "partner.xlsx")  # noqa: PTH118 - a plain path string
        started = time.perf_counter()
        write_partner_workbook(path, rows, units)
        write = time.perf_counter() - started
        started = time.perf_counter()
        book = load_workbook(path, read_only=True, data_only=True)
        sum(1 for _ in book.active.iter_rows(values_only=True))
        book.close()
        read = time.perf_counter() - started
    row = [
        "示巡〔2017〕第0001号",
        "区住房和城乡建设局",
        "张某某",
        "副局长",
        "违规收受礼品礼金，在工程项目中为他人谋利",
    ] * 2
    row += ["已移交", "2017-08-03"]
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("线索")
    for _ in range(rows):
        sheet.append(row)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
    export = time.perf_counter() - started
    return {"lxml": float(LXML), "write": rows / write, "read": rows / read, "export": rows / export}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    results: dict[str, list[dict[str, float]]] = {"True": [], "False": []}
    for _ in range(rounds):
        for flag in ("True", "False"):
            env = {**os.environ, "OPENPYXL_LXML": flag}
            out = subprocess.run(
                [sys.executable, "-m", "tests.bench.openpyxl_lxml", "--job", str(rows)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[flag].append(json.loads(out.strip().splitlines()[-1]))
    for flag, runs in results.items():
        medians = {key: statistics.median(run[key] for run in runs) for key in ("write", "read", "export")}
        used = "lxml" if runs[0]["lxml"] else "stdlib etree"
        print(  # noqa: T201 - the benchmark's report
            f"OPENPYXL_LXML={flag} ({used}), {rows:,} rows, median of {rounds}: "
            f"write {medians['write']:,.0f} rows/s, read {medians['read']:,.0f} rows/s, export {medians['export']:,.0f} rows/s"
        )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        print(json.dumps(_job(int(sys.argv[2]))))  # noqa: T201 - read by the parent process
    else:
        main()
