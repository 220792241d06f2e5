"""The telaahan staf: the staff note in front of the technical report (its lampiran).

The structure Indonesian government staff notes follow: a heading (kepada, dari, tanggal,
nomor, sifat, lampiran, perihal), then I Persoalan, II Praanggapan, III Fakta-fakta yang
mempengaruhi, IV Analisis, V Kesimpulan, VI Saran, the signature block, and a one-page
recommendation table (kabupaten/kota × penerima × Rupiah, the total with its amount in
words). Fields the tool cannot know come from the scenario's ``[document]`` table or stay
visible blanks (None); the NIP is always left to fill by hand.

Every number is the allocation's or is computed by the same functions as the technical
report (:mod:`.sections_reasons`, :mod:`.findings`), so the note cannot contradict its annex.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Allocation
from .choices import Choices, Continuity
from .document import Bullets, Column, Memo, Paragraph, Section, Table
from .findings import binding_kinds, covered, names_of
from .phrases import (
    count_unit,
    eligible_method,
    family_since,
    is_proxy,
    m,
    open_eligibility,
    per_unit,
    programme_name,
    proxy_m,
    short_title,
    target,
    weights_text,
)
from .sections_reasons import (
    applies_to_table,
    choice_items,
    move_list,
    rationale_items,
    robustness,
    table_counts,
    weight_dependent,
    weights_justified,
)
from .terbilang import terbilang
from .text import ByLang, Joined, Msg, Val
from .variants import Variant
from .weight_draws import WeightDraws


def _part(number: int, key: str, blocks: Sequence[object]) -> Section:
    return Section(key, number, m(f"memo.part.{key}"), tuple(blocks))


def _weights_conclusion(justified: bool, dependent: int | None, units: int) -> Msg:
    if justified:
        return m("memo.conclusion_weights_ok")
    if dependent:
        return m("memo.conclusion_weights_dependent", count=Val("count", dependent), units=Val("count", units))
    return m("memo.conclusion_weights_missing")


def _continuity_advice(c: Continuity, a: Allocation, names: dict[str, str]) -> Msg:
    """The decision the roadmap's continuity rule leaves to the reader: the table does not
    apply it; applied, the year's total and the regions it holds at its minimum change so."""
    counts = table_counts(a)
    held = [j for j in c.bound if counts.get(c.codes[j], 0) != c.with_rule[j]] or list(c.changes_from(counts))[:3]
    moves = move_list((names.get(c.codes[j], c.names[j]), counts.get(c.codes[j], 0), c.with_rule[j]) for j in held)
    return m(
        "memo.advice_continuity",
        roadmap=c.title,
        year=Val("year", c.first_year),
        allocated=Val("count", a.allocated),
        total=Val("count", c.total),
        moves=moves if held else m("choices.continuity_no_change"),
    )


def recommendation_table(a: Allocation) -> Table:
    """One row per included region: number, kabupaten/kota, recipients, Rupiah; total row."""
    names = names_of(a)
    rows = []
    for i, r in enumerate(a.included.itertuples(), start=1):
        rows.append((str(i), names[str(r.region_code)], int(r.recipients), int(r.cost_rp)))
    columns = (
        Column("number", m("memo.col.number"), "text"),
        Column("region_name", Msg.of("column.region_name"), "text"),
        Column("recipients", m("col.recipients"), "count"),
        Column("cost_rp", m("memo.col.amount"), "rp"),
    )
    total = (None, Msg.of("run.total"), a.allocated, a.spent_rp)
    return Table(
        "recommendation",
        m("memo.sheet"),
        m("memo.table", year=Val("year", a.scenario.fiscal_year), programme=programme_name(a)),
        columns,
        tuple(rows),
        total=total,
    )


def build_memo(
    a: Allocation,
    *,
    baseline: Allocation | None,
    provisions: Sequence[Variant],
    draws: WeightDraws | None,
    choices: Choices | None,
    overrides: Sequence[object],
    issued,
    overridden_budget: bool,
    lead: Sequence[object] = (),
    split: Sequence[object] = (),
) -> Memo:
    """The telaahan staf of ``a`` (see the module docstring). ``lead``: sentences said first in
    part I (the data is synthetic); ``split``: sentences after its question (the split is
    hierarchical, and where its lower levels are)."""
    s = a.scenario
    doc = s.document
    names = names_of(a)
    year = Val("year", s.fiscal_year)
    programme = programme_name(a)
    issued_value = Val("date", issued) if issued is not None else None
    heading = (
        (m("memo.to"), doc.get("to")),
        (m("memo.from"), doc.get("from")),
        (m("memo.date"), issued_value),
        (m("memo.number"), doc.get("number")),
        (m("memo.classification"), doc.get("classification")),
        (m("memo.attachment"), doc.get("attachment") or m("memo.attachment_default")),
        (m("memo.subject"), doc.get("subject") or m("memo.subject_default", year=year, programme=programme)),
    )
    units = len(a.data.units)
    persoalan = [
        Paragraph(
            (
                *lead,
                m(
                    "memo.problem",
                    budget=Val("rp", a.budget_rp),
                    year=year,
                    affordable=Val("count", a.affordable),
                    cost=Val("rp", a.cost_per_recipient_rp),
                    units=Val("count", len(a.included)),
                    programme=programme,
                    count_unit=count_unit(a),
                ),
                *split,
            )
        )
    ]
    praanggapan: list[object] = [Paragraph((m("memo.assumptions_intro"),))]
    items: list[object] = [*overrides, *rationale_items(a, overridden_budget)]
    if is_proxy(a):
        items.append(m("memo.assumption_proxy", method=eligible_method(a), target=target(a)))
    same_year = [c for c in (choices.continuity if choices is not None else ()) if applies_to_table(c, a)]
    if not s.bimtek_per_recipient_rp:
        costed = [c for c in same_year if c.session_rp]
        items += [
            m(
                "memo.assumption_bimtek_roadmap",
                roadmap=c.title,
                session=Val("rp", c.session_rp),
                sessions=Val("count", c.sessions),
                year=Val("year", c.first_year),
                cost=Val("rp", c.session_rp * c.sessions),
                source=c.session_source,
            )
            for c in costed
        ] or [m("memo.assumption_bimtek")]
    praanggapan.append(Bullets(tuple(items)))
    facts: list[object] = [
        Bullets(
            (
                m("memo.fact_programme", grant=Val("rp", s.grant_rp), programme=programme, per_unit=per_unit(a)),
                m(
                    "memo.fact_criteria_uep",
                    year=Val("year", rule.start.year),
                    source=rule.reference,
                    unit=m("memo.unit_family_since", year=Val("year", since)) if (since := family_since(a)) else "",
                )
                if (rule := open_eligibility(a)) is not None
                else m("memo.fact_criteria"),
                m(
                    "memo.fact_indicators",
                    idg_year=Val("year", s.idg_year),
                    poverty_year=Val("year", s.poverty_year),
                ),
                *(
                    (
                        m(
                            "memo.fact_baseline",
                            year=Val("year", baseline.scenario.fiscal_year),
                            title=short_title(baseline.scenario),
                            allocated=Val("count", baseline.allocated),
                            covered=Val("count", covered(baseline)),
                        ),
                    )
                    if baseline is not None
                    else ()
                ),
                m("memo.fact_annex"),
            )
        )
    ]
    ranked = sorted(
        ((int(r.recipients), str(r.region_code)) for r in a.included.itertuples()), key=lambda t: (-t[0], t[1])
    )
    kinds = binding_kinds(a, provisions)
    bound = sorted({k for k in kinds.values() if k in ("floor", "cap", "lock", "eligible")})
    analysis: list[object] = [
        Paragraph(
            (
                m(
                    "memo.analysis_method",
                    weights=weights_text(a.weights, a),
                    method=m(f"method_name.{a.method}"),
                ),
                m(
                    "memo.analysis_result",
                    allocated=Val("count", a.allocated),
                    covered=Val("count", covered(a)),
                    units=Val("count", units),
                    largest=names[ranked[0][1]] if ranked else "",
                    high=Val("count", ranked[0][0] if ranked else 0),
                    smallest=names[ranked[-1][1]] if ranked else "",
                    low=Val("count", ranked[-1][0] if ranked else 0),
                ),
                m("memo.analysis_bound", kinds=Joined(tuple(Msg.of(f"binding.{k}") for k in bound), ", "))
                if bound
                else m("memo.analysis_unbound"),
            )
        )
    ]
    choices_text = choice_items(a, choices)
    if choices_text:
        analysis.append(Paragraph((m("memo.analysis_choices"),)))
        analysis.append(Bullets(choices_text))
    reading = robustness(a, draws)
    if reading is not None:
        analysis.append(Paragraph((reading,)))
    justified = weights_justified(a)
    conclusion = [
        Paragraph(
            (
                m(
                    "memo.conclusion",
                    allocated=Val("count", a.allocated),
                    spent=Val("rp", a.spent_rp),
                    budget=Val("rp", a.budget_rp),
                    covered=Val("count", covered(a)),
                ),
                _weights_conclusion(justified, weight_dependent(draws), len(a.included)),
            )
        )
    ]
    # Approval is asked for outright only when the weights have a written basis: a memo that
    # calls its weights unjustified (conclusion) cannot ask to adopt their result as it stands.
    if justified:
        advice = [m("memo.advice_approve", year=year, programme=programme)]
    else:
        advice = [m("memo.advice_weights"), m("memo.advice_approve_after_weights", year=year, programme=programme)]
    advice += [_continuity_advice(c, a, names) for c in same_year]
    if is_proxy(a):
        advice.append(proxy_m("memo.advice_screen", a, target=target(a)))
    advice.append(m("memo.advice_recompute"))
    parts = (
        _part(1, "problem", persoalan),
        _part(2, "assumptions", praanggapan),
        _part(3, "facts", facts),
        _part(4, "analysis", analysis),
        _part(5, "conclusion", conclusion),
        _part(6, "advice", (Bullets(tuple(advice)),)),
    )
    place = doc.get("place")
    return Memo(
        title=m("memo.title"),
        heading=heading,
        parts=parts,
        recommendation=recommendation_table(a),
        amount_in_words=m(
            "memo.in_words", words=ByLang(terbilang(a.spent_rp).capitalize(), terbilang(a.spent_rp, "en").capitalize())
        ),
        place_date=Joined((place or "……………", issued_value or "……………"), ", "),
        signatory=(doc.get("signatory_title"), doc.get("signatory_name")),
        annex_title=m("memo.annex_title"),
    )
