"""Each guard of :func:`optimizer.verify.verify`, fed an allocation crafted to break that guard and no other.

Every bad allocation below passes every other check of ``verify`` (it is exchange-optimal, within the other bounds,
on total and on budget), so each test fails when its guard is removed; the message is checked as well. The problem
throughout, unless a test says otherwise: quotas 3,5 / 2,1 / 1,4 (shares 0,5 / 0,3 / 0,2 of R = 7), Sainte-Laguë,
whose optimum by hand is 4 / 2 / 1 (averages 3,5 A, 2,1 B, 1,4 C, 1,167 A, 0,7 A and B tie → A, the lower code; the
seventh is 0,7 B), Rp 3.000.000 a recipient, a budget of Rp 21.000.000.

The optimality check is also held against brute force: on every allocation of small problems, ``verify`` calls an
allocation optimal exactly when no allocation has a lower objective, the objective evaluated by enumeration.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.apportion import solve_exact
from optimizer.errors import VerificationError
from optimizer.problem import LARGEST_REMAINDER, SAINTE_LAGUE, Problem
from optimizer.verify import verify, verify_groups

CODES = ("6401", "6402", "6403")
QUOTA = [3.5, 2.1, 1.4]
COST = 3_000_000
BIG = 10**6


def problem(total=7, lower=(0, 0, 0), upper=(BIG, BIG, BIG), quota=QUOTA, method=SAINTE_LAGUE, codes=CODES):
    return Problem(
        tuple(codes),
        np.array(quota, dtype=float),
        np.array(lower, dtype=np.int64),
        np.array(upper, dtype=np.int64),
        total,
        method,
    )


def check(p, x, *, budget=21_000_000, affordable=7, require_optimal=True):
    return verify(
        p,
        np.array(x),
        budget_rp=budget,
        cost_per_recipient_rp=COST,
        affordable=affordable,
        require_optimal=require_optimal,
    )


def test_the_hand_computed_optimum_is_accepted():
    certificate = check(problem(), [4, 2, 1])
    assert (certificate.total, certificate.cost_rp) == (7, 21_000_000)
    assert certificate.optimal and certificate.tie_rule_kept


def test_integrality_guard():
    # 4.4 rounds to 4: without the guard the rounded 4 / 2 / 1 would be accepted as the optimum.
    with pytest.raises(VerificationError, match=r"4\.4 recipients for region 6401, not a whole number"):
        check(problem(), [4.4, 2, 1])
    assert check(problem(), [4 + 1e-9, 2, 1]).optimal  # solver noise within 1e-6 is rounded, not refused


def test_length_guard():
    with pytest.raises(VerificationError, match="4 entries for 3 regions"):
        check(problem(), [4, 2, 1, 0])


def test_lower_bound_guard():
    # C has a floor of 2 and got 1; 4 / 2 / 1 is otherwise the exchange-optimal answer for 7 (C cannot give one up).
    with pytest.raises(VerificationError, match="region 6403 got 1 recipients, below its lower bound 2"):
        check(problem(lower=(0, 0, 2)), [4, 2, 1])


def test_upper_bound_guard():
    # A has a cap of 3 and got 4 (A cannot take one more, so no exchange is offered to it).
    with pytest.raises(VerificationError, match="region 6401 got 4 recipients, above its upper bound 3"):
        check(problem(upper=(3, BIG, BIG)), [4, 2, 1])


def test_placed_equals_total_guard():
    # 3 / 2 / 1 is the Sainte-Laguë optimum for six recipients; the problem asks for seven.
    with pytest.raises(VerificationError, match="6 recipients placed, the problem asks for 7"):
        check(problem(total=7), [3, 2, 1])


def test_total_is_min_of_affordable_and_caps_guard():
    # The budget pays for 7, the caps allow far more, yet the problem (and the allocation) place only 6.
    with pytest.raises(VerificationError, match=r"6 recipients placed, but min\(affordable 7, sum of caps\) is 7"):
        check(problem(total=6), [3, 2, 1], affordable=7)
    # With caps summing to 6 the same allocation is right: min(7, 6) = 6.
    assert check(problem(total=6, upper=(3, 2, 1)), [3, 2, 1], affordable=7).total == 6


def test_budget_guard():
    # 7 recipients at Rp 3.000.000 cost Rp 21.000.000; the budget is Rp 20.000.000 (the caller's R was wrong).
    with pytest.raises(VerificationError, match=r"costs Rp 21[.,]000[.,]000 and the budget is Rp 20[.,]000[.,]000"):
        check(problem(), [4, 2, 1], budget=20_000_000, affordable=7)
    assert check(problem(), [4, 2, 1], budget=21_000_000).cost_rp == 21_000_000  # exactly the budget is fine


def test_optimality_guard_sainte_lague():
    # B's third recipient costs (2·2 + 1)/2,1 − 2 = 0,381; A's fourth only (2·3 + 1)/3,5 − 2 = 0: move it to A.
    with pytest.raises(VerificationError, match="not optimal: moving one recipient from 6402 to 6401"):
        check(problem(), [3, 3, 1])
    certificate = check(problem(), [3, 3, 1], require_optimal=False)
    assert not certificate.optimal and certificate.total == 7


def test_optimality_guard_hamilton():
    # Hamilton: Σ|x − q| is 0,5 + 0,1 + 0,6 = 1,2 at 3 / 2 / 2 but 0,5 + 0,1 + 0,4 = 1,0 at 4 / 2 / 1.
    p = problem(method=LARGEST_REMAINDER)
    assert check(p, [4, 2, 1]).optimal
    with pytest.raises(VerificationError, match="not optimal: moving one recipient from 6403 to 6401"):
        check(p, [3, 2, 2])


def test_tie_rule_is_reported():
    # Three equal quotas, two recipients: any two regions are optimal; the tie rule gives them to 6401 and 6402.
    p = problem(total=2, quota=[1.0, 1.0, 1.0])
    assert check(p, [1, 1, 0], affordable=2).tie_rule_kept
    certificate = check(p, [0, 1, 1], affordable=2)
    assert certificate.optimal and not certificate.tie_rule_kept


def _objective(p: Problem, x) -> tuple[float, ...]:
    """The objective written out from its definition (optimizer/problem.py's module docstring), for enumeration."""
    q = p.quota
    live = q > 0
    xs = np.asarray(x, dtype=float)
    if p.method == SAINTE_LAGUE:
        return (float(np.sum((xs[live] - q[live]) ** 2 / q[live])),)
    # Hamilton: Σ|x − q| first; among equal sums, Sainte-Laguë order, where the unit straddling q costs nothing.
    first = float(np.sum(np.abs(xs[live] - q[live])))
    second = 0.0
    for qr, xr in zip(q[live], xs[live], strict=True):
        second += sum(0.0 if k < qr < k + 1 else (2 * k + 1) / qr - 2 for k in range(int(xr)))
    return first, second


@given(
    n=st.integers(1, 4),
    weights=st.lists(st.integers(0, 4), min_size=4, max_size=4),
    lower=st.lists(st.integers(0, 2), min_size=4, max_size=4),
    width=st.lists(st.integers(0, 4), min_size=4, max_size=4),
    extra=st.integers(0, 6),
    method=st.sampled_from((SAINTE_LAGUE, LARGEST_REMAINDER)),
)
@settings(max_examples=150, deadline=None)
def test_optimal_exactly_when_no_allocation_has_a_lower_objective(n, weights, lower, width, extra, method):
    w = np.array(weights[:n], dtype=float)
    if w.sum() == 0:
        w[0] = 1
    lo = np.array(lower[:n], dtype=np.int64)
    up = np.where(w > 0, lo + np.array(width[:n]), lo)
    total = int(min(lo.sum() + extra, up.sum()))
    if total == 0:
        return
    p = Problem(tuple(f"64{i:02d}" for i in range(n)), w / w.sum() * total, lo, up, total, method)
    feasible = [
        x
        for x in itertools.product(*(range(int(a), int(b) + 1) for a, b in zip(lo, up, strict=True)))
        if sum(x) == total
    ]
    values = {x: _objective(p, x) for x in feasible}
    for x, value in values.items():
        is_best = not any(_lower(other, value) for other in values.values())
        certificate = verify(
            p, np.array(x), budget_rp=total * COST, cost_per_recipient_rp=COST, affordable=total, require_optimal=False
        )
        assert certificate.optimal == is_best, (x, value, min(values.values()))


def _lower(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 1e-9) -> bool:
    """``a`` below ``b`` lexicographically, stage values within ``tolerance`` counting as equal:
    the first stage that differs by more than ``tolerance`` decides."""
    first = next(((left, right) for left, right in zip(a, b, strict=True) if abs(left - right) > tolerance), None)
    return first is not None and first[0] < first[1]


@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=5),
    seed=st.integers(0, 10**6),
    method=st.sampled_from((SAINTE_LAGUE, LARGEST_REMAINDER)),
)
@settings(max_examples=150, deadline=None)
def test_many_problems_at_once_as_one_by_one(sizes, seed, method):
    """verify_groups over stacked problems (the splits of a hierarchy) gives each problem's flags, and raises the
    error of the first problem that fails, exactly as verify called on each in turn."""
    rng = np.random.default_rng(seed)
    problems, allocations = [], []
    for n in sizes:
        lo = rng.integers(0, 3, n)
        up = lo + rng.integers(0, 4, n)
        weights = rng.integers(0, 4, n).astype(float)
        weights[0] += weights.sum() == 0
        if rng.random() < 0.3:  # equal quotas, no floors: ties, and the tie rule to keep
            weights[:], lo[:] = 1, 0
        lo = np.where(weights > 0, lo, up)
        total = int(rng.integers(lo.sum(), up.sum() + 1))
        quota = weights / weights.sum() * max(total, 1)
        codes = tuple(f"64{i:02d}" for i in range(n))
        p = Problem(codes, quota, lo.astype(np.int64), up.astype(np.int64), total, method)
        x = solve_exact(p).astype(np.int64)
        if rng.random() < 0.3:  # one recipient moved: the same total, maybe worse, maybe out of bounds
            a, b = np.sort(rng.integers(0, n, 2))
            x[a] -= 1
            x[b] += 1
        if rng.random() < 0.05:
            x[rng.integers(0, n)] += 1
        problems.append(p)
        allocations.append(x)
    budgets = [p.total * COST - (rng.random() < 0.05) * COST for p in problems]
    expected_error, flags = None, []
    for p, x, budget in zip(problems, allocations, budgets, strict=True):
        try:
            c = verify(p, x, budget_rp=budget, cost_per_recipient_rp=COST, affordable=p.total)
            flags.append((c.optimal, c.tie_rule_kept))
        except VerificationError as error:
            expected_error = str(error)
            break

    def stacked(name):
        return np.concatenate([getattr(p, name) for p in problems])

    def call():
        return verify_groups(
            method,
            sum((p.codes for p in problems), ()),
            stacked("quota"),
            stacked("lower"),
            stacked("upper"),
            np.concatenate(allocations),
            np.cumsum([0, *sizes[:-1]]),
            totals=[p.total for p in problems],
            budgets_rp=budgets,
            cost_per_recipient_rp=COST,
            affordable=[p.total for p in problems],
        )

    if expected_error is not None:
        with pytest.raises(VerificationError) as raised:
            call()
        assert str(raised.value) == expected_error
    else:
        optimal, ties = call()
        assert list(zip(optimal.tolist(), ties.tolist(), strict=True)) == flags
