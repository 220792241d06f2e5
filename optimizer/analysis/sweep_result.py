"""The result of a budget sweep (:func:`optimizer.analysis.sweep.sweep`): the allocation at
every budget point (:class:`SweepResult`), the monotonicity violations found
(:class:`Violation`), the next recipients in line (:class:`NextUnit`) and the budget at
which each region enters (:class:`Entry`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..money import format_rp
from .base import Base


@dataclass(frozen=True)
class Violation:
    """A region that loses recipients when the budget grows (house monotonicity broken).

    ``budget_from_rp`` < ``budget_to_rp`` (int rupiah; the smallest budgets affording
    ``affordable_from`` and ``affordable_to`` recipients, or grid budgets when the check ran
    on the grid); ``count_from`` > ``count_to`` (recipients).
    """

    code: str
    name: str
    budget_from_rp: int
    budget_to_rp: int
    affordable_from: int
    affordable_to: int
    count_from: int
    count_to: int


@dataclass(frozen=True)
class NextUnit:
    """One step of the "next in line" list.

    ``recipient``: the total number of recipients after this step (persons).
    ``budget_rp``: the smallest budget at which it is funded (int rupiah); ``extra_rp``:
    that budget minus the current budget. ``gains``/``losses``: BPS codes of the regions
    that gain (lose) a recipient at this step (a loss only under largest remainder).
    """

    recipient: int
    budget_rp: int
    extra_rp: int
    gains: tuple[str, ...]
    losses: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """When a region first receives a recipient.

    ``budget_rp``: the smallest budget (int rupiah) at which it has at least one
    recipient, or None. ``affordable``: R at that budget. ``reason``: ``'share'`` (its need
    share brings it in), ``'floor'`` (a floor or lock gives it recipients as soon as the
    scenario is feasible), ``'never'`` (its upper bound is 0: cap, eligible count 0 or
    need share 0 without a floor), ``'beyond'`` (not within the scanned range).
    Under largest remainder a region can lose its recipients again at a larger budget;
    such drops are listed as violations of the sweep.
    """

    code: str
    name: str
    budget_rp: int | None
    affordable: int | None
    reason: str


@dataclass(frozen=True)
class SweepResult:
    """A budget sweep (see the module docstring).

    ``budgets_rp``, ``affordable``, ``allocated``: int arrays (P,) per point (rupiah,
    persons, persons). ``feasible``: bool array (P,). ``x``: int64 array (P, n), recipients
    per point and region (zeros at infeasible points). ``monotone``: no violation found;
    ``dense``: the check covered every R in ``checked_range`` (else only the grid).
    ``current_budget_rp``: the budget of the "next in line" list.
    """

    base: Base
    budgets_rp: np.ndarray
    affordable: np.ndarray
    allocated: np.ndarray
    feasible: np.ndarray
    x: np.ndarray
    monotone: bool
    dense: bool
    checked_range: tuple[int, int] | None
    violations: tuple[Violation, ...]
    current_budget_rp: int
    current_x: np.ndarray | None
    next_in_line: tuple[NextUnit, ...]
    entries: tuple[Entry, ...]
    verified_points: int
    resolved_points: int
    step_rp: int
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        budgets = self.budgets_rp
        span = f"{format_rp(int(budgets[0]))} to {format_rp(int(budgets[-1]))}" if len(budgets) else "no budgets"
        return (
            f"<SweepResult {len(budgets)} budgets, {span}, {self.method}, "
            f"{'monotone' if self.monotone else f'{len(self.violations)} violations'}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """:meth:`frame`: one row per budget point."""
        return self.frame()

    @property
    def method(self) -> str:
        """The apportionment method of the sweep."""
        return self.base.method

    def frame(self) -> pd.DataFrame:
        """One row per budget point.

        Columns: ``budget_rp`` (int rupiah), ``affordable`` (R), ``allocated`` (T),
        ``spent_rp``, ``leftover_rp`` (int rupiah), ``feasible`` (bool),
        ``regions_covered`` (regions with >= 1 recipient), then ``recipients_<code>`` per
        included region (persons). Infeasible points have 0 recipients and spend nothing.
        """
        cost = self.base.cost_rp
        allocated = np.where(self.feasible, self.allocated, 0)
        frame = pd.DataFrame(
            {
                "budget_rp": self.budgets_rp.astype(np.int64),
                "affordable": self.affordable.astype(np.int64),
                "allocated": allocated.astype(np.int64),
                "spent_rp": (allocated * cost).astype(np.int64),
                "leftover_rp": (self.budgets_rp - allocated * cost).astype(np.int64),
                "feasible": self.feasible,
                "regions_covered": (self.x > 0).sum(axis=1).astype(np.int64),
            }
        )
        for i, code in enumerate(self.base.codes):
            frame[f"recipients_{code}"] = self.x[:, i].astype(np.int64)
        return frame
