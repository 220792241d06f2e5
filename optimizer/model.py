"""The allocation as a mixed-integer programme in PuLP (CBC by default, HiGHS optional).

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
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import warnings
from dataclasses import dataclass

import numpy as np

from .errors import InfeasibleError, SolverError
from .i18n import Msg, Notice
from .problem import Problem, stage_value

SOLVERS = ("cbc", "highs")
MAX_ROUNDS = 200  # cut rounds per stage; convergence takes a handful in practice


@dataclass(frozen=True)
class MilpOutcome:
    """Result of the PuLP model.

    ``x``: int64 array (recipients per region). ``optimal``: the solver proved optimality
    at every stage. ``status``: ``'Optimal'`` or a description such as ``'Feasible (time
    limit; gap 1.2%)'``. ``solver``: the solver actually used. ``solves``: solver calls made.
    ``notices``: e.g. a fallback from CBC to HiGHS.
    """

    x: np.ndarray
    optimal: bool
    status: str
    solver: str
    solves: int
    notices: tuple[Notice, ...] = ()


def highs_available() -> bool:
    """True when the ``highspy`` package (HiGHS) can be imported."""
    try:
        import highspy  # noqa: F401
    except Exception:
        return False
    return True


def cbc_available() -> tuple[bool, str]:
    """Whether PuLP's bundled CBC can run here, and why not when it cannot."""
    import pulp

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            path = pulp.PULP_CBC_CMD(msg=False).available()
    except Exception as exc:  # a broken install raises rather than answering
        return False, f"{type(exc).__name__}: {exc}"
    if not path:
        return False, "the CBC program bundled with PuLP is missing or not executable"
    return True, ""


@contextlib.contextmanager
def _quiet_stdout():
    """Silence a native library writing to file descriptor 1 (HiGHS prints a banner)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _make_solver(name: str, time_limit: float | None):
    import pulp

    if name == "cbc":
        # PULP_CBC_CMD is the CBC bundled with PuLP 3.x (deprecated only for PuLP 4, which we exclude).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=0, gapAbs=0)
    if name == "highs":
        return pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=0, gapAbs=0)
    raise SolverError("model.unknown_solver", name=name, solvers=", ".join(SOLVERS))


def choose_solver(requested: str) -> tuple[str, tuple[Notice, ...]]:
    """The MILP solver to use for ``requested`` (``cbc`` or ``highs``), with notices.

    CBC falls back to HiGHS (with a notice) when CBC cannot run and ``highspy`` is
    installed. Raises :class:`SolverError` when no requested solver can run.
    """
    if requested == "highs":
        if not highs_available():
            raise SolverError("model.solver_highs_needs_highspy")
        return "highs", ()
    if requested != "cbc":
        raise SolverError("model.unknown_solver_2", requested=requested, solvers=", ".join(SOLVERS))
    ok, why = cbc_available()
    if ok:
        return "cbc", ()
    if highs_available():
        return "highs", (Notice.of("solver_fallback", reason=why),)
    raise SolverError("model.cbc_cannot_run_here", why=why)


class _Model:
    """The PuLP problem with its cut pool (one instance per solve)."""

    def __init__(self, problem: Problem, pulp_module):
        self.p = problem
        self.pulp = pulp_module
        self.free = [r for r in range(problem.n) if problem.lower[r] < problem.upper[r]]
        self.fixed_total = int(sum(problem.lower[r] for r in range(problem.n) if r not in set(self.free)))
        self.lp = pulp_module.LpProblem("wrse_allocation", pulp_module.LpMinimize)
        self.x = {
            r: self.lp.add_variable(f"x_{r}", int(problem.lower[r]), int(problem.upper[r]), cat="Integer")
            for r in self.free
        }
        self.lp += pulp_module.lpSum(self.x.values()) == problem.total - self.fixed_total, "total"
        self.t = {(s, r): self.lp.add_variable(f"t_{s}_{r}") for s in range(problem.stages) for r in self.free}
        self.cuts: set[tuple[int, int, int]] = set()
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
                lo, hi, q = int(problem.lower[r]), int(problem.upper[r]), float(problem.quota[r])
                base = math.floor(q)
                for k in {lo, hi - 1, base - 1, base, base + 1}:
                    self.add_cut(s, r, min(max(k, lo), hi - 1))

    def f(self, s: int, r: int, x: int) -> float:
        """Stage ``s`` cost of region ``r`` at ``x``, less its value near the quota (a constant)."""
        return stage_value(self.p.method, s, float(self.p.quota[r]), x) - self.offset[s, r]

    def add_cut(self, s: int, r: int, k: int) -> bool:
        if (s, r, k) in self.cuts or not self.p.lower[r] <= k < self.p.upper[r]:
            return False
        self.cuts.add((s, r, k))
        f0, f1 = self.f(s, r, k), self.f(s, r, k + 1)
        self.lp += self.t[s, r] >= f0 + (f1 - f0) * (self.x[r] - k), f"cut_{s}_{r}_{k}"
        return True

    def values(self) -> dict[int, int]:
        out = {}
        for r, var in self.x.items():
            value = var.value()
            if value is None:
                raise SolverError("model.solver_returned_variable_result")
            out[r] = round(value)
        return out

    def violated(self, stages: range, xs: dict[int, int]) -> bool:
        """Add secants at ``xs`` wherever a stage's true cost exceeds its modelled cost."""
        added = False
        for s in stages:
            true_total = math.fsum(self.f(s, r, xs[r]) for r in self.free)
            model_total = math.fsum(self.t[s, r].value() or 0.0 for r in self.free)
            if true_total - model_total <= 1e-9 + 1e-12 * abs(true_total):
                continue
            for r in self.free:
                if (self.t[s, r].value() or 0.0) < self.f(s, r, xs[r]) - 1e-12:
                    added |= self.add_cut(s, r, xs[r] - 1)
                    added |= self.add_cut(s, r, xs[r])
        return added


def solve_milp(problem: Problem, solver: str = "cbc", time_limit: float | None = None) -> MilpOutcome:
    """Solve ``problem`` with PuLP and ``solver`` (``'cbc'`` or ``'highs'``).

    ``time_limit``: seconds per solver call, or None. A call stopped by the limit with a
    feasible but unproven solution makes the outcome non-optimal (``optimal=False``); it
    is returned so the caller can label it, never as the optimum.

    Raises :class:`InfeasibleError` if the solver finds no feasible allocation and
    :class:`SolverError` if it fails or is unavailable.
    """
    name, notices = choose_solver(solver)
    try:
        return _solve(problem, name, time_limit, notices)
    except _SolverCrashed as crash:
        if name == "cbc" and highs_available():
            notice = Notice.of("solver_fallback", reason=str(crash))
            return _solve(problem, "highs", time_limit, (*notices, notice))
        raise SolverError("model.solver_failed_run_install", name=name, crash=crash) from None


class _SolverCrashed(Exception):
    """The solver program could not run (missing, not executable, wrong CPU, killed)."""


def _solve(problem: Problem, name: str, time_limit: float | None, notices: tuple) -> MilpOutcome:
    import pulp

    model = _Model(problem, pulp)
    solves, optimal, status_text = 0, True, "Optimal"
    if not model.free:
        x = problem.lower.astype(np.int64).copy()
        return MilpOutcome(x, True, "Optimal", name, 0, notices)
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
                proven = _run(model.lp, name, time_limit)
            except InfeasibleError:
                relax = elastic_relaxation(problem.codes, list(problem.lower), list(problem.upper), problem.total, name)
                detail = tuple(
                    Msg.of(f"error.model.relax_{kind}", code=code, amount=amount)
                    for (kind, code), amount in relax.items()
                ) or Msg.of("error.model.relax_none")
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


def _gap_status(problem: Problem, model: _Model, xs: dict[int, int], stage: int) -> str:
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
            return f"Feasible, not proven optimal (solver time limit reached; gap {gap:.2%} to the optimum)"
    return "Feasible, not proven optimal (solver time limit reached; gap 0.00% to the optimum)"


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

    name, _ = choose_solver(solver)
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
    _run(lp, name, None)
    out: dict[tuple[str, str], int] = {}
    for r in range(n):
        if (below[r].value() or 0) > 1e-6:
            out[("floor", codes[r])] = round(below[r].value())
        if (above[r].value() or 0) > 1e-6:
            out[("cap", codes[r])] = round(above[r].value())
    if (short.value() or 0) > 1e-6 or (over.value() or 0) > 1e-6:
        out[("total", "")] = round((short.value() or 0) + (over.value() or 0))
    return out


def run_once(lp, solver: str, time_limit: float | None = None) -> bool:
    """Solve any PuLP problem once with the project's solver settings.

    ``solver``: ``'cbc'`` or ``'highs'`` (CBC falls back to HiGHS, when installed, if it
    cannot run). The settings are those of :func:`solve_milp`: a zero MIP gap, HiGHS's
    banner silenced. Returns True when proven optimal, False when only feasible (time limit).
    Raises :class:`InfeasibleError` or :class:`SolverError`.
    """
    name, _ = choose_solver(solver)
    try:
        return _run(lp, name, time_limit)
    except _SolverCrashed as crash:
        if name == "cbc" and highs_available():
            return _run(lp, "highs", time_limit)
        raise SolverError("model.solver_failed_run_install_2", name=name, crash=crash) from None


def _run(lp, name: str, time_limit: float | None) -> bool:
    """Solve once; True when proven optimal, False when only feasible. Raises on failure."""
    import pulp

    solver = _make_solver(name, time_limit)
    try:
        if name == "highs":
            with _quiet_stdout():
                lp.solve(solver)
        else:
            lp.solve(solver)
    except (pulp.PulpSolverError, OSError) as exc:
        raise _SolverCrashed(f"{type(exc).__name__}: {exc}") from None
    status, sol_status = lp.status, lp.sol_status
    if status == pulp.LpStatusInfeasible or sol_status == pulp.LpSolutionInfeasible:
        raise InfeasibleError("model.solver_found_allocation_meets")
    if sol_status == pulp.LpSolutionOptimal and status == pulp.LpStatusOptimal:
        return True
    if sol_status == pulp.LpSolutionIntegerFeasible:
        return False
    limit = Msg.of("error.model.time_limit", seconds=f"{time_limit:g}") if time_limit else ""
    raise SolverError("model.solver_ended_status_usable", name=name, get=pulp.LpStatus.get(status, status), limit=limit)
