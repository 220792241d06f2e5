"""Section 8's weight ranges: the report quotes ``wrse sensitivity`` and its numbers are what
that command prints; the draws are checked independently (numpy's Dirichlet, the engine on
sampled draws, percentiles by sorting)."""

from __future__ import annotations

import json
import math
import shlex
import shutil
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from report_support import markdown_tables

from optimizer import engine
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.output import percent
from optimizer.report import pipeline, weight_draws
from optimizer.report.document import Formula, Paragraph
from optimizer.report.sensitivity import Sensitivity, summarise
from optimizer.report.text import Msg, resolve
from optimizer.scenario import load as load_scenario

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "example"


@pytest.fixture(scope="module")
def report(kaltim, next_year):
    return pipeline.make_report(next_year, kaltim, baseline=None, command="test")


def _section(report):
    return next(s for s in report.sections if s.key == "sensitivity")


def _command(report, lang: str = "id") -> list[str]:
    """The ``wrse sensitivity`` command that reproduces section 8, quoted in the audit trail
    (section 9; the section itself points there) in ``lang``, as arguments after ``wrse``."""
    assert not [b for b in _section(report).blocks if isinstance(b, Formula)]
    audit = next(s for s in report.sections if s.key == "audit")
    formulas = [b for b in audit.blocks if isinstance(b, Formula)]
    assert len(formulas) == 1
    words = shlex.split(resolve(formulas[0].lines[0], lang))
    assert words[:2] == ["wrse", "sensitivity"]
    return words[1:]


def _rows(table) -> dict[str, dict]:
    keys = [c.key for c in table.columns]
    return {row[0]: dict(zip(keys, row, strict=True)) for row in table.rows}


def _invoke(runner, args):
    result = runner.invoke(main, args, env={"WRSE_LANG": None})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_report_states_its_fixed_parameters(report, next_year):
    assert _command(report) == [
        "sensitivity",
        "next-fiscal-year",
        "--draws",
        "10000",
        "--weight-spread",
        "20",
        "--weight-model",
        "dirichlet",
        "--data-spread",
        "0",
        "--seed",
        "20230050",
    ]
    assert _command(report, "en") == [*_command(report), "--lang", "en"]  # English readers get English tables
    text = " ".join(resolve(p, "en") for b in _section(report).blocks if isinstance(b, Paragraph) for p in b.parts)
    assert "10,000 sets of weights" in text and "spread 20%" in text and "the random seed is 20230050" in text
    assert "concentration c = 49:" in text  # (k - 1) / p**2 - 1 = 2 / 0.04 - 1
    table = report.table("sensitivity_draws")
    assert [c.key for c in table.columns] == [
        "region_code",
        "region_name",
        "recipients",
        "p5",
        "median",
        "p95",
        "p_fewer",
        "p_more",
    ]
    # The sampling margin of a share: 1.96 * sqrt(0.25 / 10000) = 0.98 percentage points.
    assert "±0.98 percentage points" in resolve(table.notes[1], "en")


def test_numbers_equal_what_the_quoted_command_prints(report, runner):
    args = _command(report)
    printed = json.loads(_invoke(runner, [*args, "--format", "json"]))
    assert (printed["draws"], printed["seed"], printed["weight_spread_pct"]) == (10000, 20230050, 20.0)
    rows = _rows(report.table("sensitivity_draws"))
    assert list(rows) == [r["region_code"] for r in printed["regions"]]
    for region in printed["regions"]:
        mine = rows[region["region_code"]]
        assert mine["recipients"] == region["scenario"]
        for key in ("p5", "median", "p95", "p_fewer", "p_more"):
            assert mine[key] == region[key], (region["region_code"], key)
    text = " ".join(resolve(p, "id") for b in _section(report).blocks if isinstance(b, Paragraph) for p in b.parts)
    assert f"pada {percent(printed['unchanged_share'], 2, 'id')} undian" in text
    for weight in printed["weights"]:
        low, high = (percent(weight[k], 1, "id") for k in ("p5", "p95"))
        assert f"{low}–{high}" in text
    # The same numbers in the table the command prints for people (Indonesian formats).
    table = _invoke(runner, args)
    assert f"Seluruh alokasi tetap sama seperti skenario pada {percent(printed['unchanged_share'], 2, 'id')}" in table
    seen = set()
    for line in table.splitlines():
        words = line.split()
        if words and words[0] in rows:
            scenario, _, p5, median, p95, _, _, fewer, more = words[-9:]
            mine = rows[words[0]]
            assert [int(scenario), int(p5), int(median), int(p95)] == [
                mine[k] for k in ("recipients", "p5", "median", "p95")
            ]
            assert [fewer, more] == [percent(mine[k], 1, "id") for k in ("p_fewer", "p_more")]
            seen.add(words[0])
    assert seen == set(rows)
    english = _invoke(runner, _command(report, "en"))
    assert f"stays as in the scenario in {percent(printed['unchanged_share'], 2, 'en')} of the draws" in english


def test_draws_checked_independently(report, kaltim, next_year):
    result = weight_draws.draw(engine.allocate(next_year, kaltim)).result  # what the report's provider runs
    # The weights are numpy's Dirichlet(c * w0) with c = 49 and the seed of wrse sensitivity.
    n = 10_000
    w0 = np.array([0.3, 0.3, 0.4])
    expected = np.random.default_rng(20230050).dirichlet(49 * w0, size=n)
    np.testing.assert_allclose(result.weights, expected, rtol=0, atol=1e-12)
    # Sampled draws equal the engine run with those weights.
    for i in (0, 777, n - 1):
        weights = MappingProxyType(
            dict(zip(("idg_gap", "poverty_rate", "eligible"), map(float, expected[i]), strict=True))
        )
        alloc = engine.allocate(next_year.replace(weights=weights), kaltim)
        assert alloc.included["recipients"].tolist() == result.x[i].tolist(), i
    # Percentiles by sorting (inverted CDF: the ceil(q N)-th smallest) and shares by counting.
    rows = _rows(report.table("sensitivity_draws"))
    base = engine.allocate(next_year, kaltim).recipients()
    for j, code in enumerate(rows):
        column = np.sort(result.x[:, j])
        for key, q in (("p5", 0.05), ("median", 0.5), ("p95", 0.95)):
            assert rows[code][key] == column[math.ceil(q * n) - 1], (code, key)
        assert rows[code]["recipients"] == base[code]
        assert rows[code]["p_fewer"] == sum(int(v) < base[code] for v in result.x[:, j]) / n
        assert rows[code]["p_more"] == sum(int(v) > base[code] for v in result.x[:, j]) / n
    same = sum(all(int(result.x[i, j]) == base[c] for j, c in enumerate(rows)) for i in range(n))
    assert result.unchanged == same / n


def test_report_options_carry_over_to_the_quoted_command(kaltim, next_year, runner, tmp_path):
    copy = tmp_path / "my scenario.toml"
    shutil.copyfile(next_year.path, copy)
    scenario = load_scenario(copy)
    report = pipeline.make_report(
        scenario, kaltim, baseline=None, command="test", budget_rp=300_000_000, method="hamilton"
    )
    args = _command(report)
    assert args[1:6] == [str(copy), "--budget", "300000000", "--method", "hamilton"]
    printed = json.loads(_invoke(runner, [*args, "--format", "json"]))
    assert printed["method"] == "largest-remainder" and printed["affordable"] == 100
    rows = _rows(report.table("sensitivity_draws"))
    for region in printed["regions"]:
        mine = rows[region["region_code"]]
        assert [mine[k] for k in ("recipients", "p5", "median", "p95", "p_fewer", "p_more")] == [
            region[k] for k in ("scenario", "p5", "median", "p95", "p_fewer", "p_more")
        ]
    named = pipeline.make_report(
        scenario, kaltim, baseline=None, command="test", scenario_arg="x.toml", sensitivity=_only_draws
    )
    assert _command(named)[1] == "x.toml"


def _only_draws(allocation, rerun):
    return Sensitivity((), Msg.of("report.sensitivity.method_direct"), draws=weight_draws.draw(allocation))


def test_committed_example_quotes_a_command_that_prints_its_table(runner):
    text = (EXAMPLE / "next-fiscal-year.md").read_text(encoding="utf-8")
    quoted = [line for line in text.splitlines() if line.startswith("wrse sensitivity ")]
    assert len(quoted) == 1
    printed = json.loads(_invoke(runner, [*shlex.split(quoted[0])[1:], "--format", "json"]))
    table = next(t for t in markdown_tables(text) if t["title"] == "Penerima per wilayah dari 10.000 undian bobot")
    assert [row[0] for row in table["rows"]] == [r["region_code"] for r in printed["regions"]]
    for row, region in zip(table["rows"], printed["regions"], strict=True):
        assert [int(v) for v in row[2:6]] == [region[k] for k in ("scenario", "p5", "median", "p95")]
        assert row[6:] == [percent(region[k], 2, "id") for k in ("p_fewer", "p_more")]


def test_single_weight_is_skipped_and_errors_are_reported(kaltim, next_year, monkeypatch):
    single = next_year.replace(weights=MappingProxyType({"idg_gap": 0.0, "poverty_rate": 0.0, "eligible": 1.0}))
    report = pipeline.make_report(single, kaltim, baseline=None, command="test", sensitivity=_only_draws)
    with pytest.raises(KeyError):
        report.table("sensitivity_draws")
    text = [resolve(p, "en") for b in _section(report).blocks if isinstance(b, Paragraph) for p in b.parts]
    assert "Not computed: only one indicator has a positive weight, so the weights cannot vary." in text

    def failing(base, spec):
        raise InputError("sensitivity: something went wrong")

    monkeypatch.setattr(weight_draws, "run", failing)
    draws = weight_draws.draw(engine.allocate(next_year, kaltim))
    assert draws.result is None
    assert resolve(draws.error, "en") == "could not be computed: sensitivity: something went wrong"


def test_direct_provider_leaves_the_draws_out(kaltim, next_year):
    report = pipeline.make_report(next_year, kaltim, baseline=None, command="test", sensitivity=summarise)
    assert "sensitivity_draws" not in {t.key for t in report.tables()}
    assert "sensitivity" in {t.key for t in report.tables()}


def test_wrse_sensitivity_with_its_defaults_prints_the_report_numbers(report, runner):
    """One default for both (the newcomer saw P5 25 from the command, 26 in the report): the
    command with no options draws what the report draws, and its --draws default is the
    analysis module's DEFAULT_DRAWS."""
    from optimizer.analysis import sensitivity as sens

    option = {p.name: p for p in main.get_command(None, "sensitivity").params}
    assert option["draws"].default == sens.DEFAULT_DRAWS == weight_draws.DRAWS
    assert weight_draws.SEED == sens.DEFAULT_SEED
    printed = json.loads(_invoke(runner, ["sensitivity", "next-fiscal-year", "--format", "json"]))
    assert (printed["draws"], printed["seed"]) == (sens.DEFAULT_DRAWS, sens.DEFAULT_SEED)
    rows = _rows(report.table("sensitivity_draws"))
    for region in printed["regions"]:
        mine = rows[region["region_code"]]
        assert [mine[k] for k in ("recipients", "p5", "median", "p95", "p_fewer", "p_more")] == [
            region[k] for k in ("scenario", "p5", "median", "p95", "p_fewer", "p_more")
        ], region["region_code"]
