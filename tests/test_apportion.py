"""The exact structured solver: hand-computed cases and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import problems

from optimizer.apportion import active_bounds, solve_exact, solve_threshold, unit_order
from optimizer.problem import LARGEST_REMAINDER, SAINTE_LAGUE, Problem, objective_values

CODES3 = ("6401", "6402", "6403")


def problem(quota, total, method, lower=None, upper=None, codes=CODES3):
    n = len(quota)
    lower = np.zeros(n, dtype=np.int64) if lower is None else np.array(lower, dtype=np.int64)
    upper = np.full(n, 10**6, dtype=np.int64) if upper is None else np.array(upper, dtype=np.int64)
    return Problem(codes, np.array(quota, dtype=float), lower, upper, total, method)


def webster(quota, total):
    """Sainte-Laguë by its textbook definition: highest averages q / (2k + 1), ties to the first listed.

    Averages are compared relative to the largest quota and rounded to 9 decimals, the tool's
    documented tie tolerance (so 2/3 and 5/3 - 1 count as equal)."""
    seats = [0] * len(quota)
    for _ in range(total):
        best = max(
            range(len(quota)),
            key=lambda r: (round((2 * seats[r] + 1) / quota[r], 9) * -1, -r) if quota[r] > 0 else (-float("inf"), -r),
        )
        seats[best] += 1
    return seats


def hamilton(quota, total):
    """Largest remainder by its textbook definition (quotas summing to total; remainders to 9 decimals)."""
    seats = [int(q) for q in quota]
    order = sorted(range(len(quota)), key=lambda r: (-round(quota[r] - int(quota[r]), 9), r))
    for r in order[: total - sum(seats)]:
        seats[r] += 1
    return seats


def test_sainte_lague_by_hand():
    # shares 0.5/0.3/0.2 of R = 7 -> quotas 3.5, 2.1, 1.4; averages in order:
    # 3.5(A) 2.1(B) 1.4(C) 1.167(A) 0.7(A) 0.7(B) 0.5(A) ...
    quota = [3.5, 2.1, 1.4]
    assert solve_exact(problem(quota, 7, SAINTE_LAGUE)).tolist() == [4, 2, 1]
    assert solve_exact(problem(quota, 4, SAINTE_LAGUE)).tolist() == [2, 1, 1]
    # total 5: the 5th recipient is a tie between A (3.5/5) and B (2.1/3), both 0.7: lower code (A) first.
    assert solve_exact(problem(quota, 5, SAINTE_LAGUE)).tolist() == [3, 1, 1]
    assert solve_exact(problem(quota, 6, SAINTE_LAGUE)).tolist() == [3, 2, 1]


def test_hamilton_by_hand():
    # quotas 3.5, 2.1, 1.4: whole parts 3, 2, 1; one left, largest remainder 0.5 -> A.
    assert solve_exact(problem([3.5, 2.1, 1.4], 7, LARGEST_REMAINDER)).tolist() == [4, 2, 1]
    # remainders tie (0.5 and 0.5): lower code first.
    assert solve_exact(problem([1.5, 1.5, 2.0], 5, LARGEST_REMAINDER)).tolist() == [2, 1, 2]


def test_alabama_paradox_hamilton_but_not_sainte_lague():
    # Populations 6, 6, 2. House 10: quotas 4.29, 4.29, 1.43 -> 4, 4, 2.
    # House 11: quotas 4.71, 4.71, 1.57 -> 5, 5, 1: C loses a seat as the house grows.
    pops = np.array([6.0, 6.0, 2.0])
    h10 = solve_exact(problem(pops / 14 * 10, 10, LARGEST_REMAINDER)).tolist()
    h11 = solve_exact(problem(pops / 14 * 11, 11, LARGEST_REMAINDER)).tolist()
    assert h10 == [4, 4, 2] and h11 == [5, 5, 1]
    s10 = solve_exact(problem(pops / 14 * 10, 10, SAINTE_LAGUE)).tolist()
    s11 = solve_exact(problem(pops / 14 * 11, 11, SAINTE_LAGUE)).tolist()
    assert all(b >= a for a, b in zip(s10, s11, strict=True))


def test_floor_and_cap_by_hand():
    # quotas 6, 3, 1 (total 10); C has a floor of 3 and A a cap of 4.
    p = problem([6.0, 3.0, 1.0], 10, SAINTE_LAGUE, lower=[0, 0, 3], upper=[4, 100, 100])
    x = solve_exact(p)
    # A is capped at 4, C held at 3; B takes the rest: 10 - 4 - 3 = 3.
    assert x.tolist() == [4, 3, 3]
    low, high = active_bounds(p, x)
    assert low.tolist() == [False, False, True]
    assert high.tolist() == [True, False, False]


def _only_total_binds(p: Problem, affordable: int) -> Problem:
    """``p`` without floors and with caps no total can reach (10**6; 0 where the quota is 0):
    only the total of ``affordable`` binds, as in the textbook methods."""
    return Problem(
        p.codes,
        p.quota,
        np.zeros(p.n, dtype=np.int64),
        np.where(p.quota > 0, 10**6, 0).astype(np.int64),
        affordable,
        p.method,
    )


@given(problems(max_regions=6, max_total=40, methods=(SAINTE_LAGUE,)))
@settings(max_examples=150, deadline=None)
def test_equals_textbook_webster_when_only_the_total_binds(case):
    p, affordable = case
    assert solve_exact(_only_total_binds(p, affordable)).tolist() == webster(list(p.quota), affordable)


@given(problems(max_regions=6, max_total=40, methods=(LARGEST_REMAINDER,)))
@settings(max_examples=150, deadline=None)
def test_equals_textbook_hamilton_when_only_the_total_binds(case):
    p, affordable = case
    assert solve_exact(_only_total_binds(p, affordable)).tolist() == hamilton(list(p.quota), affordable)


@given(problems())
@settings(max_examples=200, deadline=None)
def test_bounds_and_total_hold(case):
    p, _ = case
    x = solve_exact(p)
    assert int(x.sum()) == p.total
    assert np.all(x >= p.lower) and np.all(x <= p.upper)


@given(problems())
@settings(max_examples=100, deadline=None)
def test_no_single_exchange_improves(case):
    # Brute-force check of optimality: moving one recipient between any two regions never
    # lowers the (lexicographic) objective.
    p, _ = case
    x = solve_exact(p)
    best = objective_values(p, x)
    for a in range(p.n):
        for b in range(p.n):
            if a == b or x[a] <= p.lower[a] or x[b] >= p.upper[b]:
                continue
            y = x.copy()
            y[a] -= 1
            y[b] += 1
            other = objective_values(p, y)
            assert tuple(round(v, 7) for v in other) >= tuple(round(v, 7) for v in best)


@given(problems(methods=(SAINTE_LAGUE,)))
@settings(max_examples=100, deadline=None)
def test_unit_order_is_house_monotone(case):
    p, _ = case
    order = list(unit_order(p))
    x = p.lower.copy()
    for total in range(int(p.lower.sum()), int(p.upper.sum()) + 1):
        q = Problem(p.codes, p.quota, p.lower, p.upper, total, p.method)
        assert solve_exact(q).tolist() == x.tolist()
        if total < int(p.upper.sum()):
            x[order[total - int(p.lower.sum())]] += 1


@given(
    weights=st.lists(st.integers(0, 6), min_size=1, max_size=12).filter(any),
    floors=st.lists(st.integers(0, 3), min_size=12, max_size=12),
    widths=st.lists(st.integers(0, 40), min_size=12, max_size=12),
    start=st.integers(0, 150),
)
@settings(max_examples=100, deadline=None)
def test_sainte_lague_is_house_monotone_as_the_budget_grows(weights, floors, widths, start):
    """House monotonicity where it is decided: the structured solver, with quotas that grow with the house.

    As the engine does, each total R gets quotas ``share × R`` from fixed need shares (small integer weights, so
    exact ties are common) and fixed floors and caps (a region with no need is held at its floor). One more
    recipient never takes one away from any region, for the threshold solver the engine uses (equal to the
    priority queue: test_threshold_solver.py), at every total from the floors' sum up to 40 above ``start``.
    With Hamilton in place of Sainte-Laguë this test fails (the Alabama paradox).
    """
    n = len(weights)
    share = np.array(weights, dtype=float) / sum(weights)
    lower = np.array(floors[:n], dtype=np.int64)
    upper = np.where(share > 0, lower + np.array(widths[:n], dtype=np.int64), lower)
    first = max(int(lower.sum()), start, 1)
    last = min(int(upper.sum()), first + 40)
    previous = None
    for total in range(first, last + 1):
        p = Problem(tuple(f"{6400 + i:04d}" for i in range(n)), share * total, lower, upper, total, SAINTE_LAGUE)
        x = solve_threshold(p)
        assert int(x.sum()) == total
        if previous is not None:
            assert (x >= previous).all(), (total, previous.tolist(), x.tolist())
        previous = x


def test_problem_rejects_inconsistent_input():
    with pytest.raises(ValueError):
        Problem(("6402", "6401"), np.array([1.0, 1.0]), np.zeros(2, int), np.ones(2, int), 1, SAINTE_LAGUE)
    with pytest.raises(ValueError):
        problem([1.0, 1.0, 1.0], 10, SAINTE_LAGUE, upper=[1, 1, 1])
