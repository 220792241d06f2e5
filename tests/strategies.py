"""Hypothesis strategies for allocation problems (small enough for the MILP in tests), and
:data:`SMALL_PROBLEM`, the one fixed problem the solver tests share."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from optimizer.problem import METHODS, SAINTE_LAGUE, Problem

SMALL_PROBLEM = Problem(
    ("6401", "6402", "6403"),
    np.array([3.5, 2.1, 1.4]),
    np.zeros(3, dtype=np.int64),
    np.full(3, 100, dtype=np.int64),
    7,
    SAINTE_LAGUE,
)
"""Three regions, quotas 3.5, 2.1 and 1.4, no floors, caps of 100, 7 recipients, Sainte-Laguë."""


@st.composite
def problems(draw, max_regions: int = 7, max_total: int = 60, integer_weights: bool = True, methods=METHODS):
    """A random feasible :class:`Problem`.

    Need weights are small integers (so ties in exact arithmetic occur often: equal and
    proportional quotas), or arbitrary floats; bounds include zero-width (locked) ranges.
    """
    n = draw(st.integers(min_value=1, max_value=max_regions))
    if integer_weights:
        weights = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=float)
    else:
        weights = np.array(draw(st.lists(st.floats(0, 1, allow_nan=False), min_size=n, max_size=n)), dtype=float)
    if weights.sum() == 0:
        weights[0] = 1.0
    affordable = draw(st.integers(min_value=1, max_value=max_total))
    quota = weights / weights.sum() * affordable
    lower = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=np.int64)
    width = np.array(draw(st.lists(st.integers(0, max_total), min_size=n, max_size=n)), dtype=np.int64)
    upper = lower + width
    upper = np.where(quota == 0, lower, upper)
    if lower.sum() > affordable:
        lower = np.zeros(n, dtype=np.int64)
        upper = np.where(quota == 0, 0, upper)
    total = int(min(affordable, upper.sum()))
    codes = tuple(f"{6400 + i:04d}" for i in range(n))
    method = draw(st.sampled_from(methods))
    return Problem(codes, quota, lower, upper, total, method), affordable
