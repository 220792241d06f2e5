"""The result of ``wrse plan``: :class:`Plan`, a verified multi-year plan, with its derived
per-year and per-region figures (grants, sessions, spending, entry year) and its long table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import Notice
from .base import Base
from .roadmap import Roadmap


@dataclass(frozen=True)
class Plan:
    """A verified multi-year plan.

    ``years``: planning years (m). ``x``: int64 (m, n) recipients; ``baseline``: int64 (n,)
    baseline-year counts. ``budgets_rp``: int64 (m,) budgets; ``quota``: float (m, n) yearly
    quotas (recipients). The regions (``codes``/``names``, n, BPS order), ``cost_rp`` and
    ``eligible`` (persons) are read from ``base``, ``session_rp`` from ``roadmap``.
    ``objective``: value of each objective stage. ``solver``/``status``/``optimal``: how it
    was solved; ``solves``: solver calls. ``notices``: what the user should know.
    """

    roadmap: Roadmap
    base: Base
    years: tuple[int, ...]
    x: np.ndarray
    baseline: np.ndarray
    budgets_rp: np.ndarray
    quota: np.ndarray
    objective: tuple[float, ...]
    solver: str
    status: str
    optimal: bool
    solves: int
    notices: tuple[Notice, ...]
    granted: np.ndarray | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The regions' BPS codes (n, BPS order): the base's."""
        return self.base.codes

    @property
    def names(self) -> tuple[str, ...]:
        """The regions' names (n): the base's."""
        return self.base.names

    @property
    def cost_rp(self) -> int:
        """Cost per recipient (int rupiah): the base's."""
        return self.base.cost_rp

    @property
    def session_rp(self) -> int:
        """Cost of one bimtek session (int rupiah): the roadmap's."""
        return self.roadmap.session_rp

    @property
    def eligible(self) -> np.ndarray:
        """int64 (n,): eligible persons per region, the base's."""
        return self.base.eligible

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
