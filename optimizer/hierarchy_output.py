"""Rendering a :class:`~optimizer.hierarchy.HierarchicalAllocation`: text table, CSV, JSON.

Same conventions as :mod:`optimizer.output`: Indonesian number formats in the text table
(the language chosen by ``lang``), plain numbers and stable English column names in CSV
and JSON (integer rupiah), spreadsheet formulas neutralised in CSV. Rows are in BPS-code
order, so every region is followed by the regions under it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .eligible import binding_key, eligible_key
from .hierarchy import NODE_COLUMNS, HierarchicalAllocation
from .i18n import t
from .output import (
    FULL_PRECISION,
    _mark,
    _plain_values,
    _records,
    budget_cells,
    budget_table,
    notes_block,
    summary_lines,
    weights_line,
)
from .render import Renderings
from .render.csv import columns_csv
from .render.format import decimal
from .render.json import dumps_large, run_head
from .render.table import Check, Column, Table


def hierarchical_csv(h: HierarchicalAllocation) -> str:
    """One row per region of the allocation, columns :data:`~optimizer.hierarchy.NODE_COLUMNS`."""
    return columns_csv(h.node_columns, NODE_COLUMNS, FULL_PRECISION, ("eligible", "population"))


def hierarchical_dict(h: HierarchicalAllocation, lang: str = "en") -> dict:
    """The allocation as one JSON-ready object: totals, then ``nodes`` (one per region)."""
    columns = [_plain_values(h.node_columns[k]) for k in NODE_COLUMNS]
    s = h.scenario
    return {
        **run_head(h),
        "hierarchical": True,
        "levels": h.levels,
        "splits": h.groups,
        "budget_rp": h.budget_rp,
        "grant_rp": s.grant_rp,
        "bimtek_per_recipient_rp": s.bimtek_per_recipient_rp,
        "cost_per_recipient_rp": h.cost_per_recipient_rp,
        "affordable": h.affordable,
        "allocated": h.allocated,
        "spent_rp": h.spent_rp,
        "leftover_rp": h.leftover_rp,
        "limited_by": h.limited_by,
        "weights_requested": {k: float(v) for k, v in h.weights_requested.items()},
        "idg_reference": s.idg_reference,
        "method": h.method,
        "solver": h.solver,
        "status": h.status,
        "optimal": h.optimal,
        "notices": [n.text(lang) for n in h.notices],
        "nodes": [dict(zip(NODE_COLUMNS, values, strict=True)) for values in zip(*columns, strict=True)],
    }


def hierarchical_json(h: HierarchicalAllocation, lang: str = "en") -> str:
    """:func:`hierarchical_dict` as JSON text (each node on one line above ``LARGE_JSON`` nodes)."""
    return dumps_large(hierarchical_dict(h, lang), "nodes")


def _head(h: HierarchicalAllocation, lang: str) -> list[str]:
    s = h.scenario
    return [
        *summary_lines(h, lang),
        f"{t('run.weights', lang)}: " + weights_line(h.weights_requested, h.eligible_method, lang),
        t("hierarchy.title", lang, levels=h.levels, groups=h.groups),
        t("hierarchy.reference", lang, value=decimal(s.idg_reference, 2, lang))
        if s.idg_reference is not None
        else t("hierarchy.reference_none", lang),
    ]


def _notes(h: HierarchicalAllocation, lang: str) -> list[str]:
    notes = [t("run.estimate_mark", lang), t("hierarchy.aggregated_mark", lang)]
    if h.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(n.text(lang) for n in h.notices)
    return notes


TOP_SUM = "SUMIF({range:level},1,{range:cost_rp})"  # workbook: the Rupiah of the top-level regions

COLUMNS = [
    Column("region_code", "column.region_code", "code"),
    Column("region_name", "hierarchy.region_name"),
    Column("level", "hierarchy.level", "count", priority=4),
    Column("idg", "column.idg", "decimal", 2, wide=True, note="idg_note"),
    Column("idg_gap", "column.idg_gap", "decimal", 2, wide=True),
    Column("poverty_rate", "column.poverty_rate", "decimal", 2, wide=True, note="poverty_note"),
    Column("eligible", "column.eligible", "count", wide=True, note="eligible_note"),  # named by the method: _columns
    Column("need_share", "column.need_share", "percent", 2, priority=2),
    Column("quota", "column.quota", "decimal", 2, priority=3),
    Column("lower", "column.lower", "count", wide=True),
    Column("upper", "column.upper", "count", wide=True),
    Column("recipients", "column.recipients", "count"),
    Column("cost_rp", "column.cost_rp", "rupiah", formula="{recipients}*{@cost}"),
    Column("binding", "column.binding", priority=1),
]


def _columns(method: str) -> list[Column]:
    """:data:`COLUMNS` with the eligible column named as the proxy of ``method`` when it is one."""
    heading = eligible_key("column.eligible", method)
    return [replace(c, heading=heading) if c.key == "eligible" else c for c in COLUMNS]


def hierarchical_sheet(h: HierarchicalAllocation, lang: str = "id") -> Table:
    """The hierarchical allocation as a :class:`~optimizer.render.table.Table`: one row per
    region in BPS-code order, names indented by level, the top level's totals."""
    rows = []
    for r in _records(h.node_columns):
        aggregated_p0 = "‡" if r["poverty_basis"] == "aggregated" else ""
        aggregated_elig = "‡" if r["eligible_basis"] == "aggregated" else ""
        rows.append(
            {
                "region_code": r["region_code"],
                "region_name": "  " * int(r["level"]) + r["region_name"],
                "level": int(r["level"]) + 1,
                "idg": r["idg"] if r["idg_year"] else None,
                "idg_note": f" ({r['idg_year']}){_mark(r['idg_status'], r['idg_fallback'])}",
                "idg_gap": r["idg_gap"],
                "poverty_rate": r["poverty_rate"],
                "poverty_note": (f" ({r['poverty_year']})" if r["poverty_year"] else "")
                + _mark(r["poverty_status"], r["poverty_fallback"])
                + aggregated_p0,
                "eligible": r["eligible"],
                "eligible_note": (f" ({r['eligible_year']})" if r["eligible_year"] else "")
                + _mark(r["eligible_status"], r["eligible_fallback"])
                + aggregated_elig,
                "need_share": r["need_share"],
                "quota": r["quota"],
                "lower": r["lower"],
                "upper": r["upper"],
                "recipients": r["recipients"],
                "cost_rp": int(r["cost_rp"]),
                "binding": t(binding_key(r["binding"], h.eligible_method), lang),
            }
        )
    top = h.node_columns.take(h.node_columns["level"] == 0)
    total = {  # sums that skip NaN, as a DataFrame's do
        "region_name": t("run.total", lang),
        "quota": float(np.nansum(top["quota"])),
        "lower": int(np.nansum(top["lower"])),
        "recipients": h.allocated,
        "cost_rp": h.spent_rp,
    }
    head = _head(h, lang)
    parameters = budget_cells(h.budget_rp, h.cost_per_recipient_rp)[0]
    checks = [
        Check("table.leftover", "{@budget}-" + TOP_SUM, kind="rupiah"),
        Check("table.budget_check", f'IF({TOP_SUM}<={{@budget}},"{{ok}}","{{over}}")', flag="{over}"),
    ]
    lines = [*head, *_notes(h, lang)]
    return budget_table(
        _columns(h.eligible_method), rows, total, lines, "table.sheet_allocation", parameters, checks, lang
    )


def hierarchical_table(
    h: HierarchicalAllocation, lang: str = "id", width: int | None = None, wide: bool = False
) -> str:
    """The allocation for people: header, one row per region indented by level, notes."""
    from .render import text as text_writer  # imported here: a run that writes CSV or JSON does not need it

    table = hierarchical_sheet(h, lang)
    body = text_writer.render(table, lang, width, wide)
    head = text_writer.fill(_head(h, lang), width, "  ")
    return "\n".join([*head, ""]) + "\n" + body + "\n" + notes_block(_notes(h, lang), lang, width)


HIERARCHICAL = Renderings(
    hierarchical_json, hierarchical_csv, lambda h, lang: [hierarchical_sheet(h, lang)], hierarchical_table
)
