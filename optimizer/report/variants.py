"""Re-running the engine on modified copies of a scenario (the basis of sections 7 and 8).

A variant is the scenario with one thing changed (a provision dropped, the budget or a
weight moved). It is allocated with the same data and eligible counts as the report's
allocation; a variant that cannot be allocated (e.g. floors above a smaller budget) keeps
the engine's one-line error instead of an allocation, so the report can say why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine import Allocation
from ..errors import InfeasibleError, WrseError
from ..scenario import Scenario
from .text import Msg

Rerun = Callable[[Scenario], Allocation]
"""Allocates a modified scenario on the report's data (e.g. ``lambda s: engine.allocate(s, data)``)."""


@dataclass(frozen=True)
class Variant:
    """One recomputed allocation.

    ``key``: stable identifier (``no-floors``, ``weight-zero-idg_gap``, ``budget-minus-10``…);
    ``label``: what was changed, as a message; ``allocation``: the result, or None with
    ``error`` (a message; for an infeasible variant it quotes the engine's one-line error)
    when it could not be allocated; ``skipped``: a reason (message) when it was not run;
    ``short``: a shorter label for column headings.
    """

    key: str
    label: Msg
    allocation: Allocation | None = None
    error: Msg | None = None
    skipped: Msg | None = None
    short: Msg | None = None

    @property
    def heading(self) -> Msg:
        """A short label for column headings (``short``, else ``label``)."""
        return self.short or self.label

    @property
    def ok(self) -> bool:
        """True when the variant has an allocation."""
        return self.allocation is not None

    def recipients(self, code: str) -> int | None:
        """Recipients of region ``code`` in this variant (0 when not included), None without allocation."""
        if self.allocation is None:
            return None
        return self.allocation.recipients().get(code, 0)


def run(
    key: str, label: Msg, scenario_changes: dict, base: Allocation, rerun: Rerun, short: Msg | None = None
) -> Variant:
    """Allocate ``base.scenario.replace(**scenario_changes)`` with ``rerun``; errors become ``Variant.error``."""
    try:
        changed = base.scenario.replace(**scenario_changes)
        return Variant(key, label, allocation=rerun(changed), short=short)
    except InfeasibleError as exc:
        return Variant(key, label, error=Msg.of("report.variant.infeasible", detail=exc), short=short)
    except WrseError as exc:
        return Variant(key, label, error=Msg.of("report.variant.failed", detail=exc), short=short)
