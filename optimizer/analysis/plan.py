"""The multi-year plan (``wrse plan``): one MILP over all years, in PuLP.

Indices: planning years ``y`` (``first_year..last_year``) and the included regions ``r``
of the roadmap's scenario. Data: need shares ``s_r`` (:mod:`optimizer.need`), eligible
counts ``E_r``, the baseline counts ``b_r`` (the baseline year), yearly budgets ``B_y``,
cost per recipient ``c`` (grant + bimtek per recipient), bimtek session cost ``S``, minimum
class ``m``, minimum share of the previous year's count ``h``, coverage year ``Y_c``.

Variables: ``x[y,r]`` integer recipients, ``a[y,r]`` binary "active" (holds a bimtek
session), and ``t[k,y,r]`` continuous, the objective's stage-k cost of ``x[y,r]``.

Constraints:

* a woman receives the grant once: ``b_r + sum_y x[y,r] <= E_r``;
* an active region has a session and a class: ``m a[y,r] <= x[y,r] <= M[y,r] a[y,r]``
  with ``M[y,r] = min(E_r - b_r, B_y // c)``;
* hold-harmless: ``a[y,r] >= a[y-1,r]``, and ``a[first,r] = 1`` where ``b_r > 0``;
* no region below ``h`` of its previous year's count: ``x[y,r] >= h x[y-1,r]`` (``b_r``
  before the first year);
* coverage: ``a[Y_c, r] = 1`` for every region (and so every later year);
* budget, every year: ``c sum_r x[y,r] + S sum_r a[y,r] <= B_y`` (in units of
  ``gcd(c, S)`` rupiah, so the coefficients are exact integers). Money left in a year is
  not carried over (APBD appropriations lapse at year end).

Objective (the engine's method, year by year). Each year has quotas
``q[y,r] = s_r * R_y`` with ``R_y = B_y // c``, the recipients the year's budget would buy
with no session costs, exactly as :func:`optimizer.engine.allocate` sets them. The plan
minimises, lexicographically, the sum over all years of the method's stages
(:func:`optimizer.problem.stage_value`): for Sainte-Laguë ``sum (x - q)^2 / q``, for largest
remainder ``sum |x - q|`` then its second stage; and last, among equally good plans, the
most recipients. A session costs ``S / c`` recipients' worth of money, which raises the
deviation of the other regions, so a region enters when its need outweighs that cost
(or when the coverage year forces it). Every unit below ``q - 1/2`` lowers the Sainte-Laguë
cost, so money is spent while regions are below their quotas.

Exactness: each convex stage cost is represented by its secants between consecutive
integers, added as cuts where the solution needs them (as in :mod:`optimizer.model`);
at integer points this is exact. The plan is then re-checked by
:func:`~optimizer.analysis.plan_check.check_plan` on integers before it is returned.

When the rules cannot all hold, a second MILP finds the smallest factor ``λ`` by which the
roadmap's budgets must be multiplied (per-year budgets, or the start budget of a growth
roadmap) for a plan to exist; the budgets it implies are then solved again to confirm
they suffice. :class:`PlanInfeasible` carries them.

The plan's inputs are prepared by :mod:`optimizer.analysis.plan_inputs`, its result type is
:class:`~optimizer.analysis.plan_result.Plan`, its independent check is
:mod:`optimizer.analysis.plan_check`; this module holds the MILP (on the shared builder of
:mod:`optimizer.cuts`), the lexicographic solve and the smallest-budget search.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..cuts import CutModel
from ..eligible import CountsFile
from ..errors import InfeasibleError, SolverError, VerificationError
from ..i18n import Msg, Notice, Number, Rupiah, Status
from ..inputs.dataset import DataSet
from ..model import choose_solver
from ..problem import stage_value
from .plan_check import check_plan, counts_of
from .plan_inputs import PlanInfeasible, PlanInputs, prepare, prepare_with_budgets
from .plan_result import Plan
from .roadmap import Roadmap, growth_budgets

MAX_ROUNDS = 200  # cut rounds per stage


class _Model(CutModel):
    """The plan MILP: a cell per year and region (:class:`~optimizer.cuts.CutModel`), the
    activity binaries and the plan's rules; ``scale`` turns the budgets into ``λ * coefficient``."""

    def __init__(self, inputs: PlanInputs, pulp_module, budget_coefficients=None):
        base = inputs.base
        super().__init__("wrse_plan", pulp_module, 1 if base.method == "sainte-lague" else 2)
        self.inputs = inputs
        pulp = pulp_module
        r = inputs.roadmap
        m, n = len(inputs.years), base.n
        self.m, self.n = m, n
        cost, session = base.cost_rp, r.session_rp
        unit = math.gcd(cost, session) if session else cost
        self.upper = np.array(
            [[max(0, min(int(inputs.remaining[j]), inputs.budgets[i] // cost)) for j in range(n)] for i in range(m)]
            if budget_coefficients is None
            else [[int(inputs.remaining[j]) for j in range(n)] for _ in range(m)]
        )
        for i in range(m):
            for j in range(n):
                self.add_cell((i, j), 0, int(self.upper[i, j]), f"{i}_{j}")
        self.a = {(i, j): self.lp.add_variable(f"a_{i}_{j}", cat="Binary") for i in range(m) for j in range(n)}
        self.scale = None
        if budget_coefficients is not None:
            self.scale = self.lp.add_variable("budget_factor", 0)
        for j in range(n):
            self.lp += pulp.lpSum(self.x[i, j] for i in range(m)) <= int(inputs.remaining[j]), f"once_{j}"
            if inputs.baseline[j] > 0:
                self.lp += self.a[0, j] == 1, f"hold_base_{j}"
            for i in range(m):
                self.lp += self.x[i, j] >= r.min_class * self.a[i, j], f"class_{i}_{j}"
                self.lp += self.x[i, j] <= int(self.upper[i, j]) * self.a[i, j], f"active_{i}_{j}"
                if i:
                    self.lp += self.a[i, j] >= self.a[i - 1, j], f"hold_{i}_{j}"
                harmless = r.hold_harmless
                if harmless > 0 and inputs.baseline[j] > 0:
                    self.lp += (
                        harmless.denominator * self.x[i, j] >= harmless.numerator * int(inputs.baseline[j]),
                        f"harmless_{i}_{j}",
                    )
                share = r.min_share_of_previous
                if share > 0:
                    previous = self.x[i - 1, j] if i else int(inputs.baseline[j])
                    # denominator * x >= numerator * previous: exact integer coefficients
                    self.lp += share.denominator * self.x[i, j] >= share.numerator * previous, f"share_{i}_{j}"
            self.lp += self.a[inputs.years.index(r.coverage_year), j] == 1, f"cover_{j}"
        for i in range(m):
            spend = pulp.lpSum((cost // unit) * self.x[i, j] + (session // unit) * self.a[i, j] for j in range(n))
            if budget_coefficients is None:
                self.lp += spend <= inputs.budgets[i] // unit, f"budget_{i}"
            else:
                self.lp += spend <= (budget_coefficients[i] / unit) * self.scale, f"budget_{i}"
        if budget_coefficients is None:
            for s in range(self.stages):
                for i in range(m):
                    for j in range(n):
                        base_k = math.floor(float(inputs.quota[i, j]))
                        initial = {
                            0,
                            r.min_class - 1,
                            r.min_class,
                            base_k - 1,
                            base_k,
                            base_k + 1,
                            int(self.upper[i, j]) - 1,
                        }
                        self.add_epigraph(s, (i, j), initial)

    def f(self, s: int, key: tuple[int, int], value: int) -> float:
        q = float(self.inputs.quota[key])
        if q <= 0:
            return 0.0
        return stage_value(self.inputs.base.method, s, q, value)

    def values(self) -> np.ndarray:
        """int64 (m, n): the solver's recipients, checked to be whole numbers."""

        def fail(reason: str, key, value) -> Exception:
            if reason == "no_value":
                return SolverError("analysis.plan.solver_returned_variable_plan")
            return VerificationError("analysis.plan.solver_returned_recipients_whole", value=value)

        out = np.zeros((self.m, self.n), dtype=np.int64)
        for (i, j), value in self.whole_values(fail).items():
            out[i, j] = value
        return out

    def stage_total(self, s: int, x: np.ndarray) -> float:
        return super().stage_total(s, {key: int(x[key]) for key in self.x})

    def violated(self, stages: range, x: np.ndarray) -> bool:
        return super().violated(stages, {key: int(x[key]) for key in self.x}, slack=1e-9)


def _solve_once(lp, solver: str, time_limit: float | None) -> bool:
    """Solve once with the engine's solver settings (:func:`optimizer.model.run_once`);
    True if proven optimal, False if feasible only. Raises InfeasibleError or SolverError."""
    from ..model import run_once

    return run_once(lp, solver, time_limit)


def _optimise(inputs: PlanInputs, solver: str, time_limit: float | None):
    """Solve the plan MILP lexicographically; returns (x, objective values, optimal, solves)."""
    import pulp

    model = _Model(inputs, pulp)
    cells = [(i, j) for i in range(model.m) for j in range(model.n)]
    solves, optimal, objective = 0, True, []
    x = None
    for stage in range(model.stages + 1):
        if stage < model.stages:
            model.lp.setObjective(pulp.lpSum(model.t[stage, cell] for cell in cells))
            checked = range(stage + 1)
        else:
            model.lp.setObjective(-pulp.lpSum(model.x[c] for c in cells))
            checked = range(model.stages)
        for _ in range(MAX_ROUNDS):
            solves += 1
            proven = _solve_once(model.lp, solver, time_limit)
            x = model.values()
            optimal &= proven
            if not model.violated(checked, x):
                break
        else:  # pragma: no cover - the cut pool is finite
            raise SolverError("analysis.plan.cut_loop_did_converge", max_rounds=MAX_ROUNDS)
        if stage < model.stages:
            best = model.stage_total(stage, x)
            objective.append(best)
            tolerance = 1e-7 + 1e-9 * abs(best)
            model.lp += pulp.lpSum(model.t[stage, cell] for cell in cells) <= best + tolerance, f"stage_{stage}"
    return x, tuple(objective), optimal, solves


def _why_no_budget_helps(inputs: PlanInputs, src: str) -> PlanInfeasible | None:
    """The one cause that makes every multiple of the budgets fail, named, or None.

    A region whose smallest counts under the rules (minimum class, share of the previous
    year, hold-harmless, coverage year) grant more persons than its eligible count is named
    with those numbers; else a year whose budget is Rp 0 while some region must be active
    that year is named (a multiple of Rp 0 stays Rp 0).
    """
    from .plan_check import regions_beyond_eligible, smallest_counts

    rules = inputs.rules
    names = dict(zip(inputs.base.codes, inputs.base.names, strict=True))
    beyond = regions_beyond_eligible(rules)
    if beyond:
        code, counts, before, eligible = beyond[0]
        listed = ", ".join(f"{y} {n}" for y, n in counts.items())
        total = before + sum(counts.values())
        others = Msg.of("error.analysis.plan.others_likewise", count=len(beyond) - 1) if len(beyond) > 1 else ""
        return PlanInfeasible(
            "analysis.plan.smallest_counts_above_eligible",
            src=src,
            code=code,
            name=names.get(code, ""),
            listed=listed,
            min_class=rules.min_class,
            share=Number.as_given(float(rules.min_share) * 100),
            total=total,
            before=before,
            first_year=rules.years[0],
            eligible=eligible,
            others=others,
        )
    for year in rules.years:
        if rules.budgets_rp[year] == 0:
            must = [c for c in rules.codes if smallest_counts(rules, c)[year] > 0]
            if must:
                return PlanInfeasible(
                    "analysis.plan.zero_budget_must_be_active",
                    src=src,
                    year=year,
                    code=must[0],
                    name=names.get(must[0], ""),
                )
    return None


def _smallest_budgets(inputs: PlanInputs, solver: str, time_limit: float | None) -> PlanInfeasible:
    """The smallest multiple of the budgets that admits a plan (see the module docstring)."""
    import pulp

    r = inputs.roadmap
    src = str(r.path or r.name)
    years = inputs.years
    if r.budget_form == "growth":
        factor_growth = 1 + r.growth_pct / 100
        coefficients = [float(r.budget_start_rp * factor_growth ** (y - years[0])) for y in years]
        exact = [Fraction(r.budget_start_rp) * factor_growth ** (y - years[0]) for y in years]
    else:
        coefficients = [float(b) for b in inputs.budgets]
        exact = [Fraction(b) for b in inputs.budgets]
    model = _Model(inputs, pulp, budget_coefficients=coefficients)
    model.lp.setObjective(model.scale)
    try:
        _solve_once(model.lp, solver, time_limit)
    except InfeasibleError:
        return _why_no_budget_helps(inputs, src) or PlanInfeasible(
            "analysis.plan.no_budget_helps",
            src=src,
            coverage_year=r.coverage_year,
            min_class=r.min_class,
            share=Number.as_given(float(r.min_share_of_previous) * 100),
        )
    x = model.values()
    active = x > 0
    spend = [int(x[i].sum()) * inputs.base.cost_rp + int(active[i].sum()) * r.session_rp for i in range(len(years))]
    ratios = [
        Fraction(s) / e if e > 0 else (Fraction(0) if s == 0 else None) for s, e in zip(spend, exact, strict=True)
    ]
    if any(v is None for v in ratios):
        year = years[ratios.index(None)]
        return PlanInfeasible("analysis.plan.zero_budget_year", src=src, year=year)
    factor = max(max(ratios), Fraction(1))
    binding = years[ratios.index(max(ratios))]
    if r.budget_form == "growth":
        start = max(math.ceil(Fraction(s) / (exact[i] / r.budget_start_rp)) for i, s in enumerate(spend))
        start = max(start, r.budget_start_rp)
        budgets = growth_budgets(start, r.growth_pct, years)
    else:
        start = None
        budgets = {y: max(b, math.ceil(factor * b)) for y, b in zip(years, inputs.budgets, strict=True)}
    # Confirm: the implied budgets admit a plan of the full model.
    confirmed = prepare_with_budgets(inputs, budgets)
    _optimise(confirmed, solver, time_limit)
    # "2027 Rp 3.850.000.000, 2028 …", in the reader's digits (joined by the message, as a tuple)
    listed = tuple(Msg.of("plan.year_budget", year=y, budget=Rupiah(int(b))) for y, b in budgets.items())
    if start is not None:
        what = Msg.of(
            "error.analysis.plan.smallest_start",
            start_rp=Rupiah(start),
            year=years[0],
            growth=f"{float(r.growth_pct):g}",
            listed=listed,
        )
    else:
        what = Msg.of("error.analysis.plan.smallest_factor", factor=f"{float(factor):.4f}", listed=listed)
    return PlanInfeasible(
        "analysis.plan.budgets_too_small",
        factor=factor,
        budgets_rp=budgets,
        start_rp=start,
        binding_year=binding,
        src=src,
        coverage_year=r.coverage_year,
        session_rp=Rupiah(r.session_rp),
        min_class=r.min_class,
        what=what,
        binding=binding,
    )


def plan(
    roadmap: Roadmap,
    data: DataSet | None = None,
    eligible: CountsFile | None = None,
    *,
    solver: str = "cbc",
    time_limit: float | None = None,
) -> Plan:
    """Solve ``roadmap`` (see the module docstring) and check the result independently.

    ``data``: the data set (None: the shipped Kaltim table). ``eligible``: the counts file
    read at the edge (:func:`optimizer.compose.load_eligible`); None reads the roadmap
    scenario's own ``[eligible]`` file when its source is a file (a roadmap names its
    scenarios, which the plan reads). ``solver``: ``'cbc'`` (bundled with PuLP), ``'highs'``
    or ``'scipy'``. ``time_limit``: seconds per solver call; a plan not proven optimal is labelled (``optimal=False``).

    Raises :class:`PlanInfeasible` (with the smallest budgets that work, when some do),
    :class:`InputError`, :class:`SolverError`, and :class:`VerificationError` if the plan
    breaks a rule on the independent check (never expected).
    """
    name, notices = choose_solver(solver)
    if data is None:
        from ..inputs.data import shipped

        data = shipped()
    inputs = prepare(roadmap, data, eligible)
    try:
        x, objective, optimal, solves = _optimise(inputs, name, time_limit)
    except InfeasibleError:
        raise _smallest_budgets(inputs, name, time_limit) from None
    problems = check_plan(inputs.rules, counts_of(inputs.years, inputs.base.codes, x))
    if problems:
        raise VerificationError("analysis.plan.plan_breaks_rule_used", problems=problems[0])
    base = inputs.base
    all_notices = list(inputs.notices) + list(notices)
    if not optimal:
        all_notices.append(Notice.of("not_optimal", status=Status.of("feasible")))
    return Plan(
        roadmap=roadmap,
        base=base,
        years=inputs.years,
        x=x,
        baseline=inputs.baseline,
        budgets_rp=np.array(inputs.budgets, dtype=np.int64),
        quota=inputs.quota,
        objective=objective,
        solver=name,
        status=Status.of("optimal" if optimal else "feasible"),
        optimal=optimal,
        solves=solves,
        notices=tuple(dict.fromkeys(all_notices)),
        granted=inputs.granted,
    )


__all__ = ["Plan", "PlanInfeasible", "PlanInputs", "plan", "prepare", "prepare_with_budgets"]
