"""A scenario title that quotes its own budget ("200 penerima @ Rp 3.000.000") is not shown as
the heading of a run with another budget or method: ``wrse run``, ``wrse compare`` and the
report's subtitle show the numbers used, the way the report's title does (newcomer finding)."""

from __future__ import annotations

import pytest

from optimizer.cli import main
from optimizer.report import pipeline
from optimizer.report.text import resolve


def _run(runner, *args):
    result = runner.invoke(main, list(args), env={"WRSE_LANG": "id"})
    assert result.exit_code == 0, result.output
    return result.stdout


def _scenario_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Skenario:"))


def test_run_heading_shows_the_overridden_budget_not_the_scenarios_title(runner, next_year):
    assert "200 penerima @ Rp 3.000.000" in next_year.title  # the title quotes the written budget
    line = _scenario_line(_run(runner, "run", "next-fiscal-year", "--budget", "1,5 miliar"))
    assert "200 penerima" not in line
    assert "Rancangan awal TA 2027 (aturan SK 2023), dengan anggaran Rp 1.500.000.000 (500 penerima)" in line
    # the written budget given again, or no override: the scenario's own title
    for args in ((), ("--budget", "600 juta")):
        line = _scenario_line(_run(runner, "run", "next-fiscal-year", *args))
        assert f"Skenario: {next_year.title} (next-fiscal-year)" == line.split(" · ")[0]


@pytest.mark.parametrize("option", [("--method", "hamilton")])
def test_run_heading_names_an_overridden_method(runner, option):
    line = _scenario_line(_run(runner, "run", "next-fiscal-year", *option))
    assert "dengan anggaran Rp 600.000.000 (200 penerima), metode sisa terbesar (Hamilton)" in line


def test_compare_legend_shows_the_overridden_budget(runner):
    text = _run(runner, "compare", "next-fiscal-year", "baseline-2023", "--budget", "1,5 miliar")
    legend = [line for line in text.splitlines() if line.startswith("  [")]
    assert "200 penerima @" not in legend[0] and "(500 penerima)" in legend[0]
    assert "50 penerima di Kutai" not in legend[1] and "Program 2023, dengan anggaran Rp 1.500.000.000" in legend[1]


def test_report_subtitle_is_the_same_heading(kaltim, next_year):
    report = pipeline.make_report(
        next_year, kaltim, baseline=None, command="t", sensitivity=None, budget_rp=1_500_000_000
    )
    assert resolve(report.subtitle, "id").startswith("Rancangan awal TA 2027 (aturan SK 2023), dengan anggaran")
