"""Independent check of an allocation before anything is output.

Whatever produced it (the exact solver or a MILP solver), an allocation is only used
after this module has re-checked, on plain integers:

1. integrality: every value is within 1e-6 of an integer (then rounded);
2. every bound: ``lower_r <= x_r <= upper_r`` (floors, caps, eligible counts, locks);
3. the total: ``sum x_r = T`` and ``T = min(R, sum upper)``;
4. the budget, recomputed in integer rupiah from the counts: ``sum x_r * cost <= budget``;
5. optimality: no exchange of one recipient between two regions lowers the objective
   (for a separable convex objective with one total this is necessary and sufficient),
   and tied recipients went to the lower BPS code. The exchange test evaluates the objective
   itself (:func:`optimizer.problem.stage_values`), stage by stage, at ``x``, ``x - 1`` and
   ``x + 1``; it shares no code with the solvers' unit costs, so a wrong unit cost in a solver
   cannot hide from it.

A failure raises :class:`~optimizer.errors.VerificationError`; it is never output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import VerificationError
from .i18n import Rupiah
from .problem import DECIMALS, Problem, stage_values

TOLERANCE = 1e-7  # on changes of the objective, for the optimality check of solver output
TIE_PRECISION = 10.0**-DECIMALS  # changes of the objective this close are ties (the problem's 9 decimals)


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
        raise VerificationError("verify.solver_returned_recipients_region", array=float(array[r]), codes=codes[r])
    return rounded.astype(np.int64)


def _exchange_values(problem: Problem, x: np.ndarray):
    """Per region, what the objective saves by taking one recipient away and what it costs to give one more.

    Returns ``(given, release, offered, add, error)``: ``given``/``offered`` bool masks of the regions that can lose
    (``x > lower``) or gain (``x < upper``) one; ``release``/``add`` float arrays of shape (stages, n), the
    objective's change per stage ``f(x) - f(x - 1)`` and ``f(x + 1) - f(x)``; ``error`` (stages, n), a bound on the
    floating-point error of those differences (a few ulps of the values subtracted). Regions with quota 0 are fixed
    at their floor and take no part.
    """
    q = problem.quota
    active = q > 0
    given = (x > problem.lower) & active
    offered = (x < problem.upper) & active
    safe_q = np.where(active, q, 1.0)
    shape = (problem.stages, problem.n)
    release, add, error = np.empty(shape), np.empty(shape), np.empty(shape)
    for stage in range(problem.stages):
        here = stage_values(problem.method, stage, safe_q, x)
        below = stage_values(problem.method, stage, safe_q, x - 1)
        above = stage_values(problem.method, stage, safe_q, x + 1)
        release[stage] = here - below
        add[stage] = above - here
        error[stage] = 8 * np.finfo(float).eps * np.maximum(np.abs(here), np.maximum(np.abs(below), np.abs(above)))
    return given, release, offered, add, error


def _lex_extreme(values, error, mask, tolerance: float, largest: bool) -> tuple[tuple, tuple, np.ndarray]:
    """The lexicographic max (or min) over the masked regions of ``values`` (stages × n).

    Values within ``tolerance`` plus both regions' ``error`` count as equal. Returns ``(level, level_error, near)``:
    the extreme's value and error per stage, and the mask of the regions at that level.
    """
    near = mask.copy()
    level, level_error = [], []
    for row, err in zip(values, error, strict=True):
        candidates = np.flatnonzero(near)
        i = int(candidates[np.argmax(row[candidates]) if largest else np.argmin(row[candidates])])
        slack = tolerance + err + err[i]
        near &= (row >= row[i] - slack) if largest else (row <= row[i] + slack)
        level.append(float(row[i]))
        level_error.append(float(err[i]))
    return tuple(level), tuple(level_error), near


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
    given, release, offered, add, error = _exchange_values(problem, x)
    optimal, tie_rule = True, True
    src = dst = ""
    if given.any() and offered.any():
        # Moving one recipient from w to b changes the objective by add[b] - release[w]: the best such move takes
        # from the region whose last recipient saves most and gives to the one whose next costs least.
        worst, worst_error, losers = _lex_extreme(release, error, given, TIE_PRECISION, largest=True)
        best, best_error, gainers = _lex_extreme(add, error, offered, TIE_PRECISION, largest=False)
        slack = TOLERANCE + max(worst_error) + max(best_error)
        if _better(best, worst, slack):
            optimal = False
            src, dst = codes[int(np.flatnonzero(losers)[-1])], codes[int(np.flatnonzero(gainers)[0])]
        # Ties (equal to the problem's precision): a region that could take the tied recipient must not come before
        # (have a lower code than) one that holds it.
        level, level_error = np.array(worst)[:, None], np.array(worst_error)[:, None]
        tied = offered & np.all(np.abs(add - level) <= TIE_PRECISION + error + level_error, axis=0)
        if tied.any():
            tie_rule = int(np.flatnonzero(tied)[0]) >= int(np.flatnonzero(losers)[-1])
    if not optimal and require_optimal:
        raise VerificationError("verify.allocation_optimal_moving_recipient", a=src, b=dst)
    return Certificate(total=placed, cost_rp=cost, optimal=optimal, tie_rule_kept=tie_rule)
