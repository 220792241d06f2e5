"""Exact structured solver: the optimum built one recipient at a time.

For the problems of :mod:`optimizer.problem` (a total, per-region floors, caps and locks,
and a separable convex objective), the optimum is reached greedily: start every region at
its lower bound and give each further recipient to the region whose next recipient costs
least (lexicographically, ties to the lower BPS code). Because each region's unit costs
increase, this greedy is exact (the classic result for separable convex resource
allocation; for Sainte-Laguë it *is* the divisor method with divisors 1, 3, 5, …).

It is used as the fast path and as an independent check of the PuLP model; the tests
prove the two agree on random instances, ties included.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .problem import Problem, key


def unit_order(problem: Problem, start: np.ndarray | None = None) -> Iterator[int]:
    """Yield, one recipient at a time, the index of the region that gets it next.

    Starts from ``start`` (default: the lower bounds) and stops when every region is at its
    upper bound. The first ``T - sum(lower)`` indices give the optimum for total ``T``; so
    for Sainte-Laguë a whole budget sweep is one pass (house monotonicity).
    """
    x = (problem.lower if start is None else start).astype(np.int64).copy()
    q, upper, method = problem.quota, problem.upper, problem.method
    heap = [(key(method, float(q[r]), int(x[r])), r) for r in range(problem.n) if x[r] < upper[r]]
    heapq.heapify(heap)
    while heap:
        _, r = heapq.heappop(heap)
        yield r
        x[r] += 1
        if x[r] < upper[r]:
            heapq.heappush(heap, (key(method, float(q[r]), int(x[r])), r))


def solve_exact(problem: Problem) -> np.ndarray:
    """The optimal allocation of ``problem`` (int64 array, one entry per region)."""
    x = problem.lower.astype(np.int64).copy()
    remaining = problem.total - int(x.sum())
    if remaining:
        order = unit_order(problem)
        for _ in range(remaining):
            x[next(order)] += 1
    return x


@dataclass(frozen=True)
class Margins:
    """Where the optimum's threshold lies, for certificates and explanations.

    ``last_given[r]``: key of region r's last recipient above its lower bound, or None.
    ``next_unit[r]``: key of region r's next recipient below its upper bound, or None.
    """

    last_given: list[tuple | None]
    next_unit: list[tuple | None]


def margins(problem: Problem, x: np.ndarray) -> Margins:
    """Unit costs at the allocation ``x`` (see :class:`Margins`)."""
    last, nxt = [], []
    for r in range(problem.n):
        q = float(problem.quota[r])
        last.append(key(problem.method, q, int(x[r]) - 1) if x[r] > problem.lower[r] else None)
        nxt.append(key(problem.method, q, int(x[r])) if x[r] < problem.upper[r] else None)
    return Margins(last, nxt)


def active_bounds(problem: Problem, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which bounds bind at ``x``: a region at its lower (upper) bound that would give up
    (take) a recipient if that bound alone were lifted.

    Returns two bool arrays (lower active, upper active). The comparison uses the same
    costs and tie rule as the solver.
    """
    m = margins(problem, x)
    lower_active = np.zeros(problem.n, dtype=bool)
    upper_active = np.zeros(problem.n, dtype=bool)
    cheapest_next = heapq.nsmallest(2, [(k, r) for r, k in enumerate(m.next_unit) if k is not None])
    dearest_last = heapq.nlargest(2, [(k, r) for r, k in enumerate(m.last_given) if k is not None])
    for r in range(problem.n):
        q = float(problem.quota[r])
        if q <= 0:
            continue
        if x[r] == problem.lower[r] and x[r] > 0:
            own = (key(problem.method, q, int(x[r]) - 1), r)
            other = next((item for item in cheapest_next if item[1] != r), None)
            lower_active[r] = other is not None and own > other
        if x[r] == problem.upper[r]:
            own = (key(problem.method, q, int(x[r])), r)
            other = next((item for item in dearest_last if item[1] != r), None)
            upper_active[r] = other is not None and own < other
    return lower_active, upper_active
