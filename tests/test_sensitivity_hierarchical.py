"""``wrse sensitivity --hierarchical``: the level-by-level allocation goes through the
sensitivity analysis as the one result type, varied at its top-level split with the weights
that split applied, even where a lower level drops an indicator (no IDG for the units here).

The expectations are computed by hand from a two-level tree of two provinces with two
kabupaten/kota each, and by an independent Sainte-Laguë (highest averages, divisors 1, 3, 5, …)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from analysis_helpers import tree_scenario

from optimizer import scenario
from optimizer.analysis import sensitivity as sens
from optimizer.analysis.base import build
from optimizer.cli import main
from optimizer.inputs.data import load as load_data

# Provinces 91 and 92 have their own IDG (60 and 70); their kabupaten/kota have none, so IDG
# drops out of the kabupaten/kota splits. Eligible counts are the units' (summed: 100 and 100).
TREE = (
    "region_code,region_name,idg,poverty_rate,eligible,year\n"
    "91,Prov A,60,10,,2024\n9101,Kab A1,,9,40,2024\n9102,Kab A2,,11,60,2024\n"
    "92,Prov B,70,8,,2024\n9201,Kab B1,,7,50,2024\n9202,Kab B2,,9,50,2024\n"
)
SCENARIO = tree_scenario("two-levels", "Two provinces, two kabupaten/kota each")
R = 20  # Rp 60 juta / Rp 3 juta (the 2023 SK grant), no bimtek
GAPS = np.array([72.0 - 60.0, 72.0 - 70.0])  # the top level's IDG gaps from the scenario's reference
ELIGIBLE = np.array([100.0, 100.0])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-levels")
    (folder / "tree.csv").write_text(TREE, encoding="utf-8")
    (folder / "two-levels.toml").write_text(SCENARIO, encoding="utf-8")
    return folder


def base(files):
    loaded, data = scenario.load(files / "two-levels.toml"), load_data(files / "tree.csv")
    return build(loaded, data, strict=True, hierarchical=True)


@pytest.fixture(scope="module")
def tree(files):
    return base(files)


def sainte_lague(shares: np.ndarray, total: int) -> list[int]:
    """Highest averages with divisors 1, 3, 5, … (ties to the first region, the lower BPS code)."""
    seats = np.zeros(len(shares), dtype=int)
    for _ in range(total):
        seats[int(np.argmax(shares / (2 * seats + 1)))] += 1
    return seats.tolist()


def expected_top(weights: np.ndarray) -> list[int]:
    """The top-level split for weights (IDG gap, P0, eligible): the need formula by hand, then Sainte-Laguë."""
    w_idg, _, w_eligible = weights / weights.sum()
    shares = w_idg * GAPS / GAPS.sum() + w_eligible * ELIGIBLE / ELIGIBLE.sum()
    return sainte_lague(shares, R)


def test_the_top_level_weights_are_recorded_where_a_lower_level_drops_idg(tree):
    base = tree
    allocation = base.allocation
    # the units' splits apply the eligible count alone; the top level applied both weights
    assert dict(allocation.weights) == {"idg_gap": 0.0, "poverty_rate": 0.0, "eligible": 1.0}
    assert dict(allocation.tree.split_weights) == {"idg_gap": 0.5, "poverty_rate": 0.0, "eligible": 0.5}
    # shares 0.5 * 12/14 + 0.5 * 1/2 = 0.6786 and 0.3214: quotas 13.57 and 6.43 -> 14 and 6
    assert base.codes == ("91", "92") and expected_top(np.array([0.5, 0.0, 0.5])) == [14, 6]


def test_no_spread_keeps_the_top_level_split(tree):
    base = tree
    result = sens.run(base, sens.Spec(draws=20, weight_spread=0))
    assert result.base_x.tolist() == [14, 6] and (result.x == [14, 6]).all() and result.unchanged == 1.0
    assert result.weight_summary["scenario"].tolist() == [0.5, 0.0, 0.5]
    assert result.summary["region_code"].tolist() == ["91", "92"]


@pytest.mark.parametrize("model", ["dirichlet", "uniform"])
def test_every_draw_is_the_hand_computed_top_level_split(tree, model):
    base = tree
    result = sens.run(base, sens.Spec(draws=300, weight_spread=60, weight_model=model, seed=4))
    assert (result.weights[:, 1] == 0).all()  # P0 has weight 0 and stays there
    expected = np.array([expected_top(w) for w in result.weights])
    np.testing.assert_array_equal(result.x, expected)
    assert len({tuple(row) for row in expected.tolist()}) > 1  # the draws do move the split


def _sensitivity(runner, files, *extra):
    return runner.invoke(
        main,
        [
            "sensitivity",
            str(files / "two-levels.toml"),
            "--data",
            str(files / "tree.csv"),
            "--hierarchical",
            "--draws",
            "200",
            *extra,
        ],
    )


def test_cli_sensitivity_takes_a_hierarchical_scenario(runner, files):
    table = _sensitivity(runner, files, "--lang", "en")
    assert table.exit_code == 0, table.output
    assert "Hierarchical allocation (2 levels, 3 splits)" in table.stdout and "its 2 regions" in table.stdout
    assert "Prov A" in table.stdout and "Kab A1" not in table.stdout
    indonesian = _sensitivity(runner, files)
    assert indonesian.exit_code == 0, indonesian.output
    assert "Alokasi bertingkat (2 tingkat, 3 pembagian)" in indonesian.stdout
    assert "Hierarchical" not in indonesian.stdout

    data = json.loads(_sensitivity(runner, files, "--format", "json", "--seed", "8").stdout)
    assert data["hierarchical"] is True and data["levels"] == 2
    assert [r["region_code"] for r in data["regions"]] == ["91", "92"]
    assert [r["scenario"] for r in data["regions"]] == [14, 6]
    assert [w["scenario"] for w in data["weights"]] == [0.5, 0.0, 0.5]
    # the draws' counts are those the hand-computed split gives for the seed's weights
    again = sens.run(base(files), sens.Spec(draws=200, seed=8))
    expected = np.array([expected_top(w) for w in again.weights])
    assert [r["min"] for r in data["regions"]] == expected.min(axis=0).tolist()
    assert [r["max"] for r in data["regions"]] == expected.max(axis=0).tolist()


def test_cli_sensitivity_without_hierarchical_needs_the_units_idg(runner, files):
    """Without --hierarchical the regions are the data set's units, which have no IDG: a one-line error."""
    flat = runner.invoke(
        main,
        ["sensitivity", str(files / "two-levels.toml"), "--data", str(files / "tree.csv"), "--lang", "en"],
    )
    assert flat.exit_code == 1 and flat.stdout == ""
    assert "'idg' has no 2024 figure for 9101 Kab A1" in flat.stderr and "Traceback" not in flat.output
