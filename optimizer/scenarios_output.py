"""Rendering the list of shipped scenarios (``wrse scenarios``): table, workbook, JSON and CSV.

The conventions are those of :mod:`optimizer.output`: the table and the workbook from one
:class:`~optimizer.render.table.Table` (:func:`scenarios_sheet`); the JSON and the CSV
(:func:`scenarios_json`, :func:`scenarios_csv`) keep stable English names and integer rupiah.
"""

from __future__ import annotations

import json
from pathlib import Path

from .i18n import t
from .output import grant_short
from .render import text as text_writer
from .render.table import Column, Table
from .scenario import report_baseline, shown_method


def scenarios_sheet(scenarios, lang: str = "id") -> Table:
    """One row per scenario: name, fiscal year, budget, regions, method (its name, as the reports
    call it: *Sainte-Laguë (Webster)*; the JSON and CSV keep the code), title."""
    columns = [
        Column("name", "scenarios.name", "code"),
        Column("fiscal_year", "scenarios.fiscal_year", "year"),
        Column("budget", "scenarios.budget", "rupiah"),
        Column("grant", "scenarios.extra.grant", "rupiah", priority=1),
        Column("regions", "scenarios.regions", "count", priority=2),
        Column("method", "scenarios.method", priority=4),
        Column("baseline", "scenarios.extra.baseline", "code", priority=3),
        Column("description", "scenarios.description"),
    ]
    rows = [
        {
            "name": s.name,
            "fiscal_year": s.fiscal_year,
            "budget": s.budget_rp,
            "grant": grant_short(s, lang),
            "regions": len(s.include) if s.include is not None else t("scenarios.regions_all", lang),
            "method": t(f"report.method_name.{s.method}", lang)
            if shown_method(s) != "realised"
            else t("scenarios.method_realised", lang, year=s.realised_year),
            "baseline": Path(report_baseline(s)).stem if report_baseline(s) else "",
            "description": s.title,
        }
        for s in scenarios
    ]
    return Table(columns, rows, title=t("scenarios.title", lang), sheet=t("scenarios.title", lang))


def scenarios_table(scenarios, lang: str = "id", width: int | None = None) -> str:
    """One line per scenario: name, fiscal year, budget, regions, method, title."""
    table = scenarios_sheet(scenarios, lang)
    return table.title + "\n\n" + text_writer.render(table, lang, width) + "\n"


def scenarios_records(scenarios) -> list[dict]:
    """One dict per scenario for the JSON and the CSV: name, title, fiscal year, budget, regions
    (a list, or ``"all"``), method, realised year, baseline (the file's stem, or None) and file."""
    return [
        {
            "name": s.name,
            "title": s.title,
            "fiscal_year": s.fiscal_year,
            "budget_rp": s.budget_rp,
            "regions": list(s.include) if s.include is not None else "all",
            "method": s.method,
            "realised_year": s.realised_year,
            "baseline": Path(report_baseline(s)).stem if report_baseline(s) else None,
            "file": str(s.path),
        }
        for s in scenarios
    ]


def scenarios_json(scenarios) -> str:
    """:func:`scenarios_records` as indented JSON."""
    return json.dumps(scenarios_records(scenarios), ensure_ascii=False, indent=2) + "\n"


def scenarios_csv(scenarios) -> str:
    """:func:`scenarios_records` as CSV, the regions joined with ``;``."""
    import pandas as pd

    frame = pd.DataFrame(scenarios_records(scenarios))
    frame["regions"] = frame["regions"].map(lambda v: v if isinstance(v, str) else ";".join(v))
    return frame.to_csv(index=False, lineterminator="\n")
