"""The allocation as a mixed-integer programme in PuLP, solved by CBC, HiGHS or SciPy's HiGHS.

Solvers: ``cbc`` (bundled with PuLP), ``highs`` (the optional ``highspy`` package) and
``scipy`` (:func:`scipy.optimize.milp`, the HiGHS solver SciPy ships: no extra package).
When CBC cannot run, SciPy's HiGHS is used instead, with a notice.

Honesty about the solver's answer (:func:`solve_milp`): a value that is not within 1e-6
of an integer, a report of infeasibility that the elastic model contradicts (no bound
needs relaxing), output that cannot be read, or an allocation called optimal that a
one-recipient exchange improves, is a *solver failure*: it is never shown as the answer.
The exact structured solver's answer is shown instead (or another MILP solver's, for a
problem it does not cover), and a notice names the solver that failed, why, and whose
answer is shown. Every solver run writes its files (PuLP's ``.mps``/``.sol``) in a
private temporary folder that is removed afterwards, whatever the solver returned.

Variables: an integer ``x_r`` per region in ``[lower_r, upper_r]`` (recipients) and, per
objective stage and region, a continuous ``t_{s,r}`` standing for the stage's convex cost
``f_{s,r}(x_r)``. Constraint: ``sum_r x_r = T``.

Exactness. A convex function of an integer is represented exactly by its secants between
consecutive integers: ``t >= f(k) + (f(k+1) - f(k)) (x - k)`` for every integer ``k``; at
an integer ``x`` the largest of these equals ``f(x)``. The model adds the secants it needs
as cuts (outer approximation, Kelley's method): it starts with the secants at the bounds
and around the quota, solves, adds the secants at the solution wherever ``t`` understates
``f``, and solves again until no cut is violated. The result is then optimal for the true
objective, and the model stays in units of recipients (no rupiah coefficients).

Lexicographic stages and ties: stage 1 is minimised, its optimum is added as a
constraint, then stage 2 (for Hamilton), then ``sum_r rank_r x_r`` is minimised among the
optima, which gives tied recipients to the lower BPS code (see :mod:`optimizer.problem`).

The solvers themselves (which can run here, the choice and its fallback, one solve of any
PuLP model, the SciPy route) are :mod:`optimizer.solvers`; this module holds the allocation's
model (on the shared builder of :mod:`optimizer.cuts`) and the checks of a solver's answer,
so that every MILP answer passes the same gate. The solver functions stay importable from
here (``optimizer.model.choose_solver``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import cast

import numpy as np

from . import solvers
from .cuts import CutModel
from .errors import InfeasibleError, SolverError
from .i18n import Msg, Notice, Number, Status, Term
from .problem import Problem, stage_value

MAX_ROUNDS = 200  # cut rounds per stage; convergence takes a handful in practice


@dataclass(frozen=True)
class MilpOutcome:
    """Result of the PuLP model.

    ``x``: int64 array (recipients per region). ``optimal``: the solver proved optimality
    at every stage. ``status``: a :class:`~optimizer.i18n.Status`: ``'Optimal'`` or, stopped
    early, ``'Feasible, not proven optimal (solver time limit reached; gap 1.20% to the
    optimum)'``. ``solver``: the solver actually used. ``solves``: solver calls made.
    ``notices``: e.g. a fallback from CBC to SciPy's HiGHS, or the exact solver's answer
    shown because the MILP solver's was unusable (``solver`` is then ``'exact'``).
    """

    x: np.ndarray
    optimal: bool
    status: Status
    solver: str
    solves: int
    notices: tuple[Notice, ...] = ()


class _Model(CutModel):
    """The allocation MILP (one instance per solve): a cell per free region, the total,
    and the cut pool of :class:`~optimizer.cuts.CutModel`."""

    def __init__(self, problem: Problem, pulp_module):
        super().__init__("wrse_allocation", pulp_module, problem.stages)
        self.p = problem
        self.free = [r for r in range(problem.n) if problem.lower[r] < problem.upper[r]]
        self.fixed_total = int(sum(problem.lower[r] for r in range(problem.n) if r not in set(self.free)))
        for r in self.free:
            self.add_cell(r, int(problem.lower[r]), int(problem.upper[r]), str(r))
        self.lp += pulp_module.lpSum(self.x.values()) == problem.total - self.fixed_total, "total"
        # Each region's cost is measured from its value at the quota rounded into its bounds,
        # so the objective is near 0 at the optimum: solver tolerances, which are partly
        # relative, then separate allocations whose costs differ by a single unit cost.
        self.offset = {
            (s, r): stage_value(
                problem.method,
                s,
                float(problem.quota[r]),
                min(max(round(float(problem.quota[r])), int(problem.lower[r])), int(problem.upper[r])),
            )
            for s in range(problem.stages)
            for r in self.free
        }
        for s in range(problem.stages):
            for r in self.free:
                lo, hi, base = int(problem.lower[r]), int(problem.upper[r]), math.floor(float(problem.quota[r]))
                self.add_epigraph(s, r, {lo, hi - 1, base - 1, base, base + 1})

    def f(self, s: int, key: Hashable, x: int) -> float:
        """Stage ``s`` cost of region ``key`` (its position, an int) at ``x``, less its value near the quota."""
        r = cast(int, key)
        return stage_value(self.p.method, s, float(self.p.quota[r]), x) - self.offset[s, r]

    def values(self) -> dict[int, int]:
        """The solver's recipients per free region, checked to be whole numbers, then rounded.

        A value more than :data:`INTEGRALITY` from an integer raises :class:`_SolverWrong`
        (checked before rounding, so a fractional value is never silently accepted)."""
        return self.whole_values(lambda reason, key, value: _SolverWrong(f"solver.reason.{reason}"))

    def violated(self, stages: range, xs: dict, *, slack: float = 1e-12, totals_first: bool = True) -> bool:
        """Add secants at ``xs`` wherever a stage's true cost exceeds its modelled cost."""
        return super().violated(stages, xs, slack=slack, totals_first=totals_first)


def solve_milp(problem: Problem, solver: str = "cbc", time_limit: float | None = None) -> MilpOutcome:
    """Solve ``problem`` with PuLP and ``solver`` (``'cbc'``, ``'highs'`` or ``'scipy'``).

    ``time_limit``: seconds per solver call, or None. A call stopped by the limit with a
    feasible but unproven solution makes the outcome non-optimal (``optimal=False``); it
    is returned so the caller can label it, never as the optimum.

    A solver that cannot run is replaced by the next MILP solver (CBC by SciPy's HiGHS).
    A solver that answers wrongly (a fractional value, infeasibility that the elastic
    model contradicts, an allocation called optimal that one exchange improves or that gives
    a tied recipient to the higher BPS code, unreadable output) is replaced by the exact
    structured solver when it covers ``problem``, else by another MILP solver;
    ``MilpOutcome.solver`` says whose answer it is and a notice why.

    Raises :class:`InfeasibleError` if the problem has no feasible allocation (with the
    smallest relaxations) and :class:`SolverError` if no solver gives a usable answer.
    """
    name, notices = solvers.choose_solver(solver)
    try:
        outcome = _solve(problem, name, time_limit, notices)
    except solvers.SolverCrashed as crash:
        other = solvers.next_milp(name)
        if other is None:
            raise SolverError("model.solver_failed_run_other", name=name, crash=crash) from None
        return _solve(problem, other, time_limit, (*notices, solvers.fallback_notice(name, other, str(crash))))
    except _SolverWrong as wrong:
        return _replace_wrong_answer(problem, name, time_limit, notices, wrong.reason)
    if outcome.optimal and covers(problem):
        kept = _exchange_optimal(problem, outcome.x)
        if kept is None:
            return _replace_wrong_answer(problem, name, time_limit, notices, "solver.reason.not_optimal")
        if not kept:
            return _replace_wrong_answer(problem, name, time_limit, notices, "solver.reason.tie_rule_broken")
    return outcome


def covers(problem: Problem) -> bool:
    """True when the exact structured solver handles ``problem`` (see :func:`optimizer.apportion.covers`)."""
    from .apportion import covers as exact_covers

    return exact_covers(problem)


def _exchange_optimal(problem: Problem, x: np.ndarray) -> bool | None:
    """The optimality test of :func:`optimizer.verify.verify`, on the problem alone: None when
    an exchange of one recipient between two regions lowers the objective; else whether tied
    recipients went to the lower BPS code (a solver that stops its tie-break stage within its
    MIP gap, as HiGHS's default relative gap of 1e-4 allows, can leave a tie to a higher code)."""
    from .errors import VerificationError
    from .verify import verify

    try:
        certificate = verify(problem, x, budget_rp=0, cost_per_recipient_rp=0, affordable=problem.total)
    except VerificationError:
        return None
    return certificate.tie_rule_kept


def _replace_wrong_answer(problem: Problem, name: str, time_limit, notices: tuple, reason: str) -> MilpOutcome:
    """The answer shown when solver ``name`` answered wrongly: the exact solver's, when it
    covers the problem, else another MILP solver's; labelled with a notice."""
    if covers(problem):
        from .apportion import solve_threshold

        x = solve_threshold(problem)
        return MilpOutcome(
            x, True, Status.of("optimal"), "exact", 0, (*notices, solvers.wrong_answer_notice(name, "exact", reason))
        )
    other = solvers.next_milp(name)
    if other is None:
        raise SolverError("model.solver_returned_unusable_answer", name=name, reason=Term(reason))
    return _solve(problem, other, time_limit, (*notices, solvers.wrong_answer_notice(name, other, reason)))


class _SolverWrong(Exception):
    """The solver ran but its answer cannot be used; ``reason`` is a message key."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _solve(problem: Problem, name: str, time_limit: float | None, notices: tuple) -> MilpOutcome:
    import pulp

    model = _Model(problem, pulp)
    solves, optimal, status_text = 0, True, Status.of("optimal")
    if not model.free:
        x = problem.lower.astype(np.int64).copy()
        return MilpOutcome(x, True, Status.of("optimal"), name, 0, notices)
    ranks = {r: r + 1 for r in model.free}
    for stage in range(problem.stages + 1):
        if stage < problem.stages:
            model.lp.setObjective(pulp.lpSum(model.t[stage, r] for r in model.free))
            checked = range(stage + 1)
        else:
            model.lp.setObjective(pulp.lpSum(ranks[r] * model.x[r] for r in model.free))
            checked = range(problem.stages)
        for _ in range(MAX_ROUNDS):
            solves += 1
            try:
                proven = solvers.run(model.lp, name, time_limit)
            except InfeasibleError:
                relax = elastic_relaxation(problem.codes, list(problem.lower), list(problem.upper), problem.total, name)
                if not relax:  # nothing needs relaxing: the problem is feasible and the solver was wrong
                    raise _SolverWrong("solver.reason.false_infeasible") from None
                detail = tuple(
                    Msg.of(f"error.model.relax_{kind}", code=code, amount=amount)
                    for (kind, code), amount in relax.items()
                )
                raise InfeasibleError("model.solver_found_allocation_meets_2", detail=detail) from None
            xs = model.values()
            if not proven:
                optimal, status_text = False, _gap_status(problem, model, xs, stage)
                break
            if not model.violated(checked, xs):
                break
        else:  # pragma: no cover - convergence is guaranteed by the finite cut pool
            raise SolverError("model.cut_loop_did_converge", max_rounds=MAX_ROUNDS)
        if not optimal:
            break
        if stage < problem.stages:
            best = math.fsum(model.f(stage, r, xs[r]) for r in model.free)
            tolerance = 1e-7 + 1e-12 * abs(best)  # absolute: distinct allocations differ by a unit cost
            model.lp += pulp.lpSum(model.t[stage, r] for r in model.free) <= best + tolerance, f"stage_{stage}_opt"
    x = problem.lower.astype(np.int64).copy()
    for r, value in xs.items():
        x[r] = value
    return MilpOutcome(x, optimal, status_text, name, solves, notices)


def _gap_status(problem: Problem, model: _Model, xs: dict[int, int], stage: int) -> Status:
    """Label an unproven result with its gap to the exact optimum of the same stage.

    The structured exact solver gives the true optimum of this problem, so the gap is
    measured, not the solver's own bound: ``(f(x) - f*) / max(1, |f*|)`` for the first
    objective stage that is worse.
    """
    from .apportion import solve_exact

    best = solve_exact(problem)
    for s in range(min(stage, problem.stages - 1) + 1):
        found = math.fsum(model.f(s, r, xs[r]) for r in model.free)
        optimum = math.fsum(model.f(s, r, int(best[r])) for r in model.free)
        if found > optimum + 1e-9 * max(1.0, abs(optimum)):
            gap = (found - optimum) / max(1.0, abs(optimum))
            return Status.of("feasible_gap", gap=Number(100 * gap, 2))
    return Status.of("feasible_gap", gap=Number(0.0, 2))


def elastic_relaxation(
    codes: tuple[str, ...], lower: list[int], upper: list[int], total: int, solver: str = "cbc"
) -> dict[tuple[str, str], int]:
    """Smallest relaxations that make ``lower <= x <= upper, sum x = total`` feasible.

    An elastic model: each bound and the total get a non-negative slack (recipients),
    and the sum of slacks is minimised. Returns ``{(kind, code): recipients}`` for every
    slack above 0 (kind ``floor``, ``cap`` or ``total`` with code ``""``), e.g.
    ``{("floor", "6401"): 3, ("total", ""): 2}``. Used to explain an
    infeasible model with numbers. Raises :class:`SolverError` if no solver runs.
    """
    import pulp

    name, _ = solvers.choose_solver(solver)
    lp = pulp.LpProblem("wrse_elastic", pulp.LpMinimize)
    n = len(codes)
    x = [lp.add_variable(f"x_{r}", 0, None, cat="Integer") for r in range(n)]
    below = [lp.add_variable(f"floor_{r}", 0) for r in range(n)]
    above = [lp.add_variable(f"cap_{r}", 0) for r in range(n)]
    short, over = lp.add_variable("total_short", 0), lp.add_variable("total_over", 0)
    for r in range(n):
        lp += x[r] + below[r] >= int(lower[r])
        lp += x[r] - above[r] <= int(upper[r])
    lp += pulp.lpSum(x) + short - over == int(total)
    lp.setObjective(pulp.lpSum(below) + pulp.lpSum(above) + short + over)
    solvers.run(lp, name, None)
    out: dict[tuple[str, str], int] = {}
    for r in range(n):
        if (below[r].value() or 0) > 1e-6:
            out[("floor", codes[r])] = round(below[r].value())
        if (above[r].value() or 0) > 1e-6:
            out[("cap", codes[r])] = round(above[r].value())
    if (short.value() or 0) > 1e-6 or (over.value() or 0) > 1e-6:
        out[("total", "")] = round((short.value() or 0) + (over.value() or 0))
    return out


# the solver functions, as they were reachable before they moved to optimizer.solvers
SOLVERS = solvers.SOLVERS
cbc_available = solvers.cbc_available
choose_solver = solvers.choose_solver
highs_available = solvers.highs_available
run_once = solvers.run_once
scipy_milp_available = solvers.scipy_milp_available
