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

Length (over 500 lines): the plan's inputs, its MILP (on the shared builder of
:mod:`optimizer.cuts`), the lexicographic solve and the smallest-budget search are one
analysis; its independent check is :mod:`optimizer.analysis.plan_check`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from ..cuts import CutModel
from ..eligible import CountsFile
from ..errors import InfeasibleError, InputError, SolverError, VerificationError
from ..i18n import Count, Msg, Notice, Rupiah, Status
from ..inputs.dataset import DataSet
from ..model import choose_solver
from ..money import format_rp
from ..problem import stage_value
from .base import Base, build
from .plan_check import Rules, check_plan, counts_of
from .roadmap import Roadmap, growth_budgets

MAX_ROUNDS = 200  # cut rounds per stage


@dataclass(frozen=True)
class Plan:
    """A verified multi-year plan.

    ``years``: planning years (m); ``codes``/``names``: regions (n, BPS order).
    ``x``: int64 (m, n) recipients; ``baseline``: int64 (n,) baseline-year counts.
    ``budgets_rp``: int64 (m,) budgets; ``quota``: float (m, n) yearly quotas (recipients).
    ``cost_rp``/``session_rp``: int rupiah. ``eligible``: int64 (n,) persons.
    ``objective``: value of each objective stage. ``solver``/``status``/``optimal``: how it
    was solved; ``solves``: solver calls. ``notices``: what the user should know.
    """

    roadmap: Roadmap
    base: Base
    years: tuple[int, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    x: np.ndarray
    baseline: np.ndarray
    budgets_rp: np.ndarray
    quota: np.ndarray
    cost_rp: int
    session_rp: int
    eligible: np.ndarray
    objective: tuple[float, ...]
    solver: str
    status: str
    optimal: bool
    solves: int
    notices: tuple[Notice, ...]
    granted: np.ndarray | None = None

    def __repr__(self) -> str:
        return (
            f"<Plan {self.roadmap.name}: {self.years[0]}-{self.years[-1]}, {len(self.codes)} regions, "
            f"{int(self.x.sum())} recipients, {self.solver}{'' if self.optimal else ', not proven optimal'}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """:meth:`frame`: one row per year and region."""
        return self.frame()

    @property
    def granted_before(self) -> np.ndarray:
        """int64 (n,): persons granted before the first planning year (the realised history
        when the roadmap names it, else the baseline counts)."""
        return self.baseline if self.granted is None else self.granted

    @property
    def active(self) -> np.ndarray:
        """bool (m, n): the region holds a session (has recipients) that year."""
        return self.x > 0

    @property
    def grants_rp(self) -> np.ndarray:
        """int64 (m, n): grant money per region-year (recipients x cost per recipient)."""
        return self.x * self.cost_rp

    @property
    def sessions_rp(self) -> np.ndarray:
        """int64 (m, n): bimtek session money per region-year."""
        return self.active.astype(np.int64) * self.session_rp

    @property
    def spent_rp(self) -> np.ndarray:
        """int64 (m,): grants plus sessions per year."""
        return (self.grants_rp + self.sessions_rp).sum(axis=1)

    @property
    def unspent_rp(self) -> np.ndarray:
        """int64 (m,): budget minus spending per year (not carried over)."""
        return self.budgets_rp - self.spent_rp

    def entry_year(self) -> dict[str, int | None]:
        """``{code: year}``: the baseline year for regions active then, else the first year with recipients."""
        out: dict[str, int | None] = {}
        for j, code in enumerate(self.codes):
            if self.baseline[j] > 0:
                out[code] = self.roadmap.baseline.year
                continue
            hits = np.flatnonzero(self.x[:, j] > 0)
            out[code] = self.years[int(hits[0])] if hits.size else None
        return out

    def frame(self) -> pd.DataFrame:
        """Long table, one row per year and region (baseline year first).

        Columns: ``year``, ``region_code``, ``region_name``, ``baseline`` (bool: the baseline
        year's counts), ``recipients``, ``active``, ``grants_rp``, ``session_rp``,
        ``total_rp`` (int rupiah), ``cumulative`` (recipients so far, everyone granted before
        the first planning year included: :attr:`granted_before`),
        ``eligible`` (persons), ``quota`` (recipients; empty for the baseline).
        """
        rows = []
        cumulative = self.granted_before.astype(np.int64).copy()
        for j, code in enumerate(self.codes):
            b = int(self.baseline[j])
            rows.append(
                {
                    "year": self.roadmap.baseline.year,
                    "region_code": code,
                    "region_name": self.names[j],
                    "baseline": True,
                    "recipients": b,
                    "active": b > 0,
                    "grants_rp": b * self.cost_rp,
                    "session_rp": None,
                    "total_rp": None,
                    "cumulative": int(cumulative[j]),
                    "eligible": int(self.eligible[j]),
                    "quota": None,
                }
            )
        for i, year in enumerate(self.years):
            cumulative = cumulative + self.x[i]
            for j, code in enumerate(self.codes):
                rows.append(
                    {
                        "year": year,
                        "region_code": code,
                        "region_name": self.names[j],
                        "baseline": False,
                        "recipients": int(self.x[i, j]),
                        "active": bool(self.x[i, j] > 0),
                        "grants_rp": int(self.grants_rp[i, j]),
                        "session_rp": int(self.sessions_rp[i, j]),
                        "total_rp": int(self.grants_rp[i, j] + self.sessions_rp[i, j]),
                        "cumulative": int(cumulative[j]),
                        "eligible": int(self.eligible[j]),
                        "quota": float(self.quota[i, j]),
                    }
                )
        return pd.DataFrame(rows)


class PlanInfeasible(InfeasibleError):
    """The roadmap's rules cannot all hold with its budgets.

    ``factor``: exact smallest multiplier of the budgets (None when no budget helps);
    ``budgets_rp``: ``{year: Rp}`` that suffice (checked by solving again); ``start_rp``:
    the smallest start budget of a growth roadmap; ``binding_year``: the year whose budget
    sets the factor.
    """

    def __init__(self, key: str, /, factor=None, budgets_rp=None, start_rp=None, binding_year=None, **params):
        super().__init__(key, **params)
        self.factor = factor
        self.budgets_rp = budgets_rp
        self.start_rp = start_rp
        self.binding_year = binding_year


@dataclass(frozen=True)
class _Inputs:
    roadmap: Roadmap
    base: Base
    years: tuple[int, ...]
    budgets: tuple[int, ...]
    baseline: np.ndarray
    remaining: np.ndarray
    quota: np.ndarray
    notices: tuple[Notice, ...]
    granted: np.ndarray | None = None

    @property
    def rules(self) -> Rules:
        r, b = self.roadmap, self.base
        return Rules(
            years=self.years,
            codes=b.codes,
            budgets_rp=dict(zip(self.years, self.budgets, strict=True)),
            cost_rp=b.cost_rp,
            session_rp=r.session_rp,
            min_class=r.min_class,
            min_share=r.min_share_of_previous,
            coverage_year=r.coverage_year,
            eligible={c: int(v) for c, v in zip(b.codes, b.eligible, strict=True)},
            baseline={c: int(v) for c, v in zip(b.codes, self.baseline, strict=True)},
            baseline_year=r.baseline.year,
            granted_before=None
            if self.granted is None
            else {c: int(v) for c, v in zip(b.codes, self.granted, strict=True)},
            hold_harmless=r.hold_harmless,
        )


def _baseline_counts(roadmap: Roadmap, base: Base, data: DataSet) -> np.ndarray:
    src = str(roadmap.path or roadmap.name)
    if roadmap.baseline.scenario is not None:
        from ..compose import load_eligible
        from ..engine import allocate
        from ..scenario import load as load_scenario

        baseline = load_scenario(roadmap.baseline.scenario, roadmap.language)
        allocation = allocate(baseline, data, load_eligible(baseline, data))
        counts = allocation.recipients()
        key = "baseline.scenario"
    else:
        counts = dict(roadmap.baseline.recipients)
        key = "baseline.recipients"
    outside = [c for c, v in counts.items() if v > 0 and c not in base.codes]
    if outside:
        raise InputError(
            "analysis.plan.gives_recipients_region_scenario",
            src=src,
            key=key,
            outside=", ".join(outside),
            value=base.scenario.name if base.scenario else "",
        )
    return np.array([int(counts.get(c, 0)) for c in base.codes], dtype=np.int64)


def prepare(roadmap: Roadmap, data: DataSet, eligible: CountsFile | None = None) -> _Inputs:
    """Resolve the roadmap's scenario, baseline and quotas; check what no budget can fix.

    ``eligible``: the counts file read at the edge (:func:`optimizer.compose.load_eligible`
    for the roadmap's scenario), or None.

    Raises :class:`InputError` (bad references, baseline above eligible) and
    :class:`PlanInfeasible` without a factor when the eligible counts cannot hold the
    minimum classes the rules require.
    """
    from ..scenario import load as load_scenario

    src = str(roadmap.path or roadmap.name)
    scenario = load_scenario(roadmap.scenario, roadmap.language)
    constrained = bool(
        scenario.floor_all or scenario.floors or scenario.caps or scenario.locks or scenario.cap_all is not None
    )
    # The plan takes need shares from the scenario, not its one-year floors, caps and locks:
    # drop them before building, so a floor the plan does not use cannot block it.
    # When the roadmap costs bimtek per session (bimtek.session_rp > 0), a per-recipient bimtek
    # cost in the scenario is not added again: a recipient costs the grant alone. Without a
    # session cost, the scenario's per-recipient cost is the bimtek cost.
    per_session = roadmap.session_rp > 0
    unconstrained = scenario.replace(
        floor_all=0,
        cap_all=None,
        floors={},
        caps={},
        locks={},
        bimtek_per_recipient_rp=0 if per_session else scenario.bimtek_per_recipient_rp,
    )
    if eligible is None:
        from ..compose import load_eligible

        eligible = load_eligible(scenario, data)
    base = build(unconstrained, data, eligible)
    notices: list[Notice] = list(base.allocation.notices) if base.allocation else []
    if constrained:
        notices.append(Notice.of("plan_scenario_constraints_ignored", scenario=scenario.name))
    if scenario.bimtek_per_recipient_rp and per_session:
        notices.append(
            Notice.of(
                "plan_bimtek_per_session",
                per_recipient=format_rp(scenario.bimtek_per_recipient_rp),
                session=format_rp(roadmap.session_rp),
            )
        )
    zero = [c for c, s in zip(base.codes, base.shares, strict=True) if s <= 0]
    if zero:
        raise InputError("analysis.plan.region_need_share_scenario", src=src, zero=zero[0], name=scenario.name)
    years = roadmap.years
    budgets = tuple(int(roadmap.budgets[y]) for y in years)
    baseline = _baseline_counts(roadmap, base, data)
    over = np.flatnonzero(baseline > base.eligible)
    if over.size:
        j = int(over[0])
        raise InputError(
            "analysis.plan.baseline_gives_recipients_above",
            src=src,
            codes=base.codes[j],
            baseline=baseline[j],
            eligible=base.eligible[j],
        )
    granted = None
    if roadmap.granted_through is not None:
        granted, history_notices = _granted(roadmap, base, baseline, src)
        notices.extend(history_notices)
    remaining = base.eligible - (baseline if granted is None else granted)
    for j, code in enumerate(base.codes):
        first_active = years[0] if baseline[j] > 0 else roadmap.coverage_year
        needed_years = roadmap.last_year - first_active + 1
        if remaining[j] < roadmap.min_class * needed_years:
            raise PlanInfeasible(
                "analysis.plan.must_active_years_x",
                src=src,
                names=base.names[j],
                code=code,
                first_active=first_active,
                last_year=roadmap.last_year,
                needed_years=needed_years,
                min_class=roadmap.min_class,
                remaining=remaining[j],
            )
    quota = np.array([[float(s) * (b // base.cost_rp) for s in base.shares] for b in budgets])
    return _Inputs(roadmap, base, years, budgets, baseline, remaining, quota, tuple(dict.fromkeys(notices)), granted)


def _granted(roadmap: Roadmap, base: Base, baseline: np.ndarray, src: str) -> tuple[np.ndarray, list[Notice]]:
    """Everyone granted up to ``history.granted_through`` per region (one grant per person).

    From the realised history (:func:`optimizer.programme.granted_through`); never below the
    baseline counts (a baseline year inside the history is part of it). Raises
    :class:`InputError` when a region's earlier grants exceed its eligible count.
    """
    from .. import programme

    history = programme.granted_through(roadmap.granted_through, base.codes)
    granted = np.array([history.counts[c] for c in base.codes], dtype=np.int64)
    granted = np.maximum(granted, baseline)
    over = np.flatnonzero(granted > base.eligible)
    if over.size:
        j = int(over[0])
        raise InputError(
            "analysis.plan.recipients_granted_up_above",
            src=src,
            names=base.names[j],
            codes=base.codes[j],
            granted=granted[j],
            granted_through=roadmap.granted_through,
            eligible=base.eligible[j],
        )
    assumed = [c for c in base.codes if "equal_assumed" in history.methods[c]]
    notices = [
        Notice.of(
            "plan_granted_history",
            year=roadmap.granted_through,
            total=Count(int(granted.sum())),
            rows=", ".join(f"{r.year}: {r.recipients}" for r in history.rows),
        )
    ]
    if assumed:
        notices.append(Notice.of("plan_granted_assumed", year=roadmap.granted_through))
    return granted, notices


class _Model(CutModel):
    """The plan MILP: a cell per year and region (:class:`~optimizer.cuts.CutModel`), the
    activity binaries and the plan's rules; ``scale`` turns the budgets into ``λ * coefficient``."""

    def __init__(self, inputs: _Inputs, pulp_module, budget_coefficients=None):
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
                return SolverError("the solver returned no value for a variable; the plan cannot be used")
            return VerificationError(f"the solver returned {value!r} recipients, not a whole number")

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


def _optimise(inputs: _Inputs, solver: str, time_limit: float | None):
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


def _why_no_budget_helps(inputs: _Inputs, src: str) -> PlanInfeasible | None:
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
        others = f" ({len(beyond) - 1} more regions likewise)" if len(beyond) > 1 else ""
        return PlanInfeasible(
            f"{src}: {code} {names.get(code, '')}: even the smallest counts the rules allow ({listed}; minimum class "
            f"{rules.min_class}, {float(rules.min_share) * 100:g}% of the previous year) grant {total} persons with "
            f"the {before} granted before {rules.years[0]}, above its eligible count {eligible}; no budget helps"
            f"{others}; expected an eligible count or rules that allow it"
        )
    for year in rules.years:
        if rules.budgets_rp[year] == 0:
            must = [c for c in rules.codes if smallest_counts(rules, c)[year] > 0]
            if must:
                return PlanInfeasible(
                    f"{src}: the budget of {year} is Rp 0, but {must[0]} {names.get(must[0], '')} must be active that "
                    f"year (its baseline count or the coverage year); no multiple of Rp 0 helps; expected a positive "
                    f"budget for {year}"
                )
    return None


def _smallest_budgets(inputs: _Inputs, solver: str, time_limit: float | None) -> PlanInfeasible:
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
            f"{src}: no budget lets every kabupaten/kota be active by {r.coverage_year}: the eligible counts, the "
            f"minimum class of {r.min_class} and the rule of {float(r.min_share_of_previous) * 100:g}% of the previous "
            "year cannot all hold; expected rules the eligible counts allow"
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
    listed = ", ".join(f"{y} {format_rp(int(b))}" for y, b in budgets.items())
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


def prepare_with_budgets(inputs: _Inputs, budgets: dict[int, int]) -> _Inputs:
    """The same inputs with other yearly budgets (quotas recomputed from them)."""
    values = tuple(int(budgets[y]) for y in inputs.years)
    cost = inputs.base.cost_rp
    quota = np.array([[float(s) * (b // cost) for s in inputs.base.shares] for b in values])
    return _Inputs(
        inputs.roadmap.with_budgets(budgets),
        inputs.base,
        inputs.years,
        values,
        inputs.baseline,
        inputs.remaining,
        quota,
        inputs.notices,
        inputs.granted,
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
        codes=base.codes,
        names=base.names,
        x=x,
        baseline=inputs.baseline,
        budgets_rp=np.array(inputs.budgets, dtype=np.int64),
        quota=inputs.quota,
        cost_rp=base.cost_rp,
        session_rp=roadmap.session_rp,
        eligible=base.eligible.copy(),
        objective=objective,
        solver=name,
        status=Status.of("optimal" if optimal else "feasible"),
        optimal=optimal,
        solves=solves,
        notices=tuple(dict.fromkeys(all_notices)),
        granted=inputs.granted,
    )


__all__ = ["Plan", "PlanInfeasible", "plan", "prepare"]
