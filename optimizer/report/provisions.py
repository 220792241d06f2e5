"""Remove one provision at a time: what each constraint and each weight of a scenario does.

Like the U.S. NCES tables that show each Title I formula provision's effect, every
provision of the scenario is dropped in turn, everything else kept, and the allocation is
recomputed:

* ``no-floors``: ``floor_all = 0`` and no per-region floors;
* ``no-caps``: ``cap_all`` unset and no per-region caps (eligible counts still bound);
* ``no-locks``: no locked regions;
* ``weight-zero-<indicator>``: that indicator's weight set to 0 (the others renormalised by
  the engine). A variant that would leave every weight 0 is skipped, and the report says so.

A provision the scenario does not set is listed as not applicable rather than run.
"""

from __future__ import annotations

from types import MappingProxyType

from ..engine import Allocation
from ..scenario import WEIGHT_KEYS
from .phrases import indicator_label
from .text import Msg
from .variants import Rerun, Variant, run


def remove_one_at_a_time(allocation: Allocation, rerun: Rerun) -> tuple[Variant, ...]:
    """The variants of :mod:`this module <optimizer.report.provisions>` in a fixed order.

    Returns floors, caps, locks, then one variant per weight key (``idg_gap``,
    ``poverty_rate``, ``eligible``). Not-applicable or skipped variants carry ``skipped``.
    """
    s = allocation.scenario
    variants: list[Variant] = []
    has_floors = s.floor_all > 0 or any(v > 0 for v in s.floors.values())
    if has_floors:
        variants.append(
            run(
                "no-floors",
                Msg.of("report.provisions.no_floors"),
                {"floor_all": 0, "floors": MappingProxyType({})},
                allocation,
                rerun,
            )
        )
    else:
        variants.append(
            Variant("no-floors", Msg.of("report.provisions.no_floors"), skipped=Msg.of("report.provisions.not_set"))
        )
    if s.cap_all is not None or s.caps:
        variants.append(
            run(
                "no-caps",
                Msg.of("report.provisions.no_caps"),
                {"cap_all": None, "caps": MappingProxyType({})},
                allocation,
                rerun,
            )
        )
    else:
        variants.append(
            Variant("no-caps", Msg.of("report.provisions.no_caps"), skipped=Msg.of("report.provisions.not_set"))
        )
    if s.locks:
        variants.append(
            run("no-locks", Msg.of("report.provisions.no_locks"), {"locks": MappingProxyType({})}, allocation, rerun)
        )
    else:
        variants.append(
            Variant("no-locks", Msg.of("report.provisions.no_locks"), skipped=Msg.of("report.provisions.not_set"))
        )
    weights = {k: float(s.weights.get(k, 0.0)) for k in WEIGHT_KEYS}
    for key in WEIGHT_KEYS:
        label = Msg.of("report.provisions.weight_zero", indicator=indicator_label(allocation, key))
        if weights[key] <= 0:
            variants.append(
                Variant(f"weight-zero-{key}", label, skipped=Msg.of("report.provisions.weight_already_zero"))
            )
            continue
        changed = {**weights, key: 0.0}
        if not any(v > 0 for v in changed.values()):
            variants.append(Variant(f"weight-zero-{key}", label, skipped=Msg.of("report.provisions.all_weights_zero")))
            continue
        variants.append(run(f"weight-zero-{key}", label, {"weights": MappingProxyType(changed)}, allocation, rerun))
    return tuple(variants)
