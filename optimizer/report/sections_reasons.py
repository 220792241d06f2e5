"""Why the numbers are what they are: the scenario's reasons for its choices, the policy
choices that move the numbers most (with the engine's result for each alternative), and a
plain-language reading of the sensitivity analysis (which regions' numbers are firm).

Used by section 3 (method), section 8 (sensitivity) and the telaahan staf (II Praanggapan,
IV Analisis).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Allocation
from .choices import Choices, Continuity, per_10000
from .findings import changes, names_of
from .phrases import m, proxy_m, raw_weights, target
from .text import Joined, Msg, Val
from .weight_draws import WeightDraws

FIRM_MARGIN = 1  # a count is "firm" when its P5–P95 range of the weight draws stays within ±1 of it


def _choice_descriptions(a: Allocation, overridden_budget: bool) -> list[tuple[str, Msg]]:
    """(rationale key, what the choice is) for every choice the scenario makes."""
    s = a.scenario
    names = names_of(a)
    out: list[tuple[str, Msg]] = [
        ("budget", m("rationale.choice.budget", budget=Val("rp", a.budget_rp))),
        ("weights", m("rationale.choice.weights", weights=raw_weights(s.weights, a))),
    ]
    floors = []
    if s.floor_all:
        floors.append(m("rationale.floor_all", floor=Val("count", s.floor_all)))
    floors += [m("rationale.region_count", region=names.get(c, c), count=Val("count", n)) for c, n in s.floors.items()]
    if floors:
        out.append(("floors", m("rationale.choice.floors", floors=Joined(tuple(floors), ", "))))
    caps = []
    if s.cap_all is not None:
        caps.append(m("rationale.cap_all", cap=Val("count", s.cap_all)))
    caps += [m("rationale.region_count", region=names.get(c, c), count=Val("count", n)) for c, n in s.caps.items()]
    if caps:
        out.append(("caps", m("rationale.choice.caps", caps=Joined(tuple(caps), ", "))))
    if s.locks:
        locks = [m("rationale.region_count", region=names.get(c, c), count=Val("count", n)) for c, n in s.locks.items()]
        out.append(("locks", m("rationale.choice.locks", locks=Joined(tuple(locks), ", "))))
    if float(a.weights.get("idg_gap", 0)) > 0:
        if a.idg_reference_year is not None:
            reference = m(
                "rationale.choice.idg_provincial",
                year=Val("year", a.idg_reference_year),
                value=Val("dec2", a.idg_reference),
            )
        else:
            reference = m("rationale.choice.idg_number", value=Val("dec2", a.idg_reference))
        out.append(("idg_reference", reference))
    return out


def rationale_items(a: Allocation, overridden_budget: bool = False) -> tuple[Msg, ...]:
    """One sentence per choice: its reason and reference as the scenario gives them, or a plain
    statement that the choice is not yet justified. ``overridden_budget``: the budget came from
    ``--budget``, so the scenario's reason for its own budget does not apply."""
    items = []
    for key, choice in _choice_descriptions(a, overridden_budget):
        reason = a.scenario.rationale.get(key)
        if key == "budget" and overridden_budget:
            reason = None
        if reason is None:
            items.append(m("rationale.missing", choice=choice))
        elif reason.reference:
            text = reason.text or m("rationale.no_text")
            items.append(m("rationale.given", choice=choice, text=text, reference=reason.reference))
        else:
            items.append(m("rationale.no_reference", choice=choice, text=reason.text))
    return tuple(items)


def move_list(moves) -> Joined:
    """``Kab. Paser 17 → 22, Kota Bontang 5 → 3``: one ``choices.move`` per ``(region name,
    count before, count after)`` of ``moves`` (persons), in the order given."""
    return Joined(
        tuple(
            m("choices.move", region=region, before=Val("count", before), after=Val("count", after))
            for region, before, after in moves
        ),
        ", ",
    )


def _moves(a: Allocation, other: Allocation, names: dict[str, str], limit: int = 4) -> Joined:
    """The largest changes between two allocations, ``Kab. Paser 17 → 22``, largest first."""
    mine = a.recipients()
    delta = changes(a, other)
    moved = sorted((c for c, d in delta.items() if d), key=lambda c: (-abs(delta[c]), c))[:limit]
    return move_list((names.get(c, c), mine[c], mine[c] + delta[c]) for c in moved)


def _alternative(key: str, a: Allocation, other: Allocation, names: dict[str, str], **params: object) -> Msg:
    """``choices.<key>`` with the largest changes from ``a`` to ``other``, or
    ``choices.<key>_same`` when no region's count changes (an empty list of moves would read
    as a sentence cut off)."""
    moves = _moves(a, other, names)
    if not moves.parts:
        return m(f"choices.{key}_same", **params)
    return m(f"choices.{key}", moves=moves, **params)


def choice_items(a: Allocation, choices: Choices | None) -> tuple[Msg, ...]:
    """The policy choices that move the numbers most, each with what its alternative gives."""
    if choices is None:
        return ()
    names = names_of(a)
    items: list[Msg] = []
    included = len(a.included)
    if choices.zero_gap:
        alternative: object = ""
        v = choices.idg_from_best
        if v is not None and v.skipped is not None:
            alternative = v.skipped
        elif v is not None and v.ok:
            best = max(a.included.itertuples(), key=lambda r: (float(r.idg), str(r.region_code)))
            alternative = _alternative(
                "idg_alternative",
                a,
                v.allocation,
                names,
                best=names[str(best.region_code)],
                value=Val("dec2", float(best.idg)),
            )
        items.append(
            m(
                "choices.idg_cut",
                count=Val("count", len(choices.zero_gap)),
                units=Val("count", included),
                regions=Joined(tuple(names[c] for c in choices.zero_gap), ", "),
                alternative=alternative,
            )
        )
    rates = per_10000(a)
    low = min(rates, key=lambda c: (rates[c], c), default="")
    high = max(rates, key=lambda c: (rates[c], c), default="")
    # the finding is that the rates differ: made only when they do as printed (two decimals)
    differ = bool(rates) and round(rates[low], 2) != round(rates[high], 2)
    if differ and any(float(a.weights.get(k, 0)) > 0 for k in ("idg_gap", "poverty_rate")):
        alternative = ""
        v = choices.pool_only
        if v is not None and v.ok:
            other = per_10000(v.allocation)
            alternative = _alternative(
                "pool_alternative",
                a,
                v.allocation,
                names,
                low=Val("dec2", min(other.values())),
                high=Val("dec2", max(other.values())),
            )
        items.append(
            m(
                "choices.per_10000",
                low_region=names[low],
                low=Val("dec2", rates[low]),
                high_region=names[high],
                high=Val("dec2", rates[high]),
                pool=proxy_m("choices.pool_proxy", a) if a.eligible_method not in ("file", "data") else target(a),
                alternative=alternative,
            )
        )
    items += [_continuity_item(rule, names, a) for rule in choices.continuity]
    items += [m("choices.continuity_not_applied", roadmap=title) for title in choices.not_applied]
    return tuple(items)


def applies_to_table(c: Continuity, a: Allocation) -> bool:
    """Whether the first planning year of ``c``'s roadmap is the fiscal year of ``a``, so
    that the roadmap's count for that year is a second figure beside the recommendation table."""
    return c.first_year == int(a.scenario.fiscal_year)


def table_counts(a: Allocation) -> dict[str, int]:
    """``{region_code: recipients}`` of the recommendation table (the included regions)."""
    return {str(r.region_code): int(r.recipients) for r in a.included.itertuples()}


def adoption_moves(c: Continuity, a: Allocation, names: dict[str, str]) -> Joined | Msg:
    """Every region whose count changes when the roadmap's rule is applied in ``a``'s year:
    ``Kota Balikpapan 54 → 75`` (the table's count, then the roadmap's with the rule), largest
    change first; "no region changes" when none does."""
    counts = table_counts(a)
    moved = c.changes_from(counts)
    if not moved:
        return m("choices.continuity_no_change")
    return move_list((names.get(c.codes[j], c.names[j]), counts.get(c.codes[j], 0), c.with_rule[j]) for j in moved)


def _adoption(c: Continuity, a: Allocation, names: dict[str, str]) -> Msg | str:
    """The sentence that says the recommendation table does not apply the roadmap's rule and
    what applying it (the roadmap's first year as planned) changes; "" when the roadmap starts
    in another year than ``a``'s."""
    if not applies_to_table(c, a):
        return ""
    bimtek = (
        m(
            "choices.continuity_table_bimtek",
            session=Val("rp", c.session_rp),
            sessions=Val("count", c.sessions),
            cost=Val("rp", c.session_rp * c.sessions),
        )
        if c.session_rp
        else ""
    )
    return m(
        "choices.continuity_table",
        year=Val("year", c.first_year),
        allocated=Val("count", a.allocated),
        total=Val("count", c.total),
        bimtek=bimtek,
        moves=adoption_moves(c, a, names),
    )


def _continuity_item(c: Continuity, names: dict[str, str], a: Allocation, limit: int = 4) -> Msg:
    """A roadmap's continuity rule: what it keeps, where it binds in the first planning year
    (``Kab. Kutai Kartanegara 36 → 18``: the reference count, then the rule's minimum that the
    plan gives), what the same roadmap planned without the rule gives that year, and, when
    that year is ``a``'s, that the recommendation table does not apply the rule and what
    applying it changes (:func:`_adoption`)."""
    first = Val("year", c.first_year)
    share = Val("number", float(100 * c.share))
    region = {j: names.get(code, c.names[j]) for j, code in enumerate(c.codes)}
    if c.rule == "hold_harmless":
        rule = m("choices.continuity_hold_harmless", share=share, year=Val("year", c.reference_year))
    else:
        rule = m("choices.continuity_min_share", share=share)
    bound = c.bound
    if bound:
        moves = move_list((region[j], c.reference[j], c.with_rule[j]) for j in bound)
        binds = m("choices.continuity_binds", year=first, reference_year=Val("year", c.reference_year), moves=moves)
    else:
        binds = m("choices.continuity_slack", year=first)
    if c.without_rule is None:
        alternative = m("choices.continuity_failed", year=first, detail=c.error)
    else:
        delta = [w - x for x, w in zip(c.with_rule, c.without_rule, strict=True)]
        moved = sorted((j for j, d in enumerate(delta) if d), key=lambda j: (-abs(delta[j]), c.codes[j]))[:limit]
        if moved:
            moves = move_list((region[j], c.with_rule[j], c.without_rule[j]) for j in moved)
            alternative = m("choices.continuity_alternative", year=first, moves=moves)
        else:
            alternative = m("choices.continuity_same", year=first)
    return m(
        "choices.continuity",
        roadmap=c.title,
        rule=rule,
        binds=binds,
        alternative=alternative,
        table=_adoption(c, a, names),
    )


def robustness(a: Allocation, draws: WeightDraws | None) -> Msg | None:
    """Which regions' numbers are firm under the weight draws (90 % of the draws, P5 to P95,
    within :data:`FIRM_MARGIN` recipient of the scenario's count) and which depend on the
    weights (their P5–P95 range and the share of draws that give exactly the same count)."""
    if draws is None or draws.result is None:
        return None
    names = names_of(a)
    firm, loose = [], []
    for row in draws.result.summary.itertuples():
        code = str(row.region_code)
        same = 1.0 - float(row.p_fewer) - float(row.p_more)
        x = int(row.scenario)
        if int(row.p5) >= x - FIRM_MARGIN and int(row.p95) <= x + FIRM_MARGIN:
            firm.append(m("robust.firm_item", region=names.get(code, code), count=Val("count", int(row.scenario))))
        else:
            loose.append(
                m(
                    "robust.loose_item",
                    region=names.get(code, code),
                    count=Val("count", int(row.scenario)),
                    low=Val("count", int(row.p5)),
                    high=Val("count", int(row.p95)),
                    same=Val("weight", same),
                )
            )
    margin = Val("count", FIRM_MARGIN)
    firm_text = m("robust.firm", margin=margin, regions=Joined(tuple(firm), ", ")) if firm else None
    firm_text = firm_text or m("robust.none_firm", margin=margin)
    loose_text = m("robust.loose", regions=Joined(tuple(loose), "; ")) if loose else m("robust.all_firm")
    return m("robust.paragraph", firm=firm_text, loose=loose_text, draws=Val("count", draws.spec.draws))


def weight_dependent(draws: WeightDraws | None) -> int | None:
    """How many regions' counts depend on the weights (not firm, see :func:`robustness`); None without draws."""
    if draws is None or draws.result is None:
        return None
    return sum(
        1
        for row in draws.result.summary.itertuples()
        if not (int(row.p5) >= int(row.scenario) - FIRM_MARGIN and int(row.p95) <= int(row.scenario) + FIRM_MARGIN)
    )


def weights_justified(a: Allocation) -> bool:
    """True when the scenario gives a reason for its weights."""
    return "weights" in a.scenario.rationale


__all__: Sequence[str] = ("choice_items", "rationale_items", "robustness", "weights_justified")
