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
:func:`verify` checks one problem; :func:`verify_groups` checks many at once (every split of a
hierarchical run: 553 problems over 84,315 regions in one pass of array operations), with the same
checks, in the same order, raising the same messages; :func:`verify` is that check of one problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import VerificationError
from .i18n import Rupiah
from .problem import DECIMALS, SAINTE_LAGUE, Problem, stage_values

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


def _exchange_values(method: str, quota, lower, upper, x: np.ndarray):
    """Per region, what the objective saves by taking one recipient away and what it costs to give one more.

    Returns ``(given, release, offered, add, error)``: ``given``/``offered`` bool masks of the regions that can lose
    (``x > lower``) or gain (``x < upper``) one; ``release``/``add`` float arrays of shape (stages, n), the
    objective's change per stage ``f(x) - f(x - 1)`` and ``f(x + 1) - f(x)``; ``error`` (stages, n), a bound on the
    floating-point error of those differences (a few ulps of the values subtracted). Regions with quota 0 are fixed
    at their floor and take no part. Every entry is of its own region alone (the regions of many problems at once).
    """
    q = quota
    active = q > 0
    given = (x > lower) & active
    offered = (x < upper) & active
    safe_q = np.where(active, q, 1.0)
    shape = (1 if method == SAINTE_LAGUE else 2, len(x))
    release, add, error = np.empty(shape), np.empty(shape), np.empty(shape)
    for stage in range(shape[0]):
        here = stage_values(method, stage, safe_q, x)
        below = stage_values(method, stage, safe_q, x - 1)
        above = stage_values(method, stage, safe_q, x + 1)
        release[stage] = here - below
        add[stage] = above - here
        error[stage] = 8 * np.finfo(float).eps * np.maximum(np.abs(here), np.maximum(np.abs(below), np.abs(above)))
    return given, release, offered, add, error


class _Segments:
    """Consecutive runs of regions, one per problem: ``starts`` (int64, ascending, each run non-empty) over ``n``."""

    def __init__(self, starts: np.ndarray, n: int) -> None:
        self.starts = starts
        self.n = n
        self.sizes = np.concatenate((starts[1:], [n])) - starts
        # the problem of each region, to spread per-problem values over their regions (``values[of]``); for one
        # problem a slice of everything, whose one value broadcasts
        self.of = np.repeat(np.arange(len(starts)), self.sizes) if len(starts) != 1 else slice(None)
        self.index = np.arange(n)

    def any(self, mask: np.ndarray) -> np.ndarray:
        """Per problem: any of its regions in ``mask``."""
        return np.logical_or.reduceat(mask, self.starts)

    def first(self, mask: np.ndarray) -> np.ndarray:
        """Per problem: its first region in ``mask`` (``n`` where none)."""
        return np.minimum.reduceat(np.where(mask, self.index, self.n), self.starts)

    def last(self, mask: np.ndarray) -> np.ndarray:
        """Per problem: its last region in ``mask`` (-1 where none)."""
        return np.maximum.reduceat(np.where(mask, self.index, -1), self.starts)

    def sums(self, values: np.ndarray) -> list[list[int]]:
        """Per row of the integer array ``values`` (rows × n), each problem's sum, exact (Python ints)."""
        if values.size and int(np.abs(values).max()) > 2**62 // values.shape[-1]:  # beyond int64: sum Python ints
            values = values.astype(object)
        return np.add.reduceat(values, self.starts, axis=-1).tolist()


def _lex_extreme(values, error, mask, tolerance: float, largest: bool, runs: _Segments):
    """The lexicographic max (or min) of each problem over its masked regions of ``values`` (stages × n).

    Values within ``tolerance`` plus both regions' ``error`` count as equal. Returns ``(level, level_error, near)``:
    the extreme's value and error per stage and problem (stages × problems; meaningless for a problem without masked
    regions), and the mask of the regions at that level.
    """
    near = mask.copy()
    level, level_error = np.empty((len(values), len(runs.starts))), np.empty((len(values), len(runs.starts)))
    fill = -np.inf if largest else np.inf
    for stage, (row, err) in enumerate(zip(values, error, strict=True)):
        candidates = np.where(near, row, fill)
        best = (np.maximum if largest else np.minimum).reduceat(candidates, runs.starts)
        i = np.minimum(runs.first(near & (candidates == best[runs.of])), runs.n - 1)  # the first at the extreme
        extreme, slack = row[i][runs.of], tolerance + err + err[i][runs.of]
        near &= (row >= extreme - slack) if largest else (row <= extreme + slack)
        level[stage], level_error[stage] = row[i], err[i]
    return level, level_error, near


def _better(a: np.ndarray, b: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """Per problem: True when cost ``a`` is lower than ``b`` by more than ``tolerance`` (lexicographic over the
    stages, the rows of ``a`` and ``b``: the first stage that differs by more than ``tolerance`` decides)."""
    better = a[-1] < b[-1] - tolerance
    for left, right in zip(a[-2::-1], b[-2::-1], strict=True):  # back to the first stage, which decides first
        better = np.where(left < right - tolerance, True, np.where(left > right + tolerance, False, better))
    return better


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
    if len(x) != problem.n:
        raise VerificationError("verify.allocation_entries_regions", n_x=len(x), n=problem.n)
    if problem.n == 0:  # nothing to place: only the totals can be wrong
        x, problem = np.zeros(1, dtype=np.int64), _padded(problem)
    optimal, tie_rule = verify_groups(
        problem.method,
        problem.codes,
        problem.quota,
        problem.lower,
        problem.upper,
        x,
        np.zeros(1, dtype=np.int64),
        totals=[problem.total],
        budgets_rp=[budget_rp],
        cost_per_recipient_rp=cost_per_recipient_rp,
        affordable=[affordable],
        require_optimal=require_optimal,
    )
    placed = problem.total
    return Certificate(
        total=placed,
        cost_rp=placed * cost_per_recipient_rp,
        optimal=bool(optimal[0]),
        tie_rule_kept=bool(tie_rule[0]),
    )


def _padded(problem: Problem) -> Problem:
    """An empty problem as one region fixed at 0 (quota 0), which changes none of its checks."""
    return Problem(
        ("",), np.zeros(1), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), problem.total, problem.method
    )


def verify_groups(
    method: str,
    codes,
    quota: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    x: np.ndarray,
    starts: np.ndarray,
    *,
    totals,
    budgets_rp,
    cost_per_recipient_rp: int,
    affordable,
    require_optimal: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Check many allocations at once, each as :func:`verify` checks one: problem ``k`` is the run of regions from
    ``starts[k]`` (int64, ascending, each run non-empty) to the next start, each run sorted by code; its total,
    budget (rupiah) and affordable count R are ``totals[k]``, ``budgets_rp[k]`` and ``affordable[k]``.

    ``codes`` (one per region, for messages), ``quota`` (float), ``lower``, ``upper`` and ``x`` (int64, integral
    already: :func:`as_integers`) have one entry per region; ``method`` is that of every problem. The checks of the
    first problem that fails one raise :class:`VerificationError` in :func:`verify`'s order, naming the same numbers
    it would (the first failing problem first, as checking them one by one would). Returns per problem the bool
    arrays ``(optimal, tie_rule_kept)``.
    """
    n = len(x)
    runs = _Segments(np.asarray(starts, dtype=np.int64), n)
    given, release, offered, add, error = _exchange_values(method, quota, lower, upper, x)
    exchange = runs.any(given) & runs.any(offered)
    optimal = tie_rule = np.ones(len(runs.starts), dtype=bool)
    losers = gainers = np.zeros(n, dtype=bool)
    if exchange.any():
        # Moving one recipient from w to b changes the objective by add[b] - release[w]: the best such move takes
        # from the region whose last recipient saves most and gives to the one whose next costs least.
        worst, worst_error, losers = _lex_extreme(release, error, given, TIE_PRECISION, True, runs)
        best, best_error, gainers = _lex_extreme(add, error, offered, TIE_PRECISION, False, runs)
        slack = TOLERANCE + worst_error.max(axis=0) + best_error.max(axis=0)
        optimal = ~(exchange & _better(best, worst, slack))
        # Ties (equal to the problem's precision): a region that could take the tied recipient must not come before
        # (have a lower code than) one that holds it (a problem with no tie, or no exchange, has no tied region
        # before a loser).
        level, level_error = worst[:, runs.of], worst_error[:, runs.of]
        tied = offered & np.all(np.abs(add - level) <= TIE_PRECISION + error + level_error, axis=0)
        tie_rule = runs.first(tied) >= runs.last(losers)
    placed, caps = runs.sums(np.concatenate((x, upper)).reshape(2, n))
    wrong = runs.any((x < lower) | (x > upper)) | (~optimal if require_optimal else False)
    cost = cost_per_recipient_rp
    for k, (count, total, cap, budget, afford) in enumerate(
        zip(placed, totals, caps, budgets_rp, affordable, strict=True)
    ):
        if wrong[k] or count != total or total != min(afford, cap) or count * cost > budget:
            run = slice(int(runs.starts[k]), int(runs.starts[k] + runs.sizes[k]))
            _check_feasible(codes[run], x[run], lower[run], upper[run], total, afford, budget, cost)
            src, dst = run.start + np.flatnonzero(losers[run])[-1], run.start + np.flatnonzero(gainers[run])[0]
            raise VerificationError("verify.allocation_optimal_moving_recipient", a=codes[src], b=codes[dst])
    return optimal, tie_rule


def _check_feasible(codes, x, lower, upper, total: int, affordable: int, budget_rp: int, cost: int) -> None:
    """Checks 2 to 4 of the module docstring for one problem (regions ``codes``, allocation ``x``, bounds, total,
    R, budget and cost per recipient in rupiah); raises the :class:`VerificationError` of the first that fails."""
    below = np.flatnonzero(x < lower)
    if below.size:
        r = int(below[0])
        raise VerificationError("verify.region_got_recipients_below", codes=codes[r], x=x[r], lower=lower[r])
    above = np.flatnonzero(x > upper)
    if above.size:
        r = int(above[0])
        raise VerificationError("verify.region_got_recipients_above", codes=codes[r], x=x[r], upper=upper[r])
    placed = int(sum(x.tolist()))
    if placed != total:
        raise VerificationError("verify.recipients_placed_problem_asks", placed=placed, total=total)
    expected_total = min(affordable, int(sum(upper.tolist())))
    if total != expected_total:
        raise VerificationError(
            "verify.recipients_placed_but_min", total=total, affordable=affordable, expected_total=expected_total
        )
    if placed * cost > budget_rp:
        raise VerificationError(
            "verify.allocation_costs_budget", cost_rp=Rupiah(placed * cost), budget_rp=Rupiah(budget_rp)
        )
