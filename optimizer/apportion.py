"""Exact structured solver: the optimum built one recipient at a time.

For the problems of :mod:`optimizer.problem` (a total, per-region floors, caps and locks,
and a separable convex objective), the optimum is reached greedily: start every region at
its lower bound and give each further recipient to the region whose next recipient costs
least (lexicographically, ties to the lower BPS code). Because each region's unit costs
increase, this greedy is exact (the classic result for separable convex resource
allocation; for Sainte-Laguë it *is* the divisor method with divisors 1, 3, 5, …).

Two implementations of that greedy:

:func:`unit_order` / :func:`solve_exact`
    a priority queue, one recipient at a time (O(T log n)); the reference, and the basis
    of budget sweeps (house monotonicity makes a sweep one pass).

:func:`solve_threshold` / :func:`solve_groups`
    the same result without visiting recipients one by one: a divisor (a threshold cost)
    found by bisection, then a partial sort of the few units at the threshold, in NumPy
    (O(n log(range/precision)) plus a sort of the threshold units); milliseconds for
    tens of thousands of regions, and many independent groups (e.g. the desa of every
    kabupaten) in one call. Its result is checked against the greedy's optimality
    certificate before it is returned.

The tests prove the implementations agree exactly with each other and with the PuLP
model on random instances, ties included.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .errors import SolverError
from .problem import LARGEST_REMAINDER, METHODS, SAINTE_LAGUE, Problem, key, unit_keys


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


# ------------------------------------------------------------------ threshold solver

# Largest remainder's first-stage costs of whole-part (below quota) and surplus units are
# -1 and +1 up to float error below ulp(2**21) < 5e-10, so after rounding to 9 decimals they
# are exactly -1.0 and 1.0 and the units fall into three tiers (see solve_groups). Beyond
# this size (a quota or a count above a million recipients) the priority queue is used.
LR_EXACT_LIMIT = 2**20
TINY_QUOTA = 1e-200  # below this a unit's cost (2k+1)/q overflows; such problems go to the greedy


def covers(problem: Problem) -> bool:
    """True when the structured solvers handle ``problem`` exactly.

    Covered: a total, per-region floors, caps (eligible counts) and locks with either
    method, which is everything a :class:`Problem` can say. A subclass that adds
    constraints (fixed costs, several years, custom rows) is not covered: it needs the
    PuLP model (:func:`optimizer.model.solve_milp`).
    """
    return type(problem) is Problem and problem.method in METHODS


def solve_threshold(problem: Problem) -> np.ndarray:
    """The optimal allocation of ``problem`` by threshold search (int64 array, one per region).

    Same result as :func:`solve_exact`, bit for bit (same keys, same tie rule); see
    :func:`solve_groups` for the method. Raises :class:`~optimizer.errors.SolverError` if
    the result fails its optimality certificate (a bug; never returned silently).
    """
    group = np.zeros(problem.n, dtype=np.int64)
    totals = np.array([problem.total], dtype=np.int64)
    return solve_groups(problem.method, problem.quota, problem.lower, problem.upper, group, totals)


def solve_groups(
    method: str,
    quota: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    group: np.ndarray,
    totals: np.ndarray,
) -> np.ndarray:
    """Solve many independent allocation problems at once.

    ``quota`` (float recipients, >= 0), ``lower``/``upper`` (int recipients) and ``group``
    (int in ``0..G-1``) have one entry per region; ``totals[g]`` is the number of
    recipients of group g (``sum lower <= totals[g] <= sum upper`` over its regions).
    Within a group, ties go to the region with the lower *position* in these arrays (so
    sort the regions by BPS code within each group). A region with quota 0 must have
    ``lower == upper``. Returns int64 recipients per region.

    Method. A unit is a pair (region r, its (k+1)-th recipient) with ``lower_r <= k <
    upper_r``; the greedy of :func:`unit_order` takes, in each group, the ``totals[g] -
    sum lower`` cheapest units in the order (key, r, k), because each region's keys do not
    decrease with k. Sainte-Laguë: the raw cost ``(2k+1)/q - 2`` is inverted in closed
    form, ``#{k: cost <= lam} = floor(((lam+2) q - 1) / 2) + 1 - lower``, so a divisor
    ``lam`` with the right count is found by bisection (all groups at once). Units whose
    raw cost lies more than ``delta = 1e-8 * max(1, |lam|)`` below the bracket are taken,
    those more than ``delta`` above are not (rounding to 9 decimals moves a cost by at
    most 5e-10, so no tie crosses the margin); the units inside the margin are sorted
    exactly by (key, r, k) and the remainder taken from the front. Largest remainder:
    whole-part units (first-stage cost -1) come first in Sainte-Laguë order, then each
    region's straddling unit ordered by its remainder, then surplus units (cost +1) in
    Sainte-Laguë order; each tier is the Sainte-Laguë selection above or one sort.

    Raises :class:`~optimizer.errors.SolverError` if a group's result fails the greedy's
    certificate (the dearest unit given is cheaper than the cheapest unit not given).
    """
    q = np.asarray(quota, dtype=np.float64)
    lo = np.asarray(lower, dtype=np.int64)
    up = np.asarray(upper, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    totals = np.asarray(totals, dtype=np.int64)
    n_groups = len(totals)
    need = totals - np.bincount(group, weights=lo, minlength=n_groups).astype(np.int64)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if np.any((q > 0) & (q < TINY_QUOTA)):  # costs would overflow to infinity: no finite divisor
        return _greedy_groups(method, q, lo, up, group, totals)
    if method == SAINTE_LAGUE:
        x = lo + _select_tier(q, lo, up, group, need)
    elif _lr_in_range(q, lo, up, group, need):
        x = lo + _select_largest_remainder(q, lo, up, group, need)
    else:  # keys may not be monotone out there: the greedy itself, without a certificate
        return _greedy_groups(method, q, lo, up, group, totals)
    bad = np.flatnonzero(~certificate_holds(method, q, lo, up, group, n_groups, x))
    if bad.size:
        raise SolverError("apportion.internal_error_threshold_solver", bad=int(bad[0]))
    return x


def _lr_in_range(q, lo, up, group, need) -> bool:
    reach = np.minimum(up, lo + need[group]) if len(q) else up
    return bool(len(q) == 0 or (q.max() < LR_EXACT_LIMIT and reach.max() < LR_EXACT_LIMIT))


def _greedy_groups(method, q, lo, up, group, totals) -> np.ndarray:
    """Priority-queue greedy per group (the fallback outside the threshold solver's range)."""
    x = lo.copy()
    for g, total in enumerate(totals.tolist()):
        members = np.flatnonzero(group == g)
        remaining = total - int(lo[members].sum())
        heap = [(key(method, float(q[r]), int(x[r])), int(r)) for r in members if x[r] < up[r]]
        heapq.heapify(heap)
        for _ in range(remaining):
            _, r = heapq.heappop(heap)
            x[r] += 1
            if x[r] < up[r]:
                heapq.heappush(heap, (key(method, float(q[r]), int(x[r])), r))
    return x


def _count_at_most(q, start, size, lam) -> np.ndarray:
    """Sainte-Laguë units k in [start, start+size) with raw cost <= lam (to float accuracy)."""
    return _count_float(q, start, size, lam).astype(np.int64)


def _count_float(q, start, size, lam) -> np.ndarray:
    """:func:`_count_at_most` as whole numbers in a float array (the bisection sums them as they are)."""
    with np.errstate(over="ignore", invalid="ignore"):
        count = ((lam + 2.0) * q - 1.0) / 2.0
        np.floor(count, out=count)
        count += 1.0
        count -= start
        np.maximum(count, 0.0, out=count)
        np.minimum(count, size, out=count)
    return count


def _select_tier(q, start, stop, group, need) -> np.ndarray:
    """Per region, how many of its Sainte-Laguë-ordered units k in [start, stop) are among
    the ``need[g]`` cheapest of its group (order: rounded raw cost, position, k)."""
    n_groups = len(need)
    size = stop - start
    taken = np.zeros(len(q), dtype=np.int64)
    have = np.bincount(group, weights=size, minlength=n_groups).astype(np.int64)
    full = need >= have
    taken[full[group]] = size[full[group]]
    work = np.flatnonzero(~full[group] & (need[group] > 0) & (size > 0))
    if work.size == 0:
        return taken
    qw, sw, nw, gw = q[work], start[work], size[work], group[work]
    first = (2 * sw + 1) / qw - 2
    last = (2 * (sw + nw - 1) + 1) / qw - 2
    lam_lo = np.full(n_groups, np.inf)
    lam_hi = np.full(n_groups, -np.inf)
    np.minimum.at(lam_lo, gw, first)
    np.maximum.at(lam_hi, gw, last)
    active = np.isfinite(lam_lo)
    lam_lo = np.where(active, lam_lo, 0.0)
    lam_hi = np.where(active, lam_hi, 0.0)
    lam_lo = lam_lo - 1.0 - 1e-6 * np.abs(lam_lo)  # no unit costs this little
    lam_hi = lam_hi + 1.0 + 1e-6 * np.abs(lam_hi)  # every unit costs at most this
    pending = active.copy()
    only = int(gw[0]) if bool((gw == gw[0]).all()) else -1  # one group: scalar divisor, a plain sum

    def counted(lam: np.ndarray) -> np.ndarray:
        if only < 0:
            return np.bincount(gw, weights=_count_float(qw, sw, nw, lam[gw]), minlength=n_groups)
        out = np.zeros(n_groups)
        out[only] = _count_float(qw, sw, nw, lam[only]).sum()
        return out

    for _ in range(200):  # bisection over the doubles themselves: at most 64 halvings
        delta = 1e-8 * np.maximum(1.0, np.maximum(np.abs(lam_lo), np.abs(lam_hi)))
        pending &= (lam_hi - lam_lo) > delta
        if not pending.any():
            break
        mid = np.where(pending, _midpoint(lam_lo, lam_hi), lam_lo)
        pending &= (mid > lam_lo) & (mid < lam_hi)  # adjacent doubles: nothing left to halve
        count = counted(mid)
        exact = pending & (count == need)
        lam_lo = np.where(pending & (count <= need), mid, lam_lo)
        lam_hi = np.where(pending & (count >= need), mid, lam_hi)
        pending &= ~exact
    delta = 1e-8 * np.maximum(1.0, np.maximum(np.abs(lam_lo), np.abs(lam_hi)))
    sure = _count_at_most(qw, sw, nw, (lam_lo - delta)[gw])
    band = _count_at_most(qw, sw, nw, (lam_hi + delta)[gw]) - sure
    rest = need - np.bincount(gw, weights=sure, minlength=n_groups).astype(np.int64)
    taken[work] = sure
    m = int(band.sum())
    if m:
        owner = np.repeat(np.arange(work.size), band)
        offset = np.arange(m) - np.repeat(np.cumsum(band) - band, band)
        k = sw[owner] + sure[owner] + offset
        (cost,) = unit_keys(SAINTE_LAGUE, qw[owner], k)
        region = work[owner]
        chosen = _front(gw[owner], (k, region, cost), rest, n_groups)
        taken += np.bincount(region[chosen], minlength=len(q))
    return taken


_SIGN = np.int64(0x7FFFFFFFFFFFFFFF)


def _midpoint(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A double halfway between ``low`` and ``high`` in the order of the doubles themselves
    (their bit patterns), so a bracket from -2 to 1e150 closes in at most 64 halvings where
    the arithmetic mean would need hundreds. Where both lie in one binade it is close to
    the arithmetic mean."""
    a = low.view(np.int64)
    b = high.view(np.int64)
    a = np.where(a < 0, -(a & _SIGN), a)
    b = np.where(b < 0, -(b & _SIGN), b)
    m = a // 2 + b // 2 + (a % 2 + b % 2) // 2
    bits = np.where(m < 0, (-m) | ~_SIGN, m)
    return bits.view(np.float64)


def _front(group, keys, count, n_groups) -> np.ndarray:
    """Indices of the first ``count[g]`` items of each group in the order of ``keys``
    (a tuple for :func:`numpy.lexsort`: last key primary), group-major."""
    order = np.lexsort((*keys, group))
    sorted_group = group[order]
    sizes = np.bincount(group, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    rank = np.arange(len(order)) - starts[sorted_group]
    return order[rank < count[sorted_group]]


def _select_largest_remainder(q, lo, up, group, need) -> np.ndarray:
    """Units above the lower bound per region for largest remainder (three tiers)."""
    n_groups = len(need)
    whole = np.floor(q).astype(np.int64)
    below = np.clip(whole - lo, 0, up - lo)  # units k < floor(q): first-stage cost -1
    straddle = (q != whole) & (lo <= whole) & (whole < up)  # unit k = floor(q) < q < k + 1
    have_below = np.bincount(group, weights=below, minlength=n_groups).astype(np.int64)
    have_straddle = np.bincount(group, weights=straddle, minlength=n_groups).astype(np.int64)
    need_below = np.minimum(need, have_below)
    need_straddle = np.clip(need - have_below, 0, have_straddle)
    need_above = np.maximum(need - have_below - have_straddle, 0)
    taken = _select_tier(q, lo, lo + below, group, need_below)
    index = np.flatnonzero(straddle)
    if index.size and need_straddle.any():
        first, _ = unit_keys(LARGEST_REMAINDER, q[index], whole[index])
        chosen = _front(group[index], (index, first), need_straddle, n_groups)
        taken[index[chosen]] += 1
    start_above = lo + below + straddle
    taken += _select_tier(q, start_above, up, group, need_above)
    return taken


def _lex_less(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> np.ndarray:
    """Elementwise lexicographic ``a < b`` for tuples of equal-length arrays."""
    less = np.zeros(len(a[0]), dtype=bool)
    equal = np.ones(len(a[0]), dtype=bool)
    for left, right in zip(a, b, strict=True):
        less |= equal & (left < right)
        equal &= left == right
    return less


def margin_arrays(method: str, q: np.ndarray, lo: np.ndarray, up: np.ndarray, x: np.ndarray):
    """Vectorised :func:`margins`: keys of each region's last recipient above its lower bound
    and of its next recipient below its upper bound.

    ``q`` float quotas, ``lo``/``up``/``x`` int arrays (recipients), one entry per region.
    Returns ``(given, last, offered, nxt)``: bool masks (``x > lo``, ``x < up``) and tuples
    of stage-cost arrays (as :func:`optimizer.problem.key`; NaN where the mask is False).
    """
    given = x > lo
    offered = x < up
    stages = 1 if method == SAINTE_LAGUE else 2
    last = tuple(np.full(len(q), np.nan) for _ in range(stages))
    nxt = tuple(np.full(len(q), np.nan) for _ in range(stages))
    for mask, k, out in ((given, x - 1, last), (offered, x, nxt)):
        index = np.flatnonzero(mask)
        if index.size:
            for target, values in zip(out, unit_keys(method, q[index], k[index]), strict=True):
                target[index] = values
    return given, last, offered, nxt


def extreme_per_group(mask, stages, group, n_groups: int, largest: bool) -> np.ndarray:
    """Per group, the index of the lexicographically largest (or smallest) (key, position)
    among the masked regions; -1 for a group with none.

    ``mask``: bool per region; ``stages``: tuple of stage-cost arrays (as from
    :func:`margin_arrays`); ``group``: int group of each region in ``0..n_groups-1``.

    One pass per stage, no sort: the extreme value of each group (``ufunc.at``), then the
    regions equal to it stay candidates for the next stage, and the position decides last
    (the highest position for the largest, the lowest for the smallest).
    """
    index = np.flatnonzero(mask)
    out = np.full(n_groups, -1, dtype=np.int64)
    if index.size == 0:
        return out
    owner = group[index]
    for stage in stages:
        values = stage[index]
        best = np.full(n_groups, -np.inf if largest else np.inf)
        (np.maximum if largest else np.minimum).at(best, owner, values)
        keep = values == best[owner]
        index, owner = index[keep], owner[keep]
    if largest:
        np.maximum.at(out, owner, index)
    else:
        first = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, owner, index)
        out = np.where(first == np.iinfo(np.int64).max, -1, first)
    return out


def certificate_holds(method, q, lo, up, group, n_groups, x) -> np.ndarray:
    """Per group: the greedy's optimality certificate holds at ``x``.

    The dearest recipient given above a lower bound, as (key, position), comes before the
    cheapest one not given below an upper bound (or both are the same region's
    consecutive units). With each region's keys non-decreasing this says ``x`` is exactly
    the greedy's (hence :func:`solve_exact`'s) allocation. Bool array, one per group.
    """
    given, last, offered, nxt = margin_arrays(method, q, lo, up, x)
    worst = extreme_per_group(given, last, group, n_groups, largest=True)
    best = extreme_per_group(offered, nxt, group, n_groups, largest=False)
    both = (worst >= 0) & (best >= 0)
    ok = np.ones(n_groups, dtype=bool)
    if both.any():
        w, b = worst[both], best[both]
        a_key = (*(s[w] for s in last), w)
        b_key = (*(s[b] for s in nxt), b)
        ok[both] = _lex_less(a_key, b_key) | (w == b)
    return ok


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
    x = np.asarray(x, dtype=np.int64)
    given, last, offered, nxt = margin_arrays(problem.method, problem.quota, problem.lower, problem.upper, x)
    last_rows = list(zip(*(s.tolist() for s in last), strict=True))
    next_rows = list(zip(*(s.tolist() for s in nxt), strict=True))
    return Margins(
        [row if g else None for row, g in zip(last_rows, given.tolist(), strict=True)],
        [row if o else None for row, o in zip(next_rows, offered.tolist(), strict=True)],
    )


def active_bounds(problem: Problem, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which bounds bind at ``x``: a region at its lower (upper) bound that would give up
    (take) a recipient if that bound alone were lifted.

    Returns two bool arrays (lower active, upper active). The comparison uses the same
    costs and tie rule as the solver. One group of :func:`active_bounds_groups`.
    """
    group = np.zeros(problem.n, dtype=np.int64)
    return active_bounds_groups(problem.method, problem.quota, problem.lower, problem.upper, x, group, 1)


def active_bounds_groups(method: str, q, lower, upper, x, group, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`active_bounds` of many independent groups at once (as :func:`solve_groups` takes them).

    ``q`` float quotas, ``lower``/``upper``/``x`` int recipients and ``group`` (int in
    ``0..n_groups-1``) have one entry per region; within a group, ties go to the lower
    position in these arrays. A region at its lower bound binds when its last recipient
    costs more than the cheapest recipient another region of its group could take; at its
    upper bound when its next recipient costs less than the dearest one another region of
    its group holds. Returns two bool arrays (lower active, upper active).
    """
    q = np.asarray(q, dtype=np.float64)
    x = np.asarray(x, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    n = len(q)
    lower_active = np.zeros(n, dtype=bool)
    upper_active = np.zeros(n, dtype=bool)
    if n == 0:
        return lower_active, upper_active
    given, last, offered, nxt = margin_arrays(method, q, lower, upper, x)
    cheapest = _two_extremes_per_group(offered, nxt, group, n_groups, largest=False)
    dearest = _two_extremes_per_group(given, last, group, n_groups, largest=True)
    at_lower = (q > 0) & (x == lower) & (x > 0)
    at_upper = (q > 0) & (x == upper)
    for mask, (first, second), k, stages_of_other, out in (
        (at_lower, cheapest, x - 1, nxt, lower_active),
        (at_upper, dearest, x, last, upper_active),
    ):
        index = np.flatnonzero(mask)
        index = index[first[group[index]] >= 0]
        if index.size == 0:
            continue
        head = first[group[index]]
        other = np.where(index == head, second[group[index]], head)
        has_other = other >= 0
        index, other = index[has_other], other[has_other]
        if index.size == 0:
            continue
        own = (*unit_keys(method, q[index], k[index]), index)
        theirs = (*(s[other] for s in stages_of_other), other)
        out[index] = _lex_less(theirs, own) if out is lower_active else _lex_less(own, theirs)
    return lower_active, upper_active


def _two_extremes_per_group(mask, stages, group, n_groups: int, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the positions of the two smallest (or largest) masked (key, position) pairs; -1 if absent."""
    first = extreme_per_group(mask, stages, group, n_groups, largest)
    rest = mask.copy()
    rest[first[first >= 0]] = False
    return first, extreme_per_group(rest, stages, group, n_groups, largest)
