"""Sections 2 (background and data) and 3 (method) of the report: how they are laid out."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..engine import Allocation
from ..need import INDICATOR_COLUMNS
from ..regions import kaltim_registry
from .citations import ARTICLE, cite, eligible_citation
from .document import REGION_KEY_COLUMNS, Bullets, Column, Formula, Paragraph, Section, Table
from .findings import names_of, row_of, sainte_lague_multiplier, worked_example
from .phrases import (
    data_flags,
    eligible_heading,
    eligible_method,
    indicator_label,
    is_proxy,
    m,
    open_eligibility,
    per_unit,
    pool_proxy,
    programme_name,
    proxy_m,
    raw_weights,
    short_title,
    target,
    unit_sentence,
    weights_text,
)
from .text import ByLang, Joined, Msg, Val, resolve

CRITERIA = ("dtks_p3ke", "age", "not_pkh_kube", "no_business", "will")


class _Notes:
    """Numbered source notes: the same citation gets the same number, in order of first use."""

    def __init__(self) -> None:
        self.texts: list[ByLang] = []

    def number(self, citation: ByLang | None) -> str | None:
        if citation is None:
            return None
        if citation not in self.texts:
            self.texts.append(citation)
        return f"[{self.texts.index(citation) + 1}]"

    def lines(self) -> tuple[ByLang, ...]:
        return tuple(ByLang(f"[{k}] {t.id}", f"[{k}] {t.en}") for k, t in enumerate(self.texts, start=1))


# The indicator each eligible-pool proxy (scenario.PROXIES) is made from, region by region.
_PROXY_INPUT = {
    "poor_population": "poor_population",
    "poverty_rate_x_population": "population",
    "female_headed_x_p0": "female_headed_families",
}


def _proxy_input_is_estimate(a: Allocation, code: str, year: int | None) -> bool:
    """True when the figure a region's proxy count is made from is itself an estimate in the data set."""
    indicator = _PROXY_INPUT.get(a.eligible_method)
    if indicator is None or year is None or indicator not in set(a.data.records["indicator"]):
        return False
    figure = a.data.series(indicator).get(code, {}).get(year)
    return figure is not None and figure["status"] == "estimate"


def _summed(a: Allocation) -> dict[str, Msg]:
    """For a hierarchical report, ``{code: what its eligible count sums}`` for the regions of the
    table whose count is the sum of their children's (a counts file per desa): "the sum of the
    counts of the desa/kelurahan under each kabupaten/kota" (the children's sources follow, from
    :func:`optimizer.levels.level_view`)."""
    if a.tree is None:
        return {}
    from ..regions import level_kind

    nodes = a.nodes
    shown = set(a.included["region_code"].astype(str))
    aggregated = nodes[(nodes["eligible_basis"] == "aggregated") & nodes["region_code"].isin(shown)]
    children = nodes[nodes["parent_code"].isin(set(aggregated["region_code"]))]
    parent_kind = Msg.of(f"region_kind.{level_kind(shown)}")
    out = {}
    for code, below in children.groupby("parent_code"):
        kind = Msg.of(f"region_kind.{level_kind(below['region_code'])}")
        out[str(code)] = m("inputs_eligible_sum", kind=kind, parent_kind=parent_kind)
    return out


def _with(what: Msg, source: str, lang: str) -> str:
    """``what`` in ``lang``, then ``: source`` when there is one."""
    return resolve(Joined((what, source), ": ") if source else what, lang)


def _inputs_table(a: Allocation) -> Table:
    """One row per region (the provincial reference first): IDG, P0 and the eligible term,
    each with the year used and a numbered source note; data notes (estimate, fallback) last.
    A hierarchical report's region whose eligible count sums its children's says so in its note."""
    names = names_of(a)
    notes = _Notes()
    summed = _summed(a)
    rows: list[tuple] = []
    if not math.isnan(a.idg_reference):
        if a.idg_reference_year is not None:
            parent = a.data.parent_of(str(a.included["region_code"].iloc[0])) or ""
            pname = a.data.region(parent).display_name if parent else ""
            source = notes.number(cite(a.idg_reference_source, "idg", a.idg_reference_year).text)
            rows.append(
                (parent, pname, a.idg_reference, a.idg_reference_year, source, *([None] * 6), m("inputs_reference"))
            )
        else:
            rows.append(("", "", a.idg_reference, None, None, *([None] * 6), m("source.scenario")))
    for _, r in a.included.iterrows():
        code = str(r["region_code"])
        cells: list[object] = [code, names[code]]
        for key, value, year, source in (
            ("idg", r["idg"], r["idg_year"], r["idg_source"]),
            ("poverty_rate", r["poverty_rate"], r["poverty_year"], r["poverty_source"]),
        ):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                cells += [None, None, None]  # weight 0 and no figure: not used
                continue
            cells += [float(value), int(year) or None, notes.number(cite(str(source), key, int(year) or None).text)]
        year = int(r["eligible_year"]) or None
        proxy = eligible_citation(str(r["eligible_source_id"]), "poor_population", year)
        source = proxy.text if proxy is not None else ByLang(str(r["eligible_source_id"]), str(r["eligible_source"]))
        if code in summed:  # "the sum of the counts of the desa/kelurahan under each …: <their source>"
            source = ByLang(*(_with(summed[code], text, lang) for lang, text in (("id", source.id), ("en", source.en))))
        estimate_input = _proxy_input_is_estimate(a, code, year)
        flags = data_flags(r, pool_proxy(a) if is_proxy(a) else None, estimate_input)
        cells += [int(r["eligible"]), year, notes.number(source), flags]
        rows.append(tuple(cells))
    columns = (
        *REGION_KEY_COLUMNS,
        Column("idg", m("col.idg"), "dec2"),
        Column("idg_year", m("col.year"), "year"),
        Column("idg_source", m("col.source_note"), "text"),
        Column("poverty_rate", m("col.poverty_rate"), "dec2"),
        Column("poverty_year", m("col.year"), "year"),
        Column("poverty_source", m("col.source_note"), "text"),
        Column("eligible", eligible_heading(a), "count"),
        Column("eligible_year", m("col.year"), "year"),
        Column("eligible_source", m("col.source_note"), "text"),
        Column("flags", m("col.flags"), "text"),
    )
    return Table(
        "inputs",
        m("sheet.inputs"),
        m("table.inputs"),
        columns,
        tuple(rows),
        notes=(m("inputs_note"), *notes.lines()),
        wide=True,
    )


def grant_msg(s) -> Msg:
    """The grant a scenario uses, as a message: value, unit, the year it applies from, why it
    applies (in force, chosen year, own amount), the reported range and the reference."""
    value = s.grant_value
    if s.grant_rule == "own" or value is None:
        return Msg.of("grant.own", grant=Val("rp", s.grant_rp), source=s.grant_source)
    key = "grant.chosen_year" if s.grant_rule == "chosen_year" else "grant.in_force"
    if s.grant_rule == "in_force" and value.year < s.fiscal_year:
        key = "grant.in_force_latest"
    line = Msg.of(
        key,
        grant=Val("rp", s.grant_rp),
        unit=Msg.of(f"grant.unit.{value.recipient_unit}"),
        year=Val("year", value.year),
        programme=value.programme,
        fiscal_year=Val("year", s.fiscal_year),
        source=value.reference,
    )
    if not value.is_range:
        return line
    rng = Msg.of("grant.range", minimum=Val("rp", value.minimum_rp), maximum=Val("rp", value.maximum_rp))
    return Msg.of("grant.with_range", line=line, range=rng)


def _criteria(a: Allocation) -> list[object]:
    """Who may receive the grant in the scenario's fiscal year: the UEP rule (poor men and women,
    from 2025) when it is in force, else the SK 2023 WRSE criteria."""
    rule = open_eligibility(a)
    if rule is not None:
        return [
            Paragraph(
                (
                    m(
                        "background.criteria_uep",
                        year=Val("year", rule.start.year),
                        source=rule.reference,
                        unit=unit_sentence(a),
                    ),
                )
            )
        ]
    return [
        Paragraph((m("background.criteria_intro"),)),
        Bullets(tuple(m(f"background.criteria.{c}") for c in CRITERIA)),
    ]


def background_section(a: Allocation, overrides: Sequence[object] = ()) -> Section:
    """Section 2; ``overrides``: sentences naming what the command line changed (the scenario's
    own description and assumptions are then introduced as written for other numbers)."""
    s = a.scenario
    blocks: list[object] = [
        Paragraph(
            (
                m("background.programme_uep", grant=Val("rp", s.grant_rp), per_unit=per_unit(a))
                if programme_name(a) == "UEP"
                else m("background.programme", grant=Val("rp", s.grant_rp)),
            )
        ),
        *_criteria(a),
        Paragraph((m("background.mechanism"),)),
        Paragraph((m("background.source", source=ARTICLE, grant_source=s.grant_source),)),
        Paragraph((Msg.of("grant.label_sentence", line=grant_msg(s)),)),
        Paragraph((m("background.indicators_intro"),)),
    ]
    if float(a.weights.get("idg_gap", 0)) == 0:  # the IDG does not count: no reference to state
        reference = m("background.reference_none")
    elif a.idg_reference_year is not None:
        parent = a.data.parent_of(str(a.included["region_code"].iloc[0])) or ""
        home = parent in kaltim_registry().provinces or not parent  # the tool's own province: named as always
        reference = m(
            "background.reference_provincial" if home else "background.reference_parent",
            value=Val("dec2", a.idg_reference),
            year=Val("year", a.idg_reference_year),
            **({} if home else {"name": a.data.region(parent).display_name}),
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
                (proxy_m("background.indicator_eligible_proxy", a, method=eligible_method(a), target=target(a)))
                if is_proxy(a)
                else m("background.indicator_eligible", method=eligible_method(a), target=target(a)),
                m(
                    "background.fallback_rule",
                    rule=m("background.fallback_allowed" if s.allow_fallback else "background.fallback_forbidden"),
                ),
            )
        )
    )
    blocks.append(_inputs_table(a))
    # the proxy notice names the proxy by its key; the report says it in words (summary, method)
    notes: list[object] = [
        n if n.key != "eligible_estimate" else proxy_m("notice_proxy", a, target=target(a)) for n in a.notices
    ]
    if not notes:  # none, but a figure the data marks as an estimate is flagged in the table
        flagged = any((a.included[c] == "estimate").any() for c in ("idg_status", "poverty_status", "eligible_status"))
        notes.append(m("background.no_notices_flagged" if flagged else "background.no_notices"))
    blocks.append(Paragraph((m("background.notices_intro"),)))
    blocks.append(Bullets(tuple(notes)))
    if s.description or s.assumptions:
        key = "background.assumptions_intro_overridden" if overrides else "background.assumptions_intro"
        blocks.append(Paragraph((m(key, title=short_title(s)), *overrides)))
        items = ((s.description,) if s.description else ()) + tuple(s.assumptions)
        blocks.append(Bullets(items))
    return Section("background", 2, m("section.background"), tuple(blocks))


def method_section(
    a: Allocation, units: int, rationale: Sequence[object] = (), choices: Sequence[object] = ()
) -> Section:
    """Section 3; ``rationale``: one sentence per choice of the scenario with its reason (or its
    absence); ``choices``: the policy choices that move the numbers most, with their alternatives."""
    s = a.scenario
    names = names_of(a)
    used = [k for k in INDICATOR_COLUMNS if float(a.weights[k]) > 0]

    def term(k: str) -> Msg:
        weight = Val("weight", float(a.weights[k]))
        if k == "eligible" and is_proxy(a):
            return proxy_m("method.term.eligible_proxy", a, weight=weight)
        return m(f"method.term.{k}", weight=weight)

    terms = Joined(tuple(term(k) for k in used), " + ")
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
    blocks.append(Paragraph((m("method.weights_as_written", weights=raw_weights(s.weights, a)),)))
    if rationale:
        blocks.append(Paragraph((m("method.rationale_intro"),)))
        blocks.append(Bullets(tuple(rationale)))
    if dict(a.weights) != dict(a.weights_requested):
        blocks.append(
            Paragraph(
                (
                    m(
                        "method.weights_dropped",
                        requested=weights_text(a.weights_requested, a),
                        applied=weights_text(a.weights, a),
                    ),
                )
            )
        )
    example = worked_example(a)
    row = row_of(a, example.code)
    blocks.append(Paragraph((m("method.example_intro", region=names[example.code]),)))
    rows = []
    for key, (value, total, share, weight, contribution) in example.components.items():
        label = indicator_label(a, key)
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
    if choices:
        blocks.append(Paragraph((m("method.choices_intro"),)))
        blocks.append(Bullets(tuple(choices)))
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
        proxy_m("method.constraint_eligible_proxy", a)
        if is_proxy(a)
        else m("method.constraint_eligible", target=target(a)),
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
