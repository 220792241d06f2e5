"""Sections 4 (allocation), 5 (why each region) and 6 (baseline) of the report: how they are laid out."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from ..eligible import eligible_key, proxy_key
from ..engine import Allocation
from ..problem import SAINTE_LAGUE
from .document import REGION_KEY_COLUMNS, Bullets, Chart, Column, Figure, Paragraph, Section, Series, Table
from .findings import (
    LOCK_SLACK,
    absorbed_by_others,
    binding_kinds,
    covered,
    divisor_ties,
    names_of,
    remainder_ties,
    sainte_lague_multiplier,
)
from .phrases import eligible_heading, is_proxy, m, per_unit, pool_proxy, short_title, target
from .text import Joined, Msg, Val
from .variants import Variant


def _allocation_table(a: Allocation, provisions: Sequence[Variant] = ()) -> Table:
    """One row per unit (excluded ones with 0), the indicators as used, need share, quota,
    bounds, recipients, Rupiah, coverage (only for counted eligible women, not for a proxy)
    and what binds; the years and sources of the indicators are in the inputs table."""
    names = names_of(a)
    kinds = binding_kinds(a, provisions)
    counted = not is_proxy(a)
    inc = a.included
    eligible_total = int(inc["eligible"].sum())
    spec: list[tuple[Column, object, object]] = [
        (Column("region_code", Msg.of("column.region_code"), "text"), lambda r, c: c, None),
        (Column("region_name", Msg.of("column.region_name"), "text"), lambda r, c: names[c], Msg.of("run.total")),
        (Column("idg", m("col.idg"), "dec2"), lambda r, c: _num(r["idg"]), None),
        (Column("idg_gap", m("col.idg_gap"), "dec2"), lambda r, c: _num(r["idg_gap"]), None),
        (Column("poverty_rate", m("col.poverty_rate"), "dec2"), lambda r, c: _num(r["poverty_rate"]), None),
        (Column("eligible", eligible_heading(a), "count"), lambda r, c: int(r["eligible"]), eligible_total),
        (
            Column("need_share", m("col.need_share"), "share"),
            lambda r, c: float(r["need_share"]),
            math.fsum(float(v) for v in inc["need_share"]),
        ),
        (
            Column("quota", m("col.quota"), "dec2"),
            lambda r, c: float(r["quota"]),
            math.fsum(float(v) for v in inc["quota"]),
        ),
        (Column("lower", m("col.lower"), "count"), lambda r, c: int(r["lower"]), int(inc["lower"].sum())),
        (Column("upper", m("col.upper"), "count"), lambda r, c: int(r["upper"]), int(inc["upper"].sum())),
        (Column("recipients", m("col.recipients"), "count"), lambda r, c: int(r["recipients"]), a.allocated),
        (Column("cost_rp", m("col.cost_rp"), "rp"), lambda r, c: int(r["cost_rp"]), a.spent_rp),
    ]
    if counted:
        spec.append(
            (
                Column("coverage", m("col.coverage"), "share"),
                lambda r, c: int(r["recipients"]) / int(r["eligible"]) if int(r["eligible"]) > 0 else None,
                (a.allocated / eligible_total) if eligible_total > 0 else None,
            )
        )
    spec.append((Column("binding", m("col.binding"), "text"), lambda r, c: binding_label(kinds[c]), None))
    rows = []
    for _, r in a.regions.iterrows():
        code = str(r["region_code"])
        if not r["included"]:
            cells = {"region_code": code, "region_name": names[code], "recipients": 0, "cost_rp": 0}
            cells["binding"] = Msg.of("binding.excluded")
            rows.append(tuple(cells.get(col.key) for col, _, _ in spec))
            continue
        rows.append(tuple(get(r, code) for _, get, _ in spec))
    total = tuple(t for _, _, t in spec)
    notes = [m("allocation_note_binding"), m("allocation_note_rupiah", per_unit=per_unit(a))]
    # a proxy's note names the column as its heading does (the female-headed estimate is no poor population)
    note = "allocation_note_coverage" if counted else eligible_key("allocation_note", a.eligible_method)
    notes.append(m(note, target=target(a)))
    return Table(
        "allocation",
        m("sheet.allocation"),
        m("table.allocation"),
        tuple(col for col, _, _ in spec),
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


def allocation_section(a: Allocation, provisions: Sequence[Variant] = ()) -> Section:
    blocks = (
        Paragraph((m("allocation.intro", allocated=Val("count", a.allocated), spent=Val("rp", a.spent_rp)),)),
        _allocation_table(a, provisions),
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


def _names_list(codes, names: dict[str, str]) -> Joined:
    return Joined(tuple(names.get(c, c) for c in codes), ", ")


def _absorbed_text(a: Allocation, provisions: Sequence[Variant], code: str, names: dict[str, str]) -> object:
    """What other regions' floors, locks or caps did to this region's count, with the counts."""
    parts = []
    for item in absorbed_by_others(a, provisions, code):
        parts.append(
            m(
                f"why.{'absorbed' if item.held > 0 else 'released'}_{item.kind}",
                regions=_names_list(item.regions, names),
                held=Val("count", abs(item.held)),
                without=Val("count", item.without),
            )
        )
    return Joined(tuple(parts)) if parts else ""


def _why_text(
    a: Allocation,
    r: pd.Series,
    provisions: Sequence[Variant],
    multiplier,
    kinds: dict[str, str],
    ties: dict[str, tuple[str, ...]],
    names: dict[str, str],
) -> object:
    code = str(r["region_code"])
    if not r["included"]:
        return m("why.excluded")
    by_key = {v.key: v for v in provisions}
    q, x = float(r["quota"]), int(r["recipients"])
    quota, n = Val("dec2", q), Val("count", x)
    binding = kinds[code]

    def without(key: str) -> object:
        variant = by_key.get(key)
        if variant is None or not variant.ok:
            return ""
        return m("why.without", provision=variant.label, count=Val("count", variant.recipients(code)))

    if binding == LOCK_SLACK:
        return m("why.lock_slack", quota=quota, count=n)
    if binding == "lock":
        return Joined((m("why.lock", quota=quota, count=n), without("no-locks")))
    if binding == "need-zero":
        return m("why.need_zero", count=n)
    if binding == "floor":
        return Joined((m("why.floor", quota=quota, floor=Val("count", int(r["lower"])), count=n), without("no-floors")))
    if binding == "cap":
        return Joined((m("why.cap", quota=quota, cap=Val("count", int(r["upper"])), count=n), without("no-caps")))
    if binding == "eligible":
        key = proxy_key("why.eligible_proxy", pool_proxy(a)) if is_proxy(a) else "why.eligible"
        return m(key, quota=quota, eligible=Val("count", int(r["upper"])), count=n)
    others = _absorbed_text(a, provisions, code, names)
    direction = "up" if x > q + 1e-9 else "down" if x < q - 1e-9 else "exact"
    if code in ties:
        tied = _names_list(ties[code], names)
        if a.method == SAINTE_LAGUE:
            low, _ = multiplier
            return Joined(
                (
                    m("why.divisor_tie", quota=quota, scaled=Val("dec2", q * low), regions=tied, count=n),
                    others,
                )
            )
        whole = math.floor(q + 1e-9)
        return m(
            "why.hamilton_tie",
            quota=quota,
            whole=Val("count", whole),
            remainder=Val("dec2", q - whole),
            regions=tied,
            count=n,
        )
    if a.method == SAINTE_LAGUE:
        if multiplier is None:  # no common multiplier fits: the bounds in force shaped the rounding
            return Joined((m("why.bounded", quota=quota, count=n), others))
        low, high = multiplier
        if low <= 1.0 <= high:  # λ = 1 works: plain rounding to the nearest whole number
            return Joined((m(f"why.rounded_{direction}", quota=quota, count=n), others))
        return Joined(
            (
                m(
                    f"why.divisor_{direction}",
                    quota=quota,
                    count=n,
                    low=Val("dec2", q * low),
                    high=Val("dec2", q * high),
                ),
                others,
            )
        )
    if (a.included["binding"] != "").any():  # bounds in force: the textbook remainder story no longer holds
        return Joined((m("why.hamilton_bounded", quota=quota, count=n), others))
    whole = math.floor(q + 1e-9)
    return m(
        "why.hamilton" if x > whole else "why.hamilton_none",
        quota=quota,
        whole=Val("count", whole),
        remainder=Val("dec2", q - whole),
        count=n,
    )


def binding_label(kind: str) -> Msg:
    """The reader's word for a binding kind of :func:`~.findings.binding_kinds`."""
    if kind == LOCK_SLACK:
        return m("binding_lock_slack")
    return Msg.of(f"binding.{kind or 'none'}")


def why_section(a: Allocation, provisions: Sequence[Variant]) -> Section:
    names = names_of(a)
    multiplier = sainte_lague_multiplier(a)
    kinds = binding_kinds(a, provisions)
    ties = divisor_ties(a, multiplier) if a.method == SAINTE_LAGUE else remainder_ties(a)
    rows = []
    for _, r in a.regions.iterrows():
        code = str(r["region_code"])
        text = _why_text(a, r, provisions, multiplier, kinds, ties, names)
        if r["included"]:
            rows.append(
                (
                    code,
                    names[code],
                    float(r["need_share"]),
                    float(r["quota"]),
                    int(r["recipients"]),
                    int(r["recipients"]) - float(r["quota"]),
                    binding_label(kinds[code]),
                    text,
                )
            )
        else:
            rows.append((code, names[code], None, None, 0, None, Msg.of("binding.excluded"), text))
    columns = (
        *REGION_KEY_COLUMNS,
        Column("need_share", m("col.need_share"), "share"),
        Column("quota", m("col.quota"), "dec2"),
        Column("recipients", m("col.recipients"), "count"),
        Column("difference", m("col.difference"), "signed_dec2"),
        Column("binding", m("col.binding"), "text"),
        Column("explanation", m("col.explanation"), "text"),
    )
    # wide: the explanation column needs the landscape width (in portrait Writer wrapped it
    # to seven lines a row and the table ran over two pages)
    table = Table("why", m("sheet.why"), m("table.why"), columns, tuple(rows), wide=True)
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
        *REGION_KEY_COLUMNS,
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
                    "baseline.intro_realised" if b.scenario.realised_year is not None else "baseline.intro",
                    title=short_title(b.scenario),
                    realised_year=Val("year", b.scenario.realised_year or b.scenario.fiscal_year),
                    year=Val("year", b.scenario.fiscal_year),
                    budget=Val("rp", b.budget_rp),
                    allocated=Val("count", b.allocated),
                    covered=Val("count", covered(b)),
                    method=m(f"method_name.{b.method}"),
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
        Table(
            "baseline",
            m("sheet.baseline"),
            m("table.baseline", name=short_title(b.scenario)),
            columns,
            tuple(rows),
            total,
        )
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
                m("chart.recipients.baseline", name=short_title(baseline.scenario)),
                tuple(float(theirs.get(c, 0)) for c in codes),
            )
        )
    series.append(
        Series(
            m("chart.recipients.scenario", name=short_title(a.scenario)), tuple(float(mine.get(c, 0)) for c in codes)
        )
    )
    return Chart(
        "recipients",
        m("chart.recipients.title"),
        m("chart.recipients.axis"),
        tuple(names.get(c, c) for c in codes),
        tuple(series),
    )
