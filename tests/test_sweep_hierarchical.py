"""``wrse sweep --hierarchical``: the level-by-level allocation goes through the sweep as the
one result type; every budget point equals a full hierarchical run at that budget, and the
whole tree (not only the swept top level) never loses a recipient as the budget grows."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from optimizer import scenario
from optimizer.analysis.base import build, from_allocation
from optimizer.analysis.sweep import budget_grid, sweep
from optimizer.cli import main
from optimizer.hierarchy import allocate_hierarchical
from optimizer.inputs.data import load as load_data

COST = 3_000_000  # the synthetic scenarios' grant (Rp 3 juta, SK 40.9/33/DS.V/2023), no bimtek per recipient


@pytest.fixture(scope="module")
def nation(tmp_path_factory):
    """Synthetic national data from ``wrse synth`` (3 provinces, 9 kabupaten/kota, 45 desa), as a user makes it."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("nation")
    made = CliRunner().invoke(
        main, ["synth", "-d", str(folder), "--seed", "11", "--provinces", "3", "--kabkota", "9", "--desa", "45"]
    )
    assert made.exit_code == 0, made.output
    return folder


def _sweep(runner, nation, *extra):
    return runner.invoke(
        main,
        [
            "sweep",
            str(nation / "synthetic-desa.toml"),
            "--data",
            str(nation / "synthetic-desa.csv"),
            "--hierarchical",
            "--from",
            "150 juta",
            "--to",
            "300 juta",
            "--step",
            "30 juta",
            *extra,
        ],
    )


def test_cli_sweep_takes_a_hierarchical_scenario(runner, nation):
    table = _sweep(runner, nation, "--lang", "en")
    assert table.exit_code == 0, table.output
    assert "Hierarchical allocation (3 levels" in table.stdout and "top-level split (3 regions)" in table.stdout
    assert "Monotonicity: holds" in table.stdout and "levels below either" in table.stdout
    indonesian = _sweep(runner, nation)
    assert indonesian.exit_code == 0 and "Alokasi bertingkat (3 tingkat" in indonesian.stdout

    data = json.loads(_sweep(runner, nation, "--format", "json").stdout)
    assert data["hierarchical"] is True and data["levels"] == 3 and data["monotone"] is True
    assert [r["region_code"] for r in data["regions"]] == ["11", "12", "13"]
    # every budget point is the top level of a full hierarchical run at that budget
    national = scenario.load(nation / "synthetic-desa.toml")
    desa = load_data(nation / "synthetic-desa.csv")
    for point in data["points"]:
        run = allocate_hierarchical(national, desa, budget_rp=point["budget_rp"]).nodes.set_index("region_code")
        assert point["recipients"] == {c: int(run.loc[c, "recipients"]) for c in ("11", "12", "13")}
        assert point["allocated"] == point["budget_rp"] // COST

    rows = list(csv.DictReader(io.StringIO(_sweep(runner, nation, "--format", "csv").stdout)))
    assert [int(r["budget_rp"]) for r in rows] == list(range(150_000_000, 300_000_001, 30_000_000))
    assert all(sum(int(r[f"recipients_{c}"]) for c in ("11", "12", "13")) == int(r["allocated"]) for r in rows)


def test_flat_sweep_of_the_same_scenario_is_unchanged(runner, nation):
    """Without --hierarchical the JSON says so and the regions are the data set's units."""
    flat = runner.invoke(
        main,
        [
            "sweep",
            str(nation / "synthetic-national.toml"),
            "--data",
            str(nation / "synthetic-kabkota.csv"),
            "--from",
            "150 juta",
            "--to",
            "300 juta",
            "--format",
            "json",
        ],
    )
    assert flat.exit_code == 0, flat.output
    data = json.loads(flat.stdout)
    assert data["hierarchical"] is False and data["levels"] == 1 and len(data["regions"]) == 9


def test_the_tree_below_the_swept_level_is_monotone(nation):
    """The sweep proves the top level; each lower split is Sainte-Laguë on its parent's count,
    so every region at every level is monotone in the budget: checked on full runs."""
    national = scenario.load(nation / "synthetic-desa.toml")
    desa = load_data(nation / "synthetic-desa.csv")
    budgets = budget_grid(3_000_000, 240_000_000, 3_000_000)
    runs = [allocate_hierarchical(national, desa, budget_rp=b).nodes.set_index("region_code") for b in budgets]
    counts = np.array([run["recipients"].to_numpy() for run in runs])
    assert (np.diff(counts, axis=0) >= 0).all()
    result = sweep(build(national, desa, hierarchical=True), budgets)
    assert result.monotone
    top = list(result.base.codes)
    np.testing.assert_array_equal(result.x, counts[:, [list(runs[0].index).index(c) for c in top]])


def test_a_hierarchical_result_gives_its_top_level_split(nation):
    national = scenario.load(nation / "synthetic-desa.toml")
    desa = load_data(nation / "synthetic-desa.csv")
    allocation = allocate_hierarchical(national, desa, budget_rp=600_000_000)
    base = from_allocation(allocation)
    assert base.allocation is allocation and base.codes == allocation.problem.codes == ("11", "12", "13")
    assert base.reference_budget_rp == 600_000_000 and base.cost_rp == COST
    assert base.shares.sum() == pytest.approx(1.0)
    nodes = allocation.nodes.set_index("region_code")
    assert list(base.eligible) == [int(nodes.loc[c, "eligible"]) for c in base.codes]
    # the engine's top-level quotas are the base's, bit for bit
    np.testing.assert_array_equal(base.quota(allocation.affordable), allocation.problem.quota)
