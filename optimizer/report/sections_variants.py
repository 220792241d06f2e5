"""Sections 7 (provisions removed one at a time) and 8 (sensitivity) of the report: how they are laid out."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Allocation
from .document import REGION_KEY_COLUMNS, Column, Paragraph, Section, Table
from .findings import changes, covered, first, names_of
from .phrases import indicator_label, m
from .sections_reasons import robustness
from .sensitivity import Sensitivity
from .text import ByLang, Joined, Msg, Val
from .variants import Variant
from .weight_draws import WeightDraws, command_line


def _variant_status(v: Variant) -> object:
    if v.skipped is not None:
        return v.skipped
    if v.error is not None:
        return v.error
    return m("variant.computed")


def _variant_summary_table(key: str, a: Allocation, variants: Sequence[Variant], with_budget: bool) -> Table:
    """One row per variant (allocated, leftover, regions covered and changed, largest change);
    the sheet and title are the messages ``sheet.<key>`` and ``table.<key>``."""
    columns = [Column("variant", m("col.variant"), "text")]
    if with_budget:
        columns.append(Column("budget_rp", m("col.budget"), "rp"))
    columns += [
        Column("allocated", m("col.allocated"), "count"),
        Column("leftover_rp", m("col.leftover"), "rp"),
        Column("regions_covered", m("col.regions_covered"), "count"),
        Column("regions_changed", m("col.regions_changed"), "count"),
        Column("total_abs_change", m("col.total_abs_change"), "count"),
        Column("largest_change", m("col.largest_change"), "text"),
        Column("status", m("col.status"), "text"),
    ]
    names = names_of(a)
    rows = []
    for v in variants:
        if v.ok:
            other = v.allocation
            delta = changes(a, other)
            moved = [(abs(d), c, d) for c, d in delta.items() if d]
            largest = None
            if moved:
                code = first((size, c) for size, c, _ in moved)
                d = delta[code]
                largest = m("largest_change", region=names.get(code, code), change=Val("signed_count", d))
            cells = [v.label]
            if with_budget:
                cells.append(other.budget_rp)
            cells += [
                other.allocated,
                other.leftover_rp,
                covered(other),
                len(moved),
                sum(abs(d) for d in delta.values()),
                largest or m("no_change"),
                _variant_status(v),
            ]
        else:
            cells = [v.label] + ([None] if with_budget else []) + [None] * 6 + [_variant_status(v)]
        rows.append(tuple(cells))
    return Table(key, m(f"sheet.{key}"), m(f"table.{key}"), tuple(columns), tuple(rows))


def _variant_region_table(key: str, a: Allocation, variants: Sequence[Variant], with_range: bool) -> Table:
    """One row per region: its count in the scenario and in each variant; the sheet and title
    are the messages ``sheet.<key>`` and ``table.<key>``."""
    names = names_of(a)
    ok = [v for v in variants if v.ok]
    columns = [
        *REGION_KEY_COLUMNS,
        Column("recipients", m("col.recipients_scenario"), "count"),
    ]
    for v in ok:
        columns.append(Column(f"{v.key}", m("col.variant_recipients", variant=v.heading), "count"))
        if not with_range:
            columns.append(Column(f"{v.key}-change", m("col.variant_change", variant=v.heading), "signed_count"))
    if with_range:
        columns += [Column("min", m("col.min"), "count"), Column("max", m("col.max"), "count")]
    rows = []
    base = a.recipients()
    for code in sorted(base):
        x = base[code]
        cells: list[object] = [code, names.get(code, code), x]
        values = [x]  # the range is over the weight variants: the budget variants change the total
        for v in ok:
            y = v.recipients(code)
            if v.key.startswith("weight-"):
                values.append(y)
            cells.append(y)
            if not with_range:
                cells.append(y - x)
        if with_range:
            cells += [min(values), max(values)]
        rows.append(tuple(cells))
    total: list[object] = [None, Msg.of("run.total"), a.allocated]
    for v in ok:
        total.append(v.allocation.allocated)
        if not with_range:
            total.append(v.allocation.allocated - a.allocated)
    if with_range:
        total += [None, None]
    sheet, title = m(f"sheet.{key}"), m(f"table.{key}")
    return Table(key, sheet, title, tuple(columns), tuple(rows), total=tuple(total), wide=len(columns) > 9)


def provisions_section(a: Allocation, variants: Sequence[Variant]) -> Section:
    blocks: list[object] = [Paragraph((m("provisions.intro"),))]
    blocks.append(_variant_summary_table("provisions_summary", a, variants, with_budget=False))
    if any(v.ok for v in variants):
        blocks.append(_variant_region_table("provisions", a, variants, with_range=False))
    else:
        blocks.append(Paragraph((m("provisions.none"),)))
    return Section("provisions", 7, m("section.provisions"), tuple(blocks))


def _draws(a: Allocation, draws: WeightDraws, selection: Sequence[str]) -> list[object]:
    """Section 8's weight ranges: method, per-region table, unchanged share, reproducing command."""
    spec = draws.spec
    lead = m("draws.title")
    if draws.result is None:
        return [Paragraph((lead, draws.skipped or draws.error))]
    r = draws.result
    names = names_of(a)
    weighted = r.weight_summary[r.weight_summary["scenario"] > 0]
    ranges = Joined(
        tuple(
            m(
                "draws.weight_range",
                indicator=indicator_label(a, row.indicator),
                low=Val("weight", float(row.p5)),
                high=Val("weight", float(row.p95)),
            )
            for row in weighted.itertuples()
        ),
        ", ",
    )
    blocks: list[object] = [
        Paragraph(
            (
                lead,
                m(
                    "draws.intro",
                    draws=Val("count", spec.draws),
                    spread=Val("number", spec.weight_spread),
                    c=Val("number", round(r.concentration, 2)),
                    k=Val("count", len(weighted)),
                    seed=str(spec.seed),
                ),
                m("draws.weights", ranges=ranges),
                m("draws.solver"),
            )
        )
    ]
    rows = []
    for row in r.summary.itertuples():
        code = str(row.region_code)
        rows.append(
            (
                code,
                names.get(code, str(row.region_name)),
                int(row.scenario),
                int(row.p5),
                int(row.median),
                int(row.p95),
                float(row.p_fewer),
                float(row.p_more),
            )
        )
    columns = (
        *REGION_KEY_COLUMNS,
        Column("recipients", m("col.recipients_scenario"), "count"),
        Column("p5", m("col.p5"), "count"),
        Column("median", m("col.median"), "count"),
        Column("p95", m("col.p95"), "count"),
        Column("p_fewer", m("col.p_fewer"), "share"),
        Column("p_more", m("col.p_more"), "share"),
    )
    notes: list[object] = [
        m("draws.note_percentiles"),
        m("draws.note_probability", draws=Val("count", spec.draws), margin=Val("dec2", 100 * draws.margin)),
    ]
    if r.fallback_rows:
        notes.append(m("draws.note_fallback", count=Val("count", len(r.fallback_rows))))
    blocks.append(
        Table(
            "sensitivity_draws",
            m("sheet.sensitivity_draws"),
            m("table.sensitivity_draws", draws=Val("count", spec.draws)),
            columns,
            tuple(rows),
            notes=tuple(notes),
        )
    )
    unchanged = int((r.x == r.base_x).all(axis=1).sum())
    parts: list[object] = [
        m(
            "draws.unchanged",
            share=Val("share", r.unchanged),
            count=Val("count", unchanged),
            draws=Val("count", spec.draws),
        )
    ]
    spans = [(int(row[5]) - int(row[3]), row[0]) for row in rows]
    code = first(spans)
    widest = next(row for row in rows if row[0] == code)
    if widest[5] > widest[3]:
        parts.append(
            m(
                "draws.widest",
                region=widest[1],
                low=Val("count", widest[3]),
                high=Val("count", widest[5]),
                count=Val("count", widest[2]),
            )
        )
    blocks.append(Paragraph(tuple(parts)))
    blocks.append(Paragraph((m("draws.reproduce_audit"),)))  # the command itself: in the audit trail
    return blocks


def draws_command(a: Allocation, draws: WeightDraws | None, selection: Sequence[str] = ()) -> ByLang | None:
    """The ``wrse sensitivity`` command that prints section 8's weight ranges (quoted in the audit
    trail, in the reader's language), or None when no draws were computed."""
    if draws is None or draws.result is None:
        return None
    command = command_line(selection or (a.scenario.name,), draws.spec)
    return ByLang(command, f"{command} --lang en")  # the table it prints in the reader's language


def sensitivity_section(a: Allocation, sensitivity: Sensitivity | None, selection: Sequence[str] = ()) -> Section:
    title = m("section.sensitivity")
    if sensitivity is None:
        return Section("sensitivity", 8, title, (Paragraph((m("sensitivity.none"),)),))
    variants = sensitivity.variants
    blocks: list[object] = [Paragraph((m("sensitivity.intro"), sensitivity.method))]
    blocks.append(_variant_summary_table("sensitivity_summary", a, variants, with_budget=True))
    if any(v.ok for v in variants):
        table = _variant_region_table("sensitivity", a, variants, with_range=True)
        blocks.append(table)
        names = names_of(a)
        lo, hi = table.column("min"), table.column("max")
        spans = {row[0]: (row[lo], row[hi]) for row in table.rows}
        code = first((high - low, c) for c, (low, high) in spans.items())
        low, high = spans[code]
        if high > low:
            blocks.append(
                Paragraph(
                    (
                        m(
                            "sensitivity.widest",
                            region=names.get(code, code),
                            low=Val("count", low),
                            high=Val("count", high),
                        ),
                    )
                )
            )
        else:
            blocks.append(Paragraph((m("sensitivity.stable"),)))
    if sensitivity.draws is not None:
        blocks.extend(_draws(a, sensitivity.draws, selection))
        reading = robustness(a, sensitivity.draws)
        if reading is not None:
            blocks.append(Paragraph((reading,)))
    return Section("sensitivity", 8, title, tuple(blocks))
