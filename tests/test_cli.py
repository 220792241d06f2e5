"""The wrse command as a user runs it."""

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from optimizer.cli import main

REQUIRED = [
    "region_code",
    "region_name",
    "included",
    "idg",
    "idg_year",
    "idg_gap",
    "poverty_rate",
    "poverty_year",
    "eligible",
    "eligible_source",
    "need_share",
    "quota",
    "lower",
    "upper",
    "recipients",
    "cost_rp",
    "coverage_pct",
]


def run(runner, *args):
    return runner.invoke(main, list(args))


def test_run_table_is_for_people(runner):
    result = run(runner, "run", "next-fiscal-year")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Rp 600.000.000" in out and "Rp 3.000.000" in out and "Jumlah" in out
    assert "Kutai Kartanegara" in out and "Kendala mengikat" in out
    assert "estimasi" in out  # the eligible proxy is labelled
    english = run(runner, "run", "next-fiscal-year", "--lang", "en").stdout
    assert "Total" in english and "Binding constraint" in english


def test_run_json_has_the_documented_fields(runner):
    result = run(runner, "run", "baseline-2023", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in (
        "budget_rp",
        "cost_per_recipient_rp",
        "affordable",
        "allocated",
        "leftover_rp",
        "weights",
        "idg_reference",
        "method",
        "solver",
        "status",
        "regions",
    ):
        assert key in data
    assert set(data["weights"]) == {"idg_gap", "poverty_rate", "eligible"}
    assert len(data["regions"]) == 10  # every region of the data set, excluded ones with 0
    assert all(k in data["regions"][0] for k in REQUIRED)
    by_code = {r["region_code"]: r for r in data["regions"]}
    assert by_code["6403"]["recipients"] == 36 and by_code["6401"]["recipients"] == 0
    assert not by_code["6401"]["included"]
    assert data["budget_rp"] == 150_000_000 and data["allocated"] == 50 and data["status"] == "Optimal"


def test_run_csv_one_row_per_region(runner):
    result = run(runner, "run", "next-fiscal-year", "--format", "csv", "--budget", "1,5 miliar")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(REQUIRED) <= set(rows[0]) and len(rows) == 10
    assert sum(int(r["recipients"]) for r in rows) == 500  # Rp 1,5 miliar / Rp 3 juta
    assert sum(int(r["cost_rp"]) for r in rows) == 1_500_000_000


@pytest.mark.parametrize("amount", ["150000000", "Rp 150.000.000", "150 juta", "150jt", "0,15 miliar", "0.15M"])
def test_budget_forms(runner, amount):
    result = run(runner, "run", "next-fiscal-year", "--budget", amount, "--format", "json")
    assert json.loads(result.stdout)["budget_rp"] == 150_000_000


def test_compare(runner):
    result = run(runner, "compare", "baseline-2023", "next-fiscal-year", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    kukar = next(r for r in data["regions"] if r["region_code"] == "6403")
    assert kukar["scenarios"][0]["recipients"] == 36
    second = kukar["scenarios"][1]
    assert second["change_recipients"] == second["recipients"] - 36
    assert second["change_rp"] == second["cost_rp"] - 108_000_000
    table = run(runner, "compare", "baseline-2023", "all-ten-same-budget").stdout
    assert "Jumlah" in table and "Δ[2]" in table
    csv_text = run(runner, "compare", "baseline-2023", "all-ten-same-budget", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("region_code,region_name,recipients_0,cost_rp_0")


def test_compare_one_scenario_uses_the_baseline_wrse_scenarios_lists(runner):
    """One scenario is compared with the pembanding ``wrse scenarios`` shows for it (and the report uses):
    next-fiscal-year names none in its file, so baseline-2023 (once refused: 'at least two scenarios')."""
    listing = json.loads(run(runner, "scenarios", "--format", "json").stdout)
    (row,) = [s for s in listing if s["name"] == "next-fiscal-year"]
    assert row["baseline"] == "baseline-2023"
    one = run(runner, "compare", "next-fiscal-year", "--format", "json")
    two = run(runner, "compare", "baseline-2023", "next-fiscal-year", "--format", "json")
    assert one.exit_code == 0 and one.stdout == two.stdout


def test_scenarios_and_data(runner):
    listing = run(runner, "scenarios").stdout
    assert "baseline-2023" in listing and "Rp 150.000.000" in listing
    # the method by its name, as the reports call it, beside "realisasi 2025"; the code stays in the JSON
    next_year = next(line for line in listing.splitlines() if line.startswith("next-fiscal-year "))
    assert "Sainte-Laguë (Webster)" in next_year and "sainte-lague" not in listing
    assert "realisasi 2025" in listing
    shipped = {r["name"]: r for r in json.loads(run(runner, "scenarios", "--format", "json").stdout)}
    assert shipped["next-fiscal-year"]["method"] == "sainte-lague"
    shown = run(runner, "data").stdout
    assert "idg" in shown and "dkp3a.kaltimprov.go.id" in shown and "Mahakam Ulu" in shown
    records = json.loads(run(runner, "data", "--format", "json").stdout)["records"]
    assert all(r["source"] for r in records)


def test_method_and_solver_options(runner):
    a = json.loads(run(runner, "run", "next-fiscal-year", "--format", "json", "--method", "hamilton").stdout)
    assert a["method"] == "largest-remainder"
    assert "Alabama" in run(runner, "run", "next-fiscal-year", "--method", "hamilton", "--lang", "en").stdout
    b = json.loads(run(runner, "run", "next-fiscal-year", "--format", "json", "--solver", "cbc").stdout)
    c = json.loads(run(runner, "run", "next-fiscal-year", "--format", "json").stdout)
    assert b["solver"] == "cbc" and c["solver"] == "exact"
    assert [r["recipients"] for r in b["regions"]] == [r["recipients"] for r in c["regions"]]


@pytest.mark.parametrize(
    ("lang", "solver", "line"),
    [
        ("en", [], "· computed with the exact structured solver ·"),
        ("en", ["--solver", "cbc"], "· computed with CBC ·"),
        ("id", [], "· dihitung dengan pemecah eksak terstruktur ·"),
        ("id", ["--solver", "cbc"], "· dihitung dengan CBC ·"),
    ],
)
def test_run_header_names_the_solver_in_a_sentence(runner, lang, solver, line):
    """The method line says what computed the allocation as a phrase, not as a ``solver: the …`` label."""
    header = run(runner, "run", "next-fiscal-year", *solver, "--lang", lang).stdout.split("\n\n")[0]
    method = next(x for x in header.splitlines() if x.startswith(("Metode:", "Method:")))
    assert line in method, method
    assert "solver:" not in method and "pemecah:" not in method


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["run", "no-such-scenario"], 1, "no-such-scenario: no such scenario file"),
        (["run", "next-fiscal-year", "--budget", "banyak"], 2, "Invalid value for '--budget'"),
        (["run", "next-fiscal-year", "--budget", "1 juta"], 1, "below the cost of one recipient"),
        (["run", "next-fiscal-year", "--method", "dhondt"], 2, "Invalid value for '--method'"),
        (["run"], 2, "Missing argument"),
        (["compare", "baseline-2023"], 2, "at least two scenarios"),
        (["data", "--indicator", "gdp"], 2, "not in the data"),
    ],
)
def test_errors_are_one_line_without_traceback(runner, args, code, fragment, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    result = run(runner, *args)
    assert result.exit_code == code
    assert fragment in result.stderr
    assert "Traceback" not in result.output + result.stderr
    if code == 1:
        assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


def test_infeasible_scenario_names_the_numbers(runner, tmp_path):
    from optimizer.scenario import shipped_dir

    scenario = tmp_path / "big-floors.toml"
    scenario.write_text(
        f'extends = "{(shipped_dir() / "baseline-2023.toml").as_posix()}"\n[constraints]\nfloor_all = 30\n',
        encoding="utf-8",
    )
    result = run(runner, "run", str(scenario))
    assert result.exit_code == 1
    assert "Rp 180.000.000" in result.stderr and "Rp 150.000.000" in result.stderr


def test_output_is_written_atomically_and_never_over_an_input(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    target = tmp_path / "out.json"
    result = run(runner, "run", "next-fiscal-year", "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and json.loads(target.read_text())["allocated"] == 200
    assert not list(tmp_path.glob("*.part"))
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "region_code,eligible\n"
        + "\n".join(
            f"{c},500" for c in ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")
        )
    )
    before = counts.read_text()
    result = run(runner, "run", "next-fiscal-year", "--eligible", str(counts), "--format", "csv", "-o", str(counts))
    assert result.exit_code == 1 and "refusing to overwrite an input file" in result.stderr
    assert counts.read_text() == before


def test_failed_run_leaves_earlier_output_intact(runner, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("earlier\n")
    result = run(runner, "run", "next-fiscal-year", "--budget", "1 juta", "-o", str(target))
    assert result.exit_code == 1 and target.read_text() == "earlier\n"


def test_installed_command_runs_as_a_subprocess(tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    wrse = shutil.which("wrse")
    assert wrse, "the wrse console script is not installed"
    done = subprocess.run(
        [wrse, "run", "baseline-2023", "--format", "json"], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["allocated"] == 50
    bad = subprocess.run([wrse, "run", "nope"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr


def test_python_dash_m_works_like_wrse(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", "scenarios", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "next-fiscal-year" in {s["name"] for s in json.loads(done.stdout)}


@pytest.mark.parametrize(("name", "check"), [("a.json", json.loads), ("a.csv", lambda t: t.index("region_code,"))])
def test_output_suffix_sets_the_format(runner, tmp_path, name, check):
    target = tmp_path / name
    assert runner.invoke(main, ["run", "next-fiscal-year", "-o", str(target)]).exit_code == 0
    check(target.read_text(encoding="utf-8"))


def test_errors_name_a_shipped_scenario_by_its_name_not_its_install_path(runner):
    """A planner typed ``next-fiscal-year``; the message says that, not where pip put the file."""
    result = run(runner, "run", "next-fiscal-year", "--budget", "3.000.001")
    assert result.exit_code != 0
    assert result.output.startswith("Kesalahan: next-fiscal-year: batas bawah (50 penerima)")
    assert ".toml" not in result.output


def test_every_table_that_leaves_columns_out_takes_the_wide_it_names(runner):
    """A narrow terminal leaves columns out and says "tampilkan dengan --wide": every command that
    prints a table accepts --wide (scenarios and data once refused it), and with it shows them all."""
    import click

    for name, command in main.commands.items():
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
        if "--format" in options:
            assert "--wide" in options, name
    narrow = runner.invoke(main, ["scenarios"], env={"COLUMNS": "80", "WRSE_LANG": "id"})
    assert narrow.exit_code == 0 and "tampilkan dengan --wide" in narrow.stdout
    hidden = narrow.stdout.split("tampilkan dengan --wide):", 1)[1].split("\n", 1)[0]
    wide = runner.invoke(main, ["scenarios", "--wide"], env={"COLUMNS": "80", "WRSE_LANG": "id"})
    assert wide.exit_code == 0 and "--wide" not in wide.stdout
    header = wide.stdout.splitlines()[2]
    assert all(column.strip() in header for column in hidden.split(","))


@pytest.mark.parametrize(("lang", "shown"), [("en", "Rp 4,500,000–Rp 5,000,000"), ("id", "Rp 4.500.000–Rp 5.000.000")])
def test_the_grants_reported_range_is_in_the_readers_digits(runner, lang, shown):
    result = runner.invoke(main, ["run", "realised-2025-uep", "--lang", lang])
    assert result.exit_code == 0 and shown in result.stdout


@pytest.mark.parametrize(("typed", "spread"), [("12,5", "12,5%"), ("12.5", "12,5%")])
def test_a_number_option_takes_the_decimal_comma(runner, typed, spread):
    result = runner.invoke(main, ["sensitivity", "next-fiscal-year", "--draws", "50", "--weight-spread", typed])
    assert result.exit_code == 0, result.output
    assert f"sebaran {spread}" in result.stdout


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "id",
            "Kesalahan: Nilai tidak sah untuk '--weight-spread': 'abc' bukan angka; "
            "diharapkan angka seperti 12,5 atau 12.5",
        ),
        (
            "en",
            "Error: Invalid value for '--weight-spread': 'abc' is not a number; expected a number such as 12.5 or 12,5",
        ),
    ],
)
def test_a_number_option_that_is_not_a_number_says_what_is_expected(runner, lang, line):
    result = runner.invoke(main, ["sensitivity", "next-fiscal-year", "--weight-spread", "abc", "--lang", lang])
    assert result.exit_code == 2 and result.output.strip() == line


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("id", "0,01 di luar rentang x>=0,1"), ("en", "0.01 is not in the range x>=0.1")],
)
def test_a_number_out_of_range_and_its_range_are_in_the_readers_digits(runner, lang, shown):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--time-limit", "0.01", "--lang", lang])
    assert result.exit_code == 2 and shown in result.output
    help_text = " ".join(runner.invoke(main, ["run", "--help", "--lang", lang]).output.split())
    assert ("[x>=0,1]" if lang == "id" else "[x>=0.1]") in help_text


def test_a_broken_workbook_is_refused_without_a_python_class_name(runner, tmp_path):
    broken = tmp_path / "data.xlsx"
    broken.write_text("garbage", encoding="utf-8")
    result = runner.invoke(main, ["run", "next-fiscal-year", "--data", str(broken)])
    assert result.exit_code == 1 and "bukan berkas .xlsx yang utuh" in result.output
    assert "BadZipFile" not in result.output and "Error" not in result.output
