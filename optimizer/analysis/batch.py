"""Many allocation problems at once: the engine's optimum for each row.

The sensitivity analysis solves thousands of problems that differ only in their quotas
(and in which regions have need share 0). They are solved together as independent groups
by the engine's structured solver, :func:`optimizer.apportion.solve_groups` (a divisor
found by bisection for all groups at once, then the engine's key and tie rule at the
threshold), so each row is exactly the allocation of
:func:`optimizer.apportion.solve_exact`, ties included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..apportion import solve_groups
from ..problem import LARGEST_REMAINDER, METHODS, SAINTE_LAGUE


@dataclass(frozen=True)
class BatchResult:
    """Allocations of many problems.

    ``x``: int64 array (N, n), recipients per row and region. ``fallback_rows``: rows
    solved one by one instead of together (none: the grouped solver is exact by itself;
    kept for the JSON key ``engine_fallback_draws``).
    """

    x: np.ndarray
    fallback_rows: tuple[int, ...] = ()


def solve_batch(
    quota: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: np.ndarray, method: str, codes=None
) -> BatchResult:
    """Solve N allocation problems over the same n regions (columns in BPS-code order).

    ``quota``: float array (N, n), recipients, >= 0. ``lower``/``upper``: int arrays
    (n,) or (N, n); a region with quota 0 must have lower == upper (as the engine holds
    it). ``total``: int array (N,) with ``sum lower <= total <= sum upper`` per row.
    ``method``: ``'sainte-lague'`` or ``'largest-remainder'``. ``codes``: the n BPS codes
    (unused: columns are taken in BPS-code order).

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

    groups = np.repeat(np.arange(rows), n)
    x = solve_groups(method, quota.ravel(), lower.ravel(), upper.ravel(), groups, total)
    return BatchResult(x=np.asarray(x, dtype=np.int64).reshape(rows, n))


__all__ = ["LARGEST_REMAINDER", "SAINTE_LAGUE", "BatchResult", "solve_batch"]
