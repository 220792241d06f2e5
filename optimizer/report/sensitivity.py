"""Sensitivity summary for section 8 of the report: budget ±10 %, each weight ±10 points,
and the weight ranges of ``wrse sensitivity``.

A provider takes the report's allocation and a :data:`~optimizer.report.variants.Rerun`
and returns a :class:`Sensitivity` (pass it to
:func:`optimizer.report.pipeline.make_report`). :func:`summarise` is the report's own,
direct computation with the engine (the variants below); :func:`summarise_with_draws`
(the default) adds the Monte Carlo weight ranges of the analysis module
(:mod:`optimizer.report.weight_draws`).

Variants, each on a copy of the scenario with everything else kept:

* ``budget-minus-10`` / ``budget-plus-10``: the budget times 0.9 / 1.1, in integer rupiah
  (``budget * 9 // 10`` and ``budget * 11 // 10``); floors that no longer fit make the
  variant infeasible, which the report states;
* ``weight-<indicator>-minus-10`` / ``-plus-10``: the indicator's normalised weight moved
  by 10 percentage points (not below 0) *before* the weights are renormalised to sum to 1
  (30/30/40 with the IDG gap +10 -> 40/30/40 -> 36,4/27,3/36,4 %). A move that leaves
  every weight 0 is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from ..engine import Allocation
from ..need import normalise_weights
from ..scenario import WEIGHT_KEYS
from .phrases import indicator_label
from .text import Joined, Msg, Val
from .variants import Rerun, Variant, run
from .weight_draws import WeightDraws, draw

STEP_BUDGET = (9, 10), (11, 10)  # budget factors as fractions: 0.9 and 1.1
STEP_WEIGHT = 0.10  # fraction of the weights' total (10 percentage points)


@dataclass(frozen=True)
class Sensitivity:
    """Variants of a sensitivity analysis and where they come from.

    ``variants``: in display order; ``method``: a message saying how they were computed;
    ``draws``: the Monte Carlo weight ranges, or None when not computed.
    """

    variants: tuple[Variant, ...]
    method: Msg
    draws: WeightDraws | None = None


SensitivityProvider = Callable[[Allocation, Rerun], Sensitivity]


def summarise(allocation: Allocation, rerun: Rerun) -> Sensitivity:
    """Budget -10 %/+10 % and every weight -10/+10 points (see the module docstring)."""
    s = allocation.scenario
    variants: list[Variant] = []
    for (num, den), key in zip(STEP_BUDGET, ("budget-minus-10", "budget-plus-10"), strict=True):
        budget = s.budget_rp * num // den
        name = key.replace("-", "_")
        label = Msg.of(f"report.sensitivity.{name}", budget=Val("rp", budget))
        short = Msg.of(f"report.sensitivity.short_{name}")
        if budget < s.cost_per_recipient_rp:
            variants.append(Variant(key, label, error=Msg.of("report.variant.below_one_grant"), short=short))
            continue
        variants.append(run(key, label, {"budget_rp": budget}, allocation, rerun, short))
    base = normalise_weights({k: float(v) for k, v in s.weights.items()})
    for key in WEIGHT_KEYS:
        for sign, name in ((-1, "minus"), (1, "plus")):
            moved = {k: (max(0.0, v + sign * STEP_WEIGHT) if k == key else v) for k, v in base.items()}
            variant_key = f"weight-{key}-{name}-10"
            total = sum(moved.values())
            label = Msg.of(
                f"report.sensitivity.weight_{name}",
                indicator=indicator_label(allocation, key),
                weights=_weights_text(moved, total, allocation),
            )
            short = Msg.of(f"report.sensitivity.short_weight_{name}", indicator=indicator_label(allocation, key))
            if total <= 0:
                skipped = Msg.of("report.provisions.all_weights_zero")
                variants.append(Variant(variant_key, label, skipped=skipped, short=short))
                continue
            variants.append(run(variant_key, label, {"weights": MappingProxyType(moved)}, allocation, rerun, short))
    return Sensitivity(tuple(variants), Msg.of("report.sensitivity.method_direct"))


def summarise_with_draws(allocation: Allocation, rerun: Rerun) -> Sensitivity:
    """:func:`summarise` plus the weight draws of :func:`optimizer.report.weight_draws.draw`."""
    return replace(summarise(allocation, rerun), draws=draw(allocation))


def _weights_text(moved: dict[str, float], total: float, allocation: Allocation) -> object:
    if total <= 0:
        return ""
    return Joined(
        tuple(
            Msg.of(
                "report.sensitivity.weight_item",
                indicator=indicator_label(allocation, k),
                value=Val("weight", v / total),
            )
            for k, v in moved.items()
        ),
        " · ",
    )
