"""Sections 4 (allocation), 5 (why each region) and 6 (baseline) of the report: how they are laid out."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from ..engine import Allocation
from ..problem import SAINTE_LAGUE
from .document import Bullets, Chart, Column, Figure, Paragraph, Section, Series, Table
from .findings import covered, names_of, sainte_lague_multiplier
from .phrases import m
from .text import Joined, Msg, Val
from .variants import Variant


def _flags(r: pd.Series) -> object:
    flags = []
    for key, status, fallback, year in (
        ("idg", r["idg_status"], r["idg_fallback"], r["idg_year"]),
        ("poverty_rate", r["poverty_status"], r["poverty_fallback"], r["poverty_year"]),
        ("eligible", r["eligible_status"], r["eligible_fallback"], r["eligible_year"]),
    ):
        if status == "estimate":
            flags.append(m("flag.estimate", indicator=m(f"indicator_short.{key}")))
        if bool(fallback):
            flags.append(m("flag.fallback", indicator=m(f"indicator_short.{key}"), year=Val("year", int(year))))
    return Joined(tuple(flags), "; ") if flags else None


def _allocation_table(a: Allocation) -> Table:
    names = names_of(a)
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("idg", m("col.idg"), "dec2"),
        Column("idg_year", m("col.idg_year"), "year"),
        Column("idg_gap", m("col.idg_gap"), "dec2"),
        Column("poverty_rate", m("col.poverty_rate"), "dec2"),
        Column("poverty_year", m("col.poverty_year"), "year"),
        Column("eligible", m("col.eligible"), "count"),
        Column("eligible_year", m("col.eligible_year"), "year"),
        Column("need_share", m("col.need_share"), "share"),
        Column("quota", m("col.quota"), "dec2"),
        Column("lower", m("col.lower"), "count"),
        Column("upper", m("col.upper"), "count"),
        Column("recipients", m("col.recipients"), "count"),
        Column("cost_rp", m("col.cost_rp"), "rp"),
        Column("coverage", m("col.coverage"), "share"),
        Column("binding", m("col.binding"), "text"),
        Column("flags", m("col.flags"), "text"),
    )
    rows = []
    for _, r in a.regions.iterrows():
        code = str(r["region_code"])
        if not r["included"]:
            rows.append((code, names[code], *([None] * 11), 0, 0, None, Msg.of("binding.excluded"), None))
            continue
        eligible = int(r["eligible"])
        rows.append(
            (
                code,
                names[code],
                _num(r["idg"]),
                int(r["idg_year"]) or None,
                _num(r["idg_gap"]),
                _num(r["poverty_rate"]),
                int(r["poverty_year"]) or None,
                eligible,
                int(r["eligible_year"]) or None,
                float(r["need_share"]),
                float(r["quota"]),
                int(r["lower"]),
                int(r["upper"]),
                int(r["recipients"]),
                int(r["cost_rp"]),
                (int(r["recipients"]) / eligible) if eligible > 0 else None,
                Msg.of(f"binding.{r['binding'] or 'none'}"),
                _flags(r),
            )
        )
    inc = a.included
    eligible_total = int(inc["eligible"].sum())
    total = (
        None,
        Msg.of("run.total"),
        None,
        None,
        None,
        None,
        None,
        eligible_total,
        None,
        math.fsum(float(v) for v in inc["need_share"]),
        math.fsum(float(v) for v in inc["quota"]),
        int(inc["lower"].sum()),
        int(inc["upper"].sum()),
        a.allocated,
        a.spent_rp,
        (a.allocated / eligible_total) if eligible_total > 0 else None,
        None,
        None,
    )
    notes = [m("allocation_note_binding"), m("allocation_note_coverage")]
    if a.eligible_method not in ("file", "data"):
        notes.append(m("allocation_note_estimate"))
    return Table(
        "allocation",
        m("sheet.allocation"),
        m("table.allocation"),
        columns,
        tuple(rows),
        total=total,
        notes=tuple(notes),
        wide=True,
    )


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def allocation_section(a: Allocation) -> Section:
    blocks = (
        Paragraph((m("allocation.intro", allocated=Val("count", a.allocated), spent=Val("rp", a.spent_rp)),)),
        _allocation_table(a),
        Figure("need_quota"),
    )
    return Section("allocation", 4, m("section.allocation"), blocks)


def need_chart(a: Allocation) -> Chart:
    names = names_of(a)
    inc = a.included
    return Chart(
        "need_quota",
        m("chart.need_quota.title"),
        m("chart.need_quota.axis"),
        tuple(names[str(c)] for c in inc["region_code"]),
        (
            Series(m("chart.need_quota.quota"), tuple(float(v) for v in inc["quota"]), "bar"),
            Series(m("chart.need_quota.recipients"), tuple(float(v) for v in inc["recipients"]), "point"),
        ),
    )


# ------------------------------------------------------------------------------ 5 why


def _why_text(a: Allocation, r: pd.Series, provisions: dict[str, Variant], multiplier) -> object:
    code = str(r["region_code"])
    if not r["included"]:
        return m("why.excluded")
    q, x = float(r["quota"]), int(r["recipients"])
    quota, n = Val("dec2", q), Val("count", x)
    binding = r["binding"]

    def without(key: str) -> object:
        variant = provisions.get(key)
        if variant is None or not variant.ok:
            return ""
        return m("why.without", provision=variant.label, count=Val("count", variant.recipients(code)))

    if binding == "lock":
        return Joined((m("why.lock", quota=quota, count=n), without("no-locks")))
    if binding == "need-zero":
        return m("why.need_zero", count=n)
    if binding == "floor":
        return Joined((m("why.floor", quota=quota, floor=Val("count", int(r["lower"])), count=n), without("no-floors")))
    if binding == "cap":
        return Joined((m("why.cap", quota=quota, cap=Val("count", int(r["upper"])), count=n), without("no-caps")))
    if binding == "eligible":
        return m("why.eligible", quota=quota, eligible=Val("count", int(r["upper"])), count=n)
    direction = "up" if x > q + 1e-9 else "down" if x < q - 1e-9 else "exact"
    if a.method == SAINTE_LAGUE:
        if multiplier is None:  # no common multiplier fits: the bounds in force shaped the rounding
            return m("why.bounded", quota=quota, count=n)
        low, high = multiplier
        if low <= 1.0 <= high:  # λ = 1 works: plain rounding to the nearest whole number
            return m(f"why.rounded_{direction}", quota=quota, count=n)
        return m(
            f"why.divisor_{direction}",
            quota=quota,
            count=n,
            low=Val("dec2", q * low),
            high=Val("dec2", q * high),
        )
    if (a.included["binding"] != "").any():  # bounds in force: the textbook remainder story no longer holds
        return m("why.hamilton_bounded", quota=quota, count=n)
    whole = math.floor(q + 1e-9)
    return m(
        "why.hamilton",
        quota=quota,
        whole=Val("count", whole),
        remainder=Val("dec2", q - whole),
        extra=Val("signed_count", x - whole),
        count=n,
    )


def why_section(a: Allocation, provisions: Sequence[Variant]) -> Section:
    names = names_of(a)
    by_key = {v.key: v for v in provisions}
    multiplier = sainte_lague_multiplier(a)
    rows = []
    for _, r in a.regions.iterrows():
        code = str(r["region_code"])
        if r["included"]:
            rows.append(
                (
                    code,
                    names[code],
                    float(r["need_share"]),
                    float(r["quota"]),
                    int(r["recipients"]),
                    int(r["recipients"]) - float(r["quota"]),
                    Msg.of(f"binding.{r['binding'] or 'none'}"),
                    _why_text(a, r, by_key, multiplier),
                )
            )
        else:
            rows.append(
                (code, names[code], None, None, 0, None, Msg.of("binding.excluded"), _why_text(a, r, by_key, None))
            )
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("need_share", m("col.need_share"), "share"),
        Column("quota", m("col.quota"), "dec2"),
        Column("recipients", m("col.recipients"), "count"),
        Column("difference", m("col.difference"), "signed_dec2"),
        Column("binding", m("col.binding"), "text"),
        Column("explanation", m("col.explanation"), "text"),
    )
    table = Table("why", m("sheet.why"), m("table.why"), columns, tuple(rows))
    return Section("why", 5, m("section.why"), (Paragraph((m("why.intro"),)), table))


# ------------------------------------------------------------------------------ 6 baseline


def baseline_section(a: Allocation, baseline: Allocation | None, names: dict[str, str]) -> Section:
    title = m("section.baseline")
    if baseline is None:
        return Section("baseline", 6, title, (Paragraph((m("baseline.none"),)),))
    b = baseline
    mine, theirs = a.recipients(), b.recipients()
    codes = sorted(set(mine) | set(theirs))
    rows = []
    gained, lost = [], []
    for code in codes:
        x, y = mine.get(code, 0), theirs.get(code, 0)
        if y == 0 and x > 0:
            status = m("baseline.status.new")
            gained.append(names.get(code, code))
        elif y > 0 and x == 0:
            status = m("baseline.status.dropped")
            lost.append(names.get(code, code))
        elif x > y:
            status = m("baseline.status.up")
        elif x < y:
            status = m("baseline.status.down")
        elif x == 0:
            status = m("baseline.status.none")
        else:
            status = m("baseline.status.same")
        rows.append(
            (
                code,
                names.get(code, code),
                y,
                y * b.cost_per_recipient_rp,
                x,
                x * a.cost_per_recipient_rp,
                x - y,
                x * a.cost_per_recipient_rp - y * b.cost_per_recipient_rp,
                status,
            )
        )
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("baseline_recipients", m("col.baseline_recipients"), "count"),
        Column("baseline_rp", m("col.baseline_rp"), "rp"),
        Column("recipients", m("col.recipients"), "count"),
        Column("cost_rp", m("col.cost_rp"), "rp"),
        Column("change_recipients", m("col.change_recipients"), "signed_count"),
        Column("change_rp", m("col.change_rp"), "signed_rp"),
        Column("change", m("col.change"), "text"),
    )
    total = (
        None,
        Msg.of("run.total"),
        b.allocated,
        b.spent_rp,
        a.allocated,
        a.spent_rp,
        a.allocated - b.allocated,
        a.spent_rp - b.spent_rp,
        None,
    )
    blocks: list[object] = [
        Paragraph(
            (
                m(
                    "baseline.intro",
                    title=b.scenario.title,
                    name=b.scenario.name,
                    year=Val("year", b.scenario.fiscal_year),
                    budget=Val("rp", b.budget_rp),
                    allocated=Val("count", b.allocated),
                    covered=Val("count", covered(b)),
                    method=Msg.of(f"method.{b.method}"),
                ),
            )
        ),
        Paragraph(
            (
                m("baseline.gained", regions=tuple(gained)) if gained else m("baseline.gained_none"),
                m("baseline.lost", regions=tuple(lost)) if lost else m("baseline.lost_none"),
            )
        ),
    ]
    if b.scenario.assumptions:
        blocks.append(Paragraph((m("baseline.assumptions_intro"),)))
        blocks.append(Bullets(tuple(b.scenario.assumptions)))
    blocks.append(
        Table("baseline", m("sheet.baseline"), m("table.baseline", name=b.scenario.name), columns, tuple(rows), total)
    )
    blocks.append(Figure("recipients"))
    return Section("baseline", 6, title, tuple(blocks))


def recipients_chart(a: Allocation, baseline: Allocation | None, names: dict[str, str]) -> Chart:
    mine = a.recipients()
    theirs = baseline.recipients() if baseline is not None else {}
    codes = sorted(set(mine) | set(theirs))
    series = []
    if baseline is not None:
        series.append(
            Series(
                m("chart.recipients.baseline", name=baseline.scenario.name),
                tuple(float(theirs.get(c, 0)) for c in codes),
            )
        )
    series.append(
        Series(m("chart.recipients.scenario", name=a.scenario.name), tuple(float(mine.get(c, 0)) for c in codes))
    )
    return Chart(
        "recipients",
        m("chart.recipients.title"),
        m("chart.recipients.axis"),
        tuple(names.get(c, c) for c in codes),
        tuple(series),
    )
