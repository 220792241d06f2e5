"""Rendering a sensitivity analysis (``wrse sensitivity``): the weights drawn and per
region the distribution of its recipients over the draws, as table, CSV, JSON and workbook."""

from __future__ import annotations

from ...eligible import eligible_key
from ...i18n import t
from ...render import Renderings
from ...render import text as text_writer
from ...render.csv import frame_csv
from ...render.format import count as format_count
from ...render.format import decimal, percent
from ...render.format import rupiah as format_rp
from ...render.json import dumps as _json
from ...render.json import plain as _plain
from ...render.json import tool
from ...render.table import Column, Table
from ..sensitivity import SensitivityResult
from .common import hierarchical, hierarchy_lines, notes_text, reference_notices, scenario_head, split_level


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
        "tool": tool(),
        "analysis": "sensitivity",
        "scenario": scenario_head(base),
        "hierarchical": hierarchical(base),
        "levels": base.allocation.levels,
        "level": split_level(base),
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
        "notices": reference_notices(base, lang),
    }


def sensitivity_json(result: SensitivityResult, lang: str = "en") -> str:
    """:func:`sensitivity_dict` as indented JSON."""
    return _json(sensitivity_dict(result, lang))


def sensitivity_csv(result: SensitivityResult) -> str:
    """One row per region: the columns of :attr:`SensitivityResult.summary`."""
    return frame_csv(result.summary)


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
        *hierarchy_lines(base, "sensitivity.hierarchical", lang),
    ]


def _sensitivity_notes(result: SensitivityResult, lang: str) -> list[str]:
    notes = [t("sensitivity.method_note", lang), t("sensitivity.percentiles", lang)]
    if result.fallback_rows:
        notes.append(t("sensitivity.fallback", lang, count=format_count(len(result.fallback_rows), lang)))
    if result.base.method == "largest-remainder":
        notes.append(t("run.alabama", lang))
    notes.extend(reference_notices(result.base, lang))
    return notes


def indicator_key(indicator: str, method: str) -> str:
    """The message naming a weight's indicator; the eligible one named as its proxy when it is one."""
    return eligible_key("weight.eligible", method) if indicator == "eligible" else f"weight.{indicator}"


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
                "indicator": t(indicator_key(row["indicator"], result.base.allocation.eligible_method), lang),
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
            Column("region_name", "hierarchy.region_name" if hierarchical(result.base) else "column.region_name"),
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
        + notes_text(regions.notes, lang, width)
    )


SENSITIVITY = Renderings(sensitivity_json, sensitivity_csv, sensitivity_sheets, sensitivity_table)
