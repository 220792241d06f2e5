"""Small synthetic problems for the analysis tests (no data about people)."""

from __future__ import annotations

import numpy as np

from optimizer.analysis.base import Base

COST = 3_000_000
JUTA = 1_000_000


def make_base(shares, lower=None, upper=None, method="sainte-lague", cost=COST) -> Base:
    """A base over regions 0001, 0002, … with the given need shares and bounds."""
    shares = np.asarray(shares, dtype=float)
    n = len(shares)
    lower = np.zeros(n, dtype=np.int64) if lower is None else np.asarray(lower, dtype=np.int64)
    upper = np.full(n, 10_000, dtype=np.int64) if upper is None else np.asarray(upper, dtype=np.int64)
    upper = np.where(shares == 0, lower, upper)
    codes = tuple(f"{i + 1:04d}" for i in range(n))
    return Base(
        codes=codes,
        names=tuple(f"Region {c}" for c in codes),
        shares=shares,
        lower=lower,
        upper=upper,
        eligible=upper.copy(),
        cost_rp=cost,
        method=method,
    )


def tree_scenario(name: str, title: str) -> str:
    """A scenario for the small made-up trees of the hierarchical analysis tests: Rp 60 juta at the
    2023 SK grant (20 recipients), IDG and eligible weighed 50/50 (P0 0), IDG reference 72."""
    return f"""[scenario]
name = "{name}"
title = "{title}"
fiscal_year = 2027
budget = "60 juta"
[costs]
grant_year = 2023
[indicators]
idg_year = 2024
poverty_year = 2024
idg_reference = 72
[eligible]
source = "data"
year = 2024
[weights]
idg_gap = 50
poverty_rate = 0
eligible = 50
"""
