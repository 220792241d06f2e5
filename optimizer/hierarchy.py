"""Hierarchical allocation: province totals first, then kabupaten/kota within each province,
then desa/kelurahan within each kabupaten/kota, with the same method at every level.

The regions of a data set form a tree: a region's parent is its ``parent_code`` when the
file gives one (it must be a proper prefix of the region's code) and otherwise the
longest proper prefix of its code that is a region of the data set (``6403010001`` ->
``6403`` -> ``64``); a ``parent_code`` absent from the file still becomes a node (its
figures are then aggregated from its children). The units of the data set (the regions
without children) are the leaves.

Allocation, top down:

1. the budget buys ``R = budget // cost`` recipients; the top-level regions (those with no
   parent) share ``T = min(R, sum of their upper bounds)`` of them with quotas
   ``need_share * R``, exactly as :func:`optimizer.engine.allocate` does for units;
2. every region's count is then split among its children, with quotas ``need_share *
   count`` and the same method, floors, caps and tie rule (lower BPS code first); and so
   on down to the units. Each split is one group of the structured solver
   (:func:`optimizer.apportion.solve_groups`, all groups of a level at once), or the
   PuLP model per group with ``--solver cbc|highs``.

So the sum over the children of every region equals that region's count (checked, as
is every group's optimality, by :func:`optimizer.verify.verify_groups`).

Need at each level: the need formula of :mod:`optimizer.need` over the siblings being
split (the children of one region), with a parent's figures its own or aggregated from its
children, and the IDG gap measured from the parent's own IDG (:mod:`optimizer.tree_need`).

Bounds: ``floor_all`` and ``cap_all`` apply to the units; ``floors``, ``caps`` and
``locks`` may name a region at any level. A region's lower bound is the larger of its
own floor and the sum of its children's lower bounds; its upper bound the smaller of its
own cap and the sum of its children's upper bounds (so the split below it is feasible); a
lock fixes both (and must lie between those sums).

Entry point: :func:`optimizer.engine.allocate` with ``hierarchical=True`` (or
:func:`allocate_hierarchical`), which prepares the run as for a single level and calls
:func:`allocate_levels`. The tree itself is :mod:`optimizer.tree`.

The steps it shares with the single-level run (prepare, notices of the figures used, need
formula, bounds of units, solve, verify, binding labels, region table, result) are those of
:mod:`optimizer.engine`, :mod:`optimizer.need`, :mod:`optimizer.verify` and
:mod:`optimizer.result`, written once. Every step is an array pass over the nodes or one call
for all sibling groups of a level or of the whole tree (the independent check of every split,
:func:`optimizer.verify.verify_groups`).
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from .apportion import solve_groups
from .columnar import Columns, text
from .eligible import CountsFile
from .engine import (
    Allocation,
    Levels,
    allocation,
    cap_notices,
    group_binding_labels,
    opening_notices,
    region_bounds,
    region_table,
    solve,
)
from .errors import InfeasibleError, InputError, VerificationError
from .i18n import Count, Rupiah, Status
from .inputs.dataset import DataSet
from .problem import Problem
from .result import SPLIT_COLUMNS
from .scenario import Scenario
from .tree import Tree, build_tree, included_tree
from .tree_need import tree_need
from .verify import Certificate, verify_groups

NODE_COLUMNS = [
    "region_code",
    "region_name",
    "region_type",
    "level",
    "parent_code",
    "unit",
    "idg",
    "idg_year",
    "idg_reference",
    "idg_gap",
    "poverty_rate",
    "poverty_year",
    "poverty_basis",
    "population",
    "eligible",
    "eligible_basis",
    "eligible_year",
    "eligible_status",
    "eligible_fallback",
    "idg_status",
    "idg_fallback",
    "poverty_status",
    "poverty_fallback",
    *SPLIT_COLUMNS,
    "binding",
]


HierarchicalAllocation = Allocation
"""The result of :func:`allocate_hierarchical`: the one result type, :class:`optimizer.engine.Allocation`,
with its ``tree`` set (``nodes``, ``levels``, ``groups``; ``units``: the leaves' node rows)."""


def allocate_hierarchical(scenario: Scenario, data: DataSet, eligible: CountsFile | None = None, **options):
    """:func:`optimizer.engine.allocate` with ``hierarchical=True``: the same keyword options
    (``budget_rp``, ``method``, ``solver``, ``time_limit``) and the same result type."""
    from .engine import allocate

    return allocate(scenario, data, eligible, hierarchical=True, **options)


def allocate_levels(
    scenario: Scenario, data: DataSet, counts_file: CountsFile | None, src: str, solver: str, time_limit: float | None
) -> Allocation:
    """Allocate a prepared run's budget level by level down the tree of ``data``'s regions.

    ``scenario`` and ``data`` as :func:`optimizer.engine.prepare` returns them (overrides and
    competing figures applied), ``src`` naming the scenario in messages; ``solver`` and
    ``time_limit`` as :func:`optimizer.engine.allocate` takes them. ``scenario.include`` may
    name regions at any level (a region stands for every unit below it). See the module
    docstring for the rules. Returns a verified :class:`~optimizer.engine.Allocation` (the
    result type of every run) whose ``tree`` holds the regions at every level; its
    ``regions`` are the units, with need shares, quotas and binding labels within their
    sibling groups.

    Raises :class:`InputError` (unknown region, a figure missing for some siblings, a
    lock or floor that the regions below cannot meet, no IDG reference for the top
    level), :class:`InfeasibleError` (floors and locks above the budget),
    :class:`~optimizer.errors.SolverError` and :class:`VerificationError`.
    """
    tree = included_tree(build_tree(data), scenario, src, data.label)
    codes = list(tree.codes)
    n = tree.n
    unit = tree.unit
    requested, notices = opening_notices(scenario, data)

    need = tree_need(tree, scenario, data, counts_file, src, requested, notices)
    idg, poverty, counts, unit_codes, shares = need.idg, need.poverty, need.counts, need.unit_codes, need.shares
    own_idg, p0, p0_basis, pop, eligible = need.own_idg, need.p0, need.p0_basis, need.population, need.eligible
    parent = tree.parent
    group = parent + 1  # 0: the top level
    n_groups = n + 1
    reference, has_own, group_weights = need.reference, ~np.isnan(own_idg), need.group_weights
    idg_reference = reference[group]
    idg_gap = np.where(np.isnan(own_idg), math.nan, np.maximum(0.0, idg_reference - own_idg))

    # ---- bounds: units as in the single-level run, then sums bottom up
    cost = scenario.cost_per_recipient_rp
    affordable = scenario.budget_rp // cost
    unit_index = np.flatnonzero(unit)
    leaf_lower, leaf_upper, leaf_kind = region_bounds(
        scenario, tuple(unit_codes), counts.columns, shares[unit_index], src, notices, counts.method
    )
    lower = np.zeros(n, dtype=np.int64)
    upper = np.zeros(n, dtype=np.int64)
    kind = np.full(n, "", dtype=object)
    lower[unit_index], upper[unit_index], kind[unit_index] = leaf_lower, leaf_upper, leaf_kind
    _inner_bounds(tree, scenario, shares, lower, upper, kind, src)
    roots = np.flatnonzero(parent < 0)
    if int(lower[roots].sum()) > affordable:
        need_rp = int(lower[roots].sum()) * cost
        raise InfeasibleError(
            "hierarchy.floors_locks_need_recipients",
            src=src,
            floors=Count(int(lower[roots].sum())),
            need_rp=Rupiah(need_rp),
            budget_rp=Rupiah(scenario.budget_rp),
            affordable=Count(affordable),
            cost_rp=Rupiah(cost),
        )
    total = min(affordable, int(upper[roots].sum()))

    # ---- top down, one level at a time
    x = np.zeros(n, dtype=np.int64)
    quota = np.zeros(n)
    depths = sorted(set(tree.depth.tolist()))
    solver_names, statuses, optimal = set(), set(), True
    n_split = 0
    for depth in depths:
        members = np.flatnonzero(tree.depth == depth)
        base = np.where(parent[members] < 0, affordable, x[np.maximum(parent[members], 0)])
        quota[members] = shares[members] * base
        members = members[base > 0]  # the children of a region given 0 stay at 0 (their floors are 0)
        if members.size == 0:
            continue
        group_ids, local = np.unique(group[members], return_inverse=True)
        totals = np.array([total if g == 0 else int(x[g - 1]) for g in group_ids.tolist()], dtype=np.int64)
        n_split += len(group_ids)
        if solver in ("auto", "exact"):
            x[members] = solve_groups(scenario.method, quota[members], lower[members], upper[members], local, totals)
            solver_names.add("exact")
            statuses.add(Status.of("optimal"))
        else:
            for g in range(len(group_ids)):
                where = members[local == g]
                problem = _problem(codes, where, quota, lower, upper, int(totals[g]), scenario.method)
                result, name, status, proven, extra = solve(problem, solver, time_limit)
                x[where] = result
                solver_names.add(name)
                statuses.add(status)
                optimal &= proven
                notices.extend(extra)

    # ---- independent checks: every split, and every sum
    region_codes = text(codes)
    limited_by = "caps" if total < affordable else "budget"
    top_problem = _problem(codes, roots, quota, lower, upper, total, scenario.method)
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(sizes)))
    split = np.concatenate(([total], x))  # the count each group shares: the total, then each region's
    shared_count = (sizes > 0) & (split > 0)
    checked = np.flatnonzero(shared_count)
    members = order[shared_count[group[order]]]
    counts_split = split[checked].tolist()
    budgets, afford = [c * cost for c in counts_split], list(counts_split)
    if checked.size and checked[0] == 0:  # the top level: the budget and R; below, a region's count
        budgets[0], afford[0] = scenario.budget_rp, affordable
    optimal_splits, ties_kept = verify_groups(
        scenario.method,
        region_codes[members],
        quota[members],
        lower[members],
        upper[members],
        x[members],
        np.cumsum(sizes[checked]) - sizes[checked],
        totals=counts_split,
        budgets_rp=budgets,
        cost_per_recipient_rp=cost,
        affordable=afford,
    )
    # the top level as in the single-level run; below, a region given everything its children can take
    upper_sum = np.zeros(n_groups, dtype=np.int64)
    np.add.at(upper_sum, group, upper)
    # the split an analysis varies (Levels.split): down from the top through a region alone at
    # its level that passes its count on unchanged (its bounds its children's sums)
    lower_sum = np.zeros(n_groups, dtype=np.int64)
    np.add.at(lower_sum, group, lower)
    analysed = 0
    while sizes[analysed] == 1:
        (alone,) = order[starts[analysed] : starts[analysed + 1]].tolist()
        below = alone + 1  # the group of its children
        if unit[alone] or (lower[alone], upper[alone]) != (lower_sum[below], upper_sum[below]):
            break
        analysed = below
    split_members = order[starts[analysed] : starts[analysed + 1]]
    split_problem = _problem(codes, split_members, quota, lower, upper, int(split[analysed]), scenario.method)
    saturated = split == upper_sum
    saturated[0] = limited_by == "caps"
    binding = np.full(n, "", dtype=object)
    shared = np.flatnonzero(split[group] > 0)
    binding[shared] = group_binding_labels(
        scenario.method, quota[shared], lower[shared], upper[shared], x[shared], kind[shared], group[shared], saturated
    )
    children_sum = np.bincount(parent[parent >= 0], weights=x[parent >= 0], minlength=n).astype(np.int64)
    bad = np.flatnonzero(~unit & (children_sum != x))
    if bad.size:
        i = int(bad[0])
        raise VerificationError(
            "hierarchy.region_got_recipients_but", codes=codes[i], x=x[i], children_sum=children_sum[i]
        )
    if int(x[roots].sum()) != total:
        raise VerificationError("hierarchy.recipients_placed_top_level", sum=int(x[roots].sum()), total=total)
    if limited_by == "caps":
        notices.extend(cap_notices(total, scenario.budget_rp, cost, counts.method))

    parent_codes = [codes[p] if p >= 0 else "" for p in parent.tolist()]
    node_columns = dict(
        {
            "region_code": region_codes,
            "region_name": text([r.name for r in tree.regions]),
            "region_type": text([r.type for r in tree.regions]),
            "level": tree.depth,
            "parent_code": text(parent_codes),
            "unit": unit,
            "idg": own_idg,
            "idg_year": idg["year"],
            "idg_reference": idg_reference,
            "idg_gap": idg_gap,
            "poverty_rate": p0,
            "poverty_year": np.where(p0_basis == "own", poverty["year"], 0),
            "poverty_basis": p0_basis,
            "population": pop,
            "eligible": eligible,
            "eligible_basis": need.eligible_basis,
            "eligible_year": need.eligible_year,
            "eligible_status": np.where(
                need.eligible_estimate, "estimate", np.where(np.isnan(eligible), "", "published")
            ).astype(object),
            "eligible_fallback": need.eligible_fallback,
            "idg_status": idg["status"],
            "idg_fallback": idg["fallback"],
            "poverty_status": np.where(p0_basis == "own", poverty["status"], "").astype(object),
            "poverty_fallback": (p0_basis == "own") & poverty["fallback"],
            "need_share": shares,
            "quota": quota,
            "lower": lower,
            "upper": upper,
            "recipients": x,
            "cost_rp": x * cost,
            "binding": binding,
        }
    )
    nodes = Columns({name: node_columns[name] for name in NODE_COLUMNS})
    allocated = int(x[roots].sum())
    unit_groups = sorted(set(group[unit_index].tolist()))
    applied = {tuple(group_weights[g].items()) for g in unit_groups if g in group_weights}
    weights = dict(applied.pop()) if len(applied) == 1 else requested
    references = set(reference[unit_groups].tolist())
    unit_reference = references.pop() if len(references) == 1 else math.nan
    reference_year, reference_source = None, ""
    if scenario.idg_reference is not None:
        reference_source = "scenario (indicators.idg_reference)"
    elif len(unit_groups) == 1 and unit_groups[0] > 0 and has_own[unit_groups[0] - 1]:
        owner = unit_groups[0] - 1
        reference_year, reference_source = int(idg["year"][owner]), str(idg["source"][owner])
    unit_gaps = np.where(
        np.isnan(own_idg[unit_index]),
        math.nan,
        np.maximum(0.0, np.round(idg_reference[unit_index] - own_idg[unit_index], 10)),
    )
    regions = region_table(
        data,
        tuple(unit_codes),
        idg.columns.take(unit_index),
        unit_gaps,
        poverty.columns.take(unit_index),
        counts.columns,
        shares[unit_index],
        quota[unit_index],
        lower[unit_index],
        upper[unit_index],
        x[unit_index],
        binding[unit_index],
        cost,
    )
    certificate = Certificate(
        total=allocated,
        cost_rp=allocated * cost,
        optimal=bool(optimal_splits.all()),
        tie_rule_kept=bool(ties_kept.all()),
    )
    return allocation(
        scenario,
        data,
        regions,
        counts,
        counts_file,
        requested,
        notices,
        allocated=allocated,
        affordable=affordable,
        weights=weights,
        reference=(unit_reference, reference_year, reference_source),
        solved=("+".join(sorted(solver_names)), Status.combined(sorted(statuses)), optimal),
        limited_by=limited_by,
        problem=top_problem,
        certificate=certificate,
        tree=Levels(
            columns=nodes,
            levels=len(depths),
            groups=n_split,
            split=split_problem,
            split_level=int(tree.depth[split_members[0]]),
            split_weights=MappingProxyType(dict(group_weights.get(analysed, requested))),
        ),
    )


def _inner_bounds(tree: Tree, scenario: Scenario, shares, lower, upper, kind, src: str) -> None:
    """Bounds of the regions with children, from their children and their own floors, caps, locks."""
    parent = tree.parent
    codes = tree.codes
    for depth in sorted(set(tree.depth.tolist()), reverse=True):
        here = np.flatnonzero((tree.depth == depth) & ~tree.unit)
        if here.size == 0:
            continue
        below = np.flatnonzero(np.isin(parent, here))
        low = np.bincount(parent[below], weights=lower[below], minlength=tree.n).astype(np.int64)
        high = np.bincount(parent[below], weights=upper[below], minlength=tree.n).astype(np.int64)
        for i in here.tolist():
            code = codes[i]
            lo, hi, k = int(low[i]), int(high[i]), "eligible"
            if code in scenario.locks:
                lock = scenario.locks[code]
                if not lo <= lock <= hi:
                    raise InputError(
                        "hierarchy.constraints_locks_regions_under", src=src, code=code, lock=lock, lo=lo, hi=hi
                    )
                lower[i] = upper[i] = lock
                kind[i] = "lock"
                continue
            floor = scenario.floors.get(code)
            cap = scenario.caps.get(code)
            if floor is not None:
                if floor > hi:
                    raise InputError(
                        "hierarchy.constraints_floors_asks_recipients", src=src, code=code, floor=floor, hi=hi
                    )
                lo = max(lo, floor)
            if cap is not None:
                if cap < lo:
                    raise InputError("hierarchy.constraints_caps_regions_under", src=src, code=code, cap=cap, lo=lo)
                if cap < hi:
                    hi, k = cap, "cap"
            if shares[i] == 0.0:
                hi, k = lo, "need-zero"
            lower[i], upper[i], kind[i] = lo, hi, k


def _problem(codes, where, quota, lower, upper, total, method) -> Problem:
    return Problem(
        codes=tuple(codes[i] for i in where.tolist()),
        quota=quota[where],
        lower=lower[where],
        upper=upper[where],
        total=total,
        method=method,
    )
