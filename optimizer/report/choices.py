"""The policy choices that move the numbers most, each recomputed with its alternative.

A reader of the report should meet these before a DPRD member points them out:

* ``idg-from-best``: the IDG gap is cut at the provincial reference (a region above it gets
  none of the IDG weight). The alternative measures the gap from the best included region
  (``idg_reference`` = the largest IDG), so every region but the best has a gap.
* ``pool-only``: the rate terms (IDG gap, P0) ignore how many people a region has, so the
  recipients per 10.000 of the eligible pool differ widely between regions. The alternative
  puts all the weight on the pool size, which gives every region about the same recipients
  per 10.000.

Each alternative is allocated by the engine (:func:`~.variants.run`) on the report's data and
eligible counts; nothing here is estimated by hand. :func:`per_10000` is the measure of the
second choice, from any allocation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

from ..engine import Allocation
from .text import Msg
from .variants import Rerun, Variant, run


@dataclass(frozen=True)
class Choices:
    """The recomputed alternatives: ``idg_from_best`` (None when the IDG has no weight or the
    reference is already the best region's) and ``pool_only`` (None when the pool already has
    all the weight); ``zero_gap``: codes of the included regions whose IDG gap is 0."""

    idg_from_best: Variant | None
    pool_only: Variant | None
    zero_gap: tuple[str, ...]


def per_10000(a: Allocation) -> dict[str, float]:
    """``{region_code: recipients per 10.000 of the eligible pool}`` for the included regions
    with a positive pool (the pool is the proxy or the counts, as the allocation used)."""
    out = {}
    for r in a.included.itertuples():
        if int(r.eligible) > 0:
            out[str(r.region_code)] = 10_000 * int(r.recipients) / int(r.eligible)
    return out


def recompute(a: Allocation, rerun: Rerun) -> Choices:
    """Allocate the alternatives of the module docstring for ``a`` with ``rerun``."""
    weights = {k: float(v) for k, v in a.weights.items()}
    idg_from_best = None
    zero_gap: tuple[str, ...] = ()
    if weights.get("idg_gap", 0.0) > 0:
        idg = [float(v) for v in a.included["idg"] if not math.isnan(float(v))]
        zero_gap = tuple(str(r.region_code) for r in a.included.itertuples() if float(r.idg_gap) <= 0)
        best = max(idg) if idg else math.nan
        if idg and best > a.idg_reference + 1e-9:
            idg_from_best = run(
                "idg-from-best", Msg.of("report.choices.idg_from_best_label"), {"idg_reference": best}, a, rerun
            )
    pool_only = None
    if any(v > 0 for k, v in weights.items() if k != "eligible"):
        only = MappingProxyType({"idg_gap": 0.0, "poverty_rate": 0.0, "eligible": 1.0})
        pool_only = run("pool-only", Msg.of("report.choices.pool_only_label"), {"weights": only}, a, rerun)
    return Choices(idg_from_best, pool_only, zero_gap)
