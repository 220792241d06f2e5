"""Rendering a comparison of allocations: regions side by side, as table, CSV, JSON and workbook.

``wrse compare``: per scenario its recipients and Rupiah per region and the change from the
first scenario. The conventions are those of :mod:`optimizer.output` (values in
:class:`~optimizer.render.table.Table` objects; stable English names, plain numbers and
integer rupiah in CSV and JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .i18n import t
from .output import _records, budget_cells, budget_table, grant_dict, grant_line, heading
from .render import text as text_writer
from .render.csv import frame_csv
from .render.format import rupiah as format_rp
from .render.json import tool
from .render.table import Check, Column, Parameter, Table
from .scenario import shown_method

if TYPE_CHECKING:
    import pandas as pd

    from .engine import Allocation


def comparison_frame(allocations: Sequence[Allocation]) -> pd.DataFrame:
    """Regions side by side: one row per region (union of data sets, BPS order).

    Columns: ``region_code``, ``region_name``, then per scenario i (0-based)
    ``recipients_<i>``, ``cost_rp_<i>``, and for i > 0 ``change_recipients_<i>`` and
    ``change_rp_<i>`` (difference from scenario 0). Integer rupiah throughout.
    """
    names: dict[str, str] = {}
    for a in allocations:
        names.update(dict(zip(a.regions["region_code"], a.regions["region_name"], strict=True)))
    import pandas as pd

    frame = pd.DataFrame({"region_code": sorted(names)})
    frame["region_name"] = [names[c] for c in frame["region_code"]]
    for i, a in enumerate(allocations):
        counts = a.recipients()
        frame[f"recipients_{i}"] = [counts.get(c, 0) for c in frame["region_code"]]
        frame[f"cost_rp_{i}"] = [counts.get(c, 0) * a.cost_per_recipient_rp for c in frame["region_code"]]
        if i:
            frame[f"change_recipients_{i}"] = frame[f"recipients_{i}"] - frame["recipients_0"]
            frame[f"change_rp_{i}"] = frame[f"cost_rp_{i}"] - frame["cost_rp_0"]
    return frame


def comparison_dict(allocations: Sequence[Allocation]) -> dict:
    """JSON-ready comparison: scenarios with their totals, and regions with per-scenario values."""
    frame = comparison_frame(allocations)
    scenarios = [
        {
            "index": i,
            "name": a.scenario.name,
            "title": a.scenario.title,
            "budget_rp": a.budget_rp,
            "allocated": a.allocated,
            "spent_rp": a.spent_rp,
            "leftover_rp": a.leftover_rp,
            "method": a.method,
            "grant": grant_dict(a.scenario),
            "regions_covered": int((a.regions["recipients"] > 0).sum()),
        }
        for i, a in enumerate(allocations)
    ]
    regions = []
    for row in _records(frame):
        entry = {"region_code": row["region_code"], "region_name": row["region_name"], "scenarios": []}
        for i in range(len(allocations)):
            item = {"recipients": int(row[f"recipients_{i}"]), "cost_rp": int(row[f"cost_rp_{i}"])}
            if i:
                item["change_recipients"] = int(row[f"change_recipients_{i}"])
                item["change_rp"] = int(row[f"change_rp_{i}"])
            entry["scenarios"].append(item)
        regions.append(entry)
    return {"tool": tool(), "scenarios": scenarios, "regions": regions}


def comparison_csv(allocations: Sequence[Allocation]) -> str:
    """:func:`comparison_frame` as CSV (a legend row is not added; column suffixes are scenario indexes)."""
    return frame_csv(comparison_frame(allocations))


def _legend(allocations: Sequence[Allocation], lang: str) -> list[str]:
    legend = [t("compare.title", lang, first=allocations[0].scenario.name)]
    for i, a in enumerate(allocations):
        legend.append(
            f"  [{i + 1}] {a.scenario.name}: {heading(a, lang)} · {format_rp(a.budget_rp, lang)} · "
            f"{t(f'method.{shown_method(a.scenario, a.method)}', lang)}"
        )
        legend.append(f"      {t('grant.label', lang)}: {grant_line(a.scenario, lang)}")
    return legend


def comparison_sheet(allocations: Sequence[Allocation], lang: str = "id") -> Table:
    """Regions side by side as a :class:`~optimizer.render.table.Table`: per scenario its
    recipients and Rupiah (= recipients × its cost per recipient in the workbook), and the
    change from the first; per scenario a budget cell, a cost cell and a budget check."""
    frame = comparison_frame(allocations)
    recipients, rupiah = t("compare.recipients", lang), t("compare.rupiah", lang)
    columns = [Column("region_code", "column.region_code", "code"), Column("region_name", "column.region_name")]
    parameters: list[Parameter] = []
    checks: list[Check] = []
    for i, a in enumerate(allocations):
        n = i + 1
        columns += [
            Column(f"recipients_{i}", f"[{n}] {recipients}", "count", total="sum", literal=True),
            Column(
                f"cost_rp_{i}",
                f"[{n}] {rupiah}",
                "rupiah",
                priority=3,  # a narrow terminal drops the rupiah first: the changes are the point of compare
                formula=f"{{recipients_{i}}}*{{@cost_{i}}}",
                total="sum",
                literal=True,
            ),
        ]
        if i:
            columns += [
                Column(
                    f"change_recipients_{i}",
                    f"Δ[{n}] {recipients}",
                    "signed_count",
                    priority=1,
                    formula=f"{{recipients_{i}}}-{{recipients_0}}",
                    total="sum",
                    literal=True,
                ),
                Column(
                    f"change_rp_{i}",
                    f"Δ[{n}] {rupiah}",
                    "signed_rupiah",
                    priority=2,
                    formula=f"{{cost_rp_{i}}}-{{cost_rp_0}}",
                    total="sum",
                    literal=True,
                ),
            ]
        parameters += [
            Parameter(f"budget_{i}", f"[{n}] {t('table.budget', lang)}", a.budget_rp, literal=True),
            Parameter(
                f"cost_{i}", f"[{n}] {t('table.cost_per_recipient', lang)}", a.cost_per_recipient_rp, literal=True
            ),
        ]
        checks += [
            Check(f"[{n}] {t(c.label, lang)}", c.formula, c.kind, c.flag, literal=True)
            for c in budget_cells(a.budget_rp, a.cost_per_recipient_rp, f"_{i}")[1]
        ]
    numbers = [c.key for c in columns[2:]]
    rows = [{k: (v if k in ("region_code", "region_name") else int(v)) for k, v in r.items()} for r in _records(frame)]
    total = {"region_name": t("run.total", lang), **{k: int(frame[k].sum()) for k in numbers}}
    legend = _legend(allocations, lang)
    lines = [legend[0], *(line.strip() for line in legend[1:])]
    return budget_table(columns, rows, total, lines, "table.sheet_compare", parameters, checks, lang)


def comparison_table(
    allocations: Sequence[Allocation], lang: str = "id", width: int | None = None, wide: bool = False
) -> str:
    """Regions side by side for people: recipients and Rupiah per scenario, change from the first."""
    table = comparison_sheet(allocations, lang)
    legend = text_writer.fill(_legend(allocations, lang), width, "      ")
    return "\n".join(legend) + "\n\n" + text_writer.render(table, lang, width, wide) + "\n"
