"""What the report says, computed: numbers and facts derived from engine results, without words.

Each function takes :class:`~optimizer.engine.Allocation` objects (and the variants computed
from them) and returns numbers, region codes or small dataclasses; the section builders
(:mod:`.content` and the ``sections_*`` modules) turn them into sentences and tables.
Nothing here formats text or chooses a language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..engine import Allocation
from ..need import INDICATOR_COLUMNS
from ..problem import SAINTE_LAGUE


def names_of(allocation: Allocation) -> dict[str, str]:
    data = allocation.data
    return {code: data.region(code).display_name for code in allocation.regions["region_code"]}


def row_of(allocation: Allocation, code: str) -> pd.Series:
    frame = allocation.regions
    return frame[frame["region_code"] == code].iloc[0]


def covered(allocation: Allocation) -> int:
    return int((allocation.regions["recipients"] > 0).sum())


def first(scored) -> str:
    """The code with the largest score; ties go to the lower BPS code (the engine's tie rule)."""
    return min(scored, key=lambda item: (-item[0], item[1]))[1]


def changes(base: Allocation, other: Allocation) -> dict[str, int]:
    mine, theirs = base.recipients(), other.recipients()
    return {code: theirs.get(code, 0) - n for code, n in mine.items()}


@dataclass(frozen=True)
class WorkedExample:
    """The need formula for one region, recomputed from the allocation's table.

    ``components``: per weighted indicator (``idg_gap``, ``poverty_rate``, ``eligible``):
    (value for the region, total over the included regions, share of total, applied
    weight, contribution = weight x share). ``need_share`` = sum of contributions;
    ``quota`` = need_share x R (recipients).
    """

    code: str
    components: dict[str, tuple[float, float, float, float, float]]
    need_share: float
    quota: float


def worked_example(a: Allocation, code: str | None = None) -> WorkedExample:
    """The worked example for ``code`` (default: the included region with the largest need share,
    ties to the lower BPS code), computed the way :func:`optimizer.need.need_shares` does."""
    included = a.included.sort_values("region_code", kind="mergesort")
    if code is None:
        code = first((float(r.need_share), str(r.region_code)) for r in included.itertuples())
    row = included[included["region_code"] == code].iloc[0]
    components = {}
    for key in INDICATOR_COLUMNS:
        weight = float(a.weights[key])
        if weight <= 0:
            continue
        total = math.fsum(float(v) for v in included[key])
        value = float(row[key])
        share = value / total
        components[key] = (value, total, share, weight, weight * share)
    need = math.fsum(c[4] for c in components.values())
    return WorkedExample(code, components, need, need * a.affordable)


def sainte_lague_multiplier(a: Allocation) -> tuple[float, float] | None:
    """The range of the common multiplier ``λ`` such that every included region not held by a
    floor, cap, lock or eligible count gets ``round(quota x λ)`` recipients (Sainte-Laguë = a
    divisor method with standard rounding). None for largest remainder or when no region is free.
    """
    if a.method != SAINTE_LAGUE:
        return None
    low, high = 0.0, math.inf
    free = a.included[(a.included["binding"] == "") & (a.included["quota"] > 0)]
    if free.empty:
        return None
    for _, r in free.iterrows():
        q, x = float(r["quota"]), int(r["recipients"])
        low = max(low, (x - 0.5) / q if x > 0 else 0.0)
        high = min(high, (x + 0.5) / q)
    if low > high + 1e-12:
        return None
    return low, high
