"""Rendering a budget sweep (``wrse sweep``): the budget points, the monotonicity check,
the next recipients in line and the budget at which each region enters, as table, CSV,
JSON and workbook."""

from __future__ import annotations

from ...eligible import is_proxy
from ...i18n import t
from ...render import Renderings
from ...render import text as text_writer
from ...render.csv import frame_csv
from ...render.format import count as format_count
from ...render.format import rupiah as format_rp
from ...render.json import dumps as _json
from ...render.json import tool
from ...render.table import Column, Table
from ..sweep import SweepResult
from .common import hierarchical, hierarchy_lines, notes_text, reference_notices, scenario_head, split_level

VIOLATIONS_SHOWN = 20


def sweep_dict(result: SweepResult, lang: str = "en") -> dict:
    """The sweep as one JSON-ready object (points, monotonicity, next in line, entries)."""
    base = result.base
    tree = hierarchical(base)
    frame = result.frame()
    proxy = base.allocation is not None and is_proxy(base.allocation.eligible_method)
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
                # none for a proxy's pool (the poor population is no count of the eligible): docs/usage.md
                "coverage_pct": {
                    c: (100.0 * int(row[f"recipients_{c}"]) / int(e) if e > 0 and not proxy else None)
                    for c, e in zip(base.codes, base.eligible, strict=True)
                },
            }
        )
    return {
        "tool": tool(),
        "analysis": "sweep",
        "scenario": scenario_head(base),
        "hierarchical": tree,
        "levels": base.allocation.levels if tree else 1,
        "level": split_level(base),
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
        "notices": reference_notices(base, lang, any_budget=True),
        "points": points,
    }


def sweep_json(result: SweepResult, lang: str = "en") -> str:
    """:func:`sweep_dict` as indented JSON."""
    return _json(sweep_dict(result, lang))


def sweep_csv(result: SweepResult) -> str:
    """One row per budget point: :meth:`SweepResult.frame` (the lists are in the JSON and table)."""
    return frame_csv(result.frame())


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
            if hierarchical(result.base):
                lines.append(t("sweep.hierarchical_monotone", lang))
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
        *hierarchy_lines(base, "sweep.hierarchical", lang),
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
            Column("region_name", "hierarchy.region_name" if hierarchical(result.base) else "column.region_name"),
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
    notes = reference_notices(result.base, lang, any_budget=True)
    if result.base.method == "largest-remainder":
        notes.insert(0, t("run.alabama", lang))
    return notes


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
    return text + notes_text(entries.notes, lang, width)


SWEEP = Renderings(sweep_json, sweep_csv, sweep_sheets, sweep_table)
