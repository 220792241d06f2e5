"""Weight ranges for section 8 of the report: ``wrse sensitivity`` run with fixed parameters.

The report's direct variants (:mod:`optimizer.report.sensitivity`) move one weight at a
time. This module adds what they cannot show: how each kabupaten/kota's count is spread
when all the weights are uncertain together. It does not compute anything itself; it
calls the analysis module (:func:`optimizer.analysis.base.build` and
:func:`optimizer.analysis.sensitivity.run`, the code behind ``wrse sensitivity``) with
parameters fixed for every report, so the section reads the same on every run and any
reader can reproduce it with the command :func:`command_line` writes:

* :data:`DRAWS` = :data:`optimizer.analysis.sensitivity.DEFAULT_DRAWS` (10,000), the default
  of ``wrse sensitivity`` too, so the report and the command print the same numbers (a
  probability over 10,000 draws has a 95% margin of at most ``1.96 * sqrt(0.25 / 10000)``
  ≈ 1.0 percentage point, stated in the report);
* weights ~ Dirichlet around the scenario's applied weights with spread :data:`WEIGHT_SPREAD`
  = 20% (the analysis default: a weight of 1/k has a coefficient of variation of 20%;
  see :mod:`optimizer.analysis.sensitivity` for the concentration ``c``);
* indicator values as published (:data:`DATA_SPREAD` = 0): the report explains the weights;
* seed = :data:`optimizer.analysis.sensitivity.DEFAULT_SEED`, the default of ``wrse
  sensitivity`` too, stated in the report;
* budget, bounds, eligible counts and method as in the report's allocation (``--budget``,
  ``--eligible``, ``--method`` and ``--data`` of ``wrse report`` carry over).

The numbers equal what ``wrse sensitivity SCENARIO`` prints with its defaults, and what the
full command :func:`command_line` writes prints (tested). They
depend on numpy's Dirichlet sampler, so a numpy release that changes it changes them (the
committed example report then has to be regenerated, like after a data change).
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis.base import build
from ..analysis.sensitivity import DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_WEIGHT_SPREAD, SensitivityResult, Spec, run
from ..engine import Allocation
from ..errors import WrseError
from ..scenario import Scenario
from .text import Msg

DRAWS = DEFAULT_DRAWS  # the default of wrse sensitivity: one number for the report and the command
SEED = DEFAULT_SEED
WEIGHT_SPREAD = DEFAULT_WEIGHT_SPREAD  # percent
WEIGHT_MODEL = "dirichlet"
DATA_SPREAD = 0.0  # percent: indicator values as published
CONFIDENCE_Z = 1.96  # two-sided 95% normal quantile, for the margin of a probability over the draws


def spec_for(scenario: Scenario) -> Spec:
    """The report's fixed :class:`~optimizer.analysis.sensitivity.Spec` (the defaults of ``wrse sensitivity``;
    ``scenario`` is kept for callers, the spec no longer depends on it)."""
    return Spec(
        draws=DRAWS,
        weight_spread=WEIGHT_SPREAD,
        weight_model=WEIGHT_MODEL,
        data_spread=DATA_SPREAD,
        seed=SEED,
    )


@dataclass(frozen=True)
class WeightDraws:
    """The weight draws of a report: ``result`` (the analysis module's, with ``summary``,
    ``unchanged``, ``weight_summary``… see :class:`~optimizer.analysis.sensitivity.SensitivityResult`),
    or None with ``skipped`` (why it was not run) or ``error`` (the one-line error) as a message."""

    spec: Spec
    result: SensitivityResult | None = None
    skipped: Msg | None = None
    error: Msg | None = None

    @property
    def margin(self) -> float:
        """95% margin of a probability estimated from the draws, at its widest (p = 1/2): a fraction."""
        return CONFIDENCE_Z * math.sqrt(0.25 / self.spec.draws)


def draw(allocation: Allocation, full: Allocation | None = None) -> WeightDraws:
    """Run the analysis module's weight draws for ``allocation`` (see the module docstring).

    The problem is rebuilt by :func:`optimizer.analysis.base.build` exactly as ``wrse
    sensitivity`` does (same scenario with the report's budget and method, data and eligible
    file, ``strict=True``). ``full``: for a hierarchical report, the whole hierarchical
    allocation that ``allocation`` reads at the kabupaten/kota
    (:func:`optimizer.report.pipeline.at_level`); the draws are then those of ``wrse
    sensitivity --hierarchical``, on the split it varies
    (:attr:`optimizer.result.Levels.split`), which must be the report's kabupaten/kota
    (skipped otherwise: the region above them has a bound of its own). Fewer than two
    weighted indicators: skipped (the weights cannot vary). An analysis error
    (:class:`~optimizer.errors.WrseError`) is returned as ``error`` so the rest of the
    report is still written.
    """
    spec = spec_for(allocation.scenario)
    if sum(1 for v in allocation.weights.values() if float(v) > 0) < 2:
        return WeightDraws(spec, skipped=Msg.of("report.draws.single_weight"))
    source = full if full is not None else allocation
    try:
        base = build(
            source.scenario,
            source.data,
            source.eligible_input,
            budget_rp=source.budget_rp,
            strict=True,
            hierarchical=full is not None,
        )
        if base.codes != tuple(allocation.included["region_code"]):
            return WeightDraws(spec, skipped=Msg.of("report.draws.hierarchical"))
        return WeightDraws(spec, result=run(base, spec))
    except WrseError as exc:
        return WeightDraws(spec, error=Msg.of("report.variant.failed", detail=exc))


def command_line(selection: Sequence[str], spec: Spec) -> str:
    """The ``wrse sensitivity`` command that prints the same numbers.

    ``selection``: the SCENARIO argument and the options that select the same problem
    (``--budget``, ``--data``, ``--eligible``, ``--method``, ``--hierarchical``), as given to
    ``wrse report``.
    """
    return shlex.join(
        [
            "wrse",
            "sensitivity",
            *selection,
            "--draws",
            str(spec.draws),
            "--weight-spread",
            f"{spec.weight_spread:g}",
            "--weight-model",
            spec.weight_model,
            "--data-spread",
            f"{spec.data_spread:g}",
            "--seed",
            str(spec.seed),
        ]
    )
