"""wrse-optimizer: split a WRSE budget across kabupaten/kota, and justify the split.

The public Python API, for notebooks. Every name is the library's own function (its real
signature and docstring), imported on first use so that ``wrse --help`` stays fast::

    from optimizer import allocate, load_data, load_eligible, load_scenario

    scenario = load_scenario("next-fiscal-year")
    data = load_data()                        # the shipped Kaltim table, or a CSV/XLSX path
    allocation = allocate(scenario, data, load_eligible(scenario, data))
    allocation.to_frame()[["region_name", "recipients", "cost_rp"]]

==================  ====================================================================
``load_scenario``   a scenario TOML by path or shipped name (:func:`optimizer.scenario.load`)
``load_data``       an indicator table, or the shipped one (:func:`optimizer.inputs.data.load`)
``load_eligible``   the eligible-counts file a run uses (:func:`optimizer.compose.load_eligible`)
``load_inputs``     all three at once, as the CLI does (:func:`optimizer.compose.load_inputs`)
``load_roadmap``    a multi-year roadmap TOML (:func:`optimizer.analysis.roadmap.load`)
``allocate``        the allocation (:func:`optimizer.engine.allocate`)
``allocate_hierarchical``  level by level (:func:`optimizer.hierarchy.allocate_hierarchical`)
``build``           the budget-free problem the analyses take (:func:`optimizer.analysis.base.build`)
``sweep``           a budget sweep (:func:`optimizer.analysis.sweep.sweep`)
``budget_grid``     the budgets of a sweep (:func:`optimizer.analysis.sweep.budget_grid`)
``sensitivity``     weight and data draws (:func:`optimizer.analysis.sensitivity.run`)
``SensitivitySpec`` what the draws vary (:class:`optimizer.analysis.sensitivity.Spec`)
``plan``            the multi-year plan (:func:`optimizer.analysis.plan.plan`)
``report``          the justification report (:func:`optimizer.report.pipeline.make_report`)
``screen``          screen candidate lists (:func:`optimizer.screening.screen.screen`)
``read_decisions``  a decisions file of ``wrse screen`` (:func:`optimizer.screening.select.read_decisions`)
``select``          who receives the grants (:func:`optimizer.screening.select.select`)
==================  ====================================================================

Results (:class:`~optimizer.engine.Allocation`, sweep, sensitivity, plan, report,
screening, selection) have a short ``repr`` and a ``to_frame()`` returning a DataFrame.
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

_API = {
    "load_scenario": ("optimizer.scenario", "load"),
    "load_data": ("optimizer.inputs.data", "load"),
    "load_eligible": ("optimizer.compose", "load_eligible"),
    "load_inputs": ("optimizer.compose", "load_inputs"),
    "load_roadmap": ("optimizer.analysis.roadmap", "load"),
    "allocate": ("optimizer.engine", "allocate"),
    "allocate_hierarchical": ("optimizer.hierarchy", "allocate_hierarchical"),
    "build": ("optimizer.analysis.base", "build"),
    "sweep": ("optimizer.analysis.sweep", "sweep"),
    "budget_grid": ("optimizer.analysis.sweep", "budget_grid"),
    "sensitivity": ("optimizer.analysis.sensitivity", "run"),
    "SensitivitySpec": ("optimizer.analysis.sensitivity", "Spec"),
    "plan": ("optimizer.analysis.plan", "plan"),
    "report": ("optimizer.report.pipeline", "make_report"),
    "screen": ("optimizer.screening.screen", "screen"),
    "read_decisions": ("optimizer.screening.select", "read_decisions"),
    "select": ("optimizer.screening.select", "select"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    """The API's functions, imported on first use (the function itself, not a wrapper)."""
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'optimizer' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(types.ModuleType):
    """``optimizer`` itself: an API name is the function even where a subpackage has the
    same name (``optimizer.report``, the report's modules, stays importable as a package:
    ``from optimizer.report import pipeline``; ``optimizer.report`` is the function)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
