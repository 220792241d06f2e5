"""The vectorised solver equals the engine's exact solver and the PuLP model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.analysis.batch import solve_batch
from optimizer.apportion import solve_exact
from optimizer.model import solve_milp
from optimizer.problem import Problem

METHODS = ("sainte-lague", "largest-remainder")


def _problems(seed: int, rows: int, method: str, quantised: bool = False):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 8))
    affordable = int(rng.integers(1, 80))
    shares = rng.dirichlet(np.ones(n), size=rows)
    if quantised:  # many exact ties
        shares = np.round(shares * 4) / 4
        shares[shares.sum(axis=1) == 0] = 1.0
        shares = shares / shares.sum(axis=1, keepdims=True)
    quota = shares * affordable
    lower = np.broadcast_to(rng.integers(0, 4, size=n), (rows, n)).copy()
    upper = lower + np.broadcast_to(rng.integers(0, 25, size=n), (rows, n))
    upper = np.where(quota == 0, lower, upper)
    total = np.clip(affordable, lower.sum(axis=1), upper.sum(axis=1))
    return quota, lower, upper, total


def _exact(quota, lower, upper, total, method):
    codes = tuple(f"{i:04d}" for i in range(quota.shape[1]))
    return np.stack(
        [
            solve_exact(Problem(codes, quota[r].copy(), lower[r].copy(), upper[r].copy(), int(total[r]), method))
            for r in range(quota.shape[0])
        ]
    )


def test_hand_checked_divisor_and_hamilton():
    # Quotas 4.2857, 4.2857, 1.4286 (shares 6:6:2 of 10). Sainte-Laguë: the units with (2k+1)/q
    # below 2.1 give A and B 4 each and C 1; the 10th recipient is a three-way tie at (2k+1)/q = 2.1
    # (A's 5th: 9/(60/14), B's 5th, C's 2nd: 3/(20/14)), so it goes to the lowest code, A.
    # Hamilton gives floors 4, 4, 1 and the last recipient to the largest remainder, C (.43 > .29).
    quota = np.array([[60 / 14, 60 / 14, 20 / 14]])
    for method, expected in (("sainte-lague", [5, 4, 1]), ("largest-remainder", [4, 4, 2])):
        result = solve_batch(quota, [0, 0, 0], [99, 99, 99], [10], method)
        assert result.x.tolist() == [expected]
    # At 11: quotas 4.71, 4.71, 1.57; Hamilton: floors 4, 4, 1 and the two left to A and B (Alabama: C loses one).
    quota11 = np.array([[66 / 14, 66 / 14, 22 / 14]])
    assert solve_batch(quota11, [0, 0, 0], [99, 99, 99], [11], "largest-remainder").x.tolist() == [[5, 5, 1]]


def test_exact_ties_go_to_the_lower_code():
    # Three equal quotas of 2 and a total of 7: one recipient more than the quotas; the tie goes to column 0.
    result = solve_batch(np.array([[7 / 3] * 3]), [0, 0, 0], [9, 9, 9], [7], "sainte-lague")
    assert result.x.tolist() == [[3, 2, 2]]


def test_bounds_and_zero_quota_held_at_floor():
    quota = np.array([[0.0, 6.0, 4.0]])
    result = solve_batch(quota, [2, 1, 0], [2, 4, 9], [10], "sainte-lague")
    # Region 0 has quota 0: held at its floor 2; region 1 capped at 4; region 2 takes the rest.
    assert result.x.tolist() == [[2, 4, 4]]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("quantised", [False, True])
def test_equals_engine_exact_solver_on_random_batches(method, quantised):
    for seed in range(25):
        quota, lower, upper, total = _problems(seed, 40, method, quantised)
        result = solve_batch(quota, lower, upper, total, method)
        np.testing.assert_array_equal(result.x, _exact(quota, lower, upper, total, method))
        assert np.all(result.x.sum(axis=1) == total)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    method=st.sampled_from(METHODS),
    quantised=st.booleans(),
)
def test_property_equals_engine(seed, method, quantised):
    quota, lower, upper, total = _problems(seed, 8, method, quantised)
    result = solve_batch(quota, lower, upper, total, method)
    np.testing.assert_array_equal(result.x, _exact(quota, lower, upper, total, method))


@pytest.mark.parametrize("method", METHODS)
def test_equals_pulp_model_on_samples(method):
    quota, lower, upper, total = _problems(7, 4, method)
    result = solve_batch(quota, lower, upper, total, method)
    codes = tuple(f"{i:04d}" for i in range(quota.shape[1]))
    for r in range(quota.shape[0]):
        problem = Problem(codes, quota[r].copy(), lower[r].copy(), upper[r].copy(), int(total[r]), method)
        np.testing.assert_array_equal(result.x[r], solve_milp(problem, "cbc").x)


def test_rejects_inconsistent_input():
    with pytest.raises(ValueError):
        solve_batch(np.array([[1.0, 1.0]]), [0, 0], [1, 1], [3], "sainte-lague")
    with pytest.raises(ValueError):
        solve_batch(np.array([[0.0, 1.0]]), [0, 0], [1, 1], [1], "sainte-lague")
    with pytest.raises(ValueError):
        solve_batch(np.array([1.0, 1.0]), [0, 0], [1, 1], [1], "sainte-lague")
    with pytest.raises(ValueError):
        solve_batch(np.array([[1.0]]), [0], [1], [1], "dhondt")
