"""``wrse sweep``, ``wrse sensitivity`` and ``wrse plan`` run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.cli import main

# the retired 2024-2028 roadmap, kept as a fixture (the shipped one is roadmap-2027-uep)
LEGACY_ROADMAP = Path(__file__).parent / "data" / "roadmap-all-ten-2027.toml"


def invoke(runner, *args):
    return runner.invoke(main, list(args))


def test_sweep_table_json_csv(runner):
    table = invoke(runner, "sweep", "all-ten-same-budget", "--from", "0", "--to", "60 juta", "--lang", "en")
    assert table.exit_code == 0, table.output
    assert "Monotonicity: holds" in table.stdout and "Next in line" in table.stdout
    assert "When each region enters the programme" in table.stdout
    indonesian = invoke(runner, "sweep", "all-ten-same-budget", "--from", "0", "--to", "30jt")
    assert "Monotonisitas: terpenuhi" in indonesian.stdout

    result = invoke(
        runner,
        "sweep",
        "all-ten-same-budget",
        "--from",
        "150 juta",
        "--to",
        "1,5 miliar",
        "--step",
        "150 juta",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["monotone"] is True and data["range"]["points"] == 10
    assert [p["budget_rp"] for p in data["points"]][:2] == [150_000_000, 300_000_000]
    assert all(sum(p["recipients"].values()) == p["allocated"] for p in data["points"])
    assert len(data["next_in_line"]) == 10 and len(data["entries"]) == 10

    rows = list(
        csv.DictReader(
            io.StringIO(
                invoke(
                    runner,
                    "sweep",
                    "next-fiscal-year",
                    "--from",
                    "0",
                    "--to",
                    "300 juta",
                    "--step",
                    "30 juta",
                    "--format",
                    "csv",
                ).stdout
            )
        )
    )
    assert rows[0]["feasible"] == "false" and rows[-1]["allocated"] == "100"
    assert {"budget_rp", "recipients_6403", "leftover_rp", "regions_covered"} <= set(rows[0])


def test_a_long_sweep_table_names_the_step_option_and_csv_stays_complete(runner):
    """5 to 10 miliar at the default step (Rp 5 juta, one recipient) is 1.001 rows: one line on
    standard error names --step with a round example; CSV keeps every point, without the hint."""
    args = ("sweep", "proposal-2027-uep", "--from", "5 miliar", "--to", "10 miliar")
    table = invoke(runner, *args)
    assert table.exit_code == 0, table.output
    hint = table.stderr.strip().splitlines()
    assert len(hint) == 1 and "1.001" in hint[0] and "--step" in hint[0] and '--step "100 juta"' in hint[0]
    assert "Rp 5.000.000" in hint[0]
    machine = invoke(runner, *args, "--format", "csv")
    assert machine.exit_code == 0 and "--step" not in machine.stderr
    budgets = {row["budget_rp"] for row in csv.DictReader(io.StringIO(machine.stdout)) if row.get("budget_rp")}
    assert len(budgets) == 1001
    short = invoke(runner, *args, "--step", "100 juta")  # the suggested step: 51 rows, no hint
    assert short.exit_code == 0 and short.stderr.strip() == ""


def test_readable_step_is_round_and_never_below_one_recipient():
    from optimizer.analysis.sweep import readable_step

    assert readable_step(5_000_000_000, 10_000_000_000, 5_000_000) == 100_000_000  # 5 miliar / 50
    assert readable_step(0, 1_000_000_000, 3_000_000) == 20_000_000  # 1 miliar / 50
    assert readable_step(0, 60_000_000, 3_000_000) == 3_000_000  # never below the cost of one recipient


HAMILTON_SWEEP = ("sweep", "next-fiscal-year", "--from", "150 juta", "--to", "600 juta", "--method", "hamilton")


def test_sweep_hamilton_names_violations_and_writes_a_chart(runner, tmp_path):
    chart = tmp_path / "sweep.svg"
    out = tmp_path / "sweep.json"
    result = invoke(
        runner,
        *HAMILTON_SWEEP,
        "--chart",
        str(chart),
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["monotone"] is False and data["violations"]
    first = data["violations"][0]
    assert first["count_to"] < first["count_from"] and first["budget_to_rp"] > first["budget_from_rp"]
    svg = chart.read_bytes()
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    # Deterministic: the same chart twice gives the same bytes.
    again = tmp_path / "again.svg"
    invoke(
        runner,
        *HAMILTON_SWEEP,
        "--chart",
        str(again),
        "-o",
        str(tmp_path / "x.txt"),
    )
    assert again.read_bytes() == svg


def test_sweep_png_chart(runner, tmp_path):
    chart = tmp_path / "sweep.png"
    result = invoke(
        runner, "sweep", "baseline-2023", "--from", "0", "--to", "300 juta", "--step", "30 juta", "--chart", str(chart)
    )
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_chart_does_not_import_pyplot(tmp_path):
    """The chart is drawn with matplotlib's object-oriented API: pyplot (its global figure
    state and backend registry) is not imported, which saves a sweep a third of its start."""
    code = (
        "import sys; from optimizer.cli import main\n"
        "try: main(['sweep', 'baseline-2023', '--from', '0', '--to', '60 juta', '--step', '30 juta',"
        " '--chart', sys.argv[1], '-o', sys.argv[2]])\n"
        "except SystemExit as end: assert end.code == 0, end.code\n"
        "assert 'matplotlib.figure' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "s.svg"), str(tmp_path / "s.csv")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "s.svg").read_text().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "300 juta", "--to", "150 juta"], "--to"),
        (["--from", "abc", "--to", "150 juta"], "Invalid value for '--from'"),
        (["--from", "0", "--to", "1 triliun", "--step", "1"], "--step"),
        (["--from", "0", "--to", "3 juta", "--chart", "x.pdf"], ".png or .svg"),
    ],
)
def test_sweep_errors_are_one_line(runner, tmp_path, args, expected, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    result = runner.invoke(main, ["sweep", "next-fiscal-year", *args], catch_exceptions=False)
    assert result.exit_code in (1, 2)
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_sensitivity_formats_and_seed(runner):
    args = ["sensitivity", "next-fiscal-year", "--draws", "500", "--seed", "7", "--data-spread", "5"]
    first = invoke(runner, *args, "--format", "json")
    second = invoke(runner, *args, "--format", "json")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout  # seeded: identical output
    data = json.loads(first.stdout)
    assert data["seed"] == 7 and data["draws"] == 500 and data["dirichlet_concentration"] == pytest.approx(49)
    assert {r["region_code"] for r in data["regions"]} >= {"6403", "6472"}
    table = invoke(runner, *args, "--lang", "en")
    assert "P(fewer)" in table.stdout and "seed 7" in table.stdout
    assert "Solving draws" not in table.stderr  # no progress bar when not on a terminal
    rows = list(csv.DictReader(io.StringIO(invoke(runner, *args, "--format", "csv").stdout)))
    assert len(rows) == 10 and {"p5", "median", "p95", "p_fewer"} <= set(rows[0])


def test_sensitivity_errors(runner, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    result = invoke(runner, "sensitivity", "next-fiscal-year", "--weight-spread", "200")
    assert result.exit_code == 1 and "--weight-spread" in result.stderr
    result = invoke(runner, "sensitivity", "next-fiscal-year", "--budget", "90 juta")
    assert result.exit_code == 1 and "floors" in result.stderr


def test_plan_shipped_roadmap_json(runner):
    result = invoke(runner, "plan", str(LEGACY_ROADMAP), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [y["year"] for y in data["years"]] == [2024, 2025, 2026, 2027, 2028]
    assert all(y["unspent_rp"] >= 0 and y["spent_rp"] <= y["budget_rp"] for y in data["years"])
    assert all(r["entry_year"] <= 2027 for r in data["regions"])
    assert data["baseline"]["year"] == 2023 and sum(data["baseline"]["recipients"].values()) == 50
    assert "tidak dipublikasikan" in data["baseline"]["label"]


SMALL_ROADMAP = """
[roadmap]
scenario = "baseline-2023"
first_year = 2024
last_year = 2026
coverage_year = 2025
[budget]
start = "60 juta"
growth_pct = 10
[bimtek]
session_rp = "10 juta"
min_class = 5
[baseline]
year = 2023
recipients = { Kukar = 30, Samarinda = 20 }
"""


def test_plan_table_and_csv(runner, tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL_ROADMAP, encoding="utf-8")
    table = invoke(runner, "plan", str(path), "--lang", "en")
    assert table.exit_code == 0, table.output
    for phrase in ("Recipients per year", "Rupiah per year", "Unspent", "Enters", "2023*", "as given in the roadmap"):
        assert phrase in table.stdout
    indonesian = invoke(runner, "plan", str(path))
    assert "Penerima per tahun" in indonesian.stdout and "Sisa" in indonesian.stdout
    rows = list(csv.DictReader(io.StringIO(invoke(runner, "plan", str(path), "--format", "csv").stdout)))
    assert len(rows) == 8 and rows[0]["year"] == "2023" and rows[0]["baseline"] == "true"
    assert [r["recipients"] for r in rows[:2]] == ["30", "20"]
    for year in ("2024", "2025", "2026"):
        spent = sum(int(r["total_rp"]) for r in rows if r["year"] == year)
        assert spent <= {"2024": 60_000_000, "2025": 66_000_000, "2026": 72_600_000}[year]


def test_plan_infeasible_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "tight.toml"
    text = (
        '[roadmap]\nscenario = "next-fiscal-year"\nfirst_year = 2024\nlast_year = 2025\ncoverage_year = 2024\n'
        '[budget.per_year]\n2024 = "150 juta"\n2025 = "150 juta"\n'
        '[bimtek]\nsession_rp = "10 juta"\nmin_class = 5\n'
        "[baseline]\nyear = 2023\nrecipients = {}\n"
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "plan.txt"
    result = invoke(runner, "plan", str(path), "-o", str(out))
    assert result.exit_code == 1
    # Ten regions x (session Rp 10 juta + 5 x Rp 3 juta) = Rp 250 juta a year.
    assert "Rp 250.000.000" in result.stderr and str(path) in result.stderr
    assert not out.exists()  # nothing written


@pytest.mark.skipif(shutil.which("wrse") is None, reason="the wrse command is not installed")
def test_installed_wrse_sweep_subprocess():
    completed = subprocess.run(
        ["wrse", "sweep", "next-fiscal-year", "--from", "150 juta", "--to", "3 miliar", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["range"]["points"] == 951 and data["monotone"] is True


def test_module_entry_point_plan_error_exit_code(monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    completed = subprocess.run(
        [sys.executable, "-m", "optimizer", "plan", "no-such-roadmap"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 1
    assert completed.stderr.startswith("Error: no-such-roadmap: no such roadmap file")


def _plan_with_bimtek(runner, tmp_path, session_rp=None) -> dict:
    """The JSON plan of the legacy roadmap over next-fiscal-year with a bimtek of Rp 500.000 per
    recipient (and the roadmap's ``session_rp`` replaced by ``session_rp`` when given)."""
    from optimizer.scenario import shipped_dir

    scenario = tmp_path / "with-bimtek.toml"
    scenario.write_text(
        f'extends = "{(shipped_dir() / "next-fiscal-year.toml").as_posix()}"\n'
        "[costs]\nbimtek_per_recipient_rp = 500000\n",
        encoding="utf-8",
    )
    roadmap = LEGACY_ROADMAP.read_text(encoding="utf-8")
    roadmap = roadmap.replace('scenario = "next-fiscal-year"', f'scenario = "{scenario.as_posix()}"')
    if session_rp is not None:
        roadmap = roadmap.replace('session_rp = "10 juta"', f"session_rp = {session_rp}")
    (tmp_path / "r.toml").write_text(roadmap, encoding="utf-8")
    result = runner.invoke(main, ["plan", str(tmp_path / "r.toml"), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_plan_counts_bimtek_once_per_session(runner, tmp_path):
    """A per-recipient bimtek cost in the scenario is not added on top of the roadmap's session cost."""
    data = _plan_with_bimtek(runner, tmp_path)
    assert data["cost_per_recipient_rp"] == 3_000_000
    for year in data["years"]:
        assert year["grants_rp"] == year["recipients"] * 3_000_000
        assert year["spent_rp"] == year["grants_rp"] + year["sessions_rp"] <= year["budget_rp"]
    assert any("not added again" in n for n in data["notices"])


def test_plan_without_session_cost_keeps_the_per_recipient_bimtek(runner, tmp_path):
    data = _plan_with_bimtek(runner, tmp_path, session_rp=0)
    assert data["cost_per_recipient_rp"] == 3_500_000
    assert all(year["grants_rp"] == year["recipients"] * 3_500_000 for year in data["years"])
    assert not any("not added again" in n for n in data["notices"])
