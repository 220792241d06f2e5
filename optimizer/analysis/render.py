"""Rendering the analyses: text tables for people, CSV and JSON for other tools.

Conventions as in :mod:`optimizer.output`: tables in the chosen language with Indonesian
number formats for ``id``; CSV and JSON with stable English names, plain numbers and
integer rupiah; text cells from user data neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import json
import math

import pandas as pd

from .. import __version__
from ..engine import BUDGET_NOTICES
from ..i18n import t
from ..money import format_count, format_rp
from ..output import decimal, neutralise, percent, text_table
from .plan import Plan
from .sensitivity import SensitivityResult
from .sweep import SweepResult

VIOLATIONS_SHOWN = 20


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _plain(value):
    """JSON-safe scalar: numpy -> Python, NaN -> None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _csv(frame: pd.DataFrame) -> str:
    """CSV with formula-looking text neutralised and booleans as ``true``/``false`` (as ``wrse run`` writes)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "true", False: "false"})
        elif out[column].dtype == object:
            out[column] = out[column].map(
                lambda v: ("true" if v else "false") if isinstance(v, bool) else neutralise(v)
            )
    return out.to_csv(index=False, lineterminator="\n")


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
                start=format_rp(lo * base.cost_rp),
                end=format_rp(int(result.budgets_rp[-1])),
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
                budget_from=format_rp(v.budget_from_rp),
                r_from=format_count(v.affordable_from, lang),
                count_to=v.count_to,
                budget_to=format_rp(v.budget_to_rp),
                r_to=format_count(v.affordable_to, lang),
            )
        )
    if len(result.violations) > VIOLATIONS_SHOWN:
        lines.append("  " + t("sweep.more_violations", lang, count=len(result.violations) - VIOLATIONS_SHOWN))
    return lines


def sweep_table(result: SweepResult, lang: str = "id") -> str:
    """The sweep for people: header, monotonicity, the points, next in line, entries, notes."""
    base = result.base
    s = base.scenario
    budgets = result.budgets_rp
    head = [
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
            start=format_rp(int(budgets[0])),
            end=format_rp(int(budgets[-1])),
            step=format_rp(result.step_rp),
            points=format_count(len(budgets), lang),
            cost=format_rp(base.cost_rp),
        ),
        t(
            "sweep.floors",
            lang,
            count=format_count(base.floor_total, lang),
            amount=format_rp(base.floor_budget_rp),
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
        t("sweep.legend", lang, legend=", ".join(f"{c} {n}" for c, n in zip(base.codes, base.names, strict=True))),
        "",
    ]
    headers = [
        t("sweep.budget", lang),
        t("sweep.affordable", lang),
        t("sweep.allocated", lang),
        t("sweep.leftover", lang),
        t("sweep.covered", lang),
        *base.codes,
    ]
    rows = []
    frame = result.frame()
    for _, row in frame.iterrows():
        if not row["feasible"]:
            rows.append(
                [
                    format_rp(int(row["budget_rp"])),
                    format_count(row["affordable"], lang),
                    t("sweep.infeasible", lang),
                    "",
                    "",
                    *([""] * base.n),
                ]
            )
            continue
        rows.append(
            [
                format_rp(int(row["budget_rp"])),
                format_count(row["affordable"], lang),
                format_count(row["allocated"], lang),
                format_rp(int(row["leftover_rp"])),
                format_count(row["regions_covered"], lang),
                *(format_count(row[f"recipients_{c}"], lang) for c in base.codes),
            ]
        )
    table = text_table(headers, rows, [True] * len(headers))
    return "\n".join(head) + "\n" + table + "\n\n" + _next_block(result, lang) + "\n" + _entry_block(result, lang)


def _next_block(result: SweepResult, lang: str) -> str:
    base = result.base
    if not result.next_in_line:
        return t("sweep.next_none", lang) + "\n"
    if result.current_x is None:
        title = t(
            "sweep.next_infeasible",
            lang,
            budget=format_rp(result.current_budget_rp),
            floor_budget=format_rp(base.floor_budget_rp),
        )
    else:
        title = t(
            "sweep.next_title",
            lang,
            budget=format_rp(result.current_budget_rp),
            allocated=format_count(int(result.current_x.sum()), lang),
        )
    names = dict(zip(base.codes, base.names, strict=True))
    losses = any(u.losses for u in result.next_in_line)  # only largest remainder takes recipients away
    headers = [
        t("sweep.next_recipient", lang),
        t("sweep.next_budget", lang),
        t("sweep.next_extra", lang),
        t("sweep.next_goes_to", lang),
        *([t("sweep.next_taken_from", lang)] if losses else []),
    ]
    rows = [
        [
            format_count(u.recipient, lang),
            format_rp(u.budget_rp),
            ("+" if u.extra_rp > 0 else "") + format_rp(u.extra_rp),
            ", ".join(f"{c} {names[c]}" for c in u.gains),
            *([", ".join(f"{c} {names[c]}" for c in u.losses)] if losses else []),
        ]
        for u in result.next_in_line
    ]
    return title + "\n" + text_table(headers, rows, [True, True, True, False, False][: len(headers)]) + "\n"


def _entry_block(result: SweepResult, lang: str) -> str:
    headers = [
        t("column.region_code", lang),
        t("column.region_name", lang),
        t("sweep.entry_budget", lang),
        t("sweep.affordable", lang),
        t("sweep.entry_note", lang),
    ]
    rows = [
        [
            e.code,
            e.name,
            format_rp(e.budget_rp) if e.budget_rp is not None else "",
            format_count(e.affordable, lang) if e.affordable is not None else "",
            t(f"sweep.entry_{e.reason}", lang),
        ]
        for e in result.entries
    ]
    text = t("sweep.entries_title", lang) + "\n" + text_table(headers, rows, [False, False, True, True, False]) + "\n"
    notes = _notices(result.base, lang, any_budget=True)
    if result.base.method == "largest-remainder":
        notes.insert(0, t("run.alabama", lang))
    if notes:
        text += f"\n{t('run.notes', lang)}:\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    return text


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


def sensitivity_table(result: SensitivityResult, lang: str = "id") -> str:
    """The sensitivity analysis for people."""
    base, spec = result.base, result.spec
    s = base.scenario
    head = [
        t(
            "sensitivity.title",
            lang,
            title=s.title,
            name=s.name,
            budget=format_rp(base.allocation.budget_rp),
            affordable=format_count(result.affordable, lang),
            method=t(f"method.{base.method}", lang),
        ),
        _weights_line(result, lang),
        t("sensitivity.data_spread", lang, spread=decimal(spec.data_spread, 1, lang))
        if spec.data_spread
        else t("sensitivity.data_fixed", lang),
        t("sensitivity.draws", lang, draws=format_count(spec.draws, lang), seed=spec.seed),
        t("sensitivity.unchanged", lang, share=percent(result.unchanged, 2, lang)),
        "",
        t("sensitivity.weights_table", lang) + ":",
    ]
    w_rows = [
        [
            t(f"weight.{row['indicator']}", lang),
            percent(row["scenario"], 1, lang),
            percent(row["p5"], 1, lang),
            percent(row["median"], 1, lang),
            percent(row["p95"], 1, lang),
        ]
        for _, row in result.weight_summary.iterrows()
    ]
    w_table = text_table(
        [t("sensitivity.indicator", lang), t("sensitivity.scenario", lang), "P5", "Median", "P95"],
        w_rows,
        [False, True, True, True, True],
    )
    headers = [
        t("column.region_code", lang),
        t("column.region_name", lang),
        t("sensitivity.scenario", lang),
        *(t(f"sensitivity.{k}", lang) for k in ("min", "p5", "median", "p95", "max", "mean", "p_fewer", "p_more")),
    ]
    rows = [
        [
            row["region_code"],
            row["region_name"],
            format_count(row["scenario"], lang),
            *(format_count(row[k], lang) for k in ("min", "p5", "median", "p95", "max")),
            decimal(row["mean"], 1, lang),
            percent(row["p_fewer"], 1, lang),
            percent(row["p_more"], 1, lang),
        ]
        for _, row in result.summary.iterrows()
    ]
    table = text_table(headers, rows, [False, False, *([True] * 9)])
    notes = [t("sensitivity.method_note", lang), t("sensitivity.percentiles", lang)]
    if result.fallback_rows:
        notes.append(t("sensitivity.fallback", lang, count=format_count(len(result.fallback_rows), lang)))
    if base.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(_notices(base, lang))
    return (
        "\n".join(head)
        + "\n"
        + w_table
        + "\n\n"
        + t("sensitivity.region_table", lang)
        + ":\n"
        + table
        + f"\n\n{t('run.notes', lang)}:\n"
        + "\n".join(f"- {n}" for n in notes)
        + "\n"
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


def plan_table(p: Plan, lang: str = "id") -> str:
    """The plan for people: rules, recipients and Rupiah per region and year, yearly totals, notes."""
    r = p.roadmap
    entries = p.entry_year()
    share = r.min_share_of_previous
    head = [
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
            session=format_rp(r.session_rp),
            min_class=r.min_class,
            share=percent(float(share), 0, lang),
        ),
        t(
            "plan.budget_growth",
            lang,
            start=format_rp(r.budget_start_rp),
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
    years = [str(y) for y in p.years]
    base_year = f"{r.baseline.year}*"
    headers = [
        t("column.region_code", lang),
        t("column.region_name", lang),
        base_year,
        *([t("plan.granted_header", lang, year=r.granted_through)] if p.granted is not None else []),
        *years,
        t("plan.total", lang),
        t("plan.entry", lang),
    ]
    granted = [format_count(int(v), lang) for v in p.granted_before] if p.granted is not None else None
    rows = []
    for j, code in enumerate(p.codes):
        rows.append(
            [
                code,
                p.names[j],
                format_count(p.baseline[j], lang),
                *([granted[j]] if granted else []),
                *(format_count(p.x[i, j], lang) for i in range(len(p.years))),
                format_count(int(p.x[:, j].sum()), lang),
                str(entries[code] or ""),
            ]
        )
    rows.append(
        [
            "",
            t("plan.total", lang),
            format_count(int(p.baseline.sum()), lang),
            *([format_count(int(p.granted_before.sum()), lang)] if granted else []),
            *(format_count(int(p.x[i].sum()), lang) for i in range(len(p.years))),
            format_count(int(p.x.sum()), lang),
            "",
        ]
    )
    numeric = len(years) + 2 + (1 if granted else 0)
    recipients = text_table(headers, rows, [False, False, *([True] * numeric), True])
    money_rows = []
    for j, code in enumerate(p.codes):
        cells = [int(p.grants_rp[i, j] + p.sessions_rp[i, j]) for i in range(len(p.years))]
        money_rows.append([code, p.names[j], *(format_rp(v) for v in cells), format_rp(sum(cells))])
    money_rows.append(
        ["", t("plan.total", lang), *(format_rp(int(v)) for v in p.spent_rp), format_rp(int(p.spent_rp.sum()))]
    )
    money = text_table(
        [t("column.region_code", lang), t("column.region_name", lang), *years, t("plan.total", lang)],
        money_rows,
        [False, False, *([True] * (len(years) + 1))],
    )
    year_rows = [
        [
            str(year),
            format_rp(int(p.budgets_rp[i])),
            format_rp(int(p.grants_rp[i].sum())),
            format_rp(int(p.sessions_rp[i].sum())),
            format_rp(int(p.spent_rp[i])),
            format_rp(int(p.unspent_rp[i])),
            format_count(int(p.active[i].sum()), lang),
        ]
        for i, year in enumerate(p.years)
    ]
    per_year = text_table(
        [
            t("plan.year", lang),
            t("plan.budget", lang),
            t("plan.grants", lang),
            t("plan.sessions", lang),
            t("plan.spent", lang),
            t("plan.unspent", lang),
            t("plan.active", lang),
        ],
        year_rows,
        [False, *([True] * 6)],
    )
    notes = [
        t("plan.objective", lang, values=", ".join(decimal(v, 4, lang) for v in p.objective)),
        t("plan.solver", lang, solver=p.solver, status=p.status, solves=p.solves),
        t("plan.no_carry", lang),
        *(n.text(lang) for n in p.notices),
    ]
    blocks = [
        "\n".join(head),
        t("plan.recipients_table", lang, year=base_year) + ":\n" + recipients,
        t("plan.rupiah_table", lang) + ":\n" + money,
        t("plan.years_table", lang) + ":\n" + per_year,
        f"{t('run.notes', lang)}:\n" + "\n".join(f"- {n}" for n in notes),
    ]
    if r.assumptions:
        blocks.append(f"{t('plan.assumptions', lang)}:\n" + "\n".join(f"- {a}" for a in r.assumptions))
    return "\n\n".join(blocks) + "\n"


__all__ = [
    "plan_csv",
    "plan_dict",
    "plan_json",
    "plan_table",
    "sensitivity_csv",
    "sensitivity_dict",
    "sensitivity_json",
    "sensitivity_table",
    "sweep_csv",
    "sweep_dict",
    "sweep_json",
    "sweep_table",
]
