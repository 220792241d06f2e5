"""The MILP solvers and how any PuLP model is run on them: which solver can run here
(CBC bundled with PuLP, HiGHS from ``highspy``, HiGHS as shipped in SciPy), the choice with
its fallback (CBC -> SciPy's HiGHS, with a notice), and one solve with the project's
settings (zero MIP gap, HiGHS's banner silenced, the solver's files in a private temporary
folder removed afterwards). The allocation's model is :mod:`optimizer.model`, the plan's
:mod:`optimizer.analysis.plan`; both run through :func:`run_once` / :func:`run`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass

import numpy as np

from .errors import InfeasibleError, SolverError
from .i18n import Msg, Notice, Term, catalogue

SOLVERS = ("cbc", "highs", "scipy")


class SolverCrashed(Exception):
    """The solver program could not run (missing, not executable, wrong CPU, killed)."""


def highs_available() -> bool:
    """True when the ``highspy`` package (HiGHS) can be imported."""
    try:
        import highspy  # noqa: F401
    except Exception:
        return False
    return True


def cbc_available() -> tuple[bool, str | Msg]:
    """Whether PuLP's bundled CBC can run here, and why not when it cannot (a message, or the text of
    the exception a broken install raised)."""
    import pulp

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            path = pulp.PULP_CBC_CMD(msg=False).available()
    except Exception as exc:  # a broken install raises rather than answering
        return False, f"{type(exc).__name__}: {exc}"
    if not path:
        return False, Msg.of("solver.reason.cbc_missing")
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


def scipy_milp_available() -> bool:
    """True when SciPy's MILP solver (:func:`scipy.optimize.milp`, HiGHS) can be imported."""
    try:
        from scipy.optimize import milp  # noqa: F401
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class SolverName:
    """The name a reader sees for the solver(s) of a result: ``cbc`` -> ``CBC``; the levels of
    a hierarchical run joined by ``+`` (``cbc+exact``) -> ``CBC + pemecah eksak terstruktur``.
    A name the catalogue does not know is shown as given."""

    name: str

    def text(self, lang: str) -> str:
        names = catalogue(lang)
        return " + ".join(names.get(f"solver.name.{part}", part) for part in self.name.split("+"))


def choose_solver(requested: str) -> tuple[str, tuple[Notice, ...]]:
    """The MILP solver to use for ``requested`` (``cbc``, ``highs`` or ``scipy``), with notices.

    CBC falls back to SciPy's HiGHS (a declared dependency, so always there) with a notice
    when CBC cannot run. Raises :class:`SolverError` when no requested solver can run.
    """
    if requested == "highs":
        if not highs_available():
            raise SolverError("model.solver_highs_needs_highspy")
        return "highs", ()
    if requested == "scipy":
        if not scipy_milp_available():
            raise SolverError("model.solver_scipy_needs_scipy")
        return "scipy", ()
    if requested != "cbc":
        raise SolverError("model.unknown_solver_2", requested=requested, solvers=", ".join(SOLVERS))
    ok, why = cbc_available()
    if ok:
        return "cbc", ()
    if scipy_milp_available():
        return "scipy", (fallback_notice("cbc", "scipy", why),)
    raise SolverError("model.cbc_cannot_run_here", why=why)


def fallback_notice(failed: str, used: str, reason: str | Msg) -> Notice:
    """ "CBC cannot run here (reason); HiGHS (SciPy) was used instead"."""
    return Notice.of("solver_fallback", failed=SolverName(failed), used=SolverName(used), reason=reason)


def wrong_answer_notice(failed: str, used: str, reason: str) -> Notice:
    """ "HiGHS returned an unusable answer (reason); the answer shown is the exact solver's"."""
    return Notice.of("solver_wrong", failed=SolverName(failed), used=SolverName(used), reason=Term(reason))


def next_milp(name: str) -> str | None:
    """Another MILP solver to try after ``name`` failed, or None."""
    for other in ("scipy", "cbc", "highs") if name != "scipy" else ("cbc", "highs"):
        if other == name:
            continue
        if other == "scipy" and scipy_milp_available():
            return other
        if other == "cbc" and cbc_available()[0]:
            return other
        if other == "highs" and highs_available():
            return other
    return None


def run_once(lp, solver: str, time_limit: float | None = None) -> bool:
    """Solve any PuLP problem once with the project's solver settings.

    ``solver``: ``'cbc'``, ``'highs'`` or ``'scipy'`` (CBC falls back to SciPy's HiGHS if it
    cannot run). The settings are those of :func:`solve_milp`: a zero MIP gap, HiGHS's
    banner silenced, the solver's files removed. Returns True when proven optimal, False
    when only feasible (time limit). Raises :class:`InfeasibleError` or :class:`SolverError`.
    """
    name, _ = choose_solver(solver)
    try:
        return run(lp, name, time_limit)
    except SolverCrashed as crash:
        other = next_milp(name)
        if other is None:
            raise SolverError("model.solver_failed_run_other_2", name=name, crash=crash) from None
        return run(lp, other, time_limit)


def run(lp, name: str, time_limit: float | None) -> bool:
    """Solve once; True when proven optimal, False when only feasible. Raises on failure.

    Command-line solvers (CBC) write their model and solution files in a private
    temporary folder, removed afterwards whatever happened (garbage output included).
    """
    import pulp

    if name == "scipy":
        return _run_scipy(lp, time_limit)
    solver = _make_solver(name, time_limit)
    workdir = tempfile.mkdtemp(prefix="wrse-solver-")
    try:
        if hasattr(solver, "tmpDir"):
            solver.tmpDir = workdir
        try:
            if name == "highs":
                with _quiet_stdout():
                    lp.solve(solver)
            else:
                lp.solve(solver)
        except (pulp.PulpSolverError, OSError) as exc:
            raise SolverCrashed(f"{type(exc).__name__}: {exc}") from None
        except (ValueError, IndexError, KeyError, TypeError) as exc:  # PuLP reading a solution file it cannot parse
            raise SolverCrashed(f"unreadable solver output ({type(exc).__name__})") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    status, sol_status = lp.status, lp.sol_status
    if status == pulp.LpStatusInfeasible or sol_status == pulp.LpSolutionInfeasible:
        raise InfeasibleError("model.solver_found_allocation_meets")
    if sol_status == pulp.LpSolutionOptimal and status == pulp.LpStatusOptimal:
        return True
    if sol_status == pulp.LpSolutionIntegerFeasible:
        return False
    limit = Msg.of("error.model.time_limit", seconds=f"{time_limit:g}") if time_limit else ""
    raise SolverError("model.solver_ended_status_usable", name=name, get=pulp.LpStatus.get(status, status), limit=limit)


def _run_scipy(lp, time_limit: float | None) -> bool:
    """Solve a PuLP problem with :func:`scipy.optimize.milp` (HiGHS as shipped with SciPy).

    The model is read from PuLP as matrices (objective, bounds, integrality, one row per
    constraint) and the solution written back into PuLP's variables and status, so the
    callers read it as they read CBC's. Returns True when proven optimal, False when
    stopped by ``time_limit`` with a feasible point; raises :class:`InfeasibleError` or
    :class:`SolverError`.
    """
    import pulp
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    variables = lp.variables()
    index = {v.name: i for i, v in enumerate(variables)}
    n = len(variables)
    c = np.zeros(n)
    for var, coef in (lp.objective or {}).items():
        c[index[var.name]] += coef
    if lp.sense == pulp.LpMaximize:
        c = -c
    lower = np.array([-np.inf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    upper = np.array([np.inf if v.upBound is None else v.upBound for v in variables], dtype=float)
    integrality = np.array([1 if v.cat == pulp.LpInteger else 0 for v in variables])
    rows, cols, vals, row_lo, row_hi = [], [], [], [], []
    listed = lp.constraints() if callable(lp.constraints) else lp.constraints.values()  # PuLP 3.3 and earlier
    for i, constraint in enumerate(listed):
        for var, coef in constraint.items():
            rows.append(i)
            cols.append(index[var.name])
            vals.append(coef)
        rhs = -constraint.constant
        sense = constraint.sense
        row_lo.append(rhs if sense in (pulp.LpConstraintEQ, pulp.LpConstraintGE) else -np.inf)
        row_hi.append(rhs if sense in (pulp.LpConstraintEQ, pulp.LpConstraintLE) else np.inf)
    constraints: tuple[LinearConstraint, ...] = ()
    if row_lo:
        matrix = coo_array((vals, (rows, cols)), shape=(len(row_lo), n)).tocsr()
        constraints = (LinearConstraint(matrix, np.array(row_lo), np.array(row_hi)),)
    options = {"disp": False, "mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    try:
        result = milp(c, integrality=integrality, bounds=Bounds(lower, upper), constraints=constraints, options=options)
        if result.status == 4:
            # "HiGHS Status 4: Solve error": SciPy 1.17's HiGHS fails in presolve on some small
            # models with free epigraph variables (quota [0, 1, 3], lower [2, 0, 0], upper [2, 2, 3],
            # total 4, Sainte-Laguë) that it solves to optimality without presolve: try once more so
            result = milp(
                c,
                integrality=integrality,
                bounds=Bounds(lower, upper),
                constraints=constraints,
                options={**options, "presolve": False},
            )
    except (ValueError, MemoryError) as exc:
        raise SolverCrashed(f"scipy.optimize.milp: {exc}") from None
    if result.status == 2:
        lp.assignStatus(pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible)
        raise InfeasibleError("model.solver_found_allocation_meets")
    if result.x is None:
        lp.assignStatus(pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound)
        limit = (
            Msg.of("error.model.time_limit_only", seconds=f"{time_limit:g}")
            if time_limit and result.status == 1
            else ""
        )
        raise SolverError("model.solver_scipy_ended_status", status=result.status, message=result.message, limit=limit)
    for var, value in zip(variables, result.x.tolist(), strict=True):
        var.varValue = value
    if result.status == 0:
        lp.assignStatus(pulp.LpStatusOptimal, pulp.LpSolutionOptimal)
        return True
    lp.assignStatus(pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible)
    return False
