"""Rendering a multi-year plan (``wrse plan``): recipients and Rupiah per region and year
and the yearly budget checks, as table, CSV, JSON and workbook."""

from __future__ import annotations

from ...i18n import localise, t
from ...render import Renderings
from ...render import text as text_writer
from ...render.csv import frame_csv
from ...render.format import decimal, percent
from ...render.format import rupiah as format_rp
from ...render.json import dumps as _json
from ...render.json import tool
from ...render.table import Check, Column, Table
from ...solvers import SolverName
from ..plan import Plan


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
        "tool": tool(),
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
    return frame_csv(frame)


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
        t(
            "plan.solver",
            lang,
            solver=localise(SolverName(p.solver), lang),
            status=localise(p.status, lang),
            solves=p.solves,
        ),
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


PLAN = Renderings(plan_json, plan_csv, plan_sheets, plan_table)
