"""``wrse sweep --hierarchical`` and ``wrse sensitivity --hierarchical`` on data with one region at
the top (Kalimantan Timur: one province; ``wrse synth --provinces 1``) vary the first split of more
than one region, the kabupaten/kota under it, and say which level they show; a province with a
bound of its own (a cap below its kabupaten/kota's sum) keeps the top split, which the bound shapes.

Expectations: the need formula and Sainte-Laguë by hand on a one-province tree, full hierarchical
runs at every budget, and the single-level run of the shipped Kaltim data (one province above its
ten kabupaten/kota: the hierarchical split under it is that run)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from analysis_helpers import tree_scenario

from optimizer import scenario
from optimizer.analysis import sensitivity as sens
from optimizer.analysis.base import build
from optimizer.analysis.sweep import budget_grid, sweep
from optimizer.cli import main
from optimizer.hierarchy import allocate_hierarchical
from optimizer.inputs.data import load as load_data

# Province 91 (IDG 70) above three kabupaten/kota with their own IDG, P0 and eligible count.
TREE = (
    "region_code,region_name,idg,poverty_rate,eligible,year\n"
    "91,Prov A,70,10,,2024\n"
    "9101,Kab A1,60,9,40,2024\n9102,Kab A2,65,11,60,2024\n9103,Kab A3,68,7,100,2024\n"
)
SCENARIO = tree_scenario("one-province", "One province, three kabupaten/kota")
R = 20  # Rp 60 juta / Rp 3 juta (the 2023 SK grant), no bimtek
# under the province the IDG gap is measured from its own IDG (70), not the scenario's 72
GAPS = np.array([70.0 - 60.0, 70.0 - 65.0, 70.0 - 68.0])
ELIGIBLE = np.array([40.0, 60.0, 100.0])
KABKOTA = ("9101", "9102", "9103")


def sainte_lague(shares: np.ndarray, total: int) -> list[int]:
    """Highest averages with divisors 1, 3, 5, … (ties to the first region, the lower BPS code)."""
    seats = np.zeros(len(shares), dtype=int)
    for _ in range(total):
        seats[int(np.argmax(shares / (2 * seats + 1)))] += 1
    return seats.tolist()


def by_hand(weights: np.ndarray, total: int = R) -> list[int]:
    w_idg, _, w_eligible = weights / weights.sum()
    return sainte_lague(w_idg * GAPS / GAPS.sum() + w_eligible * ELIGIBLE / ELIGIBLE.sum(), total)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-province")
    (folder / "tree.csv").write_text(TREE, encoding="utf-8")
    (folder / "one-province.toml").write_text(SCENARIO, encoding="utf-8")
    capped = SCENARIO.replace("[weights]", "[constraints]\ncaps = { 91 = 15 }\n[weights]")
    (folder / "capped.toml").write_text(capped, encoding="utf-8")
    return folder


def _base(files, name="one-province.toml", **options):
    return build(scenario.load(files / name), load_data(files / "tree.csv"), hierarchical=True, **options)


def test_the_split_under_the_one_province_is_varied(files):
    base = _base(files, strict=True)
    tree = base.allocation.tree
    assert base.codes == KABKOTA and tree.split_level == 1 and tree.split_parent == "91"
    assert base.allocation.problem.codes == ("91",)  # the run's top level is still the province
    # shares 0.5 * 10/17 + 0.5 * 0.2 = 0.394, 0.297, 0.309: quotas 7.88, 5.94, 6.18 -> 8, 6, 6
    assert by_hand(np.array([0.5, 0.0, 0.5])) == [8, 6, 6]
    result = sens.run(base, sens.Spec(draws=300, weight_spread=60, seed=4))
    assert result.base_x.tolist() == [8, 6, 6]
    np.testing.assert_array_equal(result.x, np.array([by_hand(w) for w in result.weights]))
    assert len({tuple(row) for row in result.x.tolist()}) > 1  # the draws do move the split


def test_every_sweep_point_is_a_full_run_at_that_budget(files):
    loaded, data = scenario.load(files / "one-province.toml"), load_data(files / "tree.csv")
    budgets = budget_grid(3_000_000, 150_000_000, 3_000_000)
    result = sweep(build(loaded, data, hierarchical=True), budgets)
    assert result.base.codes == KABKOTA and result.monotone
    for row, budget in zip(result.x.tolist(), budgets, strict=True):
        run = allocate_hierarchical(loaded, data, budget_rp=int(budget)).nodes.set_index("region_code")
        assert row == [int(run.loc[c, "recipients"]) for c in KABKOTA]
    assert result.x[budgets.index(60_000_000)].tolist() == [8, 6, 6]


def test_a_province_cap_of_its_own_keeps_the_top_split(files):
    """Capped at 15 below the kabupaten/kota's 200, the province passes on min(R, 15): the split under
    it shares 15, not R, so it is not the problem a budget sweeps; the sweep keeps the province."""
    loaded, data = scenario.load(files / "capped.toml"), load_data(files / "tree.csv")
    base = build(loaded, data, hierarchical=True)
    assert base.codes == ("91",) and base.allocation.tree.split_level == 0
    budgets = budget_grid(30_000_000, 90_000_000, 15_000_000)
    result = sweep(base, budgets)
    for row, budget in zip(result.x.tolist(), budgets, strict=True):
        run = allocate_hierarchical(loaded, data, budget_rp=int(budget)).nodes.set_index("region_code")
        assert row == [int(run.loc["91", "recipients"])] == [min(int(budget) // 3_000_000, 15)]
    assert by_hand(np.array([0.5, 0.0, 0.5]), 15) == [6, 4, 5]  # what the province's 15 become below
    run = allocate_hierarchical(loaded, data).nodes.set_index("region_code")
    assert [int(run.loc[c, "recipients"]) for c in KABKOTA] == [6, 4, 5]


def _cli(runner, files, command, *extra):
    args = [command, str(files / "one-province.toml"), "--data", str(files / "tree.csv"), "--hierarchical"]
    return runner.invoke(main, [*args, *extra])


def test_cli_sensitivity_and_sweep_say_which_level_they_show(runner, files):
    table = _cli(runner, files, "sensitivity", "--draws", "200", "--lang", "en")
    assert table.exit_code == 0, table.output
    said = "the level-2 split (kabupaten/kota), the 3 regions under Prov A (91)"
    assert said in table.stdout and "Kab A1" in table.stdout and "\n91 " not in table.stdout
    indonesian = _cli(runner, files, "sensitivity", "--draws", "200")
    assert "pembagian tingkat 2 (kabupaten/kota), yaitu 3 wilayah di bawah Prov A (91)" in indonesian.stdout
    data = json.loads(_cli(runner, files, "sensitivity", "--draws", "200", "--format", "json").stdout)
    assert data["level"] == 2 and [r["region_code"] for r in data["regions"]] == list(KABKOTA)
    assert [r["scenario"] for r in data["regions"]] == [8, 6, 6]

    swept = _cli(runner, files, "sweep", "--from", "30 juta", "--to", "90 juta", "--lang", "en")
    assert swept.exit_code == 0, swept.output
    assert "this table holds the level-2 split (kabupaten/kota), the 3 regions under Prov A (91)" in swept.stdout
    assert "Kab A3" in swept.stdout and "Prov A  " not in swept.stdout
    data = json.loads(_cli(runner, files, "sweep", "--from", "30 juta", "--to", "90 juta", "--format", "json").stdout)
    assert data["level"] == 2 and list(data["points"][0]["recipients"]) == list(KABKOTA)


def test_shipped_kaltim_is_varied_at_its_ten_kabupaten_kota_as_the_single_level_run(runner):
    """The shipped data is one province (64) above its ten kabupaten/kota: the hierarchical
    analyses show those ten with the numbers of the single-level analyses."""
    for command, extra in (
        ("sensitivity", ["--draws", "300"]),
        ("sweep", ["--from", "300 juta", "--to", "900 juta", "--step", "150 juta"]),
    ):
        flat = json.loads(runner.invoke(main, [command, "next-fiscal-year", *extra, "--format", "json"]).stdout)
        tree = runner.invoke(main, [command, "next-fiscal-year", "--hierarchical", *extra, "--format", "json"])
        assert tree.exit_code == 0, tree.output
        data = json.loads(tree.stdout)
        assert data["hierarchical"] is True and data["level"] == 2 and flat["level"] == 1
        key = "regions" if command == "sensitivity" else "points"
        assert len(data["regions"]) == 10 and data[key] == flat[key]
