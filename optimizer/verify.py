"""Independent check of an allocation before anything is output.

Whatever produced it (the exact solver or a MILP solver), an allocation is only used
after this module has re-checked, on plain integers:

1. integrality: every value is within 1e-6 of an integer (then rounded);
2. every bound: ``lower_r <= x_r <= upper_r`` (floors, caps, eligible counts, locks);
3. the total: ``sum x_r = T`` and ``T = min(R, sum upper)``;
4. the budget, recomputed in integer rupiah from the counts: ``sum x_r * cost <= budget``;
5. optimality: no exchange of one recipient between two regions lowers the objective
   (for a separable convex objective with one total this is necessary and sufficient),
   and tied recipients went to the lower BPS code.

A failure raises :class:`~optimizer.errors.VerificationError`; it is never output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .apportion import extreme_per_group, margin_arrays
from .errors import VerificationError
from .i18n import Rupiah
from .problem import Problem

TOLERANCE = 1e-7  # on unit costs, for the optimality check of solver output


@dataclass(frozen=True)
class Certificate:
    """What was checked. ``tie_rule_kept``: ties went to the lower BPS code."""

    total: int
    cost_rp: int
    optimal: bool
    tie_rule_kept: bool


def as_integers(values, codes: tuple[str, ...]) -> np.ndarray:
    """Round solver values to int64 after checking each is within 1e-6 of an integer."""
    array = np.asarray(values, dtype=float)
    rounded = np.round(array)
    off = np.abs(array - rounded) > 1e-6
    if off.any():
        r = int(np.argmax(off))
        raise VerificationError("verify.solver_returned_recipients_region", array=array[r], codes=codes[r])
    return rounded.astype(np.int64)


def _better(a: tuple, b: tuple, tolerance: float) -> bool:
    """True when cost ``a`` is lower than ``b`` by more than ``tolerance`` (lexicographic)."""
    for left, right in zip(a, b, strict=True):
        if left < right - tolerance:
            return True
        if left > right + tolerance:
            return False
    return False


def verify(
    problem: Problem,
    x: np.ndarray,
    *,
    budget_rp: int,
    cost_per_recipient_rp: int,
    affordable: int,
    require_optimal: bool = True,
) -> Certificate:
    """Check allocation ``x`` for ``problem``; see the module docstring.

    ``budget_rp``, ``cost_per_recipient_rp``: integer rupiah. ``affordable``: R, the
    recipients the budget pays for. ``require_optimal``: False for a solver result that
    was stopped early and is labelled as not proven optimal; feasibility is still checked
    in full and ``Certificate.optimal`` tells whether the exchange test passed.
    Returns a :class:`Certificate`; raises :class:`VerificationError` naming the broken
    condition and the numbers.
    """
    x = as_integers(x, problem.codes)
    codes = problem.codes
    if len(x) != problem.n:
        raise VerificationError("verify.allocation_entries_regions", n_x=len(x), n=problem.n)
    below = np.flatnonzero(x < problem.lower)
    if below.size:
        r = int(below[0])
        raise VerificationError("verify.region_got_recipients_below", codes=codes[r], x=x[r], lower=problem.lower[r])
    above = np.flatnonzero(x > problem.upper)
    if above.size:
        r = int(above[0])
        raise VerificationError("verify.region_got_recipients_above", codes=codes[r], x=x[r], upper=problem.upper[r])
    placed = int(sum(x.tolist()))
    if placed != problem.total:
        raise VerificationError("verify.recipients_placed_problem_asks", placed=placed, total=problem.total)
    expected_total = min(affordable, int(sum(problem.upper.tolist())))
    if problem.total != expected_total:
        raise VerificationError(
            "verify.recipients_placed_but_min",
            total=problem.total,
            affordable=affordable,
            expected_total=expected_total,
        )
    cost = placed * cost_per_recipient_rp
    if cost > budget_rp:
        raise VerificationError("verify.allocation_costs_budget", cost_rp=Rupiah(cost), budget_rp=Rupiah(budget_rp))
    given, last, offered, nxt = margin_arrays(problem.method, problem.quota, problem.lower, problem.upper, x)
    optimal, tie_rule = True, True
    if given.any() and offered.any():
        one = np.zeros(problem.n, dtype=np.int64)
        w = int(extreme_per_group(given, last, one, 1, largest=True)[0])
        b = int(extreme_per_group(offered, nxt, one, 1, largest=False)[0])
        worst_given = (tuple(float(s[w]) for s in last), w)
        best_offered = (tuple(float(s[b]) for s in nxt), b)
        if w != b and _better(best_offered[0], worst_given[0], TOLERANCE):
            optimal = False
        tie_rule = worst_given < best_offered or w == b
    if not optimal and require_optimal:
        src, dst = codes[worst_given[1]], codes[best_offered[1]]
        raise VerificationError("verify.allocation_optimal_moving_recipient", a=src, b=dst)
    return Certificate(total=placed, cost_rp=cost, optimal=optimal, tie_rule_kept=tie_rule)
