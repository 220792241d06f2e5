"""Rendering the analyses: tables for people and workbooks, CSV and JSON for other tools.

Each analysis is made into :class:`~optimizer.render.table.Table` objects
(:func:`sweep_sheets`, :func:`sensitivity_sheets`, :func:`plan_sheets`); the terminal
text, the workbook and the CSV for Excel are written from them by :mod:`optimizer.render`.
CSV and JSON keep stable English names, plain numbers and integer rupiah.
"""

from __future__ import annotations

import pandas as pd

from .. import __version__
from ..engine import BUDGET_NOTICES
from ..i18n import localise, t
from ..render import text as text_writer
from ..render.csv import frame_csv
from ..render.format import count as format_count
from ..render.format import decimal, percent
from ..render.format import rupiah as format_rp
from ..render.json import dumps as _json
from ..render.json import plain as _plain
from ..render.table import Check, Column, Table
from .plan import Plan
from .sensitivity import SensitivityResult
from .sweep import SweepResult

VIOLATIONS_SHOWN = 20


def _csv(frame: pd.DataFrame) -> str:
    """Machine CSV (as ``wrse run`` writes): :func:`optimizer.render.csv.frame_csv`."""
    return frame_csv(frame)


def _scenario_head(base) -> dict:
    s = base.scenario
    if s is None:
        return {"name": None, "title": None, "file": None}
    return {"name": s.name, "title": s.title, "fiscal_year": s.fiscal_year, "file": str(s.path) if s.path else None}


def _notices(base, lang: str, any_budget: bool = False) -> list[str]:
    """The reference allocation's notices; with ``any_budget`` (a sweep), only those that hold
    at every budget (not, e.g., the leftover of the scenario's own budget)."""
    if base.allocation is None:
        return []
    skip = BUDGET_NOTICES if any_budget else frozenset()
    return [n.text(lang) for n in base.allocation.notices if n.key not in skip]


# ---------------------------------------------------------------------------- sweep


def sweep_dict(result: SweepResult, lang: str = "en") -> dict:
    """The sweep as one JSON-ready object (points, monotonicity, next in line, entries)."""
    base = result.base
    frame = result.frame()
    points = []
    for _, row in frame.iterrows():
        points.append(
            {
                "budget_rp": int(row["budget_rp"]),
                "affordable": int(row["affordable"]),
                "allocated": int(row["allocated"]),
                "spent_rp": int(row["spent_rp"]),
                "leftover_rp": int(row["leftover_rp"]),
                "feasible": bool(row["feasible"]),
                "regions_covered": int(row["regions_covered"]),
                "recipients": {c: int(row[f"recipients_{c}"]) for c in base.codes},
                "coverage_pct": {
                    c: (100.0 * int(row[f"recipients_{c}"]) / int(e) if e > 0 else None)
                    for c, e in zip(base.codes, base.eligible, strict=True)
                },
            }
        )
    return {
        "tool": {"name": "wrse-optimizer", "version": __version__},
        "analysis": "sweep",
        "scenario": _scenario_head(base),
        "method": base.method,
        "cost_per_recipient_rp": base.cost_rp,
        "floor_recipients": base.floor_total,
        "floor_budget_rp": base.floor_budget_rp,
        "range": {
            "from_rp": int(result.budgets_rp[0]),
            "to_rp": int(result.budgets_rp[-1]),
            "step_rp": result.step_rp,
            "points": len(result.budgets_rp),
        },
        "monotone": result.monotone,
        "monotonicity_checked": {
            "every_affordable_count": result.dense,
            "affordable_from": result.checked_range[0] if result.checked_range else None,
            "affordable_to": result.checked_range[1] if result.checked_range else None,
        },
        "violations": [vars(v) for v in result.violations],
        "verified_points": result.verified_points,
        "resolved_points": result.resolved_points,
        "regions": [
            {
                "region_code": c,
                "region_name": base.names[i],
                "need_share": float(base.shares[i]),
                "lower": int(base.lower[i]),
                "upper": int(base.upper[i]),
            }
            for i, c in enumerate(base.codes)
        ],
        "current": {
            "budget_rp": result.current_budget_rp,
            "recipients": None
            if result.current_x is None
            else {c: int(v) for c, v in zip(base.codes, result.current_x, strict=True)},
        },
        "next_in_line": [
            {
                "recipient": u.recipient,
                "budget_rp": u.budget_rp,
                "extra_rp": u.extra_rp,
                "gains": list(u.gains),
                "losses": list(u.losses),
            }
            for u in result.next_in_line
        ],
        "entries": [
            {
                "region_code": e.code,
                "region_name": e.name,
                "budget_rp": e.budget_rp,
                "affordable": e.affordable,
                "reason": e.reason,
            }
            for e in result.entries
        ],
        "notices": _notices(base, lang, any_budget=True),
        "points": points,
    }


def sweep_json(result: SweepResult, lang: str = "en") -> str:
    """:func:`sweep_dict` as indented JSON."""
    return _json(sweep_dict(result, lang))


def sweep_csv(result: SweepResult) -> str:
    """One row per budget point: :meth:`SweepResult.frame` (the lists are in the JSON and table)."""
    return _csv(result.frame())


def _monotonicity_lines(result: SweepResult, lang: str) -> list[str]:
    base = result.base
    if not result.checked_range:
        return []
    if result.monotone:
        if result.dense:
            lo, hi = result.checked_range
            line = t(
                "sweep.monotone_dense",
                lang,
                lo=format_count(lo, lang),
                hi=format_count(hi, lang),
                start=format_rp(lo * base.cost_rp, lang),
                end=format_rp(int(result.budgets_rp[-1]), lang),
            )
        else:
            line = t("sweep.monotone_grid", lang, points=format_count(len(result.budgets_rp), lang))
        lines = [line]
        if base.method == "sainte-lague":
            lines.append(t("sweep.monotone_theory", lang))
        return lines
    lines = [t("sweep.violated", lang, count=format_count(len(result.violations), lang))]
    for v in result.violations[:VIOLATIONS_SHOWN]:
        lines.append(
            "  - "
            + t(
                "sweep.violation",
                lang,
                code=v.code,
                name=v.name,
                count_from=v.count_from,
                budget_from=format_rp(v.budget_from_rp, lang),
                r_from=format_count(v.affordable_from, lang),
                count_to=v.count_to,
                budget_to=format_rp(v.budget_to_rp, lang),
                r_to=format_count(v.affordable_to, lang),
            )
        )
    if len(result.violations) > VIOLATIONS_SHOWN:
        lines.append("  " + t("sweep.more_violations", lang, count=len(result.violations) - VIOLATIONS_SHOWN))
    return lines


def _sweep_head(result: SweepResult, lang: str) -> list[str]:
    base = result.base
    s = base.scenario
    budgets = result.budgets_rp
    return [
        t(
            "sweep.title",
            lang,
            title=s.title if s else "",
            name=s.name if s else "",
            method=t(f"method.{base.method}", lang),
        ),
        t(
            "sweep.range",
            lang,
            start=format_rp(int(budgets[0]), lang),
            end=format_rp(int(budgets[-1]), lang),
            step=format_rp(result.step_rp, lang),
            points=format_count(len(budgets), lang),
            cost=format_rp(base.cost_rp, lang),
        ),
        t(
            "sweep.floors",
            lang,
            count=format_count(base.floor_total, lang),
            amount=format_rp(base.floor_budget_rp, lang),
            infeasible=format_count(int((~result.feasible).sum()), lang),
        )
        if base.floor_total
        else t("sweep.no_floors", lang),
        *_monotonicity_lines(result, lang),
        *(
            [
                t(
                    "sweep.verified",
                    lang,
                    points=format_count(result.verified_points, lang),
                    resolved=format_count(result.resolved_points, lang),
                )
            ]
            if result.verified_points
            else []
        ),
    ]


def _region(code: str, names: dict[str, str]) -> str:
    return f"{names[code]} ({code})"


def sweep_sheets(result: SweepResult, lang: str = "id") -> list[Table]:
    """The sweep as tables: the budget points (recipients per region under the region's
    name), the next recipients in line, and the budget at which each region enters."""
    base = result.base
    names = dict(zip(base.codes, base.names, strict=True))
    columns = [
        Column("budget_rp", "sweep.budget", "rupiah"),
        Column("affordable", "sweep.affordable", "count"),
        Column("allocated", "sweep.allocated", "count"),
        Column("leftover_rp", "sweep.leftover", "rupiah", priority=3),
        Column("regions_covered", "sweep.covered", "count", priority=2),
        *(Column(f"recipients_{c}", names[c], "count", literal=True, panel=True) for c in base.codes),
    ]
    rows = []
    for row in result.frame().to_dict("records"):
        if not row["feasible"]:
            rows.append(
                {
                    "budget_rp": row["budget_rp"],
                    "affordable": row["affordable"],
                    "allocated": t("sweep.infeasible", lang),
                }
            )
            continue
        rows.append({k: v for k, v in row.items() if k != "feasible"})
    head = _sweep_head(result, lang)
    points = Table(columns, rows, title=head[0], sheet=t("table.sheet_sweep", lang), notes=head[1:])
    losses = any(u.losses for u in result.next_in_line)  # only largest remainder takes recipients away
    following = Table(
        [
            Column("recipient", "sweep.next_recipient", "count"),
            Column("budget_rp", "sweep.next_budget", "rupiah"),
            Column("extra_rp", "sweep.next_extra", "signed_rupiah"),
            Column("gains", "sweep.next_goes_to"),
            *([Column("losses", "sweep.next_taken_from")] if losses else []),
        ],
        [
            {
                "recipient": u.recipient,
                "budget_rp": u.budget_rp,
                "extra_rp": u.extra_rp,
                "gains": ", ".join(_region(c, names) for c in u.gains),
                "losses": ", ".join(_region(c, names) for c in u.losses),
            }
            for u in result.next_in_line
        ],
        title=_next_title(result, lang),
        sheet=t("table.sheet_next", lang),
    )
    entries = Table(
        [
            Column("region_code", "column.region_code", "code"),
            Column("region_name", "column.region_name"),
            Column("budget_rp", "sweep.entry_budget", "rupiah"),
            Column("affordable", "sweep.affordable", "count"),
            Column("note", "sweep.entry_note"),
        ],
        [
            {
                "region_code": e.code,
                "region_name": e.name,
                "budget_rp": e.budget_rp,
                "affordable": e.affordable,
                "note": t(f"sweep.entry_{e.reason}", lang),
            }
            for e in result.entries
        ],
        title=t("sweep.entries_title", lang),
        sheet=t("table.sheet_entries", lang),
        notes=_sweep_notes(result, lang),
    )
    return [points, following, entries]


def _next_title(result: SweepResult, lang: str) -> str:
    if not result.next_in_line:
        return t("sweep.next_none", lang)
    if result.current_x is None:
        return t(
            "sweep.next_infeasible",
            lang,
            budget=format_rp(result.current_budget_rp, lang),
            floor_budget=format_rp(result.base.floor_budget_rp, lang),
        )
    return t(
        "sweep.next_title",
        lang,
        budget=format_rp(result.current_budget_rp, lang),
        allocated=format_count(int(result.current_x.sum()), lang),
    )


def _sweep_notes(result: SweepResult, lang: str) -> list[str]:
    notes = _notices(result.base, lang, any_budget=True)
    if result.base.method == "largest-remainder":
        notes.insert(0, t("run.alabama", lang))
    return notes


def _notes_text(notes: list[str], lang: str, width: int | None) -> str:
    from ..output import notes_block

    return notes_block(notes, lang, width)


def sweep_table(result: SweepResult, lang: str = "id", width: int | None = None, wide: bool = False) -> str:
    """The sweep for people: header, monotonicity, the points, next in line, entries, notes."""
    points, following, entries = sweep_sheets(result, lang)
    head = text_writer.fill(_sweep_head(result, lang), width, "  ")

    def title(table: Table) -> str:
        return "\n".join(text_writer.fill([table.title], width, "  ")) + "\n"

    text = "\n".join([*head, ""]) + "\n" + text_writer.render(points, lang, width, wide) + "\n\n"
    text += title(following)
    if result.next_in_line:
        text += text_writer.render(following, lang, width, wide) + "\n"
    text += "\n" + title(entries) + text_writer.render(entries, lang, width, wide) + "\n"
    return text + _notes_text(entries.notes, lang, width)


# ---------------------------------------------------------------------- sensitivity


def _weights_line(result: SensitivityResult, lang: str) -> str:
    spec = result.spec
    k = int((result.weight_summary["scenario"] > 0).sum())
    if spec.weight_spread == 0:
        return t("sensitivity.weights_fixed", lang)
    if k < 2:
        return t("sensitivity.weights_single", lang)
    if spec.weight_model == "dirichlet":
        return t(
            "sensitivity.weights_dirichlet",
            lang,
            spread=decimal(spec.weight_spread, 1, lang),
            c=decimal(result.concentration, 1, lang),
            k=k,
        )
    return t("sensitivity.weights_uniform", lang, spread=decimal(spec.weight_spread, 1, lang))


def sensitivity_dict(result: SensitivityResult, lang: str = "en") -> dict:
    """The summary as one JSON-ready object (the spec, weights drawn, per-region distribution)."""
    base, spec = result.base, result.spec
    return {
        "tool": {"name": "wrse-optimizer", "version": __version__},
        "analysis": "sensitivity",
        "scenario": _scenario_head(base),
        "method": base.method,
        "budget_rp": base.allocation.budget_rp,
        "affordable": result.affordable,
        "draws": spec.draws,
        "seed": spec.seed,
        "weight_model": spec.weight_model,
        "weight_spread_pct": spec.weight_spread,
        "dirichlet_concentration": result.concentration,
        "data_spread_pct": spec.data_spread,
        "unchanged_share": result.unchanged,
        "engine_fallback_draws": len(result.fallback_rows),
        "weights": [{k: _plain(v) for k, v in row.items()} for row in result.weight_summary.to_dict("records")],
        "regions": [{k: _plain(v) for k, v in row.items()} for row in result.summary.to_dict("records")],
        "notices": _notices(base, lang),
    }


def sensitivity_json(result: SensitivityResult, lang: str = "en") -> str:
    """:func:`sensitivity_dict` as indented JSON."""
    return _json(sensitivity_dict(result, lang))


def sensitivity_csv(result: SensitivityResult) -> str:
    """One row per region: the columns of :attr:`SensitivityResult.summary`."""
    return _csv(result.summary)


def _sensitivity_head(result: SensitivityResult, lang: str) -> list[str]:
    base, spec = result.base, result.spec
    s = base.scenario
    return [
        t(
            "sensitivity.title",
            lang,
            title=s.title,
            name=s.name,
            budget=format_rp(base.allocation.budget_rp, lang),
            affordable=format_count(result.affordable, lang),
            method=t(f"method.{base.method}", lang),
        ),
        _weights_line(result, lang),
        t("sensitivity.data_spread", lang, spread=decimal(spec.data_spread, 1, lang))
        if spec.data_spread
        else t("sensitivity.data_fixed", lang),
        t("sensitivity.draws", lang, draws=format_count(spec.draws, lang), seed=spec.seed),
        t("sensitivity.unchanged", lang, share=percent(result.unchanged, 2, lang)),
    ]


def _sensitivity_notes(result: SensitivityResult, lang: str) -> list[str]:
    notes = [t("sensitivity.method_note", lang), t("sensitivity.percentiles", lang)]
    if result.fallback_rows:
        notes.append(t("sensitivity.fallback", lang, count=format_count(len(result.fallback_rows), lang)))
    if result.base.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(_notices(result.base, lang))
    return notes


def sensitivity_sheets(result: SensitivityResult, lang: str = "id") -> list[Table]:
    """The sensitivity analysis as tables: the weights drawn, and per region the
    distribution of its recipients over the draws."""
    head = _sensitivity_head(result, lang)
    weights = Table(
        [
            Column("indicator", "sensitivity.indicator"),
            Column("scenario", "sensitivity.scenario", "percent", 1),
            Column("p5", "P5", "percent", 1, literal=True),
            Column("median", "Median", "percent", 1, literal=True),
            Column("p95", "P95", "percent", 1, literal=True),
        ],
        [
            {
                **{k: _plain(row[k]) for k in ("scenario", "p5", "median", "p95")},
                "indicator": t(f"weight.{row['indicator']}", lang),
            }
            for row in result.weight_summary.to_dict("records")
        ],
        title=head[0],
        sheet=t("table.sheet_weights", lang),
        notes=head[1:],
    )
    regions = Table(
        [
            Column("region_code", "column.region_code", "code"),
            Column("region_name", "column.region_name"),
            Column("scenario", "sensitivity.scenario", "count"),
            *(
                Column(k, f"sensitivity.{k}", "count", priority=2 if k in ("min", "max") else 0)
                for k in ("min", "p5", "median", "p95", "max")
            ),
            Column("mean", "sensitivity.mean", "decimal", 1, priority=1),
            Column("p_fewer", "sensitivity.p_fewer", "percent", 1),
            Column("p_more", "sensitivity.p_more", "percent", 1),
        ],
        [{k: _plain(v) for k, v in row.items()} for row in result.summary.to_dict("records")],
        title=t("sensitivity.region_table", lang),
        sheet=t("table.sheet_sensitivity", lang),
        notes=_sensitivity_notes(result, lang),
    )
    return [weights, regions]


def sensitivity_table(result: SensitivityResult, lang: str = "id", width: int | None = None, wide: bool = False) -> str:
    """The sensitivity analysis for people."""
    weights, regions = sensitivity_sheets(result, lang)
    head = text_writer.fill(_sensitivity_head(result, lang), width, "  ")
    return (
        "\n".join([*head, "", t("sensitivity.weights_table", lang) + ":"])
        + "\n"
        + text_writer.render(weights, lang, width, wide)
        + "\n\n"
        + regions.title
        + ":\n"
        + text_writer.render(regions, lang, width, wide)
        + "\n"
        + _notes_text(regions.notes, lang, width)
    )


# ---------------------------------------------------------------------------- plan


def plan_dict(p: Plan, lang: str = "en") -> dict:
    """The plan as one JSON-ready object: roadmap, yearly totals, region-year cells, entries."""
    r = p.roadmap
    entries = p.entry_year()
    years = []
    for i, year in enumerate(p.years):
        years.append(
            {
                "year": year,
                "budget_rp": int(p.budgets_rp[i]),
                "recipients": int(p.x[i].sum()),
                "grants_rp": int(p.grants_rp[i].sum()),
                "sessions_rp": int(p.sessions_rp[i].sum()),
                "spent_rp": int(p.spent_rp[i]),
                "unspent_rp": int(p.unspent_rp[i]),
                "active_regions": int(p.active[i].sum()),
            }
        )
    return {
        "tool": {"name": "wrse-optimizer", "version": __version__},
        "analysis": "plan",
        "roadmap": {
            "name": r.name,
            "title": r.title,
            "file": str(r.path) if r.path else None,
            "scenario": str(r.scenario),
            "first_year": r.first_year,
            "last_year": r.last_year,
            "coverage_year": r.coverage_year,
            "budget_form": r.budget_form,
            "budget_start_rp": r.budget_start_rp,
            "growth_pct": float(r.growth_pct) if r.growth_pct is not None else None,
            "session_rp": r.session_rp,
            "min_class": r.min_class,
            "min_share_of_previous": float(r.min_share_of_previous),
            "hold_harmless_of_baseline": float(r.hold_harmless),
            "granted_through": r.granted_through,
            "assumptions": list(r.assumptions),
        },
        "baseline": {
            "year": r.baseline.year,
            "label": r.baseline.label,
            "recipients": {c: int(v) for c, v in zip(p.codes, p.baseline, strict=True)},
        },
        "method": p.base.method,
        "cost_per_recipient_rp": p.cost_rp,
        "objective": list(p.objective),
        "solver": p.solver,
        "status": p.status,
        "optimal": p.optimal,
        "years": years,
        "regions": [
            {
                "region_code": c,
                "region_name": p.names[j],
                "need_share": float(p.base.shares[j]),
                "eligible": int(p.eligible[j]),
                "entry_year": entries[c],
                "baseline": int(p.baseline[j]),
                "granted_before": int(p.granted_before[j]),
                "recipients": {str(y): int(p.x[i, j]) for i, y in enumerate(p.years)},
                "rupiah": {str(y): int(p.grants_rp[i, j] + p.sessions_rp[i, j]) for i, y in enumerate(p.years)},
                "quota": {str(y): float(p.quota[i, j]) for i, y in enumerate(p.years)},
            }
            for j, c in enumerate(p.codes)
        ],
        "notices": [n.text(lang) for n in p.notices],
    }


def plan_json(p: Plan, lang: str = "en") -> str:
    """:func:`plan_dict` as indented JSON."""
    return _json(plan_dict(p, lang))


def plan_csv(p: Plan) -> str:
    """One row per year and region (baseline year first): :meth:`Plan.frame`."""
    frame = p.frame()
    for column in ("session_rp", "total_rp"):
        frame[column] = frame[column].astype("Int64")
    return _csv(frame)


def _plan_head(p: Plan, lang: str) -> list[str]:
    r = p.roadmap
    return [
        t(
            "plan.title",
            lang,
            title=r.title,
            name=r.name,
            scenario=p.base.scenario.name,
            method=t(f"method.{p.base.method}", lang),
        ),
        t(
            "plan.rules",
            lang,
            first=r.first_year,
            last=r.last_year,
            coverage=r.coverage_year,
            session=format_rp(r.session_rp, lang),
            min_class=r.min_class,
            share=percent(float(r.min_share_of_previous), 0, lang),
        ),
        t(
            "plan.budget_growth",
            lang,
            start=format_rp(r.budget_start_rp, lang),
            first=r.first_year,
            growth=decimal(float(r.growth_pct), 1, lang),
        )
        if r.budget_form == "growth"
        else t("plan.budget_listed", lang),
        t("plan.baseline", lang, year=r.baseline.year, label=r.baseline.label),
        *(
            [t("plan.hold_harmless", lang, share=percent(float(r.hold_harmless), 0, lang), year=r.baseline.year)]
            if r.hold_harmless > 0
            else []
        ),
        *([t("plan.granted_column", lang, year=r.granted_through)] if p.granted is not None else []),
    ]


def _plan_notes(p: Plan, lang: str) -> list[str]:
    return [
        t("plan.objective", lang, values=", ".join(decimal(v, 4, lang) for v in p.objective)),
        t("plan.solver", lang, solver=p.solver, status=localise(p.status, lang), solves=p.solves),
        t("plan.no_carry", lang),
        *(n.text(lang) for n in p.notices),
    ]


def plan_sheets(p: Plan, lang: str = "id") -> list[Table]:
    """The plan as tables: recipients per region and year (baseline year first), Rupiah per
    region and year, and per year the budget, spending and a budget check."""
    r = p.roadmap
    entries = p.entry_year()
    years = [str(y) for y in p.years]
    base_year = f"{r.baseline.year}*"
    region = [Column("region_code", "column.region_code", "code"), Column("region_name", "column.region_name")]
    recipients = Table(
        [
            *region,
            Column("baseline", base_year, "count", total="sum", literal=True, priority=2),
            *(
                [
                    Column(
                        "granted",
                        t("plan.granted_header", lang, year=r.granted_through),
                        "count",
                        total="sum",
                        literal=True,
                        priority=2,
                    )
                ]
                if p.granted is not None
                else []
            ),
            *(Column(f"y{y}", y, "count", total="sum", literal=True) for y in years),
            Column("total", "plan.total", "count", total="sum"),
            Column("entry", "plan.entry", "year", priority=1),
        ],
        [
            {
                "region_code": code,
                "region_name": p.names[j],
                "baseline": int(p.baseline[j]),
                "granted": int(p.granted_before[j]) if p.granted is not None else None,
                **{f"y{y}": int(p.x[i, j]) for i, y in enumerate(years)},
                "total": int(p.x[:, j].sum()),
                "entry": entries[code] or 0,
            }
            for j, code in enumerate(p.codes)
        ],
        {
            "region_name": t("plan.total", lang),
            "baseline": int(p.baseline.sum()),
            "granted": int(p.granted_before.sum()) if p.granted is not None else None,
            **{f"y{y}": int(p.x[i].sum()) for i, y in enumerate(years)},
            "total": int(p.x.sum()),
        },
        title=t("plan.recipients_table", lang, year=base_year),
        sheet=t("table.sheet_plan_recipients", lang),
    )
    money_rows = []
    for j, code in enumerate(p.codes):
        cells = {f"y{y}": int(p.grants_rp[i, j] + p.sessions_rp[i, j]) for i, y in enumerate(years)}
        money_rows.append({"region_code": code, "region_name": p.names[j], **cells, "total": sum(cells.values())})
    money = Table(
        [
            *region,
            *(Column(f"y{y}", y, "rupiah", total="sum", literal=True) for y in years),
            Column(
                "total",
                "plan.total",
                "rupiah",
                priority=1,
                total="sum",
                formula="SUM({y" + years[0] + "}:{y" + years[-1] + "})",
            ),
        ],
        money_rows,
        {
            "region_name": t("plan.total", lang),
            **{f"y{y}": int(v) for y, v in zip(years, p.spent_rp, strict=True)},
            "total": int(p.spent_rp.sum()),
        },
        title=t("plan.rupiah_table", lang),
        sheet=t("table.sheet_plan_rupiah", lang),
    )
    ok, over = t("table.within_budget", lang), t("table.over_budget", lang)
    per_year = Table(
        [
            Column("year", "plan.year", "year"),
            Column("budget", "plan.budget", "rupiah"),
            Column("grants", "plan.grants", "rupiah", priority=2),
            Column("sessions", "plan.sessions", "rupiah", priority=2),
            Column("spent", "plan.spent", "rupiah", formula="{grants}+{sessions}"),
            Column("unspent", "plan.unspent", "rupiah", formula="{budget}-{spent}", priority=1),
            Column("active", "plan.active", "count"),
            Column("check", "table.year_check", screen=False, formula=f'IF({{spent}}<={{budget}},"{ok}","{over}")'),
        ],
        [
            {
                "year": year,
                "budget": int(p.budgets_rp[i]),
                "grants": int(p.grants_rp[i].sum()),
                "sessions": int(p.sessions_rp[i].sum()),
                "spent": int(p.spent_rp[i]),
                "unspent": int(p.unspent_rp[i]),
                "active": int(p.active[i].sum()),
                "check": ok if int(p.spent_rp[i]) <= int(p.budgets_rp[i]) else over,
            }
            for i, year in enumerate(p.years)
        ],
        title=t("plan.years_table", lang),
        sheet=t("table.sheet_plan_years", lang),
        notes=[*_plan_head(p, lang), *_plan_notes(p, lang), *r.assumptions],
        checks=[Check("table.budget_check", f'IF(COUNTIF({{range:check}},"{over}")=0,"{ok}","{over}")', flag=over)],
    )
    return [recipients, money, per_year]


def plan_table(p: Plan, lang: str = "id", width: int | None = None, wide: bool = False) -> str:
    """The plan for people: rules, recipients and Rupiah per region and year, yearly totals, notes."""
    recipients, money, per_year = plan_sheets(p, lang)
    blocks = [
        "\n".join(text_writer.fill(_plan_head(p, lang), width, "  ")),
        *(x.title + ":\n" + text_writer.render(x, lang, width, wide) for x in (recipients, money, per_year)),
        f"{t('run.notes', lang)}:\n"
        + "\n".join(text_writer.fill([f"- {n}" for n in _plan_notes(p, lang)], width, "  ")),
    ]
    if p.roadmap.assumptions:
        blocks.append(
            f"{t('plan.assumptions', lang)}:\n"
            + "\n".join(text_writer.fill([f"- {a}" for a in p.roadmap.assumptions], width, "  "))
        )
    return "\n\n".join(blocks) + "\n"


__all__ = [
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
