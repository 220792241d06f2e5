"""The threshold solver (apportion.solve_threshold / solve_groups) against the priority-queue
greedy (solve_exact, unit_order) and the PuLP model (solve_milp), ties included."""

from __future__ import annotations

import math

import numpy as np
import pytest
import reference_impl as ref
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import apportion
from optimizer.apportion import (
    LR_EXACT_LIMIT,
    active_bounds,
    covers,
    margins,
    solve_exact,
    solve_groups,
    solve_threshold,
    unit_order,
)
from optimizer.errors import InputError, SolverError, VerificationError
from optimizer.problem import LARGEST_REMAINDER, METHODS, SAINTE_LAGUE, Problem, key, round_costs, unit_keys
from optimizer.verify import verify


def make(quota, lower, upper, total, method) -> Problem:
    n = len(quota)
    width = len(str(6400 + n))
    return Problem(
        codes=tuple(f"{6400 + i:0{width}d}" for i in range(n)),
        quota=np.asarray(quota, dtype=float),
        lower=np.asarray(lower, dtype=np.int64),
        upper=np.asarray(upper, dtype=np.int64),
        total=int(total),
        method=method,
    )


def random_problem(rng: np.random.Generator, method: str, n_max: int = 25, cap_max: int = 15) -> Problem:
    """A random instance, often with ties: equal, proportional, half-integer or zero quotas, locks."""
    n = int(rng.integers(1, n_max + 1))
    style = rng.integers(0, 6)
    if style == 0:
        q = rng.uniform(0, 30, n)
    elif style == 1:  # equal quotas: every unit ties with its peers
        q = np.full(n, rng.uniform(0.2, 12))
    elif style == 2:  # proportional quotas: many Sainte-Laguë costs coincide
        q = rng.integers(1, 5, n) * rng.choice([0.5, 1.0, 1.5, 2.5, 1 / 3])
    elif style == 3:  # half-integer quotas: ties in the remainders
        q = rng.integers(0, 21, n) / 2
    elif style == 4:  # shares of a whole, like the engine's
        q = rng.dirichlet(np.ones(n)) * rng.integers(1, 80)
    else:
        q = rng.integers(0, 8, n).astype(float)
    lower = rng.integers(0, 3, n)
    upper = lower + rng.integers(0, cap_max, n)
    locked = rng.random(n) < 0.1
    upper = np.where(locked, lower, upper)
    lower = np.where(q == 0, upper, lower)
    total = int(rng.integers(lower.sum(), upper.sum() + 1))
    return make(q, lower, upper, total, method)


@pytest.mark.parametrize("method", METHODS)
def test_threshold_equals_priority_queue_on_many_random_instances(method):
    rng = np.random.default_rng(7 if method == SAINTE_LAGUE else 8)
    for _ in range(1500):
        problem = random_problem(rng, method)
        expected = solve_exact(problem)
        got = solve_threshold(problem)
        assert np.array_equal(got, expected), (problem, expected, got)


@st.composite
def problems(draw, max_n: int = 10):
    n = draw(st.integers(1, max_n))
    style = draw(st.sampled_from(["free", "equal", "proportional", "halves", "tiny", "large"]))
    if style == "free":
        q = draw(st.lists(st.floats(0, 40, allow_nan=False), min_size=n, max_size=n))
    elif style == "equal":
        q = [draw(st.floats(0.05, 25))] * n
    elif style == "proportional":
        scale = draw(st.sampled_from([0.1, 0.3, 0.5, 1.0, 2.0, 7.0]))
        q = [scale * k for k in draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))]
    elif style == "halves":
        q = [k / 2 for k in draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))]
    elif style == "tiny":
        q = draw(st.lists(st.floats(1e-7, 1e-2), min_size=n, max_size=n))
    else:
        q = draw(st.lists(st.floats(1e3, 5e5), min_size=n, max_size=n))
    lower = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    extra = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    upper = [lo + e for lo, e in zip(lower, extra, strict=True)]
    lower = [u if qq == 0 else lo for lo, u, qq in zip(lower, upper, q, strict=True)]
    total = draw(st.integers(sum(lower), sum(upper)))
    method = draw(st.sampled_from(METHODS))
    return make(q, lower, upper, total, method)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_threshold_equals_priority_queue_property(problem):
    assert np.array_equal(solve_threshold(problem), solve_exact(problem))


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("method", METHODS)
def test_threshold_equals_pulp_model(seed, method):
    """Small instances (the MILP is slow): the PuLP/CBC model returns exactly the same counts."""
    from optimizer.model import solve_milp

    rng = np.random.default_rng(100 + seed)
    problem = random_problem(rng, method, n_max=6, cap_max=9)
    outcome = solve_milp(problem, "cbc")
    assert outcome.optimal
    assert np.array_equal(solve_threshold(problem), outcome.x)


@pytest.mark.parametrize("method", METHODS)
def test_threshold_equals_highs_on_ties(method):
    from optimizer.model import highs_available, solve_milp

    if not highs_available():
        pytest.skip("highspy is not installed")
    problem = make([2.5, 2.5, 2.5, 1.25, 5.0], [0, 0, 1, 0, 0], [6, 6, 6, 6, 6], 9, method)
    assert np.array_equal(solve_threshold(problem), solve_milp(problem, "highs").x)


def test_ties_go_to_the_lower_code_by_hand():
    # four equal quotas of 1.5 (total 6 of them), 5 seats: the fifth goes to the lowest code
    problem = make([1.5, 1.5, 1.5, 1.5], [0] * 4, [5] * 4, 5, SAINTE_LAGUE)
    assert solve_threshold(problem).tolist() == [2, 1, 1, 1]
    # largest remainder, quotas 1.5 each: every region gets 1, the remainders tie at 0.5
    problem = make([1.5, 1.5, 1.5, 1.5], [0] * 4, [5] * 4, 6, LARGEST_REMAINDER)
    assert solve_threshold(problem).tolist() == [2, 2, 1, 1]


def test_sainte_lague_by_hand_with_floors_and_caps():
    # quotas 5.6, 3.3, 1.1 for 10 seats: Webster gives 6, 3, 1; a cap of 5 on the first and a
    # floor of 2 on the third move one seat each: 5, 3, 2
    problem = make([5.6, 3.3, 1.1], [0, 0, 0], [10, 10, 10], 10, SAINTE_LAGUE)
    assert solve_threshold(problem).tolist() == [6, 3, 1]
    problem = make([5.6, 3.3, 1.1], [0, 0, 2], [5, 10, 10], 10, SAINTE_LAGUE)
    assert solve_threshold(problem).tolist() == [5, 3, 2]


def test_threshold_follows_unit_order_for_every_total():
    """unit_order's first T - sum(lower) units give the optimum for every T (one sweep)."""
    rng = np.random.default_rng(3)
    for method in METHODS:
        for _ in range(20):
            problem = random_problem(rng, method, n_max=8, cap_max=6)
            x = problem.lower.astype(np.int64).copy()
            for placed, r in enumerate(unit_order(problem), start=int(problem.lower.sum()) + 1):
                x[r] += 1
                at_total = Problem(problem.codes, problem.quota, problem.lower, problem.upper, placed, method)
                if method == SAINTE_LAGUE:  # house monotone: the sweep's prefix is the optimum
                    assert np.array_equal(solve_threshold(at_total), x)
                assert np.array_equal(solve_threshold(at_total), solve_exact(at_total))


def test_groups_are_solved_independently():
    rng = np.random.default_rng(11)
    for method in METHODS:
        problems_ = [random_problem(rng, method, n_max=12) for _ in range(30)]
        group = np.concatenate([np.full(p.n, g) for g, p in enumerate(problems_)])
        within = np.concatenate([np.arange(p.n) for p in problems_])
        interleaved = np.lexsort((group, within))  # round robin over the groups, each group's order kept
        quota = np.concatenate([p.quota for p in problems_])[interleaved]
        lower = np.concatenate([p.lower for p in problems_])[interleaved]
        upper = np.concatenate([p.upper for p in problems_])[interleaved]
        totals = np.array([p.total for p in problems_])
        x = solve_groups(method, quota, lower, upper, group[interleaved], totals)
        back = np.empty_like(x)
        back[interleaved] = x
        for g, p in enumerate(problems_):
            assert np.array_equal(back[group == g], solve_exact(p))


def test_large_instance_matches_priority_queue():
    rng = np.random.default_rng(5)
    n = 20_000
    quota = rng.dirichlet(np.full(n, 0.7)) * 40_000
    upper = np.maximum(1, rng.lognormal(1.5, 1.0, n).astype(np.int64))
    for method in METHODS:
        problem = Problem(
            tuple(f"{i:010d}" for i in range(n)),
            quota,
            np.zeros(n, np.int64),
            upper,
            min(40_000, int(upper.sum())),
            method,
        )
        assert np.array_equal(solve_threshold(problem), solve_exact(problem))


@pytest.mark.parametrize("method", METHODS)
def test_extreme_quotas(method):
    """Quotas from 1e-300 to 1e5 in one problem: the bracket closes in a bounded number of halvings."""
    quota = [1e-300, 1e-150, 3.3, 2.2, 1e-100, 7.7, 1e5, 0.0]
    lower = [0, 0, 0, 0, 0, 0, 0, 2]
    upper = [50, 50, 9, 9, 50, 9, 40, 2]
    for total in (2, 25, 60, 100, 171):
        problem = make(quota, lower, upper, total, method)
        assert np.array_equal(solve_threshold(problem), solve_exact(problem))
    problem = make(quota[1:], lower[1:], upper[1:], 60, method)  # no quota below the overflow guard
    assert np.array_equal(solve_threshold(problem), solve_exact(problem))


def test_largest_remainder_beyond_the_exact_range_uses_the_greedy():
    problem = make([LR_EXACT_LIMIT * 1.5 + 0.25, 3.75, 1.5], [0, 0, 0], [5, 5, 5], 9, LARGEST_REMAINDER)
    assert np.array_equal(solve_threshold(problem), solve_exact(problem))


def test_a_wrong_result_is_never_returned(monkeypatch):
    problem = make([3.4, 2.2, 1.4], [0, 0, 0], [7, 7, 7], 7, SAINTE_LAGUE)

    def wrong(q, start, stop, group, need):
        taken = np.zeros(len(q), dtype=np.int64)
        taken[-1] = int(need[0])  # everything to the smallest quota
        return taken

    monkeypatch.setattr(apportion, "_select_tier", wrong)
    with pytest.raises(SolverError, match="not the greedy optimum"):
        solve_threshold(problem)


def test_round_costs_is_pythons_round():
    rng = np.random.default_rng(2)
    values = np.concatenate(
        [
            rng.uniform(-3, 3, 20_000),
            rng.uniform(-2e6, 2e6, 5_000),
            (rng.integers(-(10**10), 10**10, 5_000) + 0.5) / 1e9,  # exact-looking halves
            np.array([0.0, -0.0, 5e-10, -5e-10, 1.5e-9, 2.5e-9, 1e300, -1e300, 0.1 + 0.2, 0.3]),
        ]
    )
    assert np.array_equal(round_costs(values), np.array([round(v, 9) for v in values.tolist()]))


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-6, 1e5), st.integers(0, 10**6))
def test_unit_keys_equal_key(q, k):
    for method in METHODS:
        vector = unit_keys(method, np.array([q]), np.array([k]))
        assert tuple(float(stage[0]) for stage in vector) == key(method, q, k)


def test_margins_and_active_bounds_equal_the_original_code():
    rng = np.random.default_rng(21)
    for method in METHODS:
        for _ in range(300):
            problem = random_problem(rng, method, n_max=10)
            x = solve_exact(problem)
            got = margins(problem, x)
            assert (got.last_given, got.next_unit) == ref.margins(problem, x)
            low, high = active_bounds(problem, x)
            ref_low, ref_high = ref.active_bounds(problem, x)
            assert np.array_equal(low, ref_low) and np.array_equal(high, ref_high)


def test_active_bounds_of_many_groups_at_once_equal_each_group_alone():
    """The hierarchy's one call for every sibling group: each group's labels as the reference
    implementation gives them for that group alone, with the groups' regions interleaved
    (each group's own order kept, as the tie rule needs)."""
    rng = np.random.default_rng(22)
    for method in METHODS:
        for _ in range(60):
            problems = [random_problem(rng, method, n_max=8) for _ in range(int(rng.integers(1, 6)))]
            answers = [solve_exact(p) for p in problems]
            group = np.concatenate([np.full(p.n, g) for g, p in enumerate(problems)])
            slots = np.concatenate([np.sort(rng.uniform(size=p.n)) for p in problems])
            order = np.argsort(slots, kind="stable")  # interleaved, each group in its own order

            def stacked(parts):
                return np.concatenate(parts)[order]  # noqa: B023 (used at once)

            low, high = apportion.active_bounds_groups(
                method,
                stacked([p.quota for p in problems]),
                stacked([p.lower for p in problems]),
                stacked([p.upper for p in problems]),
                stacked(answers),
                group[order],
                len(problems),
            )
            where = np.empty_like(order)
            where[order] = np.arange(len(order))  # the stacked position of each region
            start = 0
            for p, answer in zip(problems, answers, strict=True):
                mine = where[start : start + p.n]
                ref_low, ref_high = ref.active_bounds(p, answer)
                assert np.array_equal(low[mine], ref_low) and np.array_equal(high[mine], ref_high)
                start += p.n


def test_verify_accepts_the_optimum_and_rejects_a_worse_allocation():
    problem = make([5.6, 3.3, 1.1], [0, 0, 0], [10, 10, 10], 10, SAINTE_LAGUE)
    certificate = verify(
        problem, solve_threshold(problem), budget_rp=30_000_000, cost_per_recipient_rp=3_000_000, affordable=10
    )
    assert certificate.optimal and certificate.tie_rule_kept and certificate.cost_rp == 30_000_000
    with pytest.raises(VerificationError, match="moving one recipient from 6400 to 6401"):
        verify(problem, np.array([7, 2, 1]), budget_rp=30_000_000, cost_per_recipient_rp=3_000_000, affordable=10)
    with pytest.raises(VerificationError, match="region 6402 got 11 recipients, above its upper bound 10"):
        verify(problem, np.array([0, 0, 11]), budget_rp=30_000_000, cost_per_recipient_rp=3_000_000, affordable=10)


class WithFixedCosts(Problem):
    """A problem with a constraint the structured solver does not know (for the routing test)."""


def test_covers_and_solver_routing(monkeypatch):
    from optimizer import engine, model

    plain = make([2.0, 1.0], [0, 0], [3, 3], 3, SAINTE_LAGUE)
    other = WithFixedCosts(plain.codes, plain.quota, plain.lower, plain.upper, plain.total, plain.method)
    assert covers(plain) and not covers(other)
    calls = []

    def fake_milp(problem, solver, time_limit=None):
        calls.append(solver)
        return model.MilpOutcome(solve_exact(problem), True, "Optimal", solver, 1)

    monkeypatch.setattr(model, "solve_milp", fake_milp)
    assert engine.solve(plain, "auto")[1] == "exact" and calls == []
    assert engine.solve(other, "auto")[1] == "cbc" and calls == ["cbc"]
    with pytest.raises(InputError, match="solver 'exact' covers"):
        engine.solve(other, "exact")


def test_no_dense_structure(monkeypatch):
    """Memory: nothing of size n x n is built (every array the solver makes is O(n + units near the threshold))."""
    sizes = []
    original = np.lexsort

    def recording(keys, *args, **kwargs):
        sizes.append(max(len(k) for k in keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(np, "lexsort", recording)
    n = 5_000
    problem = make(np.full(n, 2.0), np.zeros(n), np.full(n, 4), 2 * n, SAINTE_LAGUE)  # all tied
    x = solve_threshold(problem)
    assert x.sum() == 2 * n and max(sizes, default=0) <= 4 * n
    assert math.isclose(np.mean(x), 2.0)
