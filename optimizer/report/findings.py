"""What the report says, computed: numbers and facts derived from engine results, without words.

Each function takes :class:`~optimizer.engine.Allocation` objects (and the variants computed
from them) and returns numbers, region codes or small dataclasses; the section builders
(:mod:`.content` and the ``sections_*`` modules) turn them into sentences and tables.
Nothing here formats text or chooses a language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..engine import Allocation
from ..need import INDICATOR_COLUMNS
from ..problem import SAINTE_LAGUE
from .variants import Variant


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


LOCK_SLACK = "lock-slack"  # a lock that removing would not change: the region is locked, the lock does not bind


def binding_kinds(a: Allocation, provisions: Sequence[Variant] = ()) -> dict[str, str]:
    """``{region_code: kind}`` of what limits each region's count: the engine's binding key
    (``floor``, ``cap``, ``lock``, ``eligible``, ``need-zero``, ``excluded`` or ``""``), except that a
    lock is :data:`LOCK_SLACK` when the allocation without locks (provision ``no-locks``) gives the
    region the same count: a lock is binding only if removing it changes a count."""
    without = {v.key: v for v in provisions}.get("no-locks")
    out = {}
    for r in a.regions.itertuples():
        code = str(r.region_code)
        kind = "excluded" if not r.included else str(r.binding)
        if kind == "lock" and without is not None and without.ok and without.recipients(code) == int(r.recipients):
            kind = LOCK_SLACK
        out[code] = kind
    return out


@dataclass(frozen=True)
class Absorbed:
    """Grants that other regions' floors or locks took from a region (or caps released to it).

    ``kind``: ``floor``, ``lock`` or ``cap``; ``regions``: the codes held by that provision;
    ``held``: recipients those regions have beyond what they get without the provision
    (negative for caps: fewer); ``without``: this region's count without the provision."""

    kind: str
    regions: tuple[str, ...]
    held: int
    without: int


def absorbed_by_others(a: Allocation, provisions: Sequence[Variant], code: str) -> list[Absorbed]:
    """For a region that no provision of its own holds: which provisions of other regions
    moved its count, from the remove-one-provision variants (floors, locks, caps)."""
    by_key = {v.key: v for v in provisions}
    kinds = binding_kinds(a, provisions)
    x = a.recipients()
    out = []
    for key, kind in (("no-floors", "floor"), ("no-locks", "lock"), ("no-caps", "cap")):
        variant = by_key.get(key)
        if variant is None or not variant.ok:
            continue
        y = variant.recipients(code)
        if y == x[code]:
            continue
        held_by = tuple(c for c, k in kinds.items() if k == kind and c != code)
        if not held_by:
            continue
        held = sum(x[c] - variant.recipients(c) for c in held_by)
        out.append(Absorbed(kind, held_by, held, y))
    return out


def divisor_ties(a: Allocation, multiplier: tuple[float, float] | None) -> dict[str, tuple[str, ...]]:
    """Sainte-Laguë regions whose ``quota x λ`` sits exactly half-way between two counts at the only
    λ that works: ``{code: the other regions of the tie}``. The tie rule (lower BPS code first)
    decided which of them got the higher count, not the rounding."""
    if multiplier is None:
        return {}
    low, high = multiplier
    if high - low > 1e-9 * max(1.0, high):
        return {}
    at_tie = []
    for r in a.included[(a.included["binding"] == "") & (a.included["quota"] > 0)].itertuples():
        q, x = float(r.quota), int(r.recipients)
        if abs(q * low - (x - 0.5)) < 1e-7 or abs(q * high - (x + 0.5)) < 1e-7:
            at_tie.append(str(r.region_code))
    if len(at_tie) < 2:
        return {}
    return {c: tuple(o for o in at_tie if o != c) for c in at_tie}


def remainder_ties(a: Allocation) -> dict[str, tuple[str, ...]]:
    """Largest-remainder regions (no bound in force) whose remainder equals that of a region
    treated differently (one got the extra recipient, the other not): ``{code: the others}``."""
    if a.method == SAINTE_LAGUE or (a.included["binding"] != "").any():
        return {}
    rows = []
    for r in a.included.itertuples():
        q, x = float(r.quota), int(r.recipients)
        whole = math.floor(q + 1e-9)
        rows.append((str(r.region_code), round(q - whole, 9), x > whole))
    out: dict[str, tuple[str, ...]] = {}
    for code, rem, extra in rows:
        same = [c for c, r2, e2 in rows if c != code and abs(r2 - rem) < 1e-9]
        if any(e2 != extra for c, r2, e2 in rows if c in same):
            out[code] = tuple(same)
    return out
