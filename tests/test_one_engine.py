"""One engine, one result type: a hierarchical run is an Allocation that the report and
``select`` take as they take a single-level run; on one province both runs agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from optimizer import engine
from optimizer.engine import Allocation
from optimizer.hierarchy import allocate_hierarchical
from optimizer.report.content import AuditInfo, build
from optimizer.screening.select import select

COLUMNS = ["region_code", "included", "eligible", "need_share", "quota", "lower", "upper", "recipients", "binding"]


@pytest.fixture(scope="module")
def both(kaltim, next_year):
    return engine.allocate(next_year, kaltim), allocate_hierarchical(next_year, kaltim)


def test_the_hierarchical_result_is_the_one_result_type(both):
    flat, tree = both
    assert isinstance(tree, Allocation) and tree.tree is not None and flat.tree is None
    assert (tree.levels, tree.groups) == (2, 2) and (flat.levels, flat.groups) == (1, 1)
    # Kaltim is one province (64): its split is the single-level run, row for row.
    pd.testing.assert_frame_equal(tree.regions[COLUMNS], flat.regions[COLUMNS])
    assert tree.idg_reference == flat.idg_reference == 65.65
    assert tree.idg_reference_year == flat.idg_reference_year
    assert dict(tree.weights) == pytest.approx(dict(flat.weights))
    assert tree.recipients() == flat.recipients()
    # The top-level split: the province takes everything.
    assert tree.problem.codes == ("64",) and tree.certificate.total == flat.certificate.total == 200


def test_single_level_allocation_has_no_tree(both):
    flat, _ = both
    with pytest.raises(ValueError, match="no tree"):
        flat.nodes  # noqa: B018


def test_the_report_takes_a_hierarchical_result(both):
    flat, tree = both
    audit = AuditInfo(command="wrse report next-fiscal-year")
    reports = [build(a, baseline=None, provisions=(), sensitivity=None, audit=audit) for a in both]
    tables = [r.table("allocation") for r in reports]
    assert tables[0].rows == tables[1].rows
    assert tree.allocated == flat.allocated


def test_select_takes_a_hierarchical_result(both, kaltim):
    flat, tree = both
    rng = np.random.default_rng(7)
    codes = [r.code for r in kaltim.units]
    rows = [(c, int(k)) for c in codes for k in range(int(rng.integers(5, 40)))]
    eligible = pd.DataFrame(
        {
            "region_code": [c for c, _ in rows],
            "priority_rank": [k + 1 for _, k in rows],
            "priority_group": pd.array([1] * len(rows), dtype="Int64"),
            "nik_masked": [f"6401********{k:04d}" for _, k in rows],
            "source_file": "synthetic.csv",
            "source_row": pd.array(range(2, len(rows) + 2), dtype="Int64"),
            "name": "",
        }
    )
    a, b = select(eligible, flat), select(eligible, tree)
    pd.testing.assert_frame_equal(a.rows, b.rows)
    pd.testing.assert_frame_equal(a.regions, b.regions)
    assert int(b.regions["allocated"].sum()) == tree.allocated


def test_select_checks_are_domain_functions(both, kaltim, next_year, tmp_path):
    from optimizer.compose import load_eligible
    from optimizer.screening.select import check_counts, has_names

    flat, tree = both
    listed = pd.DataFrame({"region_code": ["6401"] * 3 + ["6402"] * 2, "name": ""})
    assert not has_names(listed) and has_names(listed.assign(name=["A", "", "", "", ""]))
    # counts not from a file: one warning, for a hierarchical result as for a flat one
    assert [w.key for w in check_counts(listed, flat)] == [w.key for w in check_counts(listed, tree)]
    assert [w.key for w in check_counts(listed, flat)] == ["not_screened_counts"]
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "region_code,eligible\n" + "\n".join(f"{r.code},{3 if r.code == '6401' else 7}" for r in kaltim.units)
    )
    screened = engine.allocate(next_year.replace(floor_all=0), kaltim, load_eligible(next_year, kaltim, counts))
    warnings = check_counts(listed, screened)
    assert {dict(w.params)["code"] for w in warnings} == {r.code for r in kaltim.units} - {"6401"}
    assert "6402" in warnings[0].text("en") and "(7)" in warnings[0].text("en") and "(2)" in warnings[0].text("en")
