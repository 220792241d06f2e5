"""Rendering a :class:`~optimizer.hierarchy.HierarchicalAllocation`: text table, CSV, JSON.

Same conventions as :mod:`optimizer.output`: Indonesian number formats in the text table
(the language chosen by ``lang``), plain numbers and stable English column names in CSV
and JSON (integer rupiah), spreadsheet formulas neutralised in CSV. Rows are in BPS-code
order, so every region is followed by the regions under it.
"""

from __future__ import annotations

import csv
import io
import json
import math

from . import __version__
from .hierarchy import NODE_COLUMNS, HierarchicalAllocation
from .i18n import t
from .money import format_count, format_rp
from .output import (
    LARGE_JSON,
    _csv_cells,
    _mark,
    _plain_values,
    _records,
    decimal,
    percent,
    summary_lines,
    text_table,
)


def hierarchical_csv(h: HierarchicalAllocation) -> str:
    """One row per region of the allocation, columns :data:`~optimizer.hierarchy.NODE_COLUMNS`."""
    cells = [_csv_cells(column, h.nodes[column]) for column in NODE_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(NODE_COLUMNS)
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


def hierarchical_dict(h: HierarchicalAllocation, lang: str = "en") -> dict:
    """The allocation as one JSON-ready object: totals, then ``nodes`` (one per region)."""
    columns = [_plain_values(h.nodes[k]) for k in NODE_COLUMNS]
    s = h.scenario
    return {
        "tool": {"name": "wrse-optimizer", "version": __version__},
        "scenario": {
            "name": s.name,
            "title": s.title,
            "fiscal_year": s.fiscal_year,
            "file": str(s.path) if s.path else None,
        },
        "data": {"label": h.data.label, "sha256": h.data.sha256},
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
    document = hierarchical_dict(h, lang)
    if len(document["nodes"]) <= LARGE_JSON:
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    nodes = document.pop("nodes")
    head = json.dumps(document, ensure_ascii=False, indent=2)
    lines = ",\n".join("    " + json.dumps(node, ensure_ascii=False) for node in nodes)
    return head[:-2] + ',\n  "nodes": [\n' + lines + "\n  ]\n}\n"


def hierarchical_table(h: HierarchicalAllocation, lang: str = "id") -> str:
    """The allocation for people: header, one row per region indented by level, notes."""
    s = h.scenario
    head = [
        *summary_lines(h, lang),
        f"{t('run.weights', lang)}: "
        + " · ".join(f"{t(f'weight.{k}', lang)} {percent(v, 1, lang)}" for k, v in h.weights_requested.items()),
        t("hierarchy.title", lang, levels=h.levels, groups=h.groups),
        t("hierarchy.reference", lang, value=decimal(s.idg_reference, 2, lang))
        if s.idg_reference is not None
        else t("hierarchy.reference_none", lang),
        "",
    ]
    headers = [t("column.region_code", lang), t("hierarchy.region_name", lang), t("hierarchy.level", lang)] + [
        t(f"column.{c}", lang)
        for c in (
            "idg",
            "idg_gap",
            "poverty_rate",
            "eligible",
            "need_share",
            "quota",
            "lower",
            "upper",
            "recipients",
            "cost_rp",
            "binding",
        )
    ]
    right = [False, False, True, True, True, True, True, True, True, True, True, True, True, False]
    rows = []
    for r in _records(h.nodes):
        aggregated_p0 = "‡" if r["poverty_basis"] == "aggregated" else ""
        aggregated_elig = "‡" if r["eligible_basis"] == "aggregated" else ""
        rows.append(
            [
                r["region_code"],
                "  " * int(r["level"]) + r["region_name"],
                str(int(r["level"]) + 1),
                f"{decimal(r['idg'], 2, lang)} ({r['idg_year']}){_mark(r['idg_status'], r['idg_fallback'])}"
                if r["idg_year"]
                else "",
                decimal(r["idg_gap"], 2, lang),
                (f"{decimal(r['poverty_rate'], 2, lang)}" + (f" ({r['poverty_year']})" if r["poverty_year"] else ""))
                + _mark(r["poverty_status"], r["poverty_fallback"])
                + aggregated_p0
                if not _nan(r["poverty_rate"])
                else "",
                (
                    format_count(r["eligible"], lang)
                    + (f" ({r['eligible_year']})" if r["eligible_year"] else "")
                    + _mark(r["eligible_status"], r["eligible_fallback"])
                    + aggregated_elig
                )
                if not _nan(r["eligible"])
                else "",
                percent(r["need_share"], 2, lang),
                decimal(r["quota"], 2, lang),
                format_count(r["lower"], lang),
                format_count(r["upper"], lang),
                format_count(r["recipients"], lang),
                format_rp(int(r["cost_rp"])),
                t(f"binding.{r['binding'] or 'none'}", lang),
            ]
        )
    top = h.nodes[h.nodes["level"] == 0]
    rows.append(
        [
            "",
            t("run.total", lang),
            "",
            "",
            "",
            "",
            "",
            "",
            decimal(float(top["quota"].sum()), 2, lang),
            format_count(int(top["lower"].sum()), lang),
            "",
            format_count(h.allocated, lang),
            format_rp(h.spent_rp),
            "",
        ]
    )
    notes = [t("run.estimate_mark", lang), t("hierarchy.aggregated_mark", lang)]
    if h.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(n.text(lang) for n in h.notices)
    tail = ["", f"{t('run.notes', lang)}:"] + [f"- {n}" for n in notes]
    return "\n".join(head) + "\n" + text_table(headers, rows, right) + "\n" + "\n".join(tail) + "\n"


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
