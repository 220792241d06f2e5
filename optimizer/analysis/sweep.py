"""Budget sweep: the allocation at every budget in a range, and what it proves.

For a budget ``B`` the engine places ``T = min(R, sum upper)`` recipients, ``R = B // cost``,
with quotas ``need_share * R`` (:mod:`optimizer.engine`). The allocation therefore only
changes when ``R`` does, and:

* **Sainte-Laguë** builds its optimum one recipient at a time in an order that does not
  depend on the budget (its unit costs ``(2k+1)/q - 2`` rank the same way for every
  ``R``). So one pass of :func:`optimizer.apportion.unit_order` gives the allocation at
  every budget: the first ``T - sum(lower)`` recipients of the order. This is house
  monotonicity: a larger budget never takes a recipient away from a region.
* **Largest remainder** quotas change with ``R`` and so does the order; each ``R`` is
  solved on its own (starting the engine's greedy from ``clip(floor(quota), lower, upper)``,
  the recipients it gives first), and a region that loses a recipient when the budget
  grows is reported as an Alabama-paradox violation.

Every budget point is checked by :func:`optimizer.verify.verify`, the engine's own
independent check (bounds, total, budget in rupiah, optimality and the tie rule); a point
that failed it would be solved again by :func:`optimizer.apportion.solve_exact` and
counted (``resolved_points``), so the output equals the engine's allocation at every
point. Below the cost of the floors and locks a budget is infeasible: such points are
reported as infeasible, not raised as errors.

Monotonicity is checked at every affordable count ``R`` between the ends of the range (so
at every budget, not only the grid points) when there are at most :data:`DENSE_LIMIT`
of them (:data:`DENSE_LIMIT_PER_R` for largest remainder), and on the grid points
otherwise (the result says which). Monotonicity holds over a range exactly when it holds
between every two consecutive affordable counts, so this check is complete.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..apportion import solve_exact, unit_order
from ..errors import InputError, VerificationError
from ..i18n import Count, Rupiah
from ..problem import SAINTE_LAGUE
from ..verify import verify
from .base import Base
from .sweep_result import Entry, NextUnit, SweepResult, Violation

DENSE_LIMIT = 200_000  # most affordable counts checked one by one for monotonicity (Sainte-Laguë)
DENSE_LIMIT_PER_R = 20_000  # the same for largest remainder, solved per R
MAX_POINTS = 100_000  # most budget points in one sweep
ENTRY_SCAN_LIMIT = 1_000_000  # largest R scanned for entry budgets (largest remainder)


TABLE_POINTS = 60  # more budget points than this in a terminal table, and the CLI suggests a larger --step


def readable_step(start_rp: int, end_rp: int, cost_rp: int, points: int = 50) -> int:
    """A step giving at most about ``points`` budgets from ``start_rp`` to ``end_rp``: the cost
    of one recipient ``cost_rp`` when that is enough, else a round amount (1, 2 or 5 x 10^k
    rupiah): ``Rp 100.000.000`` for 5 to 10 miliar."""
    wanted = -(-(end_rp - start_rp) // points)
    if wanted <= cost_rp:
        return cost_rp
    scale = 1
    while True:
        for factor in (1, 2, 5):
            if factor * scale >= wanted:
                return factor * scale
        scale *= 10


def budget_grid(start_rp: int, end_rp: int, step_rp: int) -> list[int]:
    """Budgets ``start, start+step, …`` up to ``end``; ``end`` is always included.

    Raises :class:`InputError` for a negative amount, ``end < start``, a step of 0 or more
    than :data:`MAX_POINTS` points.
    """
    if start_rp < 0 or end_rp < 0:
        raise InputError("analysis.sweep.sweep_budgets_must_rp")
    if end_rp < start_rp:
        raise InputError("analysis.sweep.sweep_below", end_rp=Rupiah(end_rp), start_rp=Rupiah(start_rp))
    if step_rp <= 0:
        raise InputError("analysis.sweep.sweep_step_rp_positive")
    count = (end_rp - start_rp) // step_rp + 1
    if count > MAX_POINTS:
        raise InputError("analysis.sweep.sweep_budget_points_step", count=Count(count), max_points=Count(MAX_POINTS))
    grid = list(range(start_rp, end_rp + 1, step_rp))
    if grid[-1] != end_rp:
        grid.append(end_rp)
    return grid


class _Solver:
    """Allocations of one base at any R, from the one-pass order (Sainte-Laguë) or per R."""

    def __init__(self, base: Base, reference: int):
        self.base = base
        self.reference = max(int(reference), base.floor_total, 1)
        self._order: list[int] = []
        self._iter: Iterator[int] | None = None
        self._positions: list[np.ndarray] | None = None

    # -- Sainte-Laguë: one pass -------------------------------------------------------
    def order(self, length: int) -> np.ndarray:
        """The first ``length`` units of the engine's order above the lower bounds (region indices)."""
        length = min(length, self.base.capacity - self.base.floor_total)
        if len(self._order) < length:
            if self._iter is None:
                problem = self.base.problem(self.reference)
                self._iter = unit_order(problem) if problem is not None else iter(())
            for r in self._iter:
                self._order.append(r)
                if len(self._order) >= length:
                    break
            self._positions = None
        return np.asarray(self._order[:length], dtype=np.int64)

    def first_unit(self, r: int) -> int | None:
        """Position (0-based) of region r's first unit in the order, or None if it never gets one."""
        base = self.base
        limit = base.capacity - base.floor_total
        chunk = max(1024, len(self._order))
        while True:
            order = self.order(min(limit, max(chunk, len(self._order))))
            hits = np.flatnonzero(order == r)
            if hits.size:
                return int(hits[0])
            if len(order) >= limit:
                return None
            chunk *= 2

    def matrix(self, affordable: Sequence[int]) -> np.ndarray:
        """Allocations (len, n) at each feasible R (no verification)."""
        base = self.base
        rs = np.asarray(affordable, dtype=np.int64)
        if rs.size == 0:
            return np.zeros((0, base.n), dtype=np.int64)
        totals = np.minimum(rs, base.capacity) - base.floor_total
        if base.method == SAINTE_LAGUE:
            order = self.order(int(totals.max()))
            out = np.empty((len(rs), base.n), dtype=np.int64)
            for r in range(base.n):
                positions = np.flatnonzero(order == r)
                out[:, r] = base.lower[r] + np.searchsorted(positions, totals, side="left")
            return out
        return np.stack([self.single(int(v)) for v in rs])

    def single(self, affordable: int) -> np.ndarray:
        """Allocation at one feasible R by the engine's greedy (started where it is safe to)."""
        base = self.base
        problem = base.problem(affordable)
        if problem is None:
            return base.lower.copy()
        if base.method == SAINTE_LAGUE:
            return self.matrix([affordable])[0]
        start = np.clip(np.floor(problem.quota), problem.lower, problem.upper).astype(np.int64)
        if int(start.sum()) > problem.total:
            return solve_exact(problem)
        x = start.copy()
        order = unit_order(problem, start)
        for _ in range(problem.total - int(start.sum())):
            x[next(order)] += 1
        return x

    def verified(self, affordable: int, x: np.ndarray) -> tuple[np.ndarray, bool]:
        """``x`` after the engine's check at R (re-solved exactly if it failed); and whether it was re-solved."""
        base = self.base
        problem = base.problem(affordable)
        if problem is None:
            return x, False
        budget = affordable * base.cost_rp
        try:
            certificate = verify(
                problem, x, budget_rp=budget, cost_per_recipient_rp=base.cost_rp, affordable=affordable
            )
            if certificate.tie_rule_kept:
                return x, False
        except VerificationError:
            pass
        exact = solve_exact(problem)
        verify(problem, exact, budget_rp=budget, cost_per_recipient_rp=base.cost_rp, affordable=affordable)
        return exact, True


def sweep(
    base: Base,
    budgets_rp: Sequence[int],
    *,
    current_budget_rp: int | None = None,
    next_count: int = 10,
    step_rp: int = 0,
) -> SweepResult:
    """Sweep ``base`` over ``budgets_rp`` (int rupiah, ascending; see :func:`budget_grid`).

    ``current_budget_rp``: the budget of the "next in line" list (default: the scenario's
    budget, or the first budget of the sweep for a base without a scenario).
    ``next_count``: length of that list (recipients). ``step_rp`` is recorded for output
    (default: the distance between the first two budgets).

    Returns a :class:`SweepResult`. Raises :class:`InputError` for an empty or unsorted
    list of budgets, and :class:`VerificationError` if the engine's check fails even
    after re-solving (a defect, never expected).
    """
    budgets = np.asarray([int(b) for b in budgets_rp], dtype=np.int64)
    if budgets.size == 0:
        raise InputError("analysis.sweep.sweep_budget_points_least")
    if np.any(np.diff(budgets) < 0):
        raise InputError("analysis.sweep.sweep_budget_points_must")
    if next_count < 0:
        raise InputError("analysis.sweep.sweep_next_must")
    if not step_rp and budgets.size > 1:
        step_rp = int(budgets[1] - budgets[0])
    cost = base.cost_rp
    affordable = budgets // cost
    feasible = affordable >= base.floor_total
    if current_budget_rp is None:
        scenario = base.scenario
        current_budget_rp = scenario.budget_rp if scenario is not None else int(budgets[0])
    current_r = int(current_budget_rp) // cost
    solver = _Solver(base, max(int(affordable.max()), current_r + next_count))

    # Allocations at every R between the ends (or at the grid's R only, for very long ranges).
    x = np.zeros((len(budgets), base.n), dtype=np.int64)
    feasible_rs = sorted({int(r) for r in affordable[feasible]})
    violations: list[Violation] = []
    checked_range = None
    dense = False
    resolved = 0
    if feasible_rs:
        lo, hi = feasible_rs[0], feasible_rs[-1]
        checked_range = (lo, hi)
        dense = hi - lo + 1 <= (DENSE_LIMIT if base.method == SAINTE_LAGUE else DENSE_LIMIT_PER_R)
        rs = np.arange(lo, hi + 1) if dense else np.asarray(feasible_rs, dtype=np.int64)
        rows = solver.matrix(rs)
        index = {int(r): i for i, r in enumerate(rs)}
        # Every grid point passes the engine's independent check (re-solved if it did not).
        for r_value in feasible_rs:
            checked, redone = solver.verified(r_value, rows[index[r_value]])
            resolved += int(redone)
            rows[index[r_value]] = checked
        for i in np.flatnonzero(feasible):
            x[i] = rows[index[int(affordable[i])]]
        budgets_of = rs * cost
        drops = np.argwhere(np.diff(rows, axis=0) < 0)
        for step, region in drops:
            violations.append(
                Violation(
                    code=base.codes[region],
                    name=base.names[region],
                    budget_from_rp=int(budgets_of[step]),
                    budget_to_rp=int(budgets_of[step + 1]),
                    affordable_from=int(rs[step]),
                    affordable_to=int(rs[step + 1]),
                    count_from=int(rows[step, region]),
                    count_to=int(rows[step + 1, region]),
                )
            )
    allocated = np.minimum(affordable, base.capacity)

    current_x, next_units = _next_in_line(base, solver, int(current_budget_rp), next_count)
    entries = _entries(base, solver)
    return SweepResult(
        base=base,
        budgets_rp=budgets,
        affordable=affordable,
        allocated=allocated,
        feasible=feasible,
        x=x,
        monotone=not violations,
        dense=dense,
        checked_range=checked_range,
        violations=tuple(violations),
        current_budget_rp=int(current_budget_rp),
        current_x=current_x,
        next_in_line=tuple(next_units),
        entries=tuple(entries),
        verified_points=len(feasible_rs),
        resolved_points=resolved,
        step_rp=int(step_rp),
    )


def _next_in_line(base: Base, solver: _Solver, budget_rp: int, count: int):
    """The allocation at ``budget_rp`` and the next ``count`` recipients after it."""
    cost = base.cost_rp
    current_r = budget_rp // cost
    current_x = None
    if base.feasible(current_r):
        current_x, _ = solver.verified(current_r, solver.single(current_r))
        previous, r_value = current_x, current_r
    else:
        previous, r_value = None, base.floor_total - 1
    units: list[NextUnit] = []
    while len(units) < count and base.total(r_value) < base.capacity:
        r_value += 1
        row, _ = solver.verified(r_value, solver.single(r_value))
        if previous is None:
            gains = tuple(base.codes[i] for i in np.flatnonzero(row > 0))
            losses: tuple[str, ...] = ()
        else:
            gains = tuple(base.codes[i] for i in np.flatnonzero(row > previous))
            losses = tuple(base.codes[i] for i in np.flatnonzero(row < previous))
        units.append(
            NextUnit(
                recipient=base.total(r_value),
                budget_rp=r_value * cost,
                extra_rp=r_value * cost - budget_rp,
                gains=gains,
                losses=losses,
            )
        )
        previous = row
    return current_x, units


def _entries(base: Base, solver: _Solver) -> list[Entry]:
    """The smallest budget at which each region has a recipient (see :class:`Entry`)."""
    cost = base.cost_rp
    first_feasible = max(base.floor_total, 1)
    out: list[Entry] = []
    pending: list[int] = []
    for r in range(base.n):
        if base.upper[r] == 0:
            out.append(Entry(base.codes[r], base.names[r], None, None, "never"))
        elif base.lower[r] > 0:
            out.append(Entry(base.codes[r], base.names[r], first_feasible * cost, first_feasible, "floor"))
        else:
            out.append(Entry(base.codes[r], base.names[r], None, None, "beyond"))
            pending.append(r)
    if not pending:
        return out
    if base.method == SAINTE_LAGUE:
        for r in pending:
            position = solver.first_unit(r)
            if position is None:
                out[r] = Entry(base.codes[r], base.names[r], None, None, "never")
                continue
            entry_r = _confirm_entry(base, solver, r, base.floor_total + position + 1)
            out[r] = Entry(base.codes[r], base.names[r], entry_r * cost, entry_r, "share")
        return out
    # Largest remainder: scan R upwards (the count is not monotone, so no shortcut).
    entered: dict[int, int] = {}
    limit = min(base.capacity, ENTRY_SCAN_LIMIT)
    r_value = first_feasible
    while r_value <= limit and len(entered) < len(pending):
        block = np.arange(r_value, min(limit, r_value + 511) + 1)
        rows = solver.matrix(block)
        for r in pending:
            hits = np.flatnonzero(rows[:, r] > 0)
            if r not in entered and hits.size:
                entered[r] = int(block[hits[0]])
        r_value = int(block[-1]) + 1
    for r in pending:
        if r in entered:
            entry_r = entered[r]
            checked, _ = solver.verified(entry_r, solver.single(entry_r))
            if checked[r] == 0:  # pragma: no cover - single() equals the engine (tests)
                raise VerificationError("analysis.sweep.entry_budget_region_does", codes=base.codes[r])
            out[r] = Entry(base.codes[r], base.names[r], entry_r * cost, entry_r, "share")
        elif base.capacity <= ENTRY_SCAN_LIMIT:
            out[r] = Entry(base.codes[r], base.names[r], None, None, "never")
    return out


def _confirm_entry(base: Base, solver: _Solver, r: int, guess: int) -> int:
    """The smallest R at which region r has a recipient under Sainte-Laguë, checked with the engine.

    ``guess`` comes from the one-pass order; it is confirmed at ``guess`` and ``guess - 1``
    with the verified allocation, and searched by bisection (the count is monotone in R)
    if the engine disagrees.
    """

    def has(value: int) -> bool:
        if not base.feasible(value):
            return False
        row, _ = solver.verified(value, solver.single(value))
        return row[r] > 0

    if has(guess) and not has(guess - 1):
        return guess
    lo, hi = max(base.floor_total, 0), base.capacity  # pragma: no cover - rounding near-ties only
    while lo < hi:  # pragma: no cover
        mid = (lo + hi) // 2
        if has(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo  # pragma: no cover


__all__ = ["Entry", "NextUnit", "SweepResult", "Violation", "budget_grid", "readable_step", "sweep"]
