"""The PuLP model agrees with the exact structured solver, ties included."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import problems

from optimizer.apportion import solve_exact
from optimizer.errors import SolverError
from optimizer.i18n import Term
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


def _tied_problem() -> Problem:
    """Hamilton, 32 recipients: floors 4+5+5+5+5+6 = 30, the two left go to the largest remainder (6405, 2/3) and
    then to the lowest of the four tied codes (6401, remainder 1/3 each): 4, 6, 5, 5, 5, 7 (worked by hand)."""
    return Problem(
        ("6400", "6401", "6402", "6403", "6404", "6405"),
        np.array([4.0, 16 / 3, 16 / 3, 16 / 3, 16 / 3, 20 / 3]),
        np.zeros(6, dtype=np.int64),
        np.array([7, 8, 7, 7, 7, 20]),
        32,
        LARGEST_REMAINDER,
    )


def test_an_answer_that_breaks_the_tie_rule_is_replaced_and_labelled(monkeypatch):
    """HiGHS (highspy 1.16) answered 4, 5, 6, 5, 5, 7 here: stage-optimal, but the tied recipient went to 6402, not
    6401 (its tie-break stage stopped within the MIP gap). The gate must not pass it as the optimum."""
    from optimizer import model

    original = model._solve

    def tie_to_the_higher_code(problem, name, time_limit, notices):
        outcome = original(problem, name, time_limit, notices)
        return model.MilpOutcome(np.array([4, 5, 6, 5, 5, 7]), True, outcome.status, name, outcome.solves, notices)

    monkeypatch.setattr(model, "_solve", tie_to_the_higher_code)
    outcome = solve_milp(_tied_problem(), "cbc")
    assert outcome.x.tolist() == [4, 6, 5, 5, 5, 7]
    assert outcome.solver == "exact"
    [notice] = outcome.notices
    assert notice.key == "solver_wrong"
    assert dict(notice.params)["reason"] == Term("solver.reason.tie_rule_broken")


@pytest.mark.parametrize("solver", SOLVERS)
def test_every_solver_keeps_the_tie_rule_on_the_case_highs_broke(solver):
    assert solve_milp(_tied_problem(), solver).x.tolist() == [4, 6, 5, 5, 5, 7] == solve_exact(_tied_problem()).tolist()
