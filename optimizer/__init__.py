"""wrse-optimizer: split a WRSE budget across kabupaten/kota, and justify the split.

The public Python API, for notebooks (imported lazily so ``wrse --help`` stays fast)::

    from optimizer import load_scenario, load_data, allocate, compare
    allocation = allocate(load_scenario("next-fiscal-year"))
    allocation.regions[["region_name", "recipients", "cost_rp"]]
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "allocate", "compare", "load_data", "load_scenario"]


def load_scenario(reference):
    """Read a scenario TOML by path or shipped name; see :func:`optimizer.scenario.load`."""
    from .scenario import load

    return load(reference)


def load_data(path=None):
    """Read an indicator table (CSV/XLSX), or the shipped Kaltim data when None."""
    from .inputs.data import load

    return load(path)


def allocate(scenario, data=None, **options: Any):
    """Allocate a scenario's budget; see :func:`optimizer.engine.allocate`."""
    from .engine import allocate as _allocate
    from .inputs.data import shipped

    return _allocate(scenario, data if data is not None else shipped(), **options)


def compare(scenarios, data=None, **options: Any):
    """Allocate several scenarios on the same data; returns the list of allocations."""
    from .engine import allocate as _allocate
    from .inputs.data import shipped

    return [_allocate(s, data if data is not None else shipped(), **options) for s in scenarios]
