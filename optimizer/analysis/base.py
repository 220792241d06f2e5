"""The budget-independent part of a scenario's allocation problem.

A scenario's need shares, bounds (floors, caps, locks, eligible counts) and method do not
depend on its budget; only the number of affordable recipients ``R = budget // cost`` does,
through ``quota_r = need_share_r * R`` and the total ``T = min(R, sum of upper bounds)``
(see :mod:`optimizer.engine`). :class:`Base` holds that part, taken from one verified
:func:`optimizer.engine.allocate` call, so every analysis rebuilds the engine's problem for
any budget bit for bit (the same float products ``share * R``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..eligible import CountsFile
from ..engine import Allocation, allocate, region_bounds
from ..inputs.dataset import DataSet
from ..problem import Problem
from ..scenario import Scenario, reference


@dataclass(frozen=True)
class Base:
    """A scenario's problem without its budget.

    ``codes``/``names``: the included regions in BPS-code order (n of them).
    ``shares``: float array (n,), need shares summing to 1. ``lower``/``upper``: int64
    arrays (n,), recipients. ``eligible``: int64 array (n,), persons.
    ``cost_rp``: integer rupiah per recipient (grant + bimtek per recipient).
    ``method``: ``'sainte-lague'`` or ``'largest-remainder'``.
    ``allocation``: the engine's verified allocation at ``reference_budget_rp`` (the
    scenario's budget, raised to the floors' cost when the floors need more); None for a
    base built directly from arrays (tests, notebooks). ``open_upper``: int64 array (n,),
    the upper bound a region would have with a positive need share (its cap, lock or
    eligible count; the engine holds a region with need share 0 at its floor); None means
    ``upper``.
    """

    def __post_init__(self) -> None:
        n = len(self.codes)
        if list(self.codes) != sorted(self.codes):
            raise ValueError("codes must be sorted (BPS order is the tie-break rank)")
        for name in ("names", "shares", "lower", "upper", "eligible"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} must have one entry per region")
        if self.cost_rp <= 0:
            raise ValueError("cost per recipient must be positive")
        if np.any(self.lower > self.upper):
            raise ValueError("lower bound above upper bound")
        if np.any((self.shares == 0) & (self.lower != self.upper)):
            raise ValueError("a region with need share 0 must have lower == upper (the engine holds it at its floor)")

    codes: tuple[str, ...]
    names: tuple[str, ...]
    shares: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    eligible: np.ndarray
    cost_rp: int
    method: str
    reference_budget_rp: int = 0
    allocation: Allocation | None = None
    open_upper: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of included regions."""
        return len(self.codes)

    @property
    def scenario(self) -> Scenario | None:
        """The scenario (with the method actually used), or None for a base built from arrays."""
        return self.allocation.scenario if self.allocation is not None else None

    @property
    def floor_total(self) -> int:
        """Recipients that floors and locks require (persons)."""
        return int(self.lower.sum())

    @property
    def floor_budget_rp(self) -> int:
        """Smallest budget (int rupiah) that pays for the floors and locks; 0 when there are none."""
        return self.floor_total * self.cost_rp

    @property
    def capacity(self) -> int:
        """Most recipients the bounds allow (sum of upper bounds, persons)."""
        return int(self.upper.sum())

    def upper_for(self, shares: np.ndarray) -> np.ndarray:
        """Upper bounds (int64, same shape as ``shares``) for other need shares: the floor where a share is 0."""
        open_upper = self.upper if self.open_upper is None else self.open_upper
        return np.where(np.asarray(shares) == 0, self.lower, open_upper).astype(np.int64)

    def affordable(self, budget_rp: int) -> int:
        """``R = budget // cost`` (persons) for an integer-rupiah budget."""
        return int(budget_rp) // self.cost_rp

    def total(self, affordable: int) -> int:
        """``T = min(R, sum of upper bounds)``: recipients placed when R are affordable."""
        return min(int(affordable), self.capacity)

    def feasible(self, affordable: int) -> bool:
        """True when R affordable recipients pay for the floors and locks."""
        return int(affordable) >= self.floor_total

    def quota(self, affordable: int) -> np.ndarray:
        """Quotas (recipients, float array (n,)) at R affordable: ``share * R`` as the engine computes them."""
        return np.array([float(s) * int(affordable) for s in self.shares])

    def problem(self, affordable: int) -> Problem | None:
        """The engine's problem at R affordable recipients, or None when R is 0 (nothing to place).

        Raises ``ValueError`` when R does not pay for the floors (check :meth:`feasible`).
        """
        if not self.feasible(affordable):
            raise ValueError(f"{affordable} affordable recipients do not pay for the floors ({self.floor_total})")
        if affordable == 0:
            return None
        return Problem(
            codes=self.codes,
            quota=self.quota(affordable),
            lower=self.lower.copy(),
            upper=self.upper.copy(),
            total=self.total(affordable),
            method=self.method,
        )


def floors_required(scenario: Scenario, codes: tuple[str, ...]) -> int:
    """Recipients the scenario's floors and locks require over ``codes`` (persons)."""
    total = 0
    for code in codes:
        if code in scenario.locks:
            total += scenario.locks[code]
        else:
            total += max(scenario.floor_all, scenario.floors.get(code, 0))
    return total


def build(
    scenario: Scenario,
    data: DataSet,
    eligible: CountsFile | None = None,
    *,
    method: str | None = None,
    budget_rp: int | None = None,
    strict: bool = False,
    hierarchical: bool = False,
) -> Base:
    """The budget-independent problem of ``scenario`` (see :class:`Base`).

    ``budget_rp`` replaces the scenario's budget as the reference (int rupiah); when the
    floors and locks cost more, the reference is raised to their cost so the engine can
    solve it (the analyses then report budgets below it as infeasible, not as errors);
    with ``strict=True`` it is not raised and such a budget is an error, as in ``wrse run``.
    ``eligible``: the counts file read at the edge (:func:`optimizer.compose.load_eligible`),
    or None. ``method`` replaces the scenario's method. ``hierarchical``: allocate level by
    level (:func:`optimizer.hierarchy.allocate_hierarchical`, as ``wrse run --hierarchical``)
    and take the first split of more than one region (see :func:`from_allocation`). Raises what the engine raises
    (:class:`~optimizer.errors.InputError`, :class:`~optimizer.errors.InfeasibleError`).
    """
    cost = scenario.cost_per_recipient_rp
    reference = budget_rp if budget_rp is not None else scenario.budget_rp
    if hierarchical:
        from ..errors import InfeasibleError
        from ..hierarchy import allocate_hierarchical

        reference = reference if strict else max(reference, cost)
        try:
            allocation = allocate_hierarchical(scenario, data, eligible, budget_rp=reference, method=method)
        except InfeasibleError as exc:  # the floors and locks of the tree cost more than the reference
            if strict or exc.key != "hierarchy.floors_locks_need_recipients":
                raise
            reference = int(exc.params["need_rp"])
            allocation = allocate_hierarchical(scenario, data, eligible, budget_rp=reference, method=method)
        return from_allocation(allocation)
    codes = tuple(scenario.include) if scenario.include is not None else data.codes
    if not strict:
        reference = max(reference, floors_required(scenario, codes) * cost, cost)
    return from_allocation(allocate(scenario, data, eligible, budget_rp=reference, method=method))


def from_allocation(allocation: Allocation) -> Base:
    """The budget-independent problem of a verified allocation, at its budget as the reference.

    A single-level allocation gives its included regions. A hierarchical one
    (``allocation.tree`` set) gives the split an analysis varies (:attr:`Levels.split
    <optimizer.result.Levels>`): the top-level regions when there are several, else the
    regions under the one top-level region that passes its count on unchanged (Kalimantan
    Timur's ten kabupaten/kota under the province), and so on down. That split shares ``T =
    min(R, sum of upper bounds)`` with quotas ``need_share * R`` exactly as a single-level run
    does (the region above it, alone at its level, takes all ``T``); every region's count is
    then split among the regions below it, as the hierarchical run does. With Sainte-Laguë
    every split is house monotone, so a larger budget takes a recipient from no region at any level.
    """
    problem = analysed_problem(allocation)
    rows = split_rows(allocation)
    scenario = allocation.scenario
    if allocation.tree is not None and not bool(rows["unit"].all()):
        open_upper = None  # a region with children has its children's sums as bounds
    else:
        # the engine's upper bounds for a positive need share (its rule holds a region of
        # share 0 at its floor; a draw may give that region a share)
        units = allocation.included.set_index("region_code").loc[list(problem.codes)]
        ones = np.ones(len(problem.codes))
        open_upper = region_bounds(scenario, problem.codes, units, ones, reference(scenario), [])[1]
    return Base(
        allocation=allocation,
        codes=problem.codes,
        names=tuple(str(v) for v in rows["region_name"]),
        shares=np.array([float(v) for v in rows["need_share"]]),
        lower=problem.lower.astype(np.int64).copy(),
        upper=problem.upper.astype(np.int64).copy(),
        eligible=np.array([int(v) for v in rows["eligible"]], dtype=np.int64),
        cost_rp=allocation.cost_per_recipient_rp,
        method=allocation.method,
        reference_budget_rp=allocation.budget_rp,
        open_upper=open_upper,
    )


def analysed_problem(allocation: Allocation) -> Problem:
    """The split an analysis of ``allocation`` varies: its problem (single level), or the
    hierarchy's :attr:`~optimizer.result.Levels.split` (see :func:`from_allocation`)."""
    return allocation.tree.split if allocation.tree is not None else allocation.problem


def split_rows(allocation: Allocation) -> pd.DataFrame:
    """The rows of the split an analysis varies (:func:`analysed_problem`), in the problem's
    (BPS) order: the included regions of a single-level allocation (:attr:`Allocation.included`),
    or the regions of a hierarchical one's :attr:`~optimizer.result.Levels.split` (their rows of
    :attr:`Allocation.nodes`, indexed by code, with ``idg_reference`` that split's and
    ``poverty_rate``/``eligible`` aggregated where a region has no own figure). Columns used:
    ``region_name``, ``need_share``, ``eligible``, ``idg``, ``poverty_rate``, ``recipients``.
    """
    codes = analysed_problem(allocation).codes
    if allocation.tree is not None:
        return allocation.nodes.set_index("region_code").loc[list(codes)]
    rows = allocation.included
    if tuple(rows["region_code"]) != codes:  # pragma: no cover - the engine keeps BPS order
        raise ValueError("the engine's region table is not in the problem's order")
    return rows
