"""Rendering the analyses: tables for people and workbooks, CSV and JSON for other tools.

Each analysis is made into :class:`~optimizer.render.table.Table` objects
(:func:`sweep_sheets`, :func:`sensitivity_sheets`, :func:`plan_sheets`); the terminal
text, the workbook and the CSV for Excel are written from them by :mod:`optimizer.render`.
CSV and JSON keep stable English names, plain numbers and integer rupiah. One module per
analysis (:mod:`.sweep`, :mod:`.sensitivity`, :mod:`.plan`), what they share in :mod:`.common`.
"""

from __future__ import annotations

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
