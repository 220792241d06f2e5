"""Many allocation problems at once: the engine's optimum for each row, vectorised with numpy.

The sensitivity analysis solves thousands of problems that differ only in their quotas
(and in which regions have need share 0). One solver process per problem is far too slow;
this module solves them all together and returns, row by row, exactly the allocation of
:func:`optimizer.apportion.solve_exact` (the engine's exact solver), ties included.

Sainte-Laguë with bounds is a divisor method: for a threshold ``θ`` on ``(2k+1)/q``,
region r holds ``clip(floor(θ q_r / 2 + 1/2), lower_r, upper_r)`` recipients (its
recipients whose unit cost ``(2k+1)/q_r - 2`` is at most ``θ - 2``). Per row, a
bisection on ``θ`` finds the largest such allocation that does not exceed the total ``T``;
the few recipients left (ties at the threshold) are then given one at a time, all rows
together, to the cheapest next recipient with the engine's key and tie rule (costs
rounded to 9 decimals, ties to the lower BPS code = lower column index).

Largest remainder (Hamilton) starts every region at ``clip(floor(q), lower, upper)`` (its
recipients of first-stage cost -1, which the engine's greedy gives first); when floors
make that exceed ``T``, the start is the Sainte-Laguë divisor allocation within those
caps (the engine's second stage orders those recipients). The rest is given one at a time
with the engine's two-stage key.

Exactness. Before the one-at-a-time step each row's start is checked to be a prefix of the
engine's order (every recipient given costs less, by the engine's key and tie rule, than
every recipient not given). numpy rounds to 9 decimals as Python's ``round`` does except
for values within a few ulps of a rounding boundary; a row that meets such a value, or
fails the prefix check, is solved by :func:`~optimizer.apportion.solve_exact` itself and
counted in :attr:`BatchResult.fallback_rows`. The tests compare rows against the engine
and the PuLP model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..apportion import solve_exact
from ..problem import DECIMALS, LARGEST_REMAINDER, METHODS, SAINTE_LAGUE, Problem

BISECTION_STEPS = 64  # halvings of the threshold bracket; float resolution is reached well before


@dataclass(frozen=True)
class BatchResult:
    """Allocations of many problems.

    ``x``: int64 array (N, n), recipients per row and region. ``fallback_rows``: indices of
    the rows solved one by one by the engine's exact solver (see the module docstring).
    """

    x: np.ndarray
    fallback_rows: tuple[int, ...]


def _round9(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``round(v, 9)`` elementwise, and a mask of values where numpy might differ from Python's round."""
    with np.errstate(invalid="ignore"):
        scaled = values * 10.0**DECIMALS
        frac = scaled - np.floor(scaled)
        delicate = np.isfinite(values) & (np.abs(frac - 0.5) <= 8 * np.spacing(np.abs(scaled)) + 1e-12)
    return np.round(values, DECIMALS), delicate


def _keys(method: str, q: np.ndarray, k: np.ndarray) -> list[np.ndarray]:
    """Raw (unrounded) lexicographic cost of each region's (k+1)-th recipient, as in :func:`optimizer.problem.key`."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sainte_lague = (2 * k + 1) / q - 2
    if method == SAINTE_LAGUE:
        return [sainte_lague]
    first = np.abs(k + 1 - q) - np.abs(k - q)
    straddles = (k < q) & (q < k + 1)
    return [first, np.where(straddles, 0.0, sainte_lague)]


def _rounded_keys(method: str, q: np.ndarray, k: np.ndarray, valid: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Rounded keys and, per row, whether any valid key is near a rounding boundary."""
    out, delicate = [], np.zeros(q.shape[0], dtype=bool)
    for raw in _keys(method, q, k):
        rounded, near = _round9(raw)
        out.append(rounded)
        delicate |= (near & valid).any(axis=1)
    return out, delicate


def _lex_extreme(keys: list[np.ndarray], valid: np.ndarray, smallest: bool) -> tuple[list[np.ndarray], np.ndarray]:
    """Per row, the lexicographically smallest (largest) valid key and its lowest (highest) column.

    Returns the key values (one (N,) array per stage; +-inf where a row has no valid
    column) and the column index (-1 where none).
    """
    mask = valid.copy()
    fill = np.inf if smallest else -np.inf
    values = []
    for stage in keys:
        masked = np.where(mask, stage, fill)
        best = masked.min(axis=1) if smallest else masked.max(axis=1)
        values.append(best)
        mask &= masked == best[:, None]
    n = valid.shape[1]
    if smallest:
        index = np.where(mask.any(axis=1), np.argmax(mask, axis=1), -1)
    else:
        index = np.where(mask.any(axis=1), n - 1 - np.argmax(mask[:, ::-1], axis=1), -1)
    return values, index


def _lex_less(a: list[np.ndarray], ia: np.ndarray, b: list[np.ndarray], ib: np.ndarray) -> np.ndarray:
    """Row-wise ``(a..., ia) < (b..., ib)`` lexicographically."""
    less = np.zeros(ia.shape, dtype=bool)
    equal = np.ones(ia.shape, dtype=bool)
    for left, right in zip(a, b, strict=True):
        less |= equal & (left < right)
        equal &= left == right
    return less | (equal & (ia < ib))


def _divisor_start(q: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Sainte-Laguë divisor allocation within [lower, upper] with sum <= total, by bisection per row."""
    x = upper.copy()
    need = upper.sum(axis=1) > total
    if not need.any():
        return x
    qs, lo_b, up_b, t = q[need], lower[need], upper[need], total[need]
    with np.errstate(divide="ignore", invalid="ignore"):
        top = np.where(qs > 0, (2 * up_b + 1) / qs, 0.0).max(axis=1)
    lo = np.zeros(len(t))
    hi = np.maximum(top, 1.0) * 2

    def counts(theta: np.ndarray) -> np.ndarray:
        raw = np.floor(theta[:, None] * qs / 2 + 0.5)
        return np.clip(raw, lo_b, up_b).astype(np.int64)

    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        fits = counts(mid).sum(axis=1) <= t
        lo = np.where(fits, mid, lo)
        hi = np.where(fits, hi, mid)
        if np.all(counts(lo).sum(axis=1) == t):
            break
    x[need] = counts(lo)
    return x


def _check_prefix(method: str, q, x, lower, upper) -> np.ndarray:
    """Rows whose start ``x`` is certainly a prefix of the engine's order (see module docstring)."""
    given_valid = x > lower
    offered_valid = x < upper
    given_keys, delicate_g = _rounded_keys(method, q, (x - 1).astype(float), given_valid)
    offered_keys, delicate_o = _rounded_keys(method, q, x.astype(float), offered_valid)
    g_val, g_idx = _lex_extreme(given_keys, given_valid, smallest=False)
    o_val, o_idx = _lex_extreme(offered_keys, offered_valid, smallest=True)
    ok = _lex_less(g_val, g_idx, o_val, o_idx) | (g_idx < 0) | (o_idx < 0)
    return ok & ~delicate_g & ~delicate_o


def solve_batch(
    quota: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: np.ndarray, method: str, codes=None
) -> BatchResult:
    """Solve N allocation problems over the same n regions (columns in BPS-code order).

    ``quota``: float array (N, n), recipients, >= 0. ``lower``/``upper``: int arrays
    (n,) or (N, n); a region with quota 0 must have lower == upper (as the engine holds
    it). ``total``: int array (N,) with ``sum lower <= total <= sum upper`` per row.
    ``method``: ``'sainte-lague'`` or ``'largest-remainder'``. ``codes``: the n BPS codes,
    used only for fallback rows (default ``'0000'``, ``'0001'``, …).

    Returns a :class:`BatchResult`; each row equals ``solve_exact`` of the same problem.
    Raises ``ValueError`` for inconsistent shapes or bounds.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    quota = np.asarray(quota, dtype=float)
    if quota.ndim != 2:
        raise ValueError("quota must be a 2-D array (draws x regions)")
    rows, n = quota.shape
    lower = np.broadcast_to(np.asarray(lower, dtype=np.int64), (rows, n)).copy()
    upper = np.broadcast_to(np.asarray(upper, dtype=np.int64), (rows, n)).copy()
    total = np.asarray(total, dtype=np.int64).reshape(rows)
    if np.any(lower > upper) or np.any((quota == 0) & (lower != upper)) or np.any(quota < 0):
        raise ValueError("bounds or quotas are inconsistent (quota 0 needs lower == upper)")
    if np.any(lower.sum(axis=1) > total) or np.any(upper.sum(axis=1) < total):
        raise ValueError("a total lies outside [sum lower, sum upper]")

    if method == SAINTE_LAGUE:
        x = _divisor_start(quota, lower, upper, total)
    else:
        start = np.clip(np.floor(quota), lower, upper).astype(np.int64)
        over = start.sum(axis=1) > total
        x = start
        if over.any():
            x = start.copy()
            x[over] = _divisor_start(quota[over], lower[over], start[over], total[over])
    fallback = ~_check_prefix(method, quota, x, lower, upper)

    remaining = total - x.sum(axis=1)
    active = (remaining > 0) & ~fallback
    while active.any():
        rows_idx = np.flatnonzero(active)
        qa, xa, ua = quota[rows_idx], x[rows_idx], upper[rows_idx]
        valid = xa < ua
        keys, delicate = _rounded_keys(method, qa, xa.astype(float), valid)
        _, choice = _lex_extreme(keys, valid, smallest=True)
        fallback[rows_idx[delicate]] = True
        take = ~delicate & (choice >= 0)
        x[rows_idx[take], choice[take]] += 1
        remaining[rows_idx[take]] -= 1
        active = (remaining > 0) & ~fallback

    fallback_rows = tuple(int(r) for r in np.flatnonzero(fallback))
    if fallback_rows:
        names = tuple(codes) if codes is not None else tuple(f"{i:04d}" for i in range(n))
        for r in fallback_rows:
            problem = Problem(names, quota[r].copy(), lower[r].copy(), upper[r].copy(), int(total[r]), method)
            x[r] = solve_exact(problem)
    return BatchResult(x=x, fallback_rows=fallback_rows)


__all__ = ["LARGEST_REMAINDER", "SAINTE_LAGUE", "BatchResult", "solve_batch"]
