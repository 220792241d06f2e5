"""What a planner reads when an output name or a machine field does not fit: the error names every
file type the command writes, and the sweep's JSON gives no coverage of a proxy's pool."""

from __future__ import annotations

import json

import pytest

from optimizer.cli import main

CODES = ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")


@pytest.mark.parametrize(("lang", "word"), [("id", "buku kerja"), ("en", "workbook")])
@pytest.mark.parametrize(
    "command", [["run", "next-fiscal-year"], ["data"], ["compare", "baseline-2023", "next-fiscal-year"]]
)
def test_a_document_name_is_refused_naming_the_workbook_it_can_write(runner, tmp_path, lang, word, command):
    result = runner.invoke(main, [*command, "-o", str(tmp_path / "alokasi.pdf"), "--lang", lang])
    assert result.exit_code == 2 and ".xlsx" in result.stderr and word in result.stderr, result.stderr
    written = runner.invoke(main, [*command, "-o", str(tmp_path / "alokasi.xlsx"), "--lang", lang])
    assert written.exit_code == 0 and (tmp_path / "alokasi.xlsx").stat().st_size > 0  # the name it asks for works


def test_sweep_json_gives_no_coverage_of_a_proxy(runner, tmp_path):
    args = [
        "sweep",
        "next-fiscal-year",
        "--from",
        "300 juta",
        "--to",
        "600 juta",
        "--step",
        "150 juta",
        "--format",
        "json",
    ]
    proxy = json.loads(runner.invoke(main, args).stdout)
    assert all(v is None for point in proxy["points"] for v in point["coverage_pct"].values())
    counts = tmp_path / "counts.csv"
    counts.write_text("region_code,eligible\n" + "\n".join(f"{c},500" for c in CODES) + "\n")
    counted = json.loads(runner.invoke(main, [*args, "--eligible", str(counts)]).stdout)
    for point in counted["points"]:
        for code, share in point["coverage_pct"].items():
            assert share == pytest.approx(100 * point["recipients"][code] / 500)
