"""``wrse run`` imports only what it uses: no pandas on the run path (issue 10).

pandas was most of a run's start-up time, and a run needs no DataFrame: the data set, the
selections, the eligible counts and the result are columns (:mod:`optimizer.columnar`).
The commands run as a user runs them, in a fresh interpreter, in every output format and
with the inputs a run reads (``--data`` CSV and XLSX, ``--eligible``, ``--hierarchical``).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib import resources

import pytest

# Runs the commands one after another in one interpreter (a module imported stays imported)
# and writes to the file argv[2] CLEAN, or the first command that failed or loaded pandas.
PROBE = """
import json, sys
from optimizer.cli import main
commands, report = json.loads(sys.argv[1]), sys.argv[2]
verdict = "CLEAN"
for args in commands:
    sys.argv = ["wrse", *args]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            verdict = f"FAILED {args} {exc.code}"
            break
    if "pandas" in sys.modules:
        verdict = f"PANDAS {args}"
        break
with open(report, "w", encoding="utf-8") as handle:
    handle.write(verdict)
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A user's long data file as CSV and XLSX and an eligible-counts file, made from the shipped table."""
    from openpyxl import Workbook

    folder = tmp_path_factory.mktemp("run-imports")
    shipped = resources.files("optimizer.data").joinpath("kaltim-indicators.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(shipped.splitlines()))
    (folder / "data.csv").write_text(shipped, encoding="utf-8")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Data indikator Kalimantan Timur"])  # a title row above the header, as people send
    for row in rows:
        sheet.append(row)
    workbook.save(folder / "data.xlsx")
    codes = sorted({r[0] for r in rows[1:] if len(r[0]) == 4})
    (folder / "eligible.csv").write_text(
        "region_code,eligible\n" + "".join(f"{c},{400 + 10 * i}\n" for i, c in enumerate(codes)), encoding="utf-8"
    )
    return folder


def test_wrse_run_does_not_import_pandas(inputs):
    d = inputs
    commands = [
        ["run", "next-fiscal-year"],
        ["run", "next-fiscal-year", "--format", "csv"],
        ["run", "next-fiscal-year", "--format", "csv-excel", "--lang", "en"],
        ["run", "next-fiscal-year", "--format", "json"],
        ["run", "next-fiscal-year", "-o", str(d / "x.xlsx")],
        ["run", "next-fiscal-year", "--eligible", str(d / "eligible.csv"), "--format", "csv"],
        ["run", "next-fiscal-year", "--data", str(d / "data.csv"), "-o", str(d / "x.csv")],
        ["run", "next-fiscal-year", "--data", str(d / "data.xlsx"), "--wide"],
        ["run", "next-fiscal-year", "--hierarchical", "--format", "csv"],
    ]
    report = d / "verdict.txt"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(commands), str(report)], capture_output=True, text=True, cwd=d
    )
    assert done.returncode == 0, done.stderr[-2000:]
    verdict = report.read_text(encoding="utf-8")
    assert verdict == "CLEAN", verdict
    assert (d / "x.xlsx").stat().st_size > 0 and (d / "x.csv").read_text(encoding="utf-8").startswith("region_code,")
