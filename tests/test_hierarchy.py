"""Hierarchical allocation: provinces, then kabupaten/kota, then desa, same method at each level."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import reference_impl as ref
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import engine, scenario, synthetic
from optimizer.apportion import solve_exact
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.hierarchy import allocate_hierarchical, build_tree
from optimizer.i18n import Term
from optimizer.inputs.data import load as load_data
from optimizer.inputs.data import shipped
from optimizer.problem import Problem


@pytest.fixture(scope="module")
def nation_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nation")
    synthetic.write(folder, synthetic.generate(seed=9, provinces=4, kabkota=18, desa=360))
    return folder


@pytest.fixture(scope="module")
def nation(nation_files):
    return load_data(nation_files / "synthetic-desa.csv")


@pytest.fixture(scope="module")
def national(nation_files):
    return scenario.load(nation_files / "synthetic-national.toml")


def check_sums(result) -> None:
    nodes = result.nodes
    children = nodes[nodes["parent_code"] != ""].groupby("parent_code")["recipients"].sum()
    inner = nodes.set_index("region_code").loc[children.index, "recipients"]
    assert (children == inner).all()
    top = nodes[nodes["level"] == 0]
    assert int(top["recipients"].sum()) == result.allocated == min(result.affordable, int(top["upper"].sum()))
    assert result.spent_rp <= result.budget_rp
    assert (nodes["recipients"] >= nodes["lower"]).all() and (nodes["recipients"] <= nodes["upper"]).all()
    assert (nodes["cost_rp"] == nodes["recipients"] * result.cost_per_recipient_rp).all()


def test_tree_from_codes_and_parent_codes(tmp_path):
    path = tmp_path / "tree.csv"
    path.write_text(
        "region_code,region_name,parent_code,eligible,year\n"
        "91,Prov A,,30,2024\n9101,Kab A1,91,20,2024\n9101010001,Desa 1,9101,5,2024\n"
        "9101010002,Desa 2,,15,2024\n9102,Kab A2,,10,2024\n9201010001,Desa X,9201,4,2024\n",
        encoding="utf-8",
    )
    tree = build_tree(load_data(path))
    assert tree.codes == ("91", "9101", "9101010001", "9101010002", "9102", "9201", "9201010001")
    parents = [tree.codes[p] if p >= 0 else None for p in tree.parent]
    assert parents == [None, "91", "9101", "9101", "91", None, "9201"]
    assert tree.depth.tolist() == [0, 1, 2, 2, 1, 0, 1]
    assert tree.unit.tolist() == [False, False, True, True, True, False, True]
    assert tree.regions[5].name == "9201"  # named only as a parent_code


def test_tree_of_units_in_any_order_and_a_unit_that_is_a_parent(nation):
    """The tree does not depend on the order of the data set's units (a code given twice is one
    node, the last one's region); a code that is both a unit and a parent is one node, a unit,
    with the parent's region."""
    from dataclasses import replace

    tree = build_tree(nation)
    units = list(nation.units)
    shuffled = replace(nation, units=tuple(units[1::2] + units[::2] + units[:3]))
    again = build_tree(shuffled)
    assert again.codes == tree.codes and again.regions == tree.regions
    assert np.array_equal(again.parent, tree.parent) and np.array_equal(again.depth, tree.depth)
    assert np.array_equal(again.unit, tree.unit)
    kabkota = next(r for r in nation.parents.values() if len(r.code) == 4)
    twice = replace(nation, units=tuple(sorted([*units, replace(kabkota, name="unit")], key=lambda r: r.code)))
    both = build_tree(twice)
    at = both.codes.index(kabkota.code)
    assert both.codes == tree.codes and both.regions[at] == kabkota and both.unit[at]
    assert np.array_equal(both.unit, tree.unit | (np.arange(tree.n) == at))
    assert np.array_equal(both.parent, tree.parent)


@pytest.mark.parametrize(
    "name", ["next-fiscal-year", "all-ten-same-budget", "baseline-2023", "next-fiscal-year-latest-idg"]
)
@pytest.mark.parametrize("method", ["sainte-lague", "largest-remainder"])
def test_one_province_gives_the_single_level_result(name, method):
    """Kaltim: province 64 gets everything, its split is the ordinary run (same notices too)."""
    scen = scenario.load(name)
    flat = engine.allocate(scen, shipped(), method=method)
    tree = allocate_hierarchical(scen, shipped(), method=method)
    units = tree.units.set_index("region_code")
    included = flat.included.set_index("region_code")
    assert units["recipients"].to_dict() == included["recipients"].to_dict()
    assert units["quota"].to_dict() == included["quota"].to_dict()
    assert units["binding"].to_dict() == included["binding"].to_dict()
    assert tree.notices == flat.notices and tree.allocated == flat.allocated
    check_sums(tree)


@pytest.mark.parametrize("method", ["sainte-lague", "largest-remainder"])
@pytest.mark.parametrize("budget", [30_000_000, 600_000_000, 9_000_000_000, 900_000_000_000])
def test_sums_and_each_split_is_optimal(nation, national, method, budget):
    result = allocate_hierarchical(national, nation, method=method, budget_rp=budget)
    check_sums(result)
    nodes = result.nodes.set_index("region_code")
    for parent, members in result.nodes.groupby("parent_code"):
        total = result.allocated if parent == "" else int(nodes.at[parent, "recipients"])
        if total == 0:
            assert (members["recipients"] == 0).all()
            continue
        problem = Problem(
            tuple(members["region_code"]),
            members["quota"].to_numpy(),
            members["lower"].to_numpy(),
            members["upper"].to_numpy(),
            total,
            method,
        )
        assert members["recipients"].tolist() == solve_exact(problem).tolist()


def test_need_within_a_province_is_the_need_formula(nation, national):
    """Kabupaten/kota of province 11: gaps from the province's own IDG, shares by the original formula."""
    result = allocate_hierarchical(national, nation)
    nodes = result.nodes.set_index("region_code")
    kab = result.nodes[result.nodes["parent_code"] == "11"].set_index("region_code")
    province_idg = float(nodes.at["11", "idg"])
    frame = pd.DataFrame(
        {
            "idg_gap": [max(0.0, round(province_idg - v, 10)) for v in kab["idg"]],
            "poverty_rate": kab["poverty_rate"],
            "eligible": kab["eligible"],
        },
        index=kab.index,
    )
    shares = ref.need_shares(frame, dict(national.weights))[0]
    assert kab["need_share"].tolist() == shares.tolist()
    assert (kab["idg_reference"] == province_idg).all()
    assert np.allclose(kab["quota"], shares * nodes.at["11", "recipients"], rtol=0, atol=1e-9)
    top = result.nodes[result.nodes["level"] == 0]
    assert (top["idg_reference"] == national.idg_reference).all()
    assert np.allclose(top["quota"], top["need_share"] * result.affordable)


def test_idg_drops_out_where_no_region_has_it(nation, national):
    result = allocate_hierarchical(national, nation)
    dropped = [dict(n.params) for n in result.notices if n.key == "level_indicator_missing"]
    assert dropped == [{"indicator": Term("weight.idg_gap"), "level": 3, "weight": "30%"}]
    assert result.nodes.loc[result.nodes["unit"], "idg"].isna().all()


AGGREGATION = (
    "region_code,region_name,poverty_rate,population,eligible,year\n"
    "91,Prov A,,,,2024\n9101,Kab A1,10,1000,50,2024\n9102,Kab A2,20,3000,150,2024\n"
    "92,Prov B,5,,100,2024\n9201,Kab B1,4,100,60,2024\n9202,Kab B2,6,100,60,2024\n"
)
SCENARIO = """[scenario]
name = "t"
fiscal_year = 2027
budget = "90 juta"
[costs]
grant_year = 2023
[indicators]
idg_year = 2024
poverty_year = 2024
[eligible]
source = "data"
year = 2024
[weights]
idg_gap = 0
poverty_rate = 50
eligible = 50
"""


def test_aggregation_by_hand(tmp_path):
    (tmp_path / "d.csv").write_text(AGGREGATION, encoding="utf-8")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    result = allocate_hierarchical(scenario.load(tmp_path / "s.toml"), load_data(tmp_path / "d.csv"))
    nodes = result.nodes.set_index("region_code")
    # Prov A has no figures: P0 = (10*1000 + 20*3000) / 4000 = 17.5, eligible 50 + 150 = 200
    assert nodes.at["91", "poverty_rate"] == 17.5 and nodes.at["91", "poverty_basis"] == "aggregated"
    assert nodes.at["91", "eligible"] == 200 and nodes.at["91", "eligible_basis"] == "aggregated"
    # Prov B has its own P0 and eligible count; its upper bound is still its children's 120
    assert nodes.at["92", "poverty_rate"] == 5 and nodes.at["92", "eligible"] == 100
    assert nodes.at["92", "upper"] == 120 and nodes.at["91", "upper"] == 200
    share_a = 0.5 * 17.5 / 22.5 + 0.5 * 200 / 300
    assert nodes.at["91", "need_share"] == pytest.approx(share_a, abs=1e-15)
    # 30 grants: quotas 30 * 0.7222 = 21.67 and 8.33 -> 22 and 8; then 22 split 1:3 and 8 split 2:3
    assert nodes["recipients"].to_dict() == {"91": 22, "9101": 6, "9102": 16, "92": 8, "9201": 4, "9202": 4}
    check_sums(result)


def test_constraints_at_an_inner_level(nation, national):
    kab = "1101"
    base = allocate_hierarchical(national, nation, budget_rp=3_000_000_000)
    locked = national.replace(budget_rp=3_000_000_000, locks={kab: 7})
    result = allocate_hierarchical(locked, nation)
    nodes = result.nodes.set_index("region_code")
    assert nodes.at[kab, "recipients"] == 7 and nodes.at[kab, "binding"] == "lock"
    check_sums(result)
    capped = national.replace(budget_rp=3_000_000_000, caps={"11": 5})
    nodes = allocate_hierarchical(capped, nation).nodes.set_index("region_code")
    assert nodes.at["11", "recipients"] == 5 and nodes.at["11", "binding"] == "cap"
    floor = int(base.nodes.set_index("region_code").at["12", "recipients"]) + 40
    floored = national.replace(budget_rp=3_000_000_000, floors={"12": floor})
    nodes = allocate_hierarchical(floored, nation).nodes.set_index("region_code")
    assert nodes.at["12", "recipients"] == floor and nodes.at["12", "binding"] == "floor"
    with pytest.raises(InputError, match=r"constraints\.locks\.1101' is 50000; the regions under 1101"):
        allocate_hierarchical(national.replace(locks={kab: 50_000}), nation)


def test_partial_gaps_are_errors(tmp_path):
    text = AGGREGATION.replace("9102,Kab A2,20,3000", "9102,Kab A2,,3000")
    (tmp_path / "d.csv").write_text(text, encoding="utf-8")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    with pytest.raises(InputError, match=r"'poverty_rate' has no 2024 figure for 91 \(no own figure.*allow_fallback"):
        allocate_hierarchical(scenario.load(tmp_path / "s.toml"), load_data(tmp_path / "d.csv"))


def test_top_level_needs_a_reference_for_idg(nation, national):
    with pytest.raises(InputError, match="need an IDG reference"):
        allocate_hierarchical(national.replace(idg_reference=None), nation)


def test_include_a_province(nation, national):
    result = allocate_hierarchical(national.replace(include=("12",)), nation)
    assert set(result.nodes["region_code"].str[:2]) == {"12"}
    assert result.nodes.loc[result.nodes["level"] == 0, "region_code"].tolist() == ["12"]
    check_sums(result)


@pytest.fixture(scope="module")
def small_datasets(tmp_path_factory):
    out = {}
    for seed in range(3):
        folder = tmp_path_factory.mktemp(f"small{seed}")
        nation = synthetic.generate(seed=seed, provinces=3, kabkota=10, desa=120)
        synthetic.write(folder, nation)
        out[seed] = (load_data(folder / "synthetic-desa.csv"), nation.national_idg)
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2), st.integers(1, 3000), st.integers(1, 800))
def test_larger_budget_never_takes_a_grant_away(small_datasets, seed, small, extra):
    """Sainte-Laguë at every level: house monotone down the whole tree."""
    data, reference = small_datasets[seed]
    scen = scenario.Scenario(
        name="p",
        title="p",
        fiscal_year=2027,
        budget_rp=small * 3_000_000,
        idg_year=2023,
        poverty_year=2024,
        idg_reference=reference,
        eligible=scenario.EligibleSpec(source="data", year=2024),
    )
    first = allocate_hierarchical(scen, data)
    second = allocate_hierarchical(scen.replace(budget_rp=(small + extra) * 3_000_000), data)
    check_sums(first)
    check_sums(second)
    assert (second.nodes["recipients"].to_numpy() >= first.nodes["recipients"].to_numpy()).all()


def test_milp_gives_the_same_tree(tmp_path):
    (tmp_path / "d.csv").write_text(AGGREGATION, encoding="utf-8")
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    scen, data = scenario.load(tmp_path / "s.toml"), load_data(tmp_path / "d.csv")
    exact = allocate_hierarchical(scen, data)
    milp = allocate_hierarchical(scen, data, solver="cbc")
    assert milp.solver == "cbc" and milp.recipients() == exact.recipients()


def test_cli_hierarchical(runner, nation_files):
    args = ["run", str(nation_files / "synthetic-national.toml"), "--data", str(nation_files / "synthetic-desa.csv")]
    result = runner.invoke(main, [*args, "--hierarchical", "--format", "csv"])
    assert result.exit_code == 0, result.output
    from io import StringIO

    frame = pd.read_csv(StringIO(result.stdout), dtype={"region_code": str, "parent_code": str})
    assert len(frame) == 4 + 18 + 360
    frame["parent_code"] = frame["parent_code"].fillna("")
    sums = frame[frame["parent_code"] != ""].groupby("parent_code")["recipients"].sum()
    assert (sums == frame.set_index("region_code").loc[sums.index, "recipients"]).all()
    table = runner.invoke(main, [*args, "--hierarchical", "--lang", "en"])
    assert table.exit_code == 0 and "Allocation by level: 3 levels" in table.stdout
    document = runner.invoke(main, [*args, "--hierarchical", "--format", "json"])
    assert document.exit_code == 0 and '"hierarchical": true' in document.stdout


def test_synth_and_run_as_a_user_would(tmp_path):
    wrse = shutil.which("wrse")
    if wrse is None:
        pytest.skip("the wrse command is not installed")
    folder = tmp_path / "synthetic"
    subprocess.run(
        [wrse, "synth", "-d", str(folder), "--provinces", "3", "--kabkota", "12", "--desa", "150"],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "tree.csv"
    done = subprocess.run(
        [
            wrse,
            "run",
            str(folder / "synthetic-national.toml"),
            "--data",
            str(folder / "synthetic-desa.csv"),
            "--hierarchical",
            "--format",
            "csv",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out, dtype={"region_code": str})
    assert int(frame.loc[frame["level"] == 0, "recipients"].sum()) == int(frame.loc[frame["unit"], "recipients"].sum())
    bad = subprocess.run([wrse, "synth", "-d", str(folder), "--kabkota", "3", "--provinces", "38"], capture_output=True)
    assert bad.returncode != 0 and b"Traceback" not in bad.stderr


def test_region_kinds_are_the_code_lengths_the_readers_accept():
    """One table says what a kode wilayah BPS of each length names (Permendagri 100.1.1-6117/2022:
    2 digits the province, +2 the kabupaten/kota, +3 the kecamatan, +3 the desa); the readers'
    lengths and the levels' kinds are read from it, and every kind has its words in both languages."""
    from optimizer import levels, regions
    from optimizer.i18n import t

    assert regions.BPS_CODE_LENGTHS == (2, 4, 7, 10) and regions.KABKOTA_DIGITS == 4
    kinds = [regions.region_kind(n) for n in regions.BPS_CODE_LENGTHS]
    assert kinds == ["province", "kabkota", "kecamatan", "desa"] and regions.region_kind(5) == "region"
    assert regions.level_kind(["64", "6401", "6402"]) == "kabkota" and regions.level_kind([]) == "region"
    assert t("region_kind.kabkota", "id") == "kabupaten/kota" and t("region_kind.desa", "en") == "desa/kelurahan"
    assert not hasattr(levels, "KINDS") and not hasattr(levels, "region_kind")  # no second copy
