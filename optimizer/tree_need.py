"""Need at every level of a hierarchical run: each region's figures, its own or aggregated from
its children, and the need shares within each sibling group (:mod:`optimizer.hierarchy` splits
the counts with them).

Figures of a region that has children:

* ``eligible`` (the need basis and, summed, the upper bound): the region's own figure
  from the scenario's eligible source when the data set has one, else the sum over its
  children (NaN when a child has none);
* ``poverty_rate`` (P0): its own figure when present, else the population-weighted mean
  of its children's P0 (``sum P0_c * population_c / sum population_c``, population of
  the poverty year or the latest earlier one);
* ``idg``: its own figure only. IDG is an index computed by BPS from a region's own
  components, not an average of its parts, so it is never aggregated. The IDG gap of
  the children of a region is measured from that region's own IDG (the provincial IDG
  for the kabupaten/kota of a province, as in the single-province run); the top level,
  and a region without an IDG figure, use the scenario's numeric
  ``indicators.idg_reference`` (e.g. the national IDG).

The need formula over the siblings being split (the children of one region) is that of
:mod:`optimizer.need`. An indicator that has no figure for *any* of the siblings of a level
(BPS publishes no IDG for desa) drops out at that level with a notice, like an indicator that
totals 0; one missing for only some siblings is an error. A region that is the only child of
its parent gets its parent's whole count (its share is 1).

Every step is an array pass over the nodes (one per level for the aggregation) or one pass per
sibling group for the shares (the formula and its messages per group).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from . import competing
from .eligible import CountsFile, EligibleCounts
from .engine import COUNTED_METHODS, code_listing, eligible_counts, estimate_notices, fallback_notices
from .errors import InputError
from .i18n import Msg, Notice, indicator_term
from .inputs.dataset import DataSet
from .inputs.years import Selected, select_all_or_missing, select_or_missing
from .need import INDICATOR_COLUMNS, combine
from .scenario import Scenario
from .tree import Tree

MANY_FALLBACKS = 10  # above this many fallbacks of one indicator, one summary notice replaces the list


@dataclass(frozen=True)
class TreeNeed:
    """The figures and need shares of every node of a tree (arrays of ``tree.n``, float NaN or
    ``""`` where there is none).

    ``idg``, ``poverty``: the nodes' own selected figures (:class:`~optimizer.inputs.years.Selected`);
    ``counts``: the units' eligible counts (:class:`~optimizer.eligible.EligibleCounts`, in the
    order of ``unit_codes``); ``own_idg`` (index points), ``p0`` (%), ``p0_basis`` (``own``,
    ``aggregated``), ``population`` (persons), ``eligible`` (persons, float), ``eligible_basis``,
    ``eligible_estimate``, ``eligible_fallback`` (bool marks: an estimate, an earlier year than
    asked; a sum carries the marks of what it sums), ``eligible_year``; ``reference``: the IDG
    reference of each sibling group (``n + 1`` entries: the top level, then the children of node
    ``i`` at ``i + 1``); ``shares``: each node's need share within its group; ``group_weights``:
    ``{group: applied weights}`` for the groups of more than one region.
    """

    idg: Selected
    poverty: Selected
    counts: EligibleCounts
    unit_codes: list[str]
    own_idg: np.ndarray
    p0: np.ndarray
    p0_basis: np.ndarray
    population: np.ndarray
    eligible: np.ndarray
    eligible_basis: np.ndarray
    eligible_estimate: np.ndarray
    eligible_fallback: np.ndarray
    eligible_year: np.ndarray
    reference: np.ndarray
    shares: np.ndarray
    group_weights: dict[int, dict[str, float]]


def tree_need(
    tree: Tree,
    scenario: Scenario,
    data: DataSet,
    counts_file: CountsFile | None,
    src: str,
    requested: dict[str, float],
    notices: list[Notice],
) -> TreeNeed:
    """The figures and need shares of every node of ``tree`` (see the module docstring).

    ``scenario`` and ``data`` as :func:`optimizer.engine.prepare` returns them, ``counts_file``
    the eligible counts file read (or None), ``src`` naming the scenario in messages,
    ``requested`` the normalised weights. The notices of the figures used (fallbacks,
    estimates, competing figures, indicators dropped at a level) are appended to ``notices``.
    Raises :class:`InputError` (a figure missing for some siblings, a negative figure, no IDG
    reference for a group whose IDG counts, every weighted indicator missing in a group).
    """
    codes = list(tree.codes)
    n = tree.n
    unit = tree.unit
    fallback = scenario.allow_fallback

    # ---- figures: own, then aggregated bottom up
    idg, poverty, population = select_all_or_missing(
        data,
        [
            ("idg", scenario.idg_year, fallback),
            ("poverty_rate", scenario.poverty_year, fallback),
            ("population", scenario.poverty_year, True),
        ],
        codes,
    )
    code_text = idg["region_code"]  # codes as one object array (shared by the three selections)
    unit_codes = code_text[unit].tolist()
    counts = eligible_counts(scenario, data, unit_codes, counts_file, poverty["year"].tolist(), notices)
    names_by_code: dict[str, str] = {}

    def names(code: str) -> str:  # for the few notices that name a region
        if not names_by_code:
            names_by_code.update((r.code, r.name) for r in tree.regions)
        return names_by_code[code]

    for label, weight, frame, column, year_column, requested_year, codes_of in (
        ("IDG", requested["idg_gap"], idg, "fallback", "year", scenario.idg_year, codes),
        ("P0", requested["poverty_rate"], poverty, "fallback", "year", scenario.poverty_year, codes),
        ("eligible", 1.0, counts, "eligible_fallback", "eligible_year", scenario.eligible.year, unit_codes),
    ):
        if weight > 0:  # the figures of a weighted indicator (the eligible counts always)
            flags, used_years = np.asarray(frame[column], dtype=bool), np.asarray(frame[year_column])
            notices += fallback_notices(
                label, codes_of, flags, used_years, requested_year, names, MANY_FALLBACKS, counts.method
            )
    notices += estimate_notices(counts)
    if requested["idg_gap"] > 0:  # as the single level: named when IDG counts
        idg_years = idg["year"]
        some = idg_years != 0
        used = set(zip(code_text[some].tolist(), repeat("idg"), idg_years[some].tolist()))
        notices.extend(competing.notices(scenario.competing, used))

    eligible = np.full(n, math.nan)
    eligible[unit] = counts["eligible"].astype(float)
    inner = ~unit
    own_eligible = np.full(n, math.nan)
    if inner.any():
        own_eligible[inner] = _own_eligible(data, scenario, code_text[inner].tolist())
    p0 = poverty["value"].astype(float)  # (a copy)
    pop = population["value"].astype(float)
    p0_basis = np.where(np.isnan(p0), "", "own").astype(object)
    eligible_basis = np.where(unit, "own", "").astype(object)
    # Marks for outputs: an estimate (*) or an earlier year than asked (†); a parent's
    # aggregated count carries the marks of the counts it sums.
    eligible_estimate = np.zeros(n, dtype=bool)
    eligible_fallback = np.zeros(n, dtype=bool)
    eligible_year = np.zeros(n, dtype=np.int64)
    eligible_estimate[unit] = counts["eligible_status"] == "estimate"
    eligible_fallback[unit] = counts["eligible_fallback"]
    eligible_year[unit] = counts["eligible_year"]
    order = np.argsort(-tree.depth, kind="stable")  # deepest first
    parent = tree.parent
    for depth in sorted(set(tree.depth.tolist()), reverse=True):
        level = order[tree.depth[order] == depth]
        inner_here = level[~unit[level]]
        if inner_here.size == 0:
            continue
        children = np.flatnonzero(np.isin(parent, inner_here))
        members = parent[children]
        child_eligible = np.bincount(members, weights=np.nan_to_num(eligible[children]), minlength=n)
        missing_eligible = np.bincount(members, weights=np.isnan(eligible[children]), minlength=n) > 0
        child_pop = np.bincount(members, weights=np.nan_to_num(pop[children]), minlength=n)
        weighted = np.bincount(members, weights=np.nan_to_num(p0[children] * pop[children]), minlength=n)
        bad = np.isnan(p0[children]) | np.isnan(pop[children])
        missing_p0 = np.bincount(members, weights=bad, minlength=n) > 0
        any_estimate = np.bincount(members, weights=eligible_estimate[children], minlength=n) > 0
        any_fallback = np.bincount(members, weights=eligible_fallback[children], minlength=n) > 0
        has_own_count = ~np.isnan(own_eligible[inner_here])
        mine = inner_here[has_own_count]  # the region's own figure
        eligible[mine], eligible_basis[mine] = own_eligible[mine], "own"
        eligible_estimate[mine] = counts.method not in COUNTED_METHODS  # the parent's own proxy figure
        summed = inner_here[~has_own_count & ~missing_eligible[inner_here]]  # else its children's sum
        eligible[summed], eligible_basis[summed] = child_eligible[summed], "aggregated"
        eligible_estimate[summed] = any_estimate[summed]
        eligible_fallback[summed] = any_fallback[summed]
        complete = inner_here[~missing_p0[inner_here]]
        blank_pop = complete[np.isnan(pop[complete])]
        pop[blank_pop] = child_pop[blank_pop]
        mean = complete[np.isnan(p0[complete]) & (child_pop[complete] > 0)]
        p0[mean], p0_basis[mean] = weighted[mean] / child_pop[mean], "aggregated"

    # ---- need shares per sibling group, with the IDG reference of each group
    group = parent + 1  # 0: the top level
    n_groups = n + 1
    own_idg = np.asarray(idg["value"], dtype=float)
    reference = np.full(n_groups, math.nan)
    if scenario.idg_reference is not None:
        reference[:] = scenario.idg_reference
    own = ~np.isnan(own_idg)
    reference[1:][own] = own_idg[own]
    figure_years = {"idg_gap": scenario.idg_year, "poverty_rate": scenario.poverty_year, "eligible": None}
    shares, group_notices, group_weights = _group_shares(
        {"idg_gap": own_idg, "poverty_rate": p0, "eligible": eligible},
        reference,
        requested,
        group,
        n_groups,
        tree,
        src,
        figure_years,
        fallback,
        counts.method,
    )
    notices += group_notices
    return TreeNeed(
        idg=idg,
        poverty=poverty,
        counts=counts,
        unit_codes=unit_codes,
        own_idg=own_idg,
        p0=p0,
        p0_basis=p0_basis,
        population=pop,
        eligible=eligible,
        eligible_basis=eligible_basis,
        eligible_estimate=eligible_estimate,
        eligible_fallback=eligible_fallback,
        eligible_year=eligible_year,
        reference=reference,
        shares=shares,
        group_weights=group_weights,
    )


def _optional(data: DataSet, indicator: str, year: int | None, codes: list[str], allow_fallback: bool) -> Selected:
    """Like :func:`optimizer.inputs.years.select`, but a region without a usable figure gets
    NaN (value), 0 (year), ``""`` and False instead of an error."""
    return select_or_missing(data, indicator, year, codes, allow_fallback)


def _own_eligible(data: DataSet, scenario: Scenario, codes: list[str]) -> np.ndarray:
    """Regions' own eligible counts from the scenario's source (NaN where the data has none)."""
    spec, fallback = scenario.eligible, scenario.allow_fallback
    if spec.source == "data":
        return np.rint(_optional(data, "eligible", spec.year, codes, fallback)["value"])
    if spec.source == "proxy" and spec.proxy == "poor_population":
        return np.rint(_optional(data, "poor_population", spec.year, codes, fallback)["value"] * 1000)
    if spec.source == "proxy":
        rate = _optional(data, "poverty_rate", spec.year, codes, fallback)["value"]
        pop = _optional(data, "population", spec.population_year, codes, fallback)["value"]
        return np.rint(rate / 100 * pop)
    return np.full(len(codes), math.nan)  # a counts file gives units only


def _group_shares(
    values,
    reference,
    weights,
    group,
    n_groups,
    tree: Tree,
    src: str,
    years=None,
    fallback=False,
    eligible_method: str = "data",
):
    """Need shares within every sibling group (see the module docstring and :mod:`optimizer.need`).

    ``values``: ``{indicator: float array per node}`` with ``idg_gap`` holding the raw IDG
    (the gap is taken from the group's ``reference``). ``weights``: normalised weights.
    ``years``: the year asked for each indicator (for messages), ``fallback``: whether
    earlier years were allowed; ``eligible_method``: how the eligible figures were made (it names
    them in a notice). The formula itself is :func:`optimizer.need.combine`, as in
    the single-level run. Returns (shares per node, notices, ``{group: applied weights}``
    for the groups of more than one region).
    """
    n = tree.n
    shares = np.zeros(n)
    notices: list[Notice] = []
    group_weights: dict[int, dict[str, float]] = {}
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(sizes)))
    codes = tree.codes
    for g in np.flatnonzero(sizes).tolist():
        members = order[starts[g] : starts[g + 1]]
        if len(members) == 1:
            shares[members] = 1.0
            continue
        level = int(tree.depth[members[0]])
        where = "the top level" if g == 0 else f"the regions under {codes[g - 1]}"
        columns: dict[str, np.ndarray] = {}
        for key in INDICATOR_COLUMNS:
            weight = weights[key]
            if weight == 0:
                continue
            raw = values[key][members]
            if key == "idg_gap" and not np.isnan(raw).all():
                ref = reference[g]
                if np.isnan(ref):
                    raise InputError(
                        "hierarchy.need_idg_reference_indicators",
                        src=src,
                        where=where,
                        code_listing=code_listing([codes[i] for i in members], 5),
                        value=codes[g - 1] if g else Msg.of("error.hierarchy.their_parent"),
                    )
                raw = np.where(np.isnan(raw), math.nan, np.maximum(0.0, np.round(ref - raw, 10)))
            missing = np.isnan(raw)
            if missing.all():
                notices.append(
                    Notice.of(
                        "level_indicator_missing",
                        indicator=indicator_term(key),
                        level=level + 1,
                        weight=f"{weight:.0%}",
                    )
                )
                continue
            if missing.any():
                node = members[int(np.argmax(missing))]
                why = "" if tree.unit[node] else Msg.of("error.hierarchy.no_own_figure")
                year = (years or {}).get(key)
                if year is None:
                    what = Msg.of("error.hierarchy.a_value")
                else:
                    what = Msg.of(
                        "error.hierarchy.figure_or_earlier" if fallback else "error.hierarchy.figure", year=year
                    )
                hint = "" if year is None or fallback else Msg.of("error.hierarchy.fallback_hint")
                raise InputError(
                    "hierarchy.indicator_but_other_regions",
                    src=src,
                    key=key,
                    what=what,
                    codes=codes[node],
                    why=why,
                    where=where,
                    hint=hint,
                )
            if (raw < 0).any():
                raise InputError("hierarchy.indicator_negative", key=key, codes=codes[members[int(np.argmax(raw < 0))]])
            columns[key] = raw
        applied, _, group_shares, dropped = combine(columns, weights, eligible_method=eligible_method)
        notices.extend(dropped)
        if group_shares is None:
            raise InputError("hierarchy.every_weighted_indicator_missing", src=src, where=where)
        shares[members] = group_shares
        group_weights[g] = applied
    return shares, notices, group_weights
