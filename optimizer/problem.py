"""The integer allocation problem and its objective.

Given quotas ``q_r`` (recipients, real), bounds ``lower_r <= x_r <= upper_r`` (floors, caps,
locks, eligible counts) and a total ``T``, find integers ``x_r`` with ``sum x_r = T`` that
minimise a separable convex objective. Both methods are written as a *lexicographic*
sequence of separable convex stages, followed by a tie-break:

``sainte-lague`` (Sainte-Laguë / Webster)
    stage 1: ``sum_r (x_r - q_r)^2 / q_r``. The cost of giving region r its (k+1)-th
    recipient is ``(2k + 1) / q_r - 2``, so giving recipients one at a time to the lowest
    cost is exactly the Sainte-Laguë divisor method (divisors 1, 3, 5, …) and the optimum
    never takes a recipient away when the total grows (house monotonicity).

``largest-remainder`` (Hamilton, kuota Hare)
    stage 1: ``sum_r |x_r - q_r|``. Without binding bounds this gives every region the
    whole part of its quota and the leftover recipients to the largest remainders.
    Its minimiser is not unique when floors/caps push recipients above or below quota;
    stage 2 places those recipients in Sainte-Laguë order (in proportion to quota), so
    the choice is documented and not arbitrary. Hamilton can show the Alabama paradox.

Tie-break (both methods): among allocations equal on every stage, the recipient goes to
the region with the lower BPS code (the problem keeps regions sorted by code, so "lower
rank first"). Each region's unit costs are strictly increasing in lexicographic order,
so the optimum has a single tied level and "lower code first" is well defined.

Costs are compared after rounding to 9 decimals, so values equal in exact arithmetic but
not in floating point (e.g. ``0.1 + 0.2`` vs ``0.3``) count as ties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SAINTE_LAGUE = "sainte-lague"
LARGEST_REMAINDER = "largest-remainder"
METHODS = (SAINTE_LAGUE, LARGEST_REMAINDER)
METHOD_ALIASES = {
    "sainte-lague": SAINTE_LAGUE,
    "sainte-laguë": SAINTE_LAGUE,
    "saintelague": SAINTE_LAGUE,
    "webster": SAINTE_LAGUE,
    "largest-remainder": LARGEST_REMAINDER,
    "largest_remainder": LARGEST_REMAINDER,
    "hamilton": LARGEST_REMAINDER,
    "hare": LARGEST_REMAINDER,
}

DECIMALS = 9  # cost comparison precision (see module docstring)


def canonical_method(name: str) -> str | None:
    """The canonical method name for ``name`` (any case, aliases such as ``webster``), or None."""
    return METHOD_ALIASES.get(str(name).strip().lower())


@dataclass(frozen=True)
class Problem:
    """An allocation problem over n regions, sorted by BPS code.

    ``codes``: tuple of n BPS codes (ascending; position = tie-break rank).
    ``quota``: float array (recipients), >= 0. ``lower``/``upper``: int arrays (recipients),
    ``lower <= upper``. ``total``: int, recipients to place (``sum lower <= total <= sum upper``).
    ``method``: one of :data:`METHODS`.
    """

    codes: tuple[str, ...]
    quota: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    total: int
    method: str

    def __post_init__(self) -> None:
        n = len(self.codes)
        if list(self.codes) != sorted(self.codes) or len(set(self.codes)) != n:
            raise ValueError("codes must be unique and sorted")
        for name in ("quota", "lower", "upper"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} must have one entry per region")
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}")
        if np.any(self.lower > self.upper):
            raise ValueError("lower bound above upper bound")
        if np.any(self.quota < 0) or not np.all(np.isfinite(self.quota)):
            raise ValueError("quotas must be finite and non-negative")
        if np.any((self.quota == 0) & (self.lower != self.upper)):
            raise ValueError("a region with quota 0 must have lower == upper")
        if not int(self.lower.sum()) <= self.total <= int(self.upper.sum()):
            raise ValueError("total outside [sum lower, sum upper]")

    @property
    def n(self) -> int:
        """Number of regions."""
        return len(self.codes)

    @property
    def stages(self) -> int:
        """Number of lexicographic objective stages of the method (before the tie-break)."""
        return 1 if self.method == SAINTE_LAGUE else 2


def stage_value(method: str, stage: int, q: float, x: int) -> float:
    """Value of objective stage ``stage`` (0-based) for one region with quota ``q`` at ``x``.

    Only defined for ``q > 0`` (a region with quota 0 is fixed at its floor).
    """
    if method == SAINTE_LAGUE or stage == 1:
        value = (x - q) ** 2 / q
        if method == SAINTE_LAGUE:
            return value
        # Hamilton stage 2 (G): Sainte-Laguë costs, except the unit that straddles q costs 0.
        value -= q  # G(0) = 0
        k_star = math.floor(q)
        if k_star != q and x >= k_star + 1:
            value -= (2 * k_star + 1) / q - 2
        return value
    return abs(x - q)


def stage_values(method: str, stage: int, q: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Vectorised :func:`stage_value`: objective stage ``stage`` per region, quotas ``q`` (> 0) at counts ``x``.

    ``q`` float and ``x`` int arrays of one shape; returns a float array of that shape. Written from the objective's
    definition (not from the unit costs the solvers use), so that :mod:`optimizer.verify` checks a solver's answer
    against the objective itself.
    """
    q = np.asarray(q, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if method != SAINTE_LAGUE and stage == 0:
        return np.abs(x - q)
    value = (x - q) ** 2 / q
    if method == SAINTE_LAGUE:
        return value
    k_star = np.floor(q)
    straddle_cost = (2 * k_star + 1) / q - 2
    return value - q - np.where((k_star != q) & (x >= k_star + 1), straddle_cost, 0.0)


def stage_marginal(method: str, stage: int, q: float, k: int) -> float:
    """Cost of the (k+1)-th recipient (from k to k+1) in stage ``stage``; ``q > 0``."""
    if method == SAINTE_LAGUE:
        return (2 * k + 1) / q - 2
    if stage == 0:
        return abs(k + 1 - q) - abs(k - q)
    if k < q < k + 1:
        return 0.0
    return (2 * k + 1) / q - 2


def key(method: str, q: float, k: int) -> tuple[float, ...]:
    """Lexicographic cost of region's (k+1)-th recipient, each stage rounded to 9 decimals."""
    if method == SAINTE_LAGUE:
        return (round((2 * k + 1) / q - 2, DECIMALS),)
    return (
        round(stage_marginal(method, 0, q, k), DECIMALS),
        round(stage_marginal(method, 1, q, k), DECIMALS),
    )


def objective_values(problem: Problem, x: np.ndarray) -> tuple[float, ...]:
    """Value of every objective stage at allocation ``x`` (regions with quota 0 add nothing)."""
    values = []
    for stage in range(problem.stages):
        total = math.fsum(
            stage_value(problem.method, stage, float(q), int(v)) for q, v in zip(problem.quota, x, strict=True) if q > 0
        )
        values.append(total)
    return tuple(values)


# ------------------------------------------------------------------ vectorised keys


def round_costs(values: np.ndarray) -> np.ndarray:
    """``round(v, 9)`` for every element, bit for bit as Python's :func:`round` does it.

    NumPy's ``np.round`` scales, rounds and rescales, which can differ from Python's
    correctly rounded decimal rounding when the scaled value lies within a few ulps of a
    half (or is beyond 2**52). Those elements, rare in practice, are rounded by Python;
    the rest give the same integer ``N`` both ways, and ``N / 1e9`` is the double nearest
    to ``N * 10**-9``, which is what Python returns.
    """
    x = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        y = x * 1e9
        out = np.rint(y) / 1e9
        risky = ~(np.abs(y) < 2.0**52) | (np.abs(y - np.floor(y) - 0.5) <= 2 * np.abs(np.spacing(y)))
    index = np.flatnonzero(risky)
    if index.size:
        out = np.array(out, dtype=np.float64, copy=True)
        out.flat[index] = [round(v, DECIMALS) for v in x.flat[index].tolist()]
    return out


def unit_keys(method: str, q: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, ...]:
    """Vectorised :func:`key`: the rounded stage costs of the (k+1)-th recipient of each pair.

    ``q`` (float, > 0) and ``k`` (int) are arrays of the same shape. Returns one float array
    per stage (one for Sainte-Laguë, two for largest remainder); element i equals
    ``key(method, q[i], k[i])`` exactly (same float operations in the same order, and
    :func:`round_costs`).
    """
    q = np.asarray(q, dtype=np.float64)
    k = np.asarray(k, dtype=np.int64)
    with np.errstate(over="ignore", divide="ignore"):
        sainte_lague = (2 * k + 1) / q - 2
    if method == SAINTE_LAGUE:
        return (round_costs(sainte_lague),)
    first = np.abs((k + 1) - q) - np.abs(k - q)
    straddles = (k < q) & (q < k + 1)
    second = np.where(straddles, 0.0, sainte_lague)
    return (round_costs(first), round_costs(second))
