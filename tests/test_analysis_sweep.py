"""Budget sweeps: hand-checked cases, monotonicity, and equality with the engine and the PuLP model."""

from __future__ import annotations

import numpy as np
import pytest
from analysis_helpers import COST, JUTA, make_base
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.analysis.base import build
from optimizer.analysis.sweep import budget_grid, sweep
from optimizer.apportion import solve_exact
from optimizer.engine import allocate
from optimizer.errors import InputError

# Shares 0.5 / 0.3 / 0.2. Sainte-Laguë unit costs (2k+1)/share: A 2, 6, 10, 14, 18;
# B 3.33, 10, 16.7; C 5, 15, 25. In order: A, B, C, A, A, then A and B tie at 10 (A has
# the lower code), A (14), C (15), B (16.7), A (18). Counts after each recipient:
HAND_ORDER = [
    (0, 0, 0),
    (1, 0, 0),
    (1, 1, 0),
    (1, 1, 1),
    (2, 1, 1),
    (3, 1, 1),
    (3, 2, 1),
    (4, 2, 1),
    (4, 2, 2),
    (4, 3, 2),
    (5, 3, 2),
]


def test_hand_checked_sainte_lague_sweep():
    base = make_base([0.5, 0.3, 0.2])
    result = sweep(base, budget_grid(0, 10 * COST, COST), current_budget_rp=4 * COST, next_count=4)
    assert [tuple(row) for row in result.x] == HAND_ORDER
    assert result.monotone and result.dense and result.checked_range == (0, 10)
    assert result.resolved_points == 0 and result.verified_points == 11
    # Next in line after Rp 12 juta (4 recipients: 2, 1, 1): A, then B (the tie at 10 went to A first), A, C.
    assert [(u.recipient, u.budget_rp, u.extra_rp, u.gains) for u in result.next_in_line] == [
        (5, 15 * JUTA, 3 * JUTA, ("0001",)),
        (6, 18 * JUTA, 6 * JUTA, ("0002",)),
        (7, 21 * JUTA, 9 * JUTA, ("0001",)),
        (8, 24 * JUTA, 12 * JUTA, ("0003",)),
    ]
    # Entry: A with the first recipient (Rp 3 juta), B with the second, C with the third.
    assert [(e.code, e.budget_rp, e.reason) for e in result.entries] == [
        ("0001", 3 * JUTA, "share"),
        ("0002", 6 * JUTA, "share"),
        ("0003", 9 * JUTA, "share"),
    ]


def test_hand_checked_floor_makes_small_budgets_infeasible():
    # C has a floor of 1: below one grant the scenario is infeasible; its 2nd unit costs 15 and comes 8th.
    base = make_base([0.5, 0.3, 0.2], lower=[0, 0, 1])
    result = sweep(base, budget_grid(0, 8 * COST, COST), current_budget_rp=0, next_count=2)
    assert result.feasible.tolist() == [False] + [True] * 8
    assert [tuple(row) for row in result.x] == [
        (0, 0, 0),
        (0, 0, 1),
        (1, 0, 1),
        (1, 1, 1),
        (2, 1, 1),
        (3, 1, 1),
        (3, 2, 1),
        (4, 2, 1),
        (4, 2, 2),
    ]
    assert result.current_x is None  # Rp 0 does not pay for the floor
    # The first "next" step is the floor itself (C's floor), then A's first recipient.
    assert [(u.recipient, u.budget_rp, u.gains) for u in result.next_in_line] == [
        (1, 3 * JUTA, ("0003",)),
        (2, 6 * JUTA, ("0001",)),
    ]
    entries = {e.code: (e.budget_rp, e.reason) for e in result.entries}
    assert entries == {"0001": (6 * JUTA, "share"), "0002": (9 * JUTA, "share"), "0003": (3 * JUTA, "floor")}


def test_hand_checked_alabama_paradox_is_named():
    # Shares 6:6:2. Hamilton at R = 10: quotas 4.29, 4.29, 1.43 -> 4, 4, 2 (C has the largest remainder);
    # at R = 11: 4.71, 4.71, 1.57 -> 5, 5, 1: C loses a recipient as the budget grows.
    base = make_base([6 / 14, 6 / 14, 2 / 14], method="largest-remainder")
    result = sweep(base, [10 * COST, 11 * COST], next_count=1, current_budget_rp=10 * COST)
    assert [tuple(r) for r in result.x] == [(4, 4, 2), (5, 5, 1)]
    assert not result.monotone
    violation = next(v for v in result.violations if v.affordable_from == 10)
    assert (violation.code, violation.count_from, violation.count_to) == ("0003", 2, 1)
    assert (violation.budget_from_rp, violation.budget_to_rp) == (30 * JUTA, 33 * JUTA)
    # The next step both adds (A, B) and takes away (C).
    step = result.next_in_line[0]
    assert step.gains == ("0001", "0002") and step.losses == ("0003",)


def test_caps_stop_the_next_in_line():
    base = make_base([0.5, 0.5], upper=[1, 2])
    result = sweep(base, [COST, 3 * COST], current_budget_rp=2 * COST, next_count=5)
    assert [u.recipient for u in result.next_in_line] == [3]
    assert result.allocated.tolist() == [1, 3]


def test_sweep_equals_engine_and_pulp_on_sampled_points(next_year, kaltim):
    rng = np.random.default_rng(4)
    for method in ("sainte-lague", "largest-remainder"):
        base = build(next_year, kaltim, method=method)
        grid = budget_grid(150 * JUTA, 3_000 * JUTA, COST)
        result = sweep(base, grid)
        for i in rng.choice(len(grid), size=4, replace=False):
            expected = allocate(next_year, kaltim, budget_rp=int(grid[i]), method=method, solver="cbc")
            assert expected.included["recipients"].tolist() == result.x[i].tolist(), (method, grid[i])
        for i in rng.choice(len(grid), size=30, replace=False):
            problem = base.problem(int(result.affordable[i]))
            assert solve_exact(problem).tolist() == result.x[i].tolist()


def test_largest_remainder_on_shipped_data_reports_alabama(next_year, kaltim):
    base = build(next_year, kaltim, method="hamilton")
    result = sweep(base, budget_grid(150 * JUTA, 900 * JUTA, 150 * JUTA))
    assert not result.monotone and result.dense
    for v in result.violations:
        # Each named violation is real: recompute both sides with the engine's exact solver.
        before = solve_exact(base.problem(v.affordable_from))
        after = solve_exact(base.problem(v.affordable_to))
        index = base.codes.index(v.code)
        assert (before[index], after[index]) == (v.count_from, v.count_to)
        assert v.count_to < v.count_from and v.affordable_to == v.affordable_from + 1


def test_sainte_lague_on_shipped_data_is_monotone(next_year, kaltim):
    base = build(next_year, kaltim)
    result = sweep(base, budget_grid(0, 3_000 * JUTA, COST))
    assert result.monotone and result.dense
    assert int((~result.feasible).sum()) == 50  # Rp 0 .. Rp 147 juta cannot pay floors of 5 x 10
    assert np.all(np.diff(result.x[result.feasible], axis=0) >= 0)
    assert result.x[result.feasible].sum(axis=1).tolist() == result.affordable[result.feasible].tolist()


@settings(max_examples=50, deadline=None)
@given(
    shares=st.lists(st.integers(0, 20), min_size=1, max_size=6).filter(lambda v: sum(v) > 0),
    floors=st.lists(st.integers(0, 3), min_size=6, max_size=6),
    caps=st.lists(st.integers(0, 30), min_size=6, max_size=6),
    top=st.integers(0, 120),
)
def test_property_sainte_lague_sweeps_are_monotone(shares, floors, caps, top):
    n = len(shares)
    lower = np.array(floors[:n])
    upper = lower + np.array(caps[:n])
    values = np.array(shares, dtype=float) / sum(shares)
    base = make_base(values, lower=lower, upper=upper)
    result = sweep(base, budget_grid(0, top * COST, COST))
    assert result.monotone
    feasible = result.x[result.feasible]
    assert np.all(np.diff(feasible, axis=0) >= 0)
    assert np.all(feasible >= base.lower) and np.all(feasible <= base.upper)
    # Never over budget, never money left while a region can take a recipient.
    spent = feasible.sum(axis=1) * COST
    budgets = result.budgets_rp[result.feasible]
    assert np.all(spent <= budgets)
    assert np.all((budgets - spent < COST) | (feasible.sum(axis=1) == base.capacity))


def test_grid_checks():
    assert budget_grid(0, 10, 4) == [0, 4, 8, 10]
    assert budget_grid(5, 5, 1) == [5]
    for start, end, step in ((10, 0, 1), (0, 10, 0), (-1, 10, 1), (0, 10**12, 1)):
        with pytest.raises(InputError):
            budget_grid(start, end, step)
    with pytest.raises(InputError):
        sweep(make_base([1.0]), [2 * COST, COST])
