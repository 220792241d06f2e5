"""The plan's inputs (:func:`prepare`): the roadmap's scenario built without its one-year
constraints, the baseline counts, the realised history, the yearly quotas, and the checks no
budget can fix (:class:`PlanInfeasible` without a factor, :class:`InputError`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..eligible import CountsFile
from ..errors import InfeasibleError, InputError
from ..i18n import Count, Msg, Notice, Rupiah
from ..inputs.dataset import DataSet
from .base import Base, build
from .plan_check import Rules
from .roadmap import Roadmap


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
class PlanInputs:
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


def prepare(roadmap: Roadmap, data: DataSet, eligible: CountsFile | None = None) -> PlanInputs:
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
                per_recipient=Rupiah(scenario.bimtek_per_recipient_rp),
                session=Rupiah(roadmap.session_rp),
            )
        )
    zero = [c for c, s in zip(base.codes, base.shares, strict=True) if s <= 0]
    if zero:
        raise InputError("analysis.plan.region_need_share_scenario", src=src, zero=zero[0], name=scenario.name)
    years = roadmap.years
    budgets = tuple(int(roadmap.budgets[y]) for y in years)
    baseline = _baseline_counts(roadmap, base, data)
    j = _first_above_eligible(baseline, base)
    if j is not None:
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
    return PlanInputs(roadmap, base, years, budgets, baseline, remaining, quota, tuple(dict.fromkeys(notices)), granted)


def _first_above_eligible(counts: np.ndarray, base: Base) -> int | None:
    """The index of the first region (BPS order) whose ``counts`` exceed its eligible count, or None.

    Shared by the baseline check and the granted-history check, which then raise their own error.
    """
    over = np.flatnonzero(counts > base.eligible)
    return int(over[0]) if over.size else None


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
    j = _first_above_eligible(granted, base)
    if j is not None:
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
            rows=tuple(_history_row(r) for r in history.rows),
        )
    ]
    if assumed:
        notices.append(Notice.of("plan_granted_assumed", year=roadmap.granted_through))
    return granted, notices


def _history_row(row) -> Msg:
    """One figure of the realised history in a notice, named so no year reads twice:
    ``sampai 2024: 535`` (cumulative), ``2025: 1.500``, ``APBD-P 2025: 180`` (a figure the
    data marks as an addition, ``uep_recipients_additional``); the count grouped the
    reader's way (:class:`~optimizer.i18n.Count`, :mod:`optimizer.render.format`)."""
    if row.kind == "cumulative":
        key = "cumulative"
    elif "_additional" in row.trace:
        key = "additional"
    else:
        key = "year"
    return Msg.of(f"notice.plan_granted_row_{key}", year=row.year, count=Count(int(row.recipients)))


def prepare_with_budgets(inputs: PlanInputs, budgets: dict[int, int]) -> PlanInputs:
    """The same inputs with other yearly budgets (quotas recomputed from them)."""
    values = tuple(int(budgets[y]) for y in inputs.years)
    cost = inputs.base.cost_rp
    quota = np.array([[float(s) * (b // cost) for s in inputs.base.shares] for b in values])
    return PlanInputs(
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
