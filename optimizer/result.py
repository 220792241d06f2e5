"""The one result type of every run and its table of regions.

:class:`Allocation` is what :func:`optimizer.engine.allocate` and
:func:`optimizer.hierarchy.allocate_hierarchical` return and what every consumer takes
(outputs, report, sweep, sensitivity, select, page); :class:`Levels` is the tree of a
hierarchical run; :func:`region_table` builds the per-unit table (:data:`REGION_COLUMNS`)
both runs fill.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .columnar import Columns, text
from .eligible import CountsFile
from .i18n import Notice
from .inputs.dataset import DataSet
from .money import format_rp
from .problem import Problem
from .scenario import Scenario
from .verify import Certificate

if TYPE_CHECKING:
    import pandas as pd

# What the split gives a region, in every table of regions (flat and by level).
SPLIT_COLUMNS = ["need_share", "quota", "lower", "upper", "recipients", "cost_rp"]

REGION_COLUMNS = [
    "region_code",
    "region_name",
    "included",
    "idg",
    "idg_year",
    "idg_status",
    "idg_gap",
    "poverty_rate",
    "poverty_year",
    "poverty_status",
    "eligible",
    "eligible_year",
    "eligible_status",
    "eligible_source",
    *SPLIT_COLUMNS,
    "coverage_pct",
    "binding",
]


@dataclass(frozen=True)
class Levels:
    """The tree of a hierarchical allocation: ``columns`` (:class:`~optimizer.columnar.Columns`,
    one row per region from the top down to the units, columns
    :data:`optimizer.hierarchy.NODE_COLUMNS`; :attr:`nodes`: the same as a DataFrame),
    ``levels`` (number of levels), ``groups`` (sibling groups split) and the split an analysis
    varies (``wrse sweep``/``sensitivity --hierarchical``, the report's weight draws): the first
    sibling group of more than one region from the top down. That is the top level when it has
    several regions; below a region that is alone at its level and passes its count on unchanged
    (its bounds the sums of its children's: Kalimantan Timur, the one province above its ten
    kabupaten/kota) it is the split of that region's count, which is the whole count. ``split``:
    that split's :class:`~optimizer.problem.Problem` as the engine solved it; ``split_level``:
    its level (0 at the top); ``split_weights``: the weights applied in it (sum 1, in
    :data:`optimizer.need.INDICATOR_COLUMNS` order), which differ from
    :attr:`Allocation.weights` (those of the units' splits) when a lower level drops an
    indicator (BPS publishes no IDG for desa); the requested weights when the split is of one
    region (nothing is split there)."""

    columns: Columns
    levels: int
    groups: int
    split: Problem
    split_level: int
    split_weights: MappingProxyType

    @property
    def split_parent(self) -> str:
        """The code of the region whose count :attr:`split` shares (``""`` for the top level)."""
        nodes = self.columns
        first = self.split.codes[0]
        codes = list(nodes["region_code"])
        return str(nodes["parent_code"][codes.index(first)])

    @cached_property
    def nodes(self) -> pd.DataFrame:
        """The regions of the tree as a pandas DataFrame (index 0..n-1; pandas imported here)."""
        return self.columns.to_frame()


@dataclass(frozen=True)
class Allocation:
    """A verified allocation and everything needed to explain it.

    ``region_columns``: :class:`~optimizer.columnar.Columns`, one row per unit of the data
    set (excluded ones with 0), columns :data:`REGION_COLUMNS` plus ``idg_source``,
    ``poverty_source``, ``idg_fallback``, ``poverty_fallback``, ``eligible_fallback``,
    ``eligible_source_id``, ``priority``, in BPS-code order (:func:`region_table`);
    :attr:`regions` is the same as a DataFrame (index 0..n-1). Money (``cost_rp``) is int rupiah;
    ``need_share`` a fraction, ``quota`` recipients (float), ``coverage_pct`` %.

    Scalars: ``budget_rp``, ``cost_per_recipient_rp``, ``leftover_rp`` (int rupiah);
    ``affordable`` (R) and ``allocated`` (T) recipients; ``weights`` as applied (sum 1)
    and ``weights_requested`` (normalised, before dropping zero-total indicators);
    ``idg_reference`` (index points) with its year and source; ``limited_by``:
    ``'budget'`` or ``'caps'`` (what limits the total); ``solver``, ``status``,
    ``optimal``; ``notices``: fallbacks, estimates, dropped weights, solver fallbacks.
    ``tree``: for a hierarchical run (:func:`optimizer.hierarchy.allocate_hierarchical`)
    the tree of regions (:class:`Levels`); ``regions`` then holds the units, each with its
    need share, quota and binding within its sibling group, ``problem`` is the top-level
    split and ``certificate`` sums the checks of every split. None for a single-level run.
    ``eligible_input``: the counts file used, as read at the edge (None when the counts
    come from the data set); its provenance is ``eligible_file``, ``eligible_sha256`` and
    ``eligible_sheet``.
    """

    scenario: Scenario
    data: DataSet
    region_columns: Columns
    budget_rp: int
    cost_per_recipient_rp: int
    affordable: int
    allocated: int
    leftover_rp: int
    weights: MappingProxyType
    weights_requested: MappingProxyType
    idg_reference: float
    idg_reference_year: int | None
    idg_reference_source: str
    method: str
    solver: str
    status: str
    optimal: bool
    limited_by: str
    notices: tuple[Notice, ...]
    eligible_method: str
    eligible_input: CountsFile | None
    problem: Problem
    certificate: Certificate
    tree: Levels | None = None

    def __repr__(self) -> str:
        kind = f"{self.levels} levels, " if self.tree is not None else ""
        return (
            f"<Allocation {self.scenario.name}: {self.allocated} recipients in "
            f"{int(self.region_columns['included'].sum())} regions, "
            f"{kind}{format_rp(self.spent_rp)} of {format_rp(self.budget_rp)}, {self.method}, {self.solver}"
            f"{'' if self.optimal else ', not proven optimal'}>"
        )

    @cached_property
    def regions(self) -> pd.DataFrame:
        """The regions as a pandas DataFrame (one row per unit of the data set, index 0..n-1,
        columns as :attr:`region_columns`), built when first asked for: pandas is imported
        then (a run that only writes its result does not need it)."""
        return self.region_columns.to_frame()

    def to_frame(self) -> pd.DataFrame:
        """The regions (one row per unit of the data set, see the class docstring), a copy."""
        return self.regions.copy()

    @property
    def included_columns(self) -> Columns:
        """The rows of the included regions, as :attr:`region_columns`."""
        return self.region_columns.take(self.region_columns["included"])

    @property
    def levels(self) -> int:
        """Levels split: 1 for a single-level run."""
        return self.tree.levels if self.tree is not None else 1

    @property
    def groups(self) -> int:
        """Sibling groups split: 1 for a single-level run."""
        return self.tree.groups if self.tree is not None else 1

    @property
    def nodes(self) -> pd.DataFrame:
        """Every region of a hierarchical allocation (see :data:`optimizer.hierarchy.NODE_COLUMNS`).

        Raises :class:`ValueError` for a single-level allocation (its rows are :attr:`regions`).
        """
        if self.tree is None:
            raise ValueError("a single-level allocation has no tree of regions; see its regions")
        return self.tree.nodes

    @property
    def node_columns(self) -> Columns:
        """:attr:`nodes` as :class:`~optimizer.columnar.Columns` (no pandas); ValueError as :attr:`nodes`."""
        if self.tree is None:
            raise ValueError("a single-level allocation has no tree of regions; see its regions")
        return self.tree.columns

    @property
    def units(self) -> pd.DataFrame:
        """The node rows of the allocation units (a hierarchical allocation's leaves)."""
        return self.nodes[self.nodes["unit"]]

    @property
    def included(self) -> pd.DataFrame:
        """The rows of the included regions."""
        return self.regions[self.regions["included"]]

    @property
    def eligible_file(self) -> Path | None:
        """The eligible-counts file used, or None."""
        return self.eligible_input.path if self.eligible_input is not None else None

    @property
    def eligible_sha256(self) -> str | None:
        """sha256 (hex) of the eligible-counts file as read, or None."""
        return self.eligible_input.sha256 if self.eligible_input is not None else None

    @property
    def eligible_sheet(self) -> str | None:
        """The XLSX sheet of the eligible-counts file read (None for a CSV or no file)."""
        return self.eligible_input.sheet if self.eligible_input is not None else None

    @property
    def spent_rp(self) -> int:
        """Rupiah allocated: ``allocated * cost_per_recipient_rp``."""
        return self.allocated * self.cost_per_recipient_rp

    def recipients(self) -> dict[str, int]:
        """``{region_code: recipients}`` for every unit of the data set."""
        columns = self.region_columns
        return dict(zip(columns["region_code"].tolist(), columns["recipients"].tolist(), strict=True))


def region_table(data, codes, idg, gaps, poverty, elig, shares, quota, lower, upper, x, binding, cost) -> Columns:
    """One row per unit of the data set (BPS order), see :class:`Allocation` for the columns.

    ``codes``: the included units (BPS order); the other arguments are per included unit:
    ``idg``/``poverty``: selected figures (mappings of columns value, year, status, source,
    fallback: :class:`~optimizer.inputs.years.Selected`), ``elig``: the eligible counts
    (:class:`~optimizer.eligible.EligibleCounts` or its columns), arrays of gaps, need shares,
    quotas, bounds, recipients and binding labels. ``cost``: int rupiah per recipient.
    """
    units = data.units
    all_codes = list(data.codes)
    if len(codes) == len(all_codes) and tuple(codes) == tuple(all_codes):  # every unit, in order
        position = np.arange(len(all_codes), dtype=np.int64)
    else:
        where = {code: i for i, code in enumerate(codes)}
        position = np.array([where.get(code, -1) for code in all_codes], dtype=np.int64)
    inc = position >= 0
    at = position[inc]
    n = len(units)
    every = len(at) == n and bool((at == np.arange(n)).all())  # every unit, in the data set's order

    def column(values, fill, dtype=None):
        values = np.asarray(values, dtype=dtype)
        if every:
            return values.copy()
        out = np.full(n, fill, dtype=values.dtype if dtype is None else dtype)
        out[inc] = values[at]
        return out

    def texts(values):
        return column(np.asarray(values, dtype=object), "", object)

    def values(frame, name, dtype):
        return np.asarray(frame[name], dtype=dtype)

    eligible = values(elig, "eligible", np.int64)
    recipients = np.asarray(x, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(eligible > 0, 100.0 * recipients / np.where(eligible > 0, eligible, 1), math.nan)
    columns = {
        "region_code": all_codes,
        "region_name": [u.name for u in units],
        "included": inc,
        "idg": column(values(idg, "value", float), math.nan),
        "idg_year": column(values(idg, "year", np.int64), 0),
        "idg_status": texts(values(idg, "status", object)),
        "idg_gap": column(np.asarray(gaps, dtype=float), math.nan),
        "poverty_rate": column(values(poverty, "value", float), math.nan),
        "poverty_year": column(values(poverty, "year", np.int64), 0),
        "poverty_status": texts(values(poverty, "status", object)),
        "eligible": column(eligible, 0) if inc.all() else column(eligible.astype(float), math.nan),
        "eligible_year": column(values(elig, "eligible_year", np.int64), 0),
        "eligible_status": texts(values(elig, "eligible_status", object)),
        "eligible_source": texts(values(elig, "eligible_source", object)),
        "need_share": column(np.asarray(shares, dtype=float), 0.0),
        "quota": column(np.asarray(quota, dtype=float), 0.0),
        "lower": column(np.asarray(lower).astype(np.int64), 0),
        "upper": column(np.asarray(upper).astype(np.int64), 0),
        "recipients": column(recipients, 0),
        "cost_rp": column(recipients * cost, 0),
        "coverage_pct": column(coverage, math.nan),
        "binding": np.where(inc, column(binding, "", object), "excluded").astype(object),
        "idg_source": texts(values(idg, "source", object)),
        "poverty_source": texts(values(poverty, "source", object)),
        "idg_fallback": column(values(idg, "fallback", bool), False),
        "poverty_fallback": column(values(poverty, "fallback", bool), False),
        "eligible_fallback": column(values(elig, "eligible_fallback", bool), False),
        "eligible_source_id": texts(values(elig, "eligible_source_id", object)),
        "priority": column(values(elig, "priority", np.int64), -1),
    }
    for name in (
        "region_code",
        "region_name",
        "idg_status",
        "poverty_status",
        "eligible_status",
        "eligible_source",
        "binding",
        "idg_source",
        "poverty_source",
        "eligible_source_id",
    ):  # text columns hold str only (as a DataFrame's astype(str) makes them)
        cells = columns[name] if isinstance(columns[name], list) else columns[name].tolist()
        if set(map(type, cells)) <= {str}:  # an object array made above is kept as it is
            columns[name] = columns[name] if isinstance(columns[name], np.ndarray) else text(cells)
        else:
            columns[name] = text([str(v) for v in cells])
    return Columns(columns)
