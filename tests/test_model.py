"""The PuLP model agrees with the exact structured solver, ties included."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import problems

from optimizer.apportion import solve_exact
from optimizer.errors import SolverError
from optimizer.model import highs_available, solve_milp
from optimizer.problem import LARGEST_REMAINDER, SAINTE_LAGUE, Problem
from optimizer.verify import verify

SOLVERS = ["cbc", "scipy"] + (["highs"] if highs_available() else [])


@pytest.mark.parametrize("solver", SOLVERS)
@given(case=problems(max_regions=6, max_total=40))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_milp_equals_exact(solver, case):
    p, affordable = case
    outcome = solve_milp(p, solver)
    assert outcome.optimal and outcome.status == "Optimal"
    assert outcome.x.tolist() == solve_exact(p).tolist()
    cert = verify(
        p, outcome.x, budget_rp=affordable * 3_000_000, cost_per_recipient_rp=3_000_000, affordable=affordable
    )
    assert cert.optimal and cert.tie_rule_kept


@pytest.mark.parametrize("method", [SAINTE_LAGUE, LARGEST_REMAINDER])
def test_milp_tie_goes_to_lower_code(method):
    # Four identical regions and 6 recipients: 2, 2, 1, 1 (lower codes first) whatever the method.
    p = Problem(
        ("6401", "6402", "6403", "6404"),
        np.full(4, 1.5),
        np.zeros(4, dtype=np.int64),
        np.full(4, 10, dtype=np.int64),
        6,
        method,
    )
    assert solve_milp(p).x.tolist() == [2, 2, 1, 1]
    assert solve_exact(p).tolist() == [2, 2, 1, 1]


def test_milp_with_floors_caps_and_lock():
    p = Problem(
        ("6401", "6402", "6403", "6404"),
        np.array([20.0, 10.0, 5.0, 5.0]),
        np.array([0, 12, 8, 3]),
        np.array([15, 40, 40, 3]),
        40,
        SAINTE_LAGUE,
    )
    # 6401 capped at 15, 6404 locked at 3, 6403 floor 8; 6402 takes the rest: 40 - 15 - 3 - 8 = 14.
    assert solve_milp(p).x.tolist() == [15, 14, 8, 3] == solve_exact(p).tolist()


def test_unknown_solver():
    p = Problem(("6401",), np.array([1.0]), np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64), 1, SAINTE_LAGUE)
    with pytest.raises(SolverError):
        solve_milp(p, "gurobi")
