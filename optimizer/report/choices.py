"""The policy choices that move the numbers most, each recomputed with its alternative.

A reader of the report should meet these before a DPRD member points them out:

* ``idg-from-best``: the IDG gap is cut at the provincial reference (a region above it gets
  none of the IDG weight). The alternative measures the gap from the best included region
  (``idg_reference`` = the largest IDG), so every region but the best has a gap.
* ``pool-only``: the rate terms (IDG gap, P0) ignore how many people a region has, so the
  recipients per 10.000 of the eligible pool differ widely between regions. The alternative
  puts all the weight on the pool size, which gives every region about the same recipients
  per 10.000.

* ``continuity``: a roadmap that builds on the scenario (``wrse plan``) keeps, in every
  planning year, at least a share of each region's count (``rules.hold_harmless_pct`` of the
  baseline year's count, ``rules.min_share_of_previous_pct`` of the previous year's). The
  alternative is the same roadmap planned without that rule; :class:`Continuity` holds the
  first planning year of both plans, where the rule binds at once (roadmap-2027-uep: Kota
  Balikpapan 150 → 75; the 2024-2028 roadmap of tests/data: Kab. Kutai Kartanegara 36 → 18).

Each alternative is allocated by the engine (:func:`~.variants.run`) or planned by the plan
engine (:func:`optimizer.analysis.plan.plan`) on the report's data and eligible counts;
nothing here is estimated by hand. :func:`per_10000` is the measure of the second choice,
from any allocation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

from ..engine import Allocation
from .text import Msg, Val
from .variants import Rerun, Variant, run

CONTINUITY_RULES = ("hold_harmless", "min_share_of_previous")
"""The roadmap rules that keep a share of an earlier count (attributes of a ``Roadmap``)."""


@dataclass(frozen=True)
class Continuity:
    """A roadmap's continuity rule and the first planning year with and without it.

    ``rule``: one of :data:`CONTINUITY_RULES`; ``share``: the exact fraction (0..1] of the
    reference count a region keeps. ``title``: the roadmap's title; ``first_year``..``last_year``:
    its planning years; ``reference_year``: the year whose counts the first year's share is
    taken of (the baseline year). ``codes``/``names``: regions in BPS order; ``reference``,
    ``with_rule``, ``without_rule``: recipients (persons) per region in the reference year and
    in the first planning year planned with and without the rule (``without_rule`` is None and
    ``error`` the plan engine's message when the roadmap cannot be planned without it).
    ``path``: the roadmap's file (listed with its SHA-256 in the audit trail), or None.
    ``session_rp``: the roadmap's cost of one bimtek session (Rp, its ``bimtek.session_rp``),
    ``session_source``: where that figure comes from (its ``bimtek.source``), ``sessions``: the
    sessions the plan with the rule holds in the first planning year (one per region with
    recipients).
    """

    rule: str
    share: Fraction
    title: str
    first_year: int
    last_year: int
    reference_year: int
    codes: tuple[str, ...]
    names: tuple[str, ...]
    reference: tuple[int, ...]
    with_rule: tuple[int, ...]
    without_rule: tuple[int, ...] | None = None
    error: object = None
    path: Path | None = None
    session_rp: int = 0
    session_source: str = ""
    sessions: int = 0

    @property
    def total(self) -> int:
        """Recipients (persons) of the first planning year planned with the rule."""
        return sum(self.with_rule)

    def changes_from(self, counts: dict[str, int]) -> tuple[int, ...]:
        """Indices of the regions whose first-year count with the rule differs from ``counts``
        (``{region_code: recipients}``, a missing code counts 0), largest change first."""
        delta = [self.with_rule[j] - int(counts.get(code, 0)) for j, code in enumerate(self.codes)]
        return tuple(sorted((j for j, d in enumerate(delta) if d), key=lambda j: (-abs(delta[j]), self.codes[j])))

    def minimum(self, j: int) -> int:
        """The fewest recipients region ``j`` may get in the first year under the rule (whole persons, rounded up)."""
        return math.ceil(self.share * self.reference[j])

    @property
    def bound(self) -> tuple[int, ...]:
        """Indices of the regions the rule holds at its minimum in the first year: the count is
        the rule's minimum and, where the plan without the rule is known, it would be lower."""
        out = []
        for j, count in enumerate(self.with_rule):
            if self.reference[j] <= 0 or count != self.minimum(j):
                continue
            if self.without_rule is not None and self.without_rule[j] >= count:
                continue
            out.append(j)
        return tuple(out)


def roadmap_title(roadmap) -> str:
    """How the report names a roadmap: its title up to a colon, else its name."""
    return (roadmap.title or roadmap.name).split(":", 1)[0].strip()


def active_rules(roadmap) -> tuple[str, ...]:
    """The continuity rules of ``roadmap`` (:data:`CONTINUITY_RULES`) with a share above 0."""
    return tuple(rule for rule in CONTINUITY_RULES if getattr(roadmap, rule) > 0)


def continuity(roadmap, rule: str, with_rule, without_rule=None, error: object = None) -> Continuity:
    """:class:`Continuity` of ``rule`` of ``roadmap`` from two plans (:class:`~optimizer.analysis.plan.Plan`):
    ``with_rule`` (the roadmap as written) and ``without_rule`` (the same roadmap with the rule
    set to 0), or None with ``error`` when that plan failed."""
    if rule not in CONTINUITY_RULES:
        raise ValueError(f"unknown continuity rule {rule!r}")
    title = roadmap_title(roadmap)
    return Continuity(
        rule=rule,
        share=Fraction(getattr(roadmap, rule)),
        title=title,
        first_year=int(with_rule.years[0]),
        last_year=int(with_rule.years[-1]),
        reference_year=int(roadmap.baseline.year),
        codes=tuple(with_rule.codes),
        names=tuple(with_rule.names),
        reference=tuple(int(v) for v in with_rule.baseline),
        with_rule=tuple(int(v) for v in with_rule.x[0]),
        without_rule=None if without_rule is None else tuple(int(v) for v in without_rule.x[0]),
        error=error,
        path=roadmap.path,
        session_rp=int(with_rule.session_rp),
        session_source=str(getattr(roadmap, "session_source", "") or ""),
        sessions=int((with_rule.x[0] > 0).sum()),
    )


@dataclass(frozen=True)
class Choices:
    """The recomputed alternatives: ``idg_from_best`` (None when the IDG has no weight or the
    reference is already the best region's) and ``pool_only`` (None when the pool already has
    all the weight); ``zero_gap``: codes of the included regions whose IDG gap is 0;
    ``continuity``: the continuity rules of the roadmaps that build on the scenario;
    ``not_applied``: the titles (:func:`roadmap_title`) of the roadmaps with continuity rules
    that a hierarchical split does not apply (``wrse plan`` is single-level)."""

    idg_from_best: Variant | None
    pool_only: Variant | None
    zero_gap: tuple[str, ...]
    continuity: tuple[Continuity, ...] = ()
    not_applied: tuple[str, ...] = ()


def per_10000(a: Allocation) -> dict[str, float]:
    """``{region_code: recipients per 10.000 of the eligible pool}`` for the included regions
    with a positive pool (the pool is the proxy or the counts, as the allocation used)."""
    out = {}
    for r in a.included.itertuples():
        if int(r.eligible) > 0:
            out[str(r.region_code)] = 10_000 * int(r.recipients) / int(r.eligible)
    return out


def recompute(a: Allocation, rerun: Rerun, continuity: Sequence[Continuity] = ()) -> Choices:
    """Allocate the alternatives of the module docstring for ``a`` with ``rerun``;
    ``continuity``: the roadmaps' rules, already planned (:func:`continuity`)."""
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
            measured = idg_from_best.allocation
            if measured is not None and not math.isclose(measured.idg_reference, best, abs_tol=1e-9):
                # a hierarchical split measures each group's gap from its parent's own IDG, so
                # the scenario's reference does not reach this level: the rerun is not the alternative
                idg_from_best = replace(
                    idg_from_best,
                    allocation=None,
                    skipped=Msg.of("report.choices.idg_from_parent", value=Val("dec2", a.idg_reference)),
                )
    pool_only = None
    if any(v > 0 for k, v in weights.items() if k != "eligible"):
        only = MappingProxyType({"idg_gap": 0.0, "poverty_rate": 0.0, "eligible": 1.0})
        pool_only = run("pool-only", Msg.of("report.choices.pool_only_label"), {"weights": only}, a, rerun)
    return Choices(idg_from_best, pool_only, zero_gap, tuple(continuity))
