"""From a scenario and a data set to a verified allocation.

The pipeline (each step its own module): pick indicator values and years
(:mod:`~optimizer.inputs`), eligible counts (:mod:`~optimizer.eligible`), need shares
(:mod:`~optimizer.need`), bounds and total (here), the optimum (:mod:`~optimizer.apportion`
or :mod:`~optimizer.model`), and the independent check (:mod:`~optimizer.verify`).

Budget arithmetic (integer rupiah): ``cost = grant + bimtek per recipient``;
``R = budget // cost`` recipients are affordable; ``T = min(R, sum of upper bounds)`` are
placed, so money is never left while a region can still take a recipient; the leftover
is ``budget - T * cost``; ``quota_r = need_share_r * R``.

Bounds per region: ``lower`` = its floor (``floor_all`` or its own), ``upper`` = its cap
(``cap_all`` or its own), never above its eligible count; a lock sets both; a region
whose need share is 0 is held at its floor.

The steps every level of a run shares (overrides, bounds, solve, binding labels, notices
of the figures used) live here with the single-level pipeline that uses them;
:mod:`optimizer.hierarchy` applies the same steps per sibling group, and both return the
one result type of :mod:`optimizer.result`.

Length (a little over 500 lines): the shared steps are here, next to the one pipeline that
runs them all in order, so that a reader sees each step once and where it runs; the tree
(:mod:`optimizer.tree`) and the result type (:mod:`optimizer.result`) are their own modules.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from . import competing
from . import eligible as eligible_mod
from .apportion import active_bounds_groups, covers, solve_threshold
from .columnar import Columns
from .eligible import CountsFile, eligible_term
from .errors import InfeasibleError, InputError
from .i18n import ByLanguage, Count, Msg, Notice, Percent, Rupiah, Status, indicator_term, proxy_term
from .inputs.dataset import DataSet
from .inputs.validate import check_plausible, check_possible, check_province, consistency_notices
from .inputs.years import Selected, missing
from .inputs.years import select as select_indicator
from .need import idg_gap, normalise_weights, shares_of, weights_notice
from .problem import Problem, canonical_method
from .result import REGION_COLUMNS, Allocation, Levels, region_table  # noqa: F401 (the result type, also reached from here)
from .scenario import Scenario, reference
from .verify import Certificate, verify

SOLVER_CHOICES = ("auto", "exact", "cbc", "highs", "scipy")

# Eligible-count methods that count women (the others are estimates, labelled as such).
COUNTED_METHODS = ("file", "data", "file_and_proxy")

# Notices that describe the allocation at the scenario's own budget, not at another one.
BUDGET_NOTICES = frozenset({"caps_limit_total", "budget_surplus", "not_optimal"})
#: Notices said on standard error whatever the output format (a CSV or JSON reader must not miss them).
LOUD_NOTICES = frozenset({"budget_surplus", "eligible_mixed_basis"})

# What limits a region's count; the words are the catalogues' [binding] messages.
BINDING_KINDS = ("lock", "floor", "cap", "eligible", "need-zero", "excluded", "")


def _indicator(data, name, year, codes, allow_fallback, required) -> Selected:
    """Select an indicator; when not required (weight 0), a gap gives NaN instead of an error."""
    try:
        return select_indicator(data, name, year, codes, allow_fallback)
    except InputError:
        if required:
            raise
        return missing(name, year, codes)


def _reference(scenario: Scenario, data: DataSet, codes, required: bool) -> tuple[float, int | None, str]:
    if scenario.idg_reference is not None:
        return scenario.idg_reference, None, "scenario (indicators.idg_reference)"
    parents = {data.parent_of(c) for c in codes}
    if None in parents or len(parents) != 1:
        if not required:
            return math.nan, None, ""
        raise InputError("engine.single_provincial_idg_included", label=data.label)
    parent = parents.pop()
    assert parent is not None  # checked above: None is not among the parents
    try:
        chosen = select_indicator(data, "idg", scenario.idg_year, [parent], scenario.allow_fallback).row(parent)
    except InputError:
        if not required:
            return math.nan, None, ""
        raise
    return float(chosen["value"]), int(chosen["year"]), str(chosen["source"])


def check_complete_provinces(data: DataSet, src: str) -> None:
    """A scenario over "all" regions needs every kabupaten/kota of a province the data covers.

    For a province whose kabupaten/kota are all known (Kalimantan Timur: the ten of
    ``data/region-codes.csv``), a data set with some but not all of them would silently
    leave the others out of the programme. Raises :class:`InputError` naming the missing
    regions and the two ways out (add the rows, or list the regions in ``regions.include``).
    """
    from .regions import kaltim_registry

    registry = kaltim_registry()
    present = set(data.codes)
    for province, name in registry.provinces.items():
        members = [r for r in registry.regions if r.code.startswith(province)]
        if not any(r.code in present for r in members):
            continue
        missing = [r for r in members if r.code not in present]
        if missing:
            listing = ", ".join(f"{r.code} {r.name}" for r in missing)
            raise InputError("engine.rows_kabupaten_kota_but", label=data.label, listing=listing, name=name, src=src)


def with_overrides(
    scenario: Scenario, *, budget_rp: int | None = None, method: str | None = None, solver: str = "auto"
) -> Scenario:
    """The scenario with the command line's budget (int rupiah) and method applied, checked.

    Also checks ``solver`` is one of :data:`SOLVER_CHOICES`. Raises :class:`InputError`
    for an unknown method or solver, or a budget below one recipient's cost.
    """
    changes: dict[str, object] = {}
    if budget_rp is not None:
        if budget_rp < scenario.cost_per_recipient_rp:
            raise InputError(
                "engine.budget_below_cost_recipient",
                budget_rp=Rupiah(budget_rp),
                cost_per_recipient_rp=Rupiah(scenario.cost_per_recipient_rp),
            )
        changes["budget_rp"] = budget_rp
        if budget_rp != scenario.budget_rp and scenario.written_budget_rp is None:
            changes["written_budget_rp"] = scenario.budget_rp
    if method is not None:
        canonical = canonical_method(method)
        if canonical is None:
            raise InputError("engine.method_unknown_sainte_lague", method=method)
        changes["method"] = canonical
        if canonical != scenario.method and scenario.written_method is None:
            changes["written_method"] = scenario.method
    if solver not in SOLVER_CHOICES:
        raise InputError("engine.solver_unknown", solver=solver, solver_choices=", ".join(SOLVER_CHOICES))
    return scenario.replace(**changes) if changes else scenario


def prepare(
    scenario: Scenario, data: DataSet, budget_rp: int | None, method: str | None, solver: str
) -> tuple[Scenario, DataSet, str]:
    """The first step of every run: the command line's overrides applied and checked
    (:func:`with_overrides`), the scenario's choice among competing figures applied to the
    data set. Returns ``(scenario, data, src)``, ``src`` naming the scenario in messages."""
    scenario = with_overrides(scenario, budget_rp=budget_rp, method=method, solver=solver)
    return scenario, competing.apply(data, scenario.competing), reference(scenario)


def opening_notices(scenario: Scenario, data: DataSet) -> tuple[dict[str, float], list[Notice]]:
    """The weights as requested (normalised) and the first notices of a run: the data set's
    own, and the weights' when they do not sum to 1 or 100."""
    notices: list[Notice] = list(data.notices)
    notices.extend(n for n in (weights_notice(dict(scenario.weights)),) if n is not None)
    return normalise_weights(dict(scenario.weights)), notices


def eligible_counts(
    scenario: Scenario,
    data: DataSet,
    units,
    eligible: CountsFile | None,
    poverty_years,
    notices: list[Notice],
    poverty: Selected | None = None,
):
    """The eligible counts of ``units`` (:func:`optimizer.eligible.resolve`) and the checks of
    the years used: ``poverty_years`` (the P0 years read) and the counts' years must be
    possible for the data set (:func:`~optimizer.inputs.validate.check_possible`), the P0
    figures ``poverty`` plausible when given; consistency notices are appended to
    ``notices`` after the counts' own. Returns the :class:`~optimizer.eligible.EligibleCounts`.
    """
    counts = eligible_mod.resolve(data, scenario.eligible, tuple(units), scenario.allow_fallback, eligible)
    notices.extend(counts.notices)
    distinct = (*set(poverty_years), *set(counts["eligible_year"].tolist()))  # (83,763 desa: a few years)
    used_years = {int(y) for y in distinct if y}
    check_possible(data, units, used_years)
    if poverty is not None:
        check_plausible(data, poverty, units, used_years)
    notices.extend(consistency_notices(data, units, used_years))
    return counts


def fallback_notices(
    label: str, codes, fallback, used, requested: int | None, name_of, many: int | None = None, method: str = "data"
):
    """Notices for the figures of an earlier year than ``requested``: one per region
    (``fallback`` bool and ``used`` year per entry of ``codes``, ``name_of(code)`` its name),
    or one summary when there are more than ``many``. ``method``: how the eligible figures
    were made (``EligibleCounts.method``), which names them (a proxy's pool or counts)."""
    flagged = np.flatnonzero(np.asarray(fallback, dtype=bool))
    used = np.asarray(used)
    indicator = eligible_term(method) if label == "eligible" else indicator_term(label)
    if many is not None and len(flagged) > many:
        first = codes[int(flagged[0])]
        return [Notice.of("fallback_many", indicator=indicator, count=len(flagged), requested=requested, code=first)]
    return [
        Notice.of(
            "fallback",
            indicator=indicator,
            code=codes[i],
            name=name_of(codes[i]),
            used=int(used[i]),
            requested=requested,
        )
        for i in flagged.tolist()
    ]


def estimate_notices(counts) -> list[Notice]:
    """The notice that the eligible counts are an estimate, when their method does not count women."""
    if counts.method in COUNTED_METHODS:
        return []
    return [Notice.of("eligible_estimate", method=proxy_term(counts.method))]


def mixed_basis_notice(
    scenario: Scenario,
    data: DataSet,
    codes: tuple[str, ...] | list[str],
    counts_file: CountsFile,
    figures: dict[str, np.ndarray],
    shares: np.ndarray,
) -> Notice:
    """The caution that a counts file covering only some regions puts two bases in one weight.

    The eligible weight divides each region's count by the sum over all regions: with screened
    counts (persons on a candidate list) for the regions in ``counts_file`` and the scenario's
    proxy (e.g. the poor population, tens of thousands of persons) for the rest, a region that
    screened first is weighed against the others' proxies and loses need share. The notice
    names, for each screened region, its need share as computed (``shares``, fractions in the
    order of ``codes``) beside its share with the proxy for every region, so the effect is
    measured, not asserted. ``figures``: the need columns as :func:`~optimizer.need.shares_of`
    took them (``eligible`` in persons).
    """
    proxy = eligible_mod.from_data(data, scenario.eligible, tuple(codes), scenario.allow_fallback)
    alike = {**figures, "eligible": np.asarray(proxy.columns["eligible"], dtype=float)}
    proxy_shares = shares_of(codes, alike, dict(scenario.weights), eligible_method=proxy.method)[0]
    screened = [i for i, code in enumerate(codes) if code in counts_file.counts]
    changes = tuple(
        Msg.of(
            "notice.eligible_mixed_region",
            code=codes[i],
            name=data.region(codes[i]).name,
            share=Percent(float(shares[i]), 2),
            proxy_share=Percent(float(proxy_shares[i]), 2),
        )
        for i in screened
    )
    return Notice.of(
        "eligible_mixed_basis",
        file=counts_file.path.name,
        count=Count(len(screened)),
        total=Count(len(codes)),
        method=proxy_term(proxy.method),
        changes=changes,
    )


def caps_notice(total: int, budget_rp: int, cost_rp: int) -> Notice:
    """The notice that the caps, not the budget, limit the total: ``total`` placed, the rest of ``budget_rp`` left."""
    return Notice.of("caps_limit_total", allocated=Count(total), leftover=Rupiah(budget_rp - total * cost_rp))


def cap_notices(total: int, budget_rp: int, cost_rp: int, method: str = "data") -> list[Notice]:
    """The notices of a total the caps limit (``total`` persons, ``budget_rp``/``cost_rp`` in Rp):
    :func:`caps_notice`, then :func:`surplus_notice` when the budget is likely mistyped. One
    rule for the flat and the hierarchical run."""
    surplus = surplus_notice(total, budget_rp, cost_rp, method)
    return [caps_notice(total, budget_rp, cost_rp), *([surplus] if surplus is not None else [])]


def surplus_notice(total: int, budget_rp: int, cost_rp: int, method: str = "data") -> Notice | None:
    """The loud notice of a budget the caps cannot use: when every region is at its cap and
    ``total`` recipients spend less than half of ``budget_rp`` (a plausibility bound, not a
    refusal: a national run with a large budget that the caps use is never flagged), the
    budget is likely mistyped (``miliar`` for ``juta``). None otherwise. The CLI writes it
    to standard error in every format."""
    spent = total * cost_rp
    if 2 * spent >= budget_rp:
        return None
    return Notice.of(
        "budget_surplus",
        budget=Rupiah(budget_rp),
        allocated=Count(total),
        spent=Rupiah(spent),
        leftover=Rupiah(budget_rp - spent),
        share=Percent((budget_rp - spent) / budget_rp, 1),
        pool=eligible_term(method),  # the eligible limit named as its figures are: a proxy is not a count
    )


def allocate(
    scenario: Scenario,
    data: DataSet,
    eligible: CountsFile | None = None,
    *,
    budget_rp: int | None = None,
    method: str | None = None,
    solver: str = "auto",
    time_limit: float | None = None,
    hierarchical: bool = False,
) -> Allocation:
    """Allocate ``scenario``'s budget over the data set's kabupaten/kota; opens no file.

    ``data``: the data set (:func:`optimizer.inputs.data.load`). ``eligible``: the counts
    file already read (:func:`optimizer.compose.load_eligible`: ``--eligible`` or the
    scenario's ``[eligible]`` file), replacing the scenario's eligible source; None when
    the counts come from the data set. ``budget_rp`` (int rupiah) and
    ``method`` override the scenario's. ``solver``: ``auto`` (the exact structured
    threshold solver whenever it covers the problem, else the PuLP model), ``exact``,
    ``cbc`` or ``highs`` (the PuLP model); see :func:`solve`. ``time_limit``: seconds per
    MILP solver call. ``hierarchical``: allocate level by level down the tree of the data
    set's regions (province, kabupaten/kota, desa), the same steps per sibling group
    (:mod:`optimizer.hierarchy`); the result then carries the tree.

    Returns a verified :class:`Allocation`. Raises :class:`InputError` for data the
    scenario cannot use, :class:`InfeasibleError` when floors and locks exceed the budget,
    :class:`~optimizer.errors.SolverError` and :class:`~optimizer.errors.VerificationError`.
    """
    scenario, data, src = prepare(scenario, data, budget_rp, method, solver)
    if hierarchical:
        from .hierarchy import allocate_levels

        return allocate_levels(scenario, data, eligible, src, solver, time_limit)
    all_codes = data.codes
    codes = tuple(scenario.include) if scenario.include is not None else all_codes
    known = set(all_codes)
    unknown = [c for c in (*codes, *scenario.floors, *scenario.caps, *scenario.locks) if c not in known]
    if unknown:
        raise InputError(
            "engine.region_kabupaten_kota_data",
            src=src,
            unknown=unknown[0],
            label=data.label,
            code_listing=code_listing(all_codes),
        )
    check_province(data, codes, src)
    if scenario.include is None:
        check_complete_provinces(data, src)
    requested, notices = opening_notices(scenario, data)
    idg = _indicator(data, "idg", scenario.idg_year, codes, scenario.allow_fallback, requested["idg_gap"] > 0)
    poverty = _indicator(
        data, "poverty_rate", scenario.poverty_year, codes, scenario.allow_fallback, requested["poverty_rate"] > 0
    )
    reference, reference_year, reference_source = _reference(scenario, data, codes, requested["idg_gap"] > 0)
    counts = eligible_counts(scenario, data, codes, eligible, poverty["year"].tolist(), notices, poverty)
    elig = counts.columns

    def region_name(code: str) -> str:
        return data.region(code).name

    for label, frame, fallback, year_column, requested_year in (
        ("IDG", idg, "fallback", "year", scenario.idg_year),
        ("P0", poverty, "fallback", "year", scenario.poverty_year),
        ("eligible", elig, "eligible_fallback", "eligible_year", scenario.eligible.year),
    ):
        flags, used_years = np.asarray(frame[fallback], dtype=bool), np.asarray(frame[year_column])
        notices += fallback_notices(label, codes, flags, used_years, requested_year, region_name, method=counts.method)
    notices += estimate_notices(counts)
    used = {(c, "idg", int(y)) for c, y in zip(codes, idg["year"].tolist(), strict=True) if y}
    if reference_year is not None:
        used |= {(p, "idg", int(reference_year)) for p in {data.parent_of(c) for c in codes} if p}
    if requested["idg_gap"] > 0:  # say which of competing IDG values was used, when IDG counts
        notices.extend(competing.notices(scenario.competing, used))
    if reference_year is not None and reference_year != scenario.idg_year:
        notices.append(Notice.of("reference_fallback", used=reference_year, requested=scenario.idg_year))

    gaps = np.array(
        [idg_gap(v, reference) if not math.isnan(v) else math.nan for v in idg["value"].tolist()], dtype=float
    )
    figures = {
        "idg_gap": gaps,
        "poverty_rate": poverty["value"].astype(float),
        "eligible": elig["eligible"].astype(float),
    }
    shares, applied_weights, need_notices = shares_of(
        codes, figures, dict(scenario.weights), eligible_method=counts.method
    )
    notices.extend(need_notices)
    if counts.method == "file_and_proxy" and applied_weights["eligible"] > 0 and eligible is not None:
        notices.append(mixed_basis_notice(scenario, data, codes, eligible, figures, shares))

    cost = scenario.cost_per_recipient_rp
    affordable = scenario.budget_rp // cost
    lower, upper, kind = region_bounds(scenario, codes, elig, shares, src, notices, counts.method)
    is_lock = kind == "lock"
    floors_total = int(lower[~is_lock].sum())
    locks_total = int(lower[is_lock].sum())
    if floors_total + locks_total > affordable:
        raise InfeasibleError(
            "engine.floors_recipients_locks_need",
            src=src,
            floors=Count(floors_total),
            locks=Count(locks_total),
            value_rp=Rupiah((floors_total + locks_total) * cost),
            budget_rp=Rupiah(scenario.budget_rp),
            affordable=Count(affordable),
            cost_rp=Rupiah(cost),
        )
    total = min(affordable, int(upper.sum()))
    quota = shares * affordable
    problem = Problem(codes=codes, quota=quota, lower=lower, upper=upper, total=total, method=scenario.method)
    x, solver_name, status, optimal, solver_notices = solve(problem, solver, time_limit)
    notices.extend(solver_notices)
    certificate = verify(
        problem,
        x,
        budget_rp=scenario.budget_rp,
        cost_per_recipient_rp=cost,
        affordable=affordable,
        require_optimal=optimal,
    )
    if not optimal:
        notices.append(Notice.of("not_optimal", status=status))
    x = np.asarray(x, dtype=np.int64)
    limited_by = "caps" if total < affordable else "budget"
    if limited_by == "caps":
        notices.extend(cap_notices(total, scenario.budget_rp, cost, counts.method))
    binding = binding_labels(problem, x, kind, limited_by == "caps")
    regions = region_table(
        data, codes, idg, gaps, poverty, elig, shares, quota, problem.lower, problem.upper, x, binding, cost
    )
    return allocation(
        scenario,
        data,
        regions,
        counts,
        eligible,
        requested,
        notices,
        allocated=int(x.sum()),
        affordable=affordable,
        weights=applied_weights,
        reference=(reference, reference_year, reference_source),
        solved=(solver_name, status, optimal),
        limited_by=limited_by,
        problem=problem,
        certificate=certificate,
    )


def allocation(
    scenario: Scenario,
    data: DataSet,
    regions: Columns,
    counts,
    eligible: CountsFile | None,
    requested: dict[str, float],
    notices: list[Notice],
    *,
    allocated: int,
    affordable: int,
    weights,
    reference: tuple[float, int | None, str],
    solved: tuple[str, str, bool],
    limited_by: str,
    problem: Problem,
    certificate: Certificate,
    tree: Levels | None = None,
) -> Allocation:
    """The last step of every run: the :class:`Allocation` of ``allocated`` recipients.

    The budget arithmetic (budget, cost, leftover in int rupiah) and the method are the
    scenario's; ``counts``: the eligible counts used (their method); ``eligible``: the counts
    file read at the edge, or None; ``requested``: the normalised weights asked for,
    ``weights`` those applied; ``reference``: ``(IDG reference, its year, its source)``;
    ``solved``: ``(solver, status, optimal)``; ``notices`` are kept once each, in order.
    """
    cost = scenario.cost_per_recipient_rp
    return Allocation(
        scenario=scenario,
        data=data,
        region_columns=regions,
        budget_rp=scenario.budget_rp,
        cost_per_recipient_rp=cost,
        affordable=affordable,
        allocated=allocated,
        leftover_rp=scenario.budget_rp - allocated * cost,
        weights=MappingProxyType(dict(weights)),
        weights_requested=MappingProxyType(requested),
        idg_reference=reference[0],
        idg_reference_year=reference[1],
        idg_reference_source=reference[2],
        method=scenario.method,
        solver=solved[0],
        status=solved[1],
        optimal=solved[2],
        limited_by=limited_by,
        notices=tuple(dict.fromkeys(notices)),
        eligible_method=counts.method,
        eligible_input=eligible,
        problem=problem,
        certificate=certificate,
        tree=tree,
    )


def solve(problem: Problem, solver: str = "auto", time_limit: float | None = None):
    """Solve ``problem`` with the solver asked for.

    ``solver``: ``auto`` (the structured threshold solver when :func:`~optimizer.apportion.covers`
    the problem, else the PuLP model with CBC), ``exact`` (the structured solver; an
    :class:`InputError` if it does not cover the problem), ``cbc`` or ``highs`` (the PuLP
    model). Returns ``(x, solver_name, status, optimal, notices)``: x an int64 array of
    recipients, ``solver_name`` ``'exact'`` or the MILP solver used. The exact path does
    not import PuLP.
    """
    if solver in ("auto", "exact") and covers(problem):
        return solve_threshold(problem), "exact", Status.of("optimal"), True, ()
    if solver == "exact":
        raise InputError("engine.solver_exact_covers_total")
    from .model import solve_milp

    outcome = solve_milp(problem, "cbc" if solver == "auto" else solver, time_limit)
    return outcome.x, outcome.solver, outcome.status, outcome.optimal, tuple(outcome.notices)


def code_listing(codes, limit: int = 20) -> str | Msg:
    """Codes for an error message: all of them up to ``limit`` (a plain string of codes), else the
    first ``limit`` and the count, as a :class:`~optimizer.i18n.Msg` (``error.code_listing_more``)
    rendered in the reader's language with the error."""
    if len(codes) <= limit:
        return ", ".join(codes)
    return Msg.of("error.code_listing_more", codes=", ".join(codes[:limit]), count=Count(len(codes)))


def region_bounds(
    scenario: Scenario,
    codes,
    elig: Columns,
    shares: np.ndarray,
    src: str,
    notices: list[Notice],
    method: str = "data",
):
    """Lower and upper bounds (int64 arrays) and what sets each region's upper (object array of
    ``lock``, ``cap``, ``eligible``, ``need-zero``), in the order of ``codes``.

    The first region (in code order) whose lock or floor is above its eligible count, or
    whose floor is above its cap, raises :class:`InputError` naming the key and numbers
    (``tests/reference_impl.py`` keeps the rules written one region at a time, as a check).
    ``elig``: the eligible-count columns of
    :class:`~optimizer.eligible.EligibleCounts` (rows ``codes``; its frame will do too); ``shares``: need shares
    in the order of ``codes``; cap-above-eligible notices are appended to ``notices``.
    """
    n = len(codes)
    eligible = np.asarray(elig["eligible"], dtype=np.int64)
    locks, floors, caps = scenario.locks, scenario.floors, scenario.caps
    is_lock = np.array([c in locks for c in codes], dtype=bool) if locks else np.zeros(n, dtype=bool)
    lock_value = np.array([locks.get(c, 0) for c in codes], dtype=np.int64) if locks else np.zeros(n, np.int64)
    own_floor = np.array([floors.get(c, 0) for c in codes], dtype=np.int64) if floors else np.zeros(n, np.int64)
    floor = np.maximum(scenario.floor_all, own_floor)
    cap_all = -1 if scenario.cap_all is None else scenario.cap_all
    cap = np.array([caps.get(c, cap_all) for c in codes], dtype=np.int64) if caps else np.full(n, cap_all, np.int64)
    has_cap = cap >= 0
    bad_lock = is_lock & (lock_value > eligible)
    bad_floor = ~is_lock & (floor > eligible)
    bad_cap = ~is_lock & ~bad_floor & has_cap & (floor > cap)
    bad = np.flatnonzero(bad_lock | bad_floor | bad_cap)
    if bad.size:
        i = int(bad[0])
        code, size = codes[i], int(eligible[i])
        english = str(np.asarray(elig["eligible_source"])[i])
        indonesian = str(np.asarray(elig["eligible_source_id"])[i]) if "eligible_source_id" in elig else english
        source = ByLanguage(indonesian, english)
        if bad_lock[i]:
            lock = int(lock_value[i])
            raise InputError(
                "engine.constraints_locks_above_eligible", src=src, code=code, lock_value=lock, size=size, source=source
            )
        if bad_floor[i]:
            key = f"constraints.floors.{code}" if code in floors else "constraints.floor_all"
            low = int(floor[i])
            raise InputError(
                "engine.asks_recipients_above_eligible",
                src=src,
                key=key,
                floor=low,
                code=code,
                size=size,
                source=source,
            )
        raise InputError("engine.region_floor_above_cap", src=src, code=code, floor=int(floor[i]), cap=int(cap[i]))
    over = np.flatnonzero(~is_lock & has_cap & (cap > eligible))
    for i in over.tolist():
        notices.append(
            Notice.of(
                "cap_above_eligible",
                cap=Count(int(cap[i])),
                code=codes[i],
                eligible=Count(int(eligible[i])),
                pool=eligible_term(method),
            )
        )
    capped = has_cap & (cap < eligible)
    upper = np.where(capped, cap, eligible)
    kind = np.where(capped, "cap", "eligible").astype(object)
    need_zero = ~is_lock & (shares == 0.0)
    upper = np.where(need_zero, floor, upper)
    kind[need_zero] = "need-zero"
    lower = np.where(is_lock, lock_value, floor).astype(np.int64)
    upper = np.where(is_lock, lock_value, upper).astype(np.int64)
    kind[is_lock] = "lock"
    return lower, upper, kind


def binding_labels(problem: Problem, x: np.ndarray, kind: np.ndarray, saturated: bool) -> np.ndarray:
    """What limits each region's count (object array of the keys of :data:`BINDING_KINDS`).

    ``kind``: what sets each region's upper bound (:func:`region_bounds`). ``saturated``:
    the group got everything its regions can take (the caps, not the budget, limit its
    total), so a region at its upper bound is held there by that bound. One group of
    :func:`group_binding_labels`.
    """
    group = np.zeros(problem.n, dtype=np.int64)
    saturation = np.array([saturated], dtype=bool)
    return group_binding_labels(problem.method, problem.quota, problem.lower, problem.upper, x, kind, group, saturation)


def group_binding_labels(method: str, quota, lower, upper, x, kind, group, saturated) -> np.ndarray:
    """:func:`binding_labels` of many sibling groups at once (a single-level run is one group).

    ``quota``, ``lower``, ``upper``, ``x`` (recipients), ``kind`` and ``group`` (int in
    ``0..G-1``) have one entry per region, regions of a group in BPS order; ``saturated``:
    bool per group. Returns the labels (object array, one per region).
    """
    x = np.asarray(x, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    lower_active, upper_active = active_bounds_groups(method, quota, lower, upper, x, group, len(saturated))
    fixed = (kind == "lock") | (kind == "need-zero")
    at_upper = (x == upper) & (upper_active | saturated[group])
    out = np.full(len(x), "", dtype=object)
    out[at_upper] = kind[at_upper]  # 'cap' or 'eligible'
    out[lower_active] = "floor"
    out[fixed] = kind[fixed]
    return out
