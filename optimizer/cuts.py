"""One MILP builder: separable convex costs over integer cells, as Kelley cuts in PuLP.

Both MILPs of the tool minimise, stage by stage, a sum of convex one-dimensional costs of
integer counts: the allocation (:mod:`optimizer.model`, one cell per region) and the
multi-year plan (:mod:`optimizer.analysis.plan`, one cell per year and region). Each
cell ``c`` is an integer variable ``x_c`` in ``[lo_c, hi_c]``; for each objective stage
``s`` a continuous ``t_{s,c}`` stands for its cost ``f_s(c, x_c)``, bounded below by
secants of ``f`` between consecutive integers::

    t_{s,c} >= f_s(c, k) + (f_s(c, k+1) - f_s(c, k)) * (x_c - k)      for lo_c <= k < hi_c

Because ``f`` is convex the secants are exact at integer points, so only a few are needed:
the model starts with the secants near the quota and, after each solve,
:meth:`CutModel.violated` adds the secants on both sides of the solver's ``x`` wherever
``t`` is below the true cost there; the loop ends when no secant is violated, at the
true optimum. A cell fixed at one value (``lo == hi``) gets the single cut ``t >= f(lo)``.

:class:`CutModel` holds the PuLP problem, the variables and the cut pool; a model adds
its own constraints and defines :meth:`CutModel.f`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable

INTEGRALITY = 1e-6  # a solver value this close to an integer counts as that integer


class CutModel:
    """A PuLP minimisation with integer cells and the cut pool of their stage costs.

    ``name``: the PuLP problem's name; ``pulp_module``: the imported ``pulp``;
    ``stages``: number of objective stages. Cells are added with :meth:`add_cell`, stage
    epigraph variables with :meth:`add_epigraph`; a subclass defines :meth:`f`.
    """

    def __init__(self, name: str, pulp_module, stages: int):
        self.pulp = pulp_module
        self.lp = pulp_module.LpProblem(name, pulp_module.LpMinimize)
        self.stages = stages
        self.x: dict = {}
        self.t: dict = {}
        self.cuts: set = set()
        self._bounds: dict = {}
        self._names: dict = {}

    def f(self, s: int, key: Hashable, value: int) -> float:  # pragma: no cover - defined by each model
        """Stage ``s`` cost of cell ``key`` at ``value``."""
        raise NotImplementedError

    def add_cell(self, key: Hashable, lo: int, hi: int, name: str):
        """Add the integer variable ``x_<name>`` in ``[lo, hi]`` for cell ``key``; returns it."""
        var = self.lp.add_variable(f"x_{name}", lo, hi, cat="Integer")
        self.x[key] = var
        self._bounds[key] = (lo, hi)
        self._names[key] = name
        return var

    def add_epigraph(self, s: int, key: Hashable, initial: Iterable[int] = ()) -> None:
        """Add ``t_<s>_<name>`` for stage ``s`` of cell ``key``, with the secants at ``initial``
        (each clipped into ``[lo, hi - 1]``)."""
        self.t[s, key] = self.lp.add_variable(f"t_{s}_{self._names[key]}")
        lo, hi = self._bounds[key]
        for k in initial:
            self.add_cut(s, key, min(max(k, lo), hi - 1))

    def add_cut(self, s: int, key: Hashable, k: int) -> bool:
        """Add the secant of stage ``s`` between ``k`` and ``k + 1`` for cell ``key`` (for a
        fixed cell, ``t >= f(lo)``); False when it is already in the pool or out of range."""
        lo, hi = self._bounds[key]
        name = self._names[key]
        if lo == hi:
            if (s, key, None) in self.cuts:
                return False
            self.cuts.add((s, key, None))
            self.lp += self.t[s, key] >= self.f(s, key, lo), f"cut_{s}_{name}_zero"
            return True
        if (s, key, k) in self.cuts or not lo <= k < hi:
            return False
        self.cuts.add((s, key, k))
        f0, f1 = self.f(s, key, k), self.f(s, key, k + 1)
        self.lp += self.t[s, key] >= f0 + (f1 - f0) * (self.x[key] - k), f"cut_{s}_{name}_{k}"
        return True

    def whole_values(self, fail: Callable[[str, Hashable, float | None], Exception]) -> dict:
        """The solver's value of every cell, checked to be a whole number, then rounded.

        ``fail(reason, key, value)`` builds the exception raised for a value that is
        missing or not finite (``reason='no_value'``) or more than :data:`INTEGRALITY` from
        an integer (``'not_whole'``), checked before rounding.
        """
        out = {}
        for key, var in self.x.items():
            value = var.value()
            if value is None or not math.isfinite(value):
                raise fail("no_value", key, value)
            if abs(value - round(value)) > INTEGRALITY:
                raise fail("not_whole", key, value)
            out[key] = round(value)
        return out

    def stage_total(self, s: int, xs: dict) -> float:
        """The true cost of stage ``s`` at ``xs`` (``{key: value}``), summed with :func:`math.fsum`."""
        return math.fsum(self.f(s, key, xs[key]) for key in self.x)

    def violated(self, stages: range, xs: dict, *, slack: float, totals_first: bool = False) -> bool:
        """Add secants at ``xs`` wherever a stage's modelled cost ``t`` is more than ``slack``
        below its true cost; True when any was added. ``totals_first``: skip a stage whose
        modelled total is within ``1e-9 + 1e-12 |total|`` of its true total."""
        added = False
        for s in stages:
            if totals_first:
                true_total = self.stage_total(s, xs)
                model_total = math.fsum(self.t[s, key].value() or 0.0 for key in self.x)
                if true_total - model_total <= 1e-9 + 1e-12 * abs(true_total):
                    continue
            for key in self.x:
                if (self.t[s, key].value() or 0.0) < self.f(s, key, xs[key]) - slack:
                    added |= self.add_cut(s, key, xs[key] - 1)
                    added |= self.add_cut(s, key, xs[key])
        return added
