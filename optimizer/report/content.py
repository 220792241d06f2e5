"""The content of a justification report, built from engine results without a language.

:func:`build` turns an :class:`~optimizer.engine.Allocation` (and the baseline, the
remove-one-provision variants and the sensitivity variants computed from it) into a
:class:`~optimizer.report.document.Report` of nine sections:

1. summary; 2. background (programme, indicators with year/source/status/fallback of
every value); 3. method (need formula with the weights, a worked example row computed from
the data, rounding method and its properties, constraints in force, verification);
4. allocation table; 5. why each region got its number; 6. comparison with the baseline;
7. remove one provision at a time; 8. sensitivity (budget and weight variants, and the
weight ranges of :mod:`optimizer.analysis` through :mod:`.weight_draws`); 9. audit trail.

Every number in it is taken from the engine's results or recomputed from them here
(the worked example, the Sainte-Laguë multiplier); nothing is typed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__
from ..engine import Allocation
from ..files import safe_slug, sha256_of
from ..need import INDICATOR_COLUMNS
from ..problem import SAINTE_LAGUE
from .document import Bullets, Chart, Column, Facts, Figure, Formula, Paragraph, Report, Section, Series, Table
from .sensitivity import Sensitivity
from .text import ByLang, Joined, Msg, Val
from .variants import Variant
from .weight_draws import WeightDraws, command_line

PROGRAMME_SOURCE = "Octavia & Winarto (2024), INNOVATIVE: Journal of Social Science Research 4(2):5581-5589"
CRITERIA = ("dtks_p3ke", "age", "not_pkh_kube", "no_business", "will")


@dataclass(frozen=True)
class AuditInfo:
    """What the audit trail records beyond the allocation itself.

    ``command``: the command line that determines the content (``wrse report …``, without
    output options); ``data_file``: the ``--data`` file, or None for the shipped data;
    ``selection``: the SCENARIO argument and options (``--budget``, ``--data``, ``--eligible``,
    ``--method``) that select the same problem in the ``wrse sensitivity`` command quoted in
    section 8 (see :func:`optimizer.report.pipeline.selection`); empty: the scenario's name.
    """

    command: str
    data_file: Path | None = None
    selection: tuple[str, ...] = ()


def _m(key: str, **params: object) -> Msg:
    return Msg.of(f"report.{key}", **params)


def _names(allocation: Allocation) -> dict[str, str]:
    data = allocation.data
    return {code: data.region(code).display_name for code in allocation.regions["region_code"]}


def _row(allocation: Allocation, code: str) -> pd.Series:
    frame = allocation.regions
    return frame[frame["region_code"] == code].iloc[0]


def _covered(allocation: Allocation) -> int:
    return int((allocation.regions["recipients"] > 0).sum())


def _first(scored) -> str:
    """The code with the largest score; ties go to the lower BPS code (the engine's tie rule)."""
    return min(scored, key=lambda item: (-item[0], item[1]))[1]


def _weights_text(weights) -> Joined:
    return Joined(
        tuple(
            _m("weight_item", indicator=Msg.of(f"weight.{k}"), value=Val("weight", float(v)))
            for k, v in weights.items()
            if float(v) > 0
        ),
        " · ",
    )


def _region_list(items: Sequence[tuple[str, int]]) -> Joined:
    return Joined(tuple(_m("region_count", name=name, count=Val("count", n)) for name, n in items), ", ")


def _changes(base: Allocation, other: Allocation) -> dict[str, int]:
    mine, theirs = base.recipients(), other.recipients()
    return {code: theirs.get(code, 0) - n for code, n in mine.items()}


# ------------------------------------------------------------------------------ 1 summary


def _summary(a: Allocation, baseline: Allocation | None, units: int) -> Section:
    s = a.scenario
    names = _names(a)
    included = a.included
    facts = (
        (_m("fact.scenario"), Joined((s.title, f"({s.name})"))),
        (_m("fact.fiscal_year"), Val("year", s.fiscal_year)),
        (_m("fact.budget"), Val("rp", a.budget_rp)),
        (_m("fact.grant"), Val("rp", s.grant_rp)),
        (
            _m("fact.bimtek"),
            Val("rp", s.bimtek_per_recipient_rp) if s.bimtek_per_recipient_rp else _m("fact.bimtek_none"),
        ),
        (_m("fact.cost"), Val("rp", a.cost_per_recipient_rp)),
        (_m("fact.affordable"), Val("count", a.affordable)),
        (_m("fact.allocated"), Val("count", a.allocated)),
        (_m("fact.spent"), Val("rp", a.spent_rp)),
        (_m("fact.covered"), _m("covered_of", covered=Val("count", _covered(a)), units=Val("count", units))),
        (_m("fact.leftover"), Val("rp", a.leftover_rp)),
        (_m("fact.limited_by"), Msg.of(f"limited_by.{a.limited_by}")),
        (_m("fact.method"), Msg.of(f"method.{a.method}")),
        (_m("fact.weights"), _weights_text(a.weights)),
    )
    parts: list[object] = [
        _m(
            "summary.funded",
            budget=Val("rp", a.budget_rp),
            cost=Val("rp", a.cost_per_recipient_rp),
            year=Val("year", s.fiscal_year),
            affordable=Val("count", a.affordable),
            allocated=Val("count", a.allocated),
            covered=Val("count", _covered(a)),
            units=Val("count", units),
        )
    ]
    if a.leftover_rp > 0:
        key = "summary.leftover_caps" if a.limited_by == "caps" else "summary.leftover_budget"
        parts.append(_m(key, leftover=Val("rp", a.leftover_rp)))
    ranked = sorted(
        ((int(r["recipients"]), str(r["region_code"])) for _, r in included.iterrows() if r["recipients"] > 0),
        key=lambda item: (-item[0], item[1]),
    )
    high, low = (ranked[0][0], ranked[-1][0]) if ranked else (0, 0)
    if ranked and high > low:
        # every region at the largest and at the smallest count: ties are named, not cut arbitrarily
        parts.append(
            _m(
                "summary.extremes",
                largest=Joined(tuple(names[c] for n, c in ranked if n == high), ", "),
                high=Val("count", high),
                smallest=Joined(tuple(names[c] for n, c in ranked if n == low), ", "),
                low=Val("count", low),
            )
        )
    elif ranked:
        parts.append(_m("summary.all_regions", regions=_region_list([(names[c], n) for n, c in ranked])))
    parts.append(_m("summary.method", weights=_weights_text(a.weights), method=Msg.of(f"method.{a.method}")))
    counts = included["binding"].value_counts()
    bound = [
        _m("summary.binding_item", kind=Msg.of(f"binding.{kind}"), count=Val("count", int(counts.get(kind, 0))))
        for kind in ("floor", "cap", "lock", "eligible", "need-zero")
        if counts.get(kind, 0)
    ]
    if bound:
        parts.append(_m("summary.bound", items=Joined(tuple(bound), ", ")))
    else:
        parts.append(_m("summary.unbound"))
    if baseline is not None:
        parts.append(
            _m(
                "summary.baseline",
                baseline=baseline.scenario.title,
                year=Val("year", baseline.scenario.fiscal_year),
                allocated=Val("count", baseline.allocated),
                covered=Val("count", _covered(baseline)),
                change=Val("signed_count", a.allocated - baseline.allocated),
                change_regions=Val("signed_count", _covered(a) - _covered(baseline)),
            )
        )
    if not a.optimal:
        parts.append(_m("summary.not_optimal", solver=a.solver, status=a.status))
    if a.eligible_method not in ("file", "data"):
        parts.append(_m("summary.estimate", method=_eligible_method(a)))
    blocks = (Facts(facts), Paragraph(tuple(parts)))
    return Section("summary", 1, _m("section.summary"), blocks)


# ------------------------------------------------------------------------------ 2 background


STATUS_KEYS = ("published", "estimate", "supplied")


def _status(value: str) -> object:
    return Msg.of(f"report.status.{value}") if value in STATUS_KEYS else value


def _inputs_table(a: Allocation) -> Table:
    names = _names(a)
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
                    _m("indicator.idg_reference"),
                    a.idg_reference,
                    _m("unit.index"),
                    a.idg_reference_year,
                    s.idg_year,
                    _status("published"),
                    Msg.of("report.no" if a.idg_reference_year == s.idg_year else "report.yes"),
                    a.idg_reference_source,
                )
            )
        else:
            rows.append(
                (
                    "",
                    "",
                    _m("indicator.idg_reference"),
                    a.idg_reference,
                    _m("unit.index"),
                    None,
                    None,
                    _m("status.scenario"),
                    Msg.of("report.no"),
                    _m("source.scenario"),
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
                    _m(f"indicator.{indicator}"),
                    float(value),
                    _m(f"unit.{unit}"),
                    int(year) or None,
                    requested,
                    _status(str(status)),
                    Msg.of("report.yes" if bool(fallback) else "report.no"),
                    source,
                )
            )
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("indicator", _m("col.indicator"), "text"),
        Column("value", _m("col.value"), "number"),
        Column("unit", _m("col.unit"), "text"),
        Column("year", _m("col.year_used"), "year"),
        Column("year_requested", _m("col.year_requested"), "year"),
        Column("status", _m("col.status"), "text"),
        Column("fallback", _m("col.fallback"), "text"),
        Column("source", _m("col.source"), "text"),
    )
    return Table("inputs", _m("sheet.inputs"), _m("table.inputs"), columns, tuple(rows), notes=(_m("inputs_note"),))


def _eligible_method(a: Allocation) -> Msg:
    s = a.scenario
    if a.eligible_method == "file":
        return _m("eligible_method.file", file=a.eligible_file.name if a.eligible_file else "")
    if a.eligible_method == "data":
        return _m("eligible_method.data", year=Val("year", s.eligible.year))
    return _m(
        f"eligible_method.{a.eligible_method}",
        year=Val("year", s.eligible.year),
        population_year=Val("year", s.eligible.population_year or 0),
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


def _background(a: Allocation) -> Section:
    s = a.scenario
    blocks: list[object] = [
        Paragraph((_m("background.programme", grant=Val("rp", s.grant_rp)),)),
        Paragraph((_m("background.criteria_intro"),)),
        Bullets(tuple(_m(f"background.criteria.{c}") for c in CRITERIA)),
        Paragraph((_m("background.mechanism"),)),
        Paragraph((_m("background.source", source=PROGRAMME_SOURCE, grant_source=s.grant_source),)),
        Paragraph((Msg.of("grant.label_sentence", line=grant_msg(s)),)),
        Paragraph((_m("background.indicators_intro"),)),
    ]
    if a.idg_reference_year is not None:
        reference = _m(
            "background.reference_provincial",
            value=Val("dec2", a.idg_reference),
            year=Val("year", a.idg_reference_year),
        )
    elif not math.isnan(a.idg_reference):
        reference = _m("background.reference_scenario", value=Val("dec2", a.idg_reference))
    else:
        reference = _m("background.reference_none")
    blocks.append(
        Bullets(
            (
                _m("background.indicator_idg", year=Val("year", s.idg_year), reference=reference),
                _m("background.indicator_poverty", year=Val("year", s.poverty_year)),
                _m("background.indicator_eligible", method=_eligible_method(a)),
                _m(
                    "background.fallback_rule",
                    rule=_m("background.fallback_allowed" if s.allow_fallback else "background.fallback_forbidden"),
                ),
            )
        )
    )
    blocks.append(_inputs_table(a))
    notes: list[object] = list(a.notices)
    if not notes:
        notes.append(_m("background.no_notices"))
    blocks.append(Paragraph((_m("background.notices_intro"),)))
    blocks.append(Bullets(tuple(notes)))
    if s.description or s.assumptions:
        blocks.append(Paragraph((_m("background.assumptions_intro", file=_scenario_file(s)),)))
        items = ((s.description,) if s.description else ()) + tuple(s.assumptions)
        blocks.append(Bullets(items))
    return Section("background", 2, _m("section.background"), tuple(blocks))


def _scenario_file(s) -> str:
    return s.path.name if s.path else s.name


# ------------------------------------------------------------------------------ 3 method


@dataclass(frozen=True)
class WorkedExample:
    """The need formula for one region, recomputed from the allocation's table.

    ``components``: per weighted indicator (``idg_gap``, ``poverty_rate``, ``eligible``):
    (value for the region, total over the included regions, share of total, applied
    weight, contribution = weight x share). ``need_share`` = sum of contributions;
    ``quota`` = need_share x R (recipients).
    """

    code: str
    components: dict[str, tuple[float, float, float, float, float]]
    need_share: float
    quota: float


def worked_example(a: Allocation, code: str | None = None) -> WorkedExample:
    """The worked example for ``code`` (default: the included region with the largest need share,
    ties to the lower BPS code), computed the way :func:`optimizer.need.need_shares` does."""
    included = a.included.sort_values("region_code", kind="mergesort")
    if code is None:
        code = _first((float(r.need_share), str(r.region_code)) for r in included.itertuples())
    row = included[included["region_code"] == code].iloc[0]
    components = {}
    for key in INDICATOR_COLUMNS:
        weight = float(a.weights[key])
        if weight <= 0:
            continue
        total = math.fsum(float(v) for v in included[key])
        value = float(row[key])
        share = value / total
        components[key] = (value, total, share, weight, weight * share)
    need = math.fsum(c[4] for c in components.values())
    return WorkedExample(code, components, need, need * a.affordable)


def sainte_lague_multiplier(a: Allocation) -> tuple[float, float] | None:
    """The range of the common multiplier ``λ`` such that every included region not held by a
    floor, cap, lock or eligible count gets ``round(quota x λ)`` recipients (Sainte-Laguë = a
    divisor method with standard rounding). None for largest remainder or when no region is free.
    """
    if a.method != SAINTE_LAGUE:
        return None
    low, high = 0.0, math.inf
    free = a.included[(a.included["binding"] == "") & (a.included["quota"] > 0)]
    if free.empty:
        return None
    for _, r in free.iterrows():
        q, x = float(r["quota"]), int(r["recipients"])
        low = max(low, (x - 0.5) / q if x > 0 else 0.0)
        high = min(high, (x + 0.5) / q)
    if low > high + 1e-12:
        return None
    return low, high


def _method(a: Allocation, units: int) -> Section:
    s = a.scenario
    names = _names(a)
    used = [k for k in INDICATOR_COLUMNS if float(a.weights[k]) > 0]
    terms = Joined(
        tuple(_m(f"method.term.{k}", weight=Val("weight", float(a.weights[k]))) for k in used),
        " + ",
    )
    lines: list[object] = []
    if "idg_gap" in used:
        lines.append(_m("method.formula_gap", reference=Val("dec2", a.idg_reference)))
    lines.append(_m("method.formula_need", terms=terms))
    lines.append(
        _m(
            "method.formula_quota",
            budget=Val("rp", a.budget_rp),
            cost=Val("rp", a.cost_per_recipient_rp),
            affordable=Val("count", a.affordable),
        )
    )
    blocks: list[object] = [Paragraph((_m("method.intro"),)), Formula(tuple(lines))]
    blocks.append(Paragraph((_m("method.weights_as_written", weights=_raw_weights(s.weights)),)))
    if dict(a.weights) != dict(a.weights_requested):
        blocks.append(
            Paragraph(
                (
                    _m(
                        "method.weights_dropped",
                        requested=_weights_text(a.weights_requested),
                        applied=_weights_text(a.weights),
                    ),
                )
            )
        )
    example = worked_example(a)
    row = _row(a, example.code)
    blocks.append(Paragraph((_m("method.example_intro", region=names[example.code]),)))
    rows = []
    for key, (value, total, share, weight, contribution) in example.components.items():
        label = Msg.of(f"weight.{key}")
        if key == "idg_gap":
            label = _m(
                "method.example_gap",
                reference=Val("dec2", a.idg_reference),
                idg=Val("dec2", float(row["idg"])),
            )
        rows.append((label, value, total, share, weight, contribution))
    columns = (
        Column("indicator", _m("col.indicator"), "text"),
        Column("value", _m("col.region_value"), "number"),
        Column("total", _m("col.total_included"), "number"),
        Column("share_of_total", _m("col.share_of_total"), "share4"),
        Column("weight", _m("col.weight"), "weight"),
        Column("contribution", _m("col.contribution"), "share4"),
    )
    weight_total = math.fsum(c[3] for c in example.components.values())
    total_row = (_m("col.need_share"), None, None, None, weight_total, example.need_share)
    blocks.append(
        Table(
            "worked_example",
            _m("sheet.worked_example"),
            _m("table.worked_example", region=names[example.code]),
            columns,
            tuple(rows),
            total=total_row,
        )
    )
    blocks.append(
        Formula(
            (
                _m(
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
    blocks.append(Paragraph((_m(f"method.rounding.{a.method}"),)))
    blocks.append(Bullets(tuple(_m(f"method.properties.{a.method}.{i}") for i in range(1, 5))))
    multiplier = sainte_lague_multiplier(a)
    if multiplier is not None:
        low, high = multiplier
        key = "method.multiplier_one" if low <= 1.0 <= high else "method.multiplier"
        blocks.append(Paragraph((_m(key, low=Val("dec4", low), high=Val("dec4", high)),)))
    blocks.append(Paragraph((_m("method.constraints_intro"),)))
    blocks.append(Bullets(tuple(_constraints(a, units, names))))
    c = a.certificate
    blocks.append(
        Paragraph(
            (
                _m(
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
    return Section("method", 3, _m("section.method"), tuple(blocks))


def _raw_weights(weights) -> Joined:
    return Joined(
        tuple(
            _m("weight_raw", indicator=Msg.of(f"weight.{k}"), value=f"{float(v):g}")
            for k, v in weights.items()
            if k in INDICATOR_COLUMNS
        ),
        " · ",
    )


def _constraints(a: Allocation, units: int, names: dict[str, str]) -> list[object]:
    s = a.scenario
    items: list[object] = [
        _m(
            "method.constraint_total",
            affordable=Val("count", a.affordable),
            upper=Val("count", int(a.included["upper"].sum())),
            total=Val("count", a.allocated),
        ),
        _m("method.constraint_budget", cost=Val("rp", a.cost_per_recipient_rp), budget=Val("rp", a.budget_rp)),
        _m("method.constraint_eligible"),
    ]
    if s.floor_all:
        items.append(_m("method.constraint_floor_all", floor=Val("count", s.floor_all)))
    for code, floor in s.floors.items():
        items.append(_m("method.constraint_floor", region=names.get(code, code), floor=Val("count", floor)))
    if s.cap_all is not None:
        items.append(_m("method.constraint_cap_all", cap=Val("count", s.cap_all)))
    for code, cap in s.caps.items():
        items.append(_m("method.constraint_cap", region=names.get(code, code), cap=Val("count", cap)))
    for code, lock in s.locks.items():
        items.append(_m("method.constraint_lock", region=names.get(code, code), lock=Val("count", lock)))
    if not (s.floor_all or s.floors or s.cap_all is not None or s.caps or s.locks):
        items.append(_m("method.constraint_none"))
    excluded = [names[c] for c in a.regions.loc[~a.regions["included"], "region_code"]]
    if excluded:
        items.append(
            _m(
                "method.constraint_include",
                included=Val("count", len(a.included)),
                units=Val("count", units),
                excluded=tuple(excluded),
            )
        )
    else:
        items.append(_m("method.constraint_include_all", units=Val("count", units)))
    items.append(_m("method.constraint_ties"))
    return items


# ------------------------------------------------------------------------------ 4 allocation


def _flags(r: pd.Series) -> object:
    flags = []
    for key, status, fallback, year in (
        ("idg", r["idg_status"], r["idg_fallback"], r["idg_year"]),
        ("poverty_rate", r["poverty_status"], r["poverty_fallback"], r["poverty_year"]),
        ("eligible", r["eligible_status"], r["eligible_fallback"], r["eligible_year"]),
    ):
        if status == "estimate":
            flags.append(_m("flag.estimate", indicator=_m(f"indicator_short.{key}")))
        if bool(fallback):
            flags.append(_m("flag.fallback", indicator=_m(f"indicator_short.{key}"), year=Val("year", int(year))))
    return Joined(tuple(flags), "; ") if flags else None


def _allocation_table(a: Allocation) -> Table:
    names = _names(a)
    columns = (
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("idg", _m("col.idg"), "dec2"),
        Column("idg_year", _m("col.idg_year"), "year"),
        Column("idg_gap", _m("col.idg_gap"), "dec2"),
        Column("poverty_rate", _m("col.poverty_rate"), "dec2"),
        Column("poverty_year", _m("col.poverty_year"), "year"),
        Column("eligible", _m("col.eligible"), "count"),
        Column("eligible_year", _m("col.eligible_year"), "year"),
        Column("need_share", _m("col.need_share"), "share"),
        Column("quota", _m("col.quota"), "dec2"),
        Column("lower", _m("col.lower"), "count"),
        Column("upper", _m("col.upper"), "count"),
        Column("recipients", _m("col.recipients"), "count"),
        Column("cost_rp", _m("col.cost_rp"), "rp"),
        Column("coverage", _m("col.coverage"), "share"),
        Column("binding", _m("col.binding"), "text"),
        Column("flags", _m("col.flags"), "text"),
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
    notes = [_m("allocation_note_binding"), _m("allocation_note_coverage")]
    if a.eligible_method not in ("file", "data"):
        notes.append(_m("allocation_note_estimate"))
    return Table(
        "allocation",
        _m("sheet.allocation"),
        _m("table.allocation"),
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


def _allocation(a: Allocation) -> Section:
    blocks = (
        Paragraph((_m("allocation.intro", allocated=Val("count", a.allocated), spent=Val("rp", a.spent_rp)),)),
        _allocation_table(a),
        Figure("need_quota"),
    )
    return Section("allocation", 4, _m("section.allocation"), blocks)


def _need_chart(a: Allocation) -> Chart:
    names = _names(a)
    inc = a.included
    return Chart(
        "need_quota",
        _m("chart.need_quota.title"),
        _m("chart.need_quota.axis"),
        tuple(names[str(c)] for c in inc["region_code"]),
        (
            Series(_m("chart.need_quota.quota"), tuple(float(v) for v in inc["quota"]), "bar"),
            Series(_m("chart.need_quota.recipients"), tuple(float(v) for v in inc["recipients"]), "point"),
        ),
    )


# ------------------------------------------------------------------------------ 5 why


def _why_text(a: Allocation, r: pd.Series, provisions: dict[str, Variant], multiplier) -> object:
    code = str(r["region_code"])
    if not r["included"]:
        return _m("why.excluded")
    q, x = float(r["quota"]), int(r["recipients"])
    quota, n = Val("dec2", q), Val("count", x)
    binding = r["binding"]

    def without(key: str) -> object:
        variant = provisions.get(key)
        if variant is None or not variant.ok:
            return ""
        return _m("why.without", provision=variant.label, count=Val("count", variant.recipients(code)))

    if binding == "lock":
        return Joined((_m("why.lock", quota=quota, count=n), without("no-locks")))
    if binding == "need-zero":
        return _m("why.need_zero", count=n)
    if binding == "floor":
        return Joined(
            (_m("why.floor", quota=quota, floor=Val("count", int(r["lower"])), count=n), without("no-floors"))
        )
    if binding == "cap":
        return Joined((_m("why.cap", quota=quota, cap=Val("count", int(r["upper"])), count=n), without("no-caps")))
    if binding == "eligible":
        return _m("why.eligible", quota=quota, eligible=Val("count", int(r["upper"])), count=n)
    direction = "up" if x > q + 1e-9 else "down" if x < q - 1e-9 else "exact"
    if a.method == SAINTE_LAGUE:
        if multiplier is None:  # no common multiplier fits: the bounds in force shaped the rounding
            return _m("why.bounded", quota=quota, count=n)
        low, high = multiplier
        if low <= 1.0 <= high:  # λ = 1 works: plain rounding to the nearest whole number
            return _m(f"why.rounded_{direction}", quota=quota, count=n)
        return _m(
            f"why.divisor_{direction}",
            quota=quota,
            count=n,
            low=Val("dec2", q * low),
            high=Val("dec2", q * high),
        )
    if (a.included["binding"] != "").any():  # bounds in force: the textbook remainder story no longer holds
        return _m("why.hamilton_bounded", quota=quota, count=n)
    whole = math.floor(q + 1e-9)
    return _m(
        "why.hamilton",
        quota=quota,
        whole=Val("count", whole),
        remainder=Val("dec2", q - whole),
        extra=Val("signed_count", x - whole),
        count=n,
    )


def _why(a: Allocation, provisions: Sequence[Variant]) -> Section:
    names = _names(a)
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
        Column("need_share", _m("col.need_share"), "share"),
        Column("quota", _m("col.quota"), "dec2"),
        Column("recipients", _m("col.recipients"), "count"),
        Column("difference", _m("col.difference"), "signed_dec2"),
        Column("binding", _m("col.binding"), "text"),
        Column("explanation", _m("col.explanation"), "text"),
    )
    table = Table("why", _m("sheet.why"), _m("table.why"), columns, tuple(rows))
    return Section("why", 5, _m("section.why"), (Paragraph((_m("why.intro"),)), table))


# ------------------------------------------------------------------------------ 6 baseline


def _baseline(a: Allocation, baseline: Allocation | None, names: dict[str, str]) -> Section:
    title = _m("section.baseline")
    if baseline is None:
        return Section("baseline", 6, title, (Paragraph((_m("baseline.none"),)), Figure("recipients")))
    b = baseline
    mine, theirs = a.recipients(), b.recipients()
    codes = sorted(set(mine) | set(theirs))
    rows = []
    gained, lost = [], []
    for code in codes:
        x, y = mine.get(code, 0), theirs.get(code, 0)
        if y == 0 and x > 0:
            status = _m("baseline.status.new")
            gained.append(names.get(code, code))
        elif y > 0 and x == 0:
            status = _m("baseline.status.dropped")
            lost.append(names.get(code, code))
        elif x > y:
            status = _m("baseline.status.up")
        elif x < y:
            status = _m("baseline.status.down")
        elif x == 0:
            status = _m("baseline.status.none")
        else:
            status = _m("baseline.status.same")
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
        Column("baseline_recipients", _m("col.baseline_recipients"), "count"),
        Column("baseline_rp", _m("col.baseline_rp"), "rp"),
        Column("recipients", _m("col.recipients"), "count"),
        Column("cost_rp", _m("col.cost_rp"), "rp"),
        Column("change_recipients", _m("col.change_recipients"), "signed_count"),
        Column("change_rp", _m("col.change_rp"), "signed_rp"),
        Column("change", _m("col.change"), "text"),
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
                _m(
                    "baseline.intro",
                    title=b.scenario.title,
                    name=b.scenario.name,
                    year=Val("year", b.scenario.fiscal_year),
                    budget=Val("rp", b.budget_rp),
                    allocated=Val("count", b.allocated),
                    covered=Val("count", _covered(b)),
                    method=Msg.of(f"method.{b.method}"),
                ),
            )
        ),
        Paragraph(
            (
                _m("baseline.gained", regions=tuple(gained)) if gained else _m("baseline.gained_none"),
                _m("baseline.lost", regions=tuple(lost)) if lost else _m("baseline.lost_none"),
            )
        ),
    ]
    if b.scenario.assumptions:
        blocks.append(Paragraph((_m("baseline.assumptions_intro"),)))
        blocks.append(Bullets(tuple(b.scenario.assumptions)))
    blocks.append(
        Table("baseline", _m("sheet.baseline"), _m("table.baseline", name=b.scenario.name), columns, tuple(rows), total)
    )
    blocks.append(Figure("recipients"))
    return Section("baseline", 6, title, tuple(blocks))


def _recipients_chart(a: Allocation, baseline: Allocation | None, names: dict[str, str]) -> Chart:
    mine = a.recipients()
    theirs = baseline.recipients() if baseline is not None else {}
    codes = sorted(set(mine) | set(theirs))
    series = []
    if baseline is not None:
        series.append(
            Series(
                _m("chart.recipients.baseline", name=baseline.scenario.name),
                tuple(float(theirs.get(c, 0)) for c in codes),
            )
        )
    series.append(
        Series(_m("chart.recipients.scenario", name=a.scenario.name), tuple(float(mine.get(c, 0)) for c in codes))
    )
    return Chart(
        "recipients",
        _m("chart.recipients.title"),
        _m("chart.recipients.axis"),
        tuple(names.get(c, c) for c in codes),
        tuple(series),
    )


# ------------------------------------------------------------------------------ 7 provisions / 8 sensitivity


def _variant_status(v: Variant) -> object:
    if v.skipped is not None:
        return v.skipped
    if v.error is not None:
        return v.error
    return _m("variant.computed")


def _variant_summary_table(
    key: str, sheet: Msg, title: Msg, a: Allocation, variants: Sequence[Variant], with_budget: bool
) -> Table:
    columns = [Column("variant", _m("col.variant"), "text")]
    if with_budget:
        columns.append(Column("budget_rp", _m("col.budget"), "rp"))
    columns += [
        Column("allocated", _m("col.allocated"), "count"),
        Column("leftover_rp", _m("col.leftover"), "rp"),
        Column("regions_covered", _m("col.regions_covered"), "count"),
        Column("regions_changed", _m("col.regions_changed"), "count"),
        Column("total_abs_change", _m("col.total_abs_change"), "count"),
        Column("largest_change", _m("col.largest_change"), "text"),
        Column("status", _m("col.status"), "text"),
    ]
    names = _names(a)
    rows = []
    for v in variants:
        if v.ok:
            other = v.allocation
            changes = _changes(a, other)
            moved = [(abs(d), c, d) for c, d in changes.items() if d]
            largest = None
            if moved:
                code = _first((size, c) for size, c, _ in moved)
                d = changes[code]
                largest = _m("largest_change", region=names.get(code, code), change=Val("signed_count", d))
            cells = [v.label]
            if with_budget:
                cells.append(other.budget_rp)
            cells += [
                other.allocated,
                other.leftover_rp,
                _covered(other),
                len(moved),
                sum(abs(d) for d in changes.values()),
                largest or _m("no_change"),
                _variant_status(v),
            ]
        else:
            cells = [v.label] + ([None] if with_budget else []) + [None] * 6 + [_variant_status(v)]
        rows.append(tuple(cells))
    return Table(key, sheet, title, tuple(columns), tuple(rows))


def _variant_region_table(
    key: str, sheet: Msg, title: Msg, a: Allocation, variants: Sequence[Variant], with_range: bool
) -> Table:
    names = _names(a)
    ok = [v for v in variants if v.ok]
    columns = [
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("recipients", _m("col.recipients_scenario"), "count"),
    ]
    for v in ok:
        columns.append(Column(f"{v.key}", _m("col.variant_recipients", variant=v.heading), "count"))
        if not with_range:
            columns.append(Column(f"{v.key}-change", _m("col.variant_change", variant=v.heading), "signed_count"))
    if with_range:
        columns += [Column("min", _m("col.min"), "count"), Column("max", _m("col.max"), "count")]
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
    return Table(key, sheet, title, tuple(columns), tuple(rows), total=tuple(total), wide=len(columns) > 9)


def _provisions(a: Allocation, variants: Sequence[Variant]) -> Section:
    blocks: list[object] = [Paragraph((_m("provisions.intro"),))]
    blocks.append(
        _variant_summary_table(
            "provisions_summary",
            _m("sheet.provisions_summary"),
            _m("table.provisions_summary"),
            a,
            variants,
            with_budget=False,
        )
    )
    if any(v.ok for v in variants):
        blocks.append(
            _variant_region_table(
                "provisions", _m("sheet.provisions"), _m("table.provisions"), a, variants, with_range=False
            )
        )
    else:
        blocks.append(Paragraph((_m("provisions.none"),)))
    return Section("provisions", 7, _m("section.provisions"), tuple(blocks))


def _draws(a: Allocation, draws: WeightDraws, selection: Sequence[str]) -> list[object]:
    """Section 8's weight ranges: method, per-region table, unchanged share, reproducing command."""
    spec = draws.spec
    lead = _m("draws.title")
    if draws.result is None:
        return [Paragraph((lead, draws.skipped or draws.error))]
    r = draws.result
    names = _names(a)
    weighted = r.weight_summary[r.weight_summary["scenario"] > 0]
    ranges = Joined(
        tuple(
            _m(
                "draws.weight_range",
                indicator=Msg.of(f"weight.{row.indicator}"),
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
                _m(
                    "draws.intro",
                    draws=Val("count", spec.draws),
                    spread=Val("number", spec.weight_spread),
                    c=Val("number", round(r.concentration, 2)),
                    k=Val("count", len(weighted)),
                    seed=str(spec.seed),
                ),
                _m("draws.weights", ranges=ranges),
                _m("draws.solver"),
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
        Column("region_code", Msg.of("column.region_code"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("recipients", _m("col.recipients_scenario"), "count"),
        Column("p5", _m("col.p5"), "count"),
        Column("median", _m("col.median"), "count"),
        Column("p95", _m("col.p95"), "count"),
        Column("p_fewer", _m("col.p_fewer"), "share"),
        Column("p_more", _m("col.p_more"), "share"),
    )
    notes: list[object] = [
        _m("draws.note_percentiles"),
        _m("draws.note_probability", draws=Val("count", spec.draws), margin=Val("dec2", 100 * draws.margin)),
    ]
    if r.fallback_rows:
        notes.append(_m("draws.note_fallback", count=Val("count", len(r.fallback_rows))))
    blocks.append(
        Table(
            "sensitivity_draws",
            _m("sheet.sensitivity_draws"),
            _m("table.sensitivity_draws", draws=Val("count", spec.draws)),
            columns,
            tuple(rows),
            notes=tuple(notes),
        )
    )
    unchanged = int((r.x == r.base_x).all(axis=1).sum())
    parts: list[object] = [
        _m(
            "draws.unchanged",
            share=Val("share", r.unchanged),
            count=Val("count", unchanged),
            draws=Val("count", spec.draws),
        )
    ]
    spans = [(int(row[5]) - int(row[3]), row[0]) for row in rows]
    code = _first(spans)
    widest = next(row for row in rows if row[0] == code)
    if widest[5] > widest[3]:
        parts.append(
            _m(
                "draws.widest",
                region=widest[1],
                low=Val("count", widest[3]),
                high=Val("count", widest[5]),
                count=Val("count", widest[2]),
            )
        )
    blocks.append(Paragraph(tuple(parts)))
    blocks.append(Paragraph((_m("draws.reproduce"),)))
    command = command_line(selection or (a.scenario.name,), spec)
    blocks.append(Formula((ByLang(command, f"{command} --lang en"),)))  # the table it prints in the reader's language
    return blocks


def _sensitivity(a: Allocation, sensitivity: Sensitivity | None, selection: Sequence[str] = ()) -> Section:
    title = _m("section.sensitivity")
    if sensitivity is None:
        return Section("sensitivity", 8, title, (Paragraph((_m("sensitivity.none"),)),))
    variants = sensitivity.variants
    blocks: list[object] = [Paragraph((_m("sensitivity.intro"), sensitivity.method))]
    blocks.append(
        _variant_summary_table(
            "sensitivity_summary",
            _m("sheet.sensitivity_summary"),
            _m("table.sensitivity_summary"),
            a,
            variants,
            with_budget=True,
        )
    )
    if any(v.ok for v in variants):
        table = _variant_region_table(
            "sensitivity", _m("sheet.sensitivity"), _m("table.sensitivity"), a, variants, with_range=True
        )
        blocks.append(table)
        names = _names(a)
        lo, hi = table.column("min"), table.column("max")
        spans = {row[0]: (row[lo], row[hi]) for row in table.rows}
        code = _first((high - low, c) for c, (low, high) in spans.items())
        low, high = spans[code]
        if high > low:
            blocks.append(
                Paragraph(
                    (
                        _m(
                            "sensitivity.widest",
                            region=names.get(code, code),
                            low=Val("count", low),
                            high=Val("count", high),
                        ),
                    )
                )
            )
        else:
            blocks.append(Paragraph((_m("sensitivity.stable"),)))
    if sensitivity.draws is not None:
        blocks.extend(_draws(a, sensitivity.draws, selection))
    return Section("sensitivity", 8, title, tuple(blocks))


# ------------------------------------------------------------------------------ 9 audit


def _data_label(a: Allocation) -> object:
    """The data set's name: the shipped data described in the reader's language, else the label."""
    from ..indicators import shipped

    return Msg.of("run.data_shipped") if a.data is shipped() else a.data.label


def _files(a: Allocation, baseline: Allocation | None, audit: AuditInfo) -> Table:
    rows: list[tuple] = []
    for path in a.scenario.files:
        rows.append((_m("file.scenario"), path.name, sha256_of(path)))
    if baseline is not None:
        for path in baseline.scenario.files:
            rows.append((_m("file.baseline"), path.name, sha256_of(path)))
    data_name = audit.data_file.name if audit.data_file is not None else Path(a.data.path).name
    rows.append((_m("file.data"), data_name, a.data.sha256))
    if a.eligible_file is not None:
        rows.append((_m("file.eligible"), a.eligible_file.name, a.eligible_sha256 or sha256_of(a.eligible_file)))
    columns = (
        Column("role", _m("col.role"), "text"),
        Column("file", _m("col.file"), "text"),
        Column("sha256", _m("col.sha256"), "text"),
    )
    return Table("files", _m("sheet.files"), _m("table.files"), columns, tuple(rows))


def _audit(a: Allocation, baseline: Allocation | None, audit: AuditInfo, draws: bool) -> Section:
    c = a.certificate
    draws_note = (_m("audit.draws"),) if draws else ()
    facts = (
        (_m("fact.tool"), f"wrse-optimizer {__version__}"),
        (_m("fact.command"), audit.command),
        (_m("fact.solver"), a.solver),
        (_m("fact.status"), a.status),
        (_m("fact.optimal"), Msg.of("report.yes" if a.optimal else "report.no")),
        (
            _m("fact.verified"),
            _m(
                "verified_line",
                total=Val("count", c.total),
                cost=Val("rp", c.cost_rp),
                optimal=Msg.of("report.yes" if c.optimal else "report.no"),
                ties=Msg.of("report.yes" if c.tie_rule_kept else "report.no"),
            ),
        ),
        (_m("fact.data"), _data_label(a) if audit.data_file is None else audit.data_file.name),
        (_m("fact.eligible"), _eligible_method(a)),
    )
    blocks = (
        Facts(facts),
        _files(a, baseline, audit),
        Paragraph((_m("audit.variants"), *draws_note, _m("audit.reproducible"))),
    )
    return Section("audit", 9, _m("section.audit"), blocks)


# ------------------------------------------------------------------------------ the report


def build(
    allocation: Allocation,
    *,
    baseline: Allocation | None,
    provisions: Sequence[Variant],
    sensitivity: Sensitivity | None,
    audit: AuditInfo,
) -> Report:
    """The report of ``allocation`` (see the module docstring for its sections).

    ``baseline``: the comparison allocation (section 6), or None; ``provisions``: from
    :func:`optimizer.report.provisions.remove_one_at_a_time`; ``sensitivity``: from a
    sensitivity provider (:func:`optimizer.report.sensitivity.summarise_with_draws`), or None.
    """
    a = allocation
    s = a.scenario
    units = len(a.data.units)
    names = _names(a)
    if baseline is not None:
        names = {**_names(baseline), **names}
    sections = (
        _summary(a, baseline, units),
        _background(a),
        _method(a, units),
        _allocation(a),
        _why(a, provisions),
        _baseline(a, baseline, names),
        _provisions(a, provisions),
        _sensitivity(a, sensitivity, audit.selection),
        _audit(a, baseline, audit, sensitivity is not None and sensitivity.draws is not None),
    )
    charts = {
        "need_quota": _need_chart(a),
        "recipients": _recipients_chart(a, baseline, names),
    }
    return Report(
        title=_m("title", year=Val("year", s.fiscal_year)),
        subtitle=Joined((s.title, f"({s.name})")),
        fiscal_year=s.fiscal_year,
        slug=safe_slug(s.name),
        sections=sections,
        charts=charts,
    )
