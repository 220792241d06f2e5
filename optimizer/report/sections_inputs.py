"""Sections 2 (background and data) and 3 (method) of the report: how they are laid out."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..engine import Allocation
from ..need import INDICATOR_COLUMNS
from .document import Bullets, Column, Formula, Paragraph, Section, Table
from .findings import names_of, row_of, sainte_lague_multiplier, worked_example
from .phrases import eligible_method, m, raw_weights, status_text, weights_text
from .text import ByLang, Joined, Msg, Val

PROGRAMME_SOURCE = "Octavia & Winarto (2024), INNOVATIVE: Journal of Social Science Research 4(2):5581-5589"
CRITERIA = ("dtks_p3ke", "age", "not_pkh_kube", "no_business", "will")


def _inputs_table(a: Allocation) -> Table:
    names = names_of(a)
    s = a.scenario
    rows: list[tuple] = []
    if not math.isnan(a.idg_reference):
        if a.idg_reference_year is not None:
            parent = a.data.parent_of(str(a.included["region_code"].iloc[0])) or ""
            pname = a.data.region(parent).display_name if parent else ""
            rows.append(
                (
                    parent,
                    pname,
                    m("indicator.idg_reference"),
                    a.idg_reference,
                    m("unit.index"),
                    a.idg_reference_year,
                    s.idg_year,
                    status_text("published"),
                    Msg.of("report.no" if a.idg_reference_year == s.idg_year else "report.yes"),
                    a.idg_reference_source,
                )
            )
        else:
            rows.append(
                (
                    "",
                    "",
                    m("indicator.idg_reference"),
                    a.idg_reference,
                    m("unit.index"),
                    None,
                    None,
                    m("status.scenario"),
                    Msg.of("report.no"),
                    m("source.scenario"),
                )
            )
    for _, r in a.included.iterrows():
        code = str(r["region_code"])
        for indicator, value, year, requested, status, fallback, source, unit in (
            (
                "idg",
                r["idg"],
                r["idg_year"],
                s.idg_year,
                r["idg_status"],
                r["idg_fallback"],
                r["idg_source"],
                "index",
            ),
            (
                "poverty_rate",
                r["poverty_rate"],
                r["poverty_year"],
                s.poverty_year,
                r["poverty_status"],
                r["poverty_fallback"],
                r["poverty_source"],
                "percent",
            ),
            (
                "eligible",
                r["eligible"],
                r["eligible_year"],
                s.eligible.year,
                r["eligible_status"],
                r["eligible_fallback"],
                ByLang(str(r["eligible_source_id"]), str(r["eligible_source"])),
                "persons",
            ),
        ):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue  # weight 0 and no figure: not used
            rows.append(
                (
                    code,
                    names[code],
                    m(f"indicator.{indicator}"),
                    float(value),
                    m(f"unit.{unit}"),
                    int(year) or None,
                    requested,
                    status_text(str(status)),
                    Msg.of("report.yes" if bool(fallback) else "report.no"),
                    source,
                )
            )
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("indicator", m("col.indicator"), "text"),
        Column("value", m("col.value"), "number"),
        Column("unit", m("col.unit"), "text"),
        Column("year", m("col.year_used"), "year"),
        Column("year_requested", m("col.year_requested"), "year"),
        Column("status", m("col.status"), "text"),
        Column("fallback", m("col.fallback"), "text"),
        Column("source", m("col.source"), "text"),
    )
    return Table("inputs", m("sheet.inputs"), m("table.inputs"), columns, tuple(rows), notes=(m("inputs_note"),))


def background_section(a: Allocation, overrides: Sequence[object] = ()) -> Section:
    """Section 2; ``overrides``: sentences naming what the command line changed (the scenario's
    own description and assumptions are then introduced as written for other numbers)."""
    s = a.scenario
    blocks: list[object] = [
        Paragraph((m("background.programme", grant=Val("rp", s.grant_rp)),)),
        Paragraph((m("background.criteria_intro"),)),
        Bullets(tuple(m(f"background.criteria.{c}") for c in CRITERIA)),
        Paragraph((m("background.mechanism"),)),
        Paragraph((m("background.source", source=PROGRAMME_SOURCE, grant_source=s.grant_source),)),
        Paragraph((m("background.indicators_intro"),)),
    ]
    if a.idg_reference_year is not None:
        reference = m(
            "background.reference_provincial",
            value=Val("dec2", a.idg_reference),
            year=Val("year", a.idg_reference_year),
        )
    elif not math.isnan(a.idg_reference):
        reference = m("background.reference_scenario", value=Val("dec2", a.idg_reference))
    else:
        reference = m("background.reference_none")
    blocks.append(
        Bullets(
            (
                m("background.indicator_idg", year=Val("year", s.idg_year), reference=reference),
                m("background.indicator_poverty", year=Val("year", s.poverty_year)),
                m("background.indicator_eligible", method=eligible_method(a)),
                m(
                    "background.fallback_rule",
                    rule=m("background.fallback_allowed" if s.allow_fallback else "background.fallback_forbidden"),
                ),
            )
        )
    )
    blocks.append(_inputs_table(a))
    notes: list[object] = list(a.notices)
    if not notes:
        notes.append(m("background.no_notices"))
    blocks.append(Paragraph((m("background.notices_intro"),)))
    blocks.append(Bullets(tuple(notes)))
    if s.description or s.assumptions:
        key = "background.assumptions_intro_overridden" if overrides else "background.assumptions_intro"
        blocks.append(Paragraph((m(key, file=_scenario_file(s)), *overrides)))
        items = ((s.description,) if s.description else ()) + tuple(s.assumptions)
        blocks.append(Bullets(items))
    return Section("background", 2, m("section.background"), tuple(blocks))


def _scenario_file(s) -> str:
    return s.path.name if s.path else s.name


def method_section(a: Allocation, units: int) -> Section:
    s = a.scenario
    names = names_of(a)
    used = [k for k in INDICATOR_COLUMNS if float(a.weights[k]) > 0]
    terms = Joined(
        tuple(m(f"method.term.{k}", weight=Val("weight", float(a.weights[k]))) for k in used),
        " + ",
    )
    lines: list[object] = []
    if "idg_gap" in used:
        lines.append(m("method.formula_gap", reference=Val("dec2", a.idg_reference)))
    lines.append(m("method.formula_need", terms=terms))
    lines.append(
        m(
            "method.formula_quota",
            budget=Val("rp", a.budget_rp),
            cost=Val("rp", a.cost_per_recipient_rp),
            affordable=Val("count", a.affordable),
        )
    )
    blocks: list[object] = [Paragraph((m("method.intro"),)), Formula(tuple(lines))]
    blocks.append(Paragraph((m("method.weights_as_written", weights=raw_weights(s.weights)),)))
    if dict(a.weights) != dict(a.weights_requested):
        blocks.append(
            Paragraph(
                (
                    m(
                        "method.weights_dropped",
                        requested=weights_text(a.weights_requested),
                        applied=weights_text(a.weights),
                    ),
                )
            )
        )
    example = worked_example(a)
    row = row_of(a, example.code)
    blocks.append(Paragraph((m("method.example_intro", region=names[example.code]),)))
    rows = []
    for key, (value, total, share, weight, contribution) in example.components.items():
        label = Msg.of(f"weight.{key}")
        if key == "idg_gap":
            label = m(
                "method.example_gap",
                reference=Val("dec2", a.idg_reference),
                idg=Val("dec2", float(row["idg"])),
            )
        rows.append((label, value, total, share, weight, contribution))
    columns = (
        Column("indicator", m("col.indicator"), "text"),
        Column("value", m("col.region_value"), "number"),
        Column("total", m("col.total_included"), "number"),
        Column("share_of_total", m("col.share_of_total"), "share4"),
        Column("weight", m("col.weight"), "weight"),
        Column("contribution", m("col.contribution"), "share4"),
    )
    weight_total = math.fsum(c[3] for c in example.components.values())
    total_row = (m("col.need_share"), None, None, None, weight_total, example.need_share)
    blocks.append(
        Table(
            "worked_example",
            m("sheet.worked_example"),
            m("table.worked_example", region=names[example.code]),
            columns,
            tuple(rows),
            total=total_row,
        )
    )
    blocks.append(
        Formula(
            (
                m(
                    "method.example_quota",
                    need=Val("share4", example.need_share),
                    affordable=Val("count", a.affordable),
                    quota=Val("dec2", example.quota),
                    recipients=Val("count", int(row["recipients"])),
                    binding=Msg.of(f"binding.{row['binding'] or 'none'}"),
                ),
            )
        )
    )
    blocks.append(Paragraph((m(f"method.rounding.{a.method}"),)))
    blocks.append(Bullets(tuple(m(f"method.properties.{a.method}.{i}") for i in range(1, 5))))
    multiplier = sainte_lague_multiplier(a)
    if multiplier is not None:
        low, high = multiplier
        key = "method.multiplier_one" if low <= 1.0 <= high else "method.multiplier"
        blocks.append(Paragraph((m(key, low=Val("dec4", low), high=Val("dec4", high)),)))
    blocks.append(Paragraph((m("method.constraints_intro"),)))
    blocks.append(Bullets(tuple(_constraints(a, units, names))))
    c = a.certificate
    blocks.append(
        Paragraph(
            (
                m(
                    "method.verified",
                    total=Val("count", c.total),
                    cost=Val("rp", c.cost_rp),
                    budget=Val("rp", a.budget_rp),
                    optimal=Msg.of("report.yes" if c.optimal else "report.no"),
                    ties=Msg.of("report.yes" if c.tie_rule_kept else "report.no"),
                ),
            )
        )
    )
    return Section("method", 3, m("section.method"), tuple(blocks))


def _constraints(a: Allocation, units: int, names: dict[str, str]) -> list[object]:
    s = a.scenario
    items: list[object] = [
        m(
            "method.constraint_total",
            affordable=Val("count", a.affordable),
            upper=Val("count", int(a.included["upper"].sum())),
            total=Val("count", a.allocated),
        ),
        m("method.constraint_budget", cost=Val("rp", a.cost_per_recipient_rp), budget=Val("rp", a.budget_rp)),
        m("method.constraint_eligible"),
    ]
    if s.floor_all:
        items.append(m("method.constraint_floor_all", floor=Val("count", s.floor_all)))
    for code, floor in s.floors.items():
        items.append(m("method.constraint_floor", region=names.get(code, code), floor=Val("count", floor)))
    if s.cap_all is not None:
        items.append(m("method.constraint_cap_all", cap=Val("count", s.cap_all)))
    for code, cap in s.caps.items():
        items.append(m("method.constraint_cap", region=names.get(code, code), cap=Val("count", cap)))
    for code, lock in s.locks.items():
        items.append(m("method.constraint_lock", region=names.get(code, code), lock=Val("count", lock)))
    if not (s.floor_all or s.floors or s.cap_all is not None or s.caps or s.locks):
        items.append(m("method.constraint_none"))
    excluded = [names[c] for c in a.regions.loc[~a.regions["included"], "region_code"]]
    if excluded:
        items.append(
            m(
                "method.constraint_include",
                included=Val("count", len(a.included)),
                units=Val("count", units),
                excluded=tuple(excluded),
            )
        )
    else:
        items.append(m("method.constraint_include_all", units=Val("count", units)))
    items.append(m("method.constraint_ties"))
    return items
