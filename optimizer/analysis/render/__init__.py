"""Rendering the analyses: tables for people and workbooks, CSV and JSON for other tools.

Each analysis is made into :class:`~optimizer.render.table.Table` objects
(:func:`sweep_sheets`, :func:`sensitivity_sheets`, :func:`plan_sheets`); the terminal
text, the workbook and the CSV for Excel are written from them by :mod:`optimizer.render`.
CSV and JSON keep stable English names, plain numbers and integer rupiah. One module per
analysis (:mod:`.sweep`, :mod:`.sensitivity`, :mod:`.plan`), what they share in :mod:`.common`.
Each is imported when one of its names is first used (``wrse sweep`` loads neither the plan nor pandas).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import PLAN, plan_csv, plan_dict, plan_json, plan_sheets, plan_table
    from .sensitivity import (
        SENSITIVITY,
        sensitivity_csv,
        sensitivity_dict,
        sensitivity_json,
        sensitivity_sheets,
        sensitivity_table,
    )
    from .sweep import SWEEP, VIOLATIONS_SHOWN, sweep_csv, sweep_dict, sweep_json, sweep_sheets, sweep_table

_MODULE = {
    "PLAN": "plan",
    "plan_csv": "plan",
    "plan_dict": "plan",
    "plan_json": "plan",
    "plan_sheets": "plan",
    "plan_table": "plan",
    "SENSITIVITY": "sensitivity",
    "sensitivity_csv": "sensitivity",
    "sensitivity_dict": "sensitivity",
    "sensitivity_json": "sensitivity",
    "sensitivity_sheets": "sensitivity",
    "sensitivity_table": "sensitivity",
    "SWEEP": "sweep",
    "VIOLATIONS_SHOWN": "sweep",
    "sweep_csv": "sweep",
    "sweep_dict": "sweep",
    "sweep_json": "sweep",
    "sweep_sheets": "sweep",
    "sweep_table": "sweep",
}


def __getattr__(name: str) -> Any:
    """The analysis renderers, each module imported on first use (PEP 562)."""
    module = _MODULE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "PLAN",
    "SENSITIVITY",
    "SWEEP",
    "VIOLATIONS_SHOWN",
    "plan_csv",
    "plan_dict",
    "plan_json",
    "plan_sheets",
    "plan_table",
    "sensitivity_csv",
    "sensitivity_dict",
    "sensitivity_json",
    "sensitivity_sheets",
    "sensitivity_table",
    "sweep_csv",
    "sweep_dict",
    "sweep_json",
    "sweep_sheets",
    "sweep_table",
]
