"""Phrases shared by the section builders: message shorthands and recurring value lists."""

from __future__ import annotations

from collections.abc import Sequence

from ..eligible import PROXY_METHODS, eligible_key, proxy_key
from ..eligible import is_proxy as proxy_method
from ..engine import Allocation
from ..need import INDICATOR_COLUMNS
from ..programme import EligibilityValue, eligibility_in_force, grant_values
from .text import Joined, Msg, Val


def m(key: str, **params: object) -> Msg:
    return Msg.of(f"report.{key}", **params)


def short_title(scenario) -> str:
    """The scenario's title up to its first colon (``Realisasi 2025 (UEP)``), the name a reader
    knows it by in headings and chart legends; the file name (scenario id) when it has no title."""
    title = (scenario.title or "").strip()
    return title.split(":", 1)[0].strip() if title else scenario.name


def scenario_heading(a, overridden: bool | None = None) -> object:
    """The scenario's title as a heading of ``a`` (an :class:`~optimizer.engine.Allocation` or
    anything with ``scenario``, ``budget_rp``, ``allocated``, ``method``): its own title, or,
    when the budget or the method was overridden (``overridden``; None: compared with the
    scenario's), a title made from the numbers used (``…, dengan anggaran Rp 1.500.000.000 (500
    penerima), metode …``), since the scenario's title may quote the budget it was written for.
    A :class:`Msg` or a str; the report's subtitle, ``wrse run``, ``wrse compare`` and the
    what-if page's header use it."""
    s = a.scenario
    if overridden is None:
        written_budget = s.budget_rp if s.written_budget_rp is None else s.written_budget_rp
        written_method = s.method if s.written_method is None else s.written_method
        overridden = int(a.budget_rp) != int(written_budget) or a.method != written_method
    if not overridden:
        return s.title or short_title(s)
    return m(
        "subtitle_overridden",
        name=short_title(s),
        budget=Val("rp", int(a.budget_rp)),
        allocated=Val("count", int(a.allocated)),
        method=m(f"method_name.{a.method}"),
    )


def open_eligibility(a: Allocation) -> EligibilityValue | None:
    """The dated eligibility rule in force in the scenario's fiscal year when it opens the grant
    to poor men and women (UEP, from 2025: ``optimizer/data/parameters.toml``) and the scenario
    takes the dated UEP grant; else None (a scenario with its own grant, such as the SK 2023
    rule of next-fiscal-year, keeps the SK 2023 WRSE criteria, women only)."""
    grant = a.scenario.grant_value  # None: the scenario sets its own grant (e.g. the SK 2023 rule)
    if grant is None or grant.programme != "UEP":
        return None
    rule = eligibility_in_force(a.scenario.fiscal_year)
    return rule if rule is not None and rule.who == "men_and_women" else None


def programme_name(a: Allocation) -> str:
    """The programme the scenario's grant belongs to: ``UEP`` for a dated UEP grant value
    (2025 on, ``optimizer/data/parameters.toml``), else ``WRSE`` (the SK 2023 rule, a WRSE year,
    or a grant the scenario sets itself)."""
    grant = a.scenario.grant_value
    return "UEP" if grant is not None and grant.programme == "UEP" else "WRSE"


def grant_unit(a: Allocation) -> str:
    """Who one grant goes to under the dated value the scenario uses: ``family`` (UEP from
    2026: one grant per keluarga, KPM) or ``person`` (WRSE, UEP 2025, a scenario's own grant)."""
    grant = a.scenario.grant_value
    return grant.recipient_unit if grant is not None else "person"


def family_since(a: Allocation) -> int | None:
    """The year from which the grant is given per family (the first dated value of the
    programme with ``recipient_unit = family``), or None when the scenario's grant is per person."""
    grant = a.scenario.grant_value
    if grant is None or grant.recipient_unit != "family":
        return None
    years = [v.year for v in grant_values() if v.programme == grant.programme and v.recipient_unit == "family"]
    return min(y for y in years if y <= grant.year) if years else grant.year


def per_unit(a: Allocation) -> Msg:
    """``per penerima`` / ``per keluarga (KPM)``: the grant's unit under the scenario's dated rule."""
    return m(f"per_unit.{grant_unit(a)}")


def count_unit(a: Allocation) -> Msg:
    """What a count of grants counts: ``penerima`` or ``KPM`` (keluarga penerima manfaat)."""
    return m(f"count_unit.{grant_unit(a)}")


def target(a: Allocation) -> Msg:
    """Who the eligible count counts under the scenario's dated rule: ``perempuan memenuhi
    syarat`` (WRSE: women), ``orang memenuhi syarat`` (UEP 2025: poor men and women, one grant
    per person) or ``keluarga (KPM) memenuhi syarat`` (UEP from 2026: one grant per family)."""
    if grant_unit(a) == "family":
        return m("target.family")
    return m("target.men_and_women" if open_eligibility(a) is not None else "target.women")


def unit_sentence(a: Allocation) -> object:
    """``; sejak 2026 satuan bantuan adalah keluarga (KPM)`` when the grant is per family, else nothing."""
    year = family_since(a)
    return m("unit_family_since", year=Val("year", year)) if year is not None else ""


def is_proxy(a: Allocation) -> bool:
    """True when the eligible counts are an estimate from a proxy (the poor population), not counts."""
    return proxy_method(a.eligible_method)


def pool_proxy(a: Allocation) -> str:
    """The proxy (a name of ``scenario.PROXIES``) whose estimate makes ``a``'s eligible pool: its
    method, or for counts partly from a file the scenario's proxy that gives the rest; "" when
    the pool is counted."""
    if a.eligible_method in PROXY_METHODS:
        return a.eligible_method
    if a.eligible_method == "file_and_proxy" and a.scenario.eligible.source == "proxy":
        return a.scenario.eligible.proxy
    return ""


def proxy_m(key: str, a: Allocation, **params: object) -> Msg:
    """:func:`m` of a sentence about the proxy pool, in the words of ``a``'s proxy
    (:func:`optimizer.eligible.proxy_key`: ``notice_proxy`` names the poor population,
    ``notice_proxy_female_headed`` the poor female-headed families)."""
    return m(proxy_key(key, pool_proxy(a)), **params)


def indicator_label(a: Allocation | None, key: str) -> Msg:
    """The name of a need indicator (``idg_gap``, ``poverty_rate``, ``eligible``) for the reader;
    the eligible term is called what it is when it is a proxy (the poor population), in the words
    of the run table's weights line (:func:`optimizer.eligible.eligible_key`)."""
    if key == "eligible" and a is not None:
        return Msg.of(eligible_key("weight.eligible", a.eligible_method))
    return Msg.of(f"weight.{key}")


def eligible_heading(a: Allocation) -> Msg:
    """The column heading of the eligible term: the run table's (``Penduduk miskin (proksi, jiwa)``
    for the poor population, :func:`optimizer.eligible.eligible_key`); ``Memenuhi syarat`` for counts."""
    return Msg.of(eligible_key("column.eligible", a.eligible_method)) if is_proxy(a) else m("col.eligible")


def weights_text(weights, a: Allocation | None = None) -> Joined:
    return Joined(
        tuple(
            m("weight_item", indicator=indicator_label(a, k), value=Val("weight", float(v)))
            for k, v in weights.items()
            if float(v) > 0
        ),
        " · ",
    )


def region_list(items: Sequence[tuple[str, int]]) -> Joined:
    return Joined(tuple(m("region_count", name=name, count=Val("count", n)) for name, n in items), ", ")


STATUS_KEYS = ("published", "estimate", "supplied")


def status_text(value: str) -> object:
    return Msg.of(f"report.status.{value}") if value in STATUS_KEYS else value


def eligible_method(a: Allocation) -> Msg:
    """How the eligible counts were made, in words, naming who they stand for (:func:`target`)."""
    s = a.scenario
    if a.eligible_method in ("file", "file_and_proxy"):
        return m(
            f"eligible_method.{a.eligible_method}",
            file=a.eligible_file.name if a.eligible_file else "",
            target=target(a),
        )
    if a.eligible_method == "data":
        return m("eligible_method.data", year=Val("year", s.eligible.year), target=target(a))
    return m(
        f"eligible_method.{a.eligible_method}",
        year=Val("year", s.eligible.year),
        population_year=Val("year", s.eligible.population_year or 0),
        target=target(a),
    )


def raw_weights(weights, a: Allocation | None = None) -> Joined:
    return Joined(
        tuple(
            m("weight_raw", indicator=indicator_label(a, k), value=f"{float(v):g}")
            for k, v in weights.items()
            if k in INDICATOR_COLUMNS
        ),
        " · ",
    )


def data_flags(r, proxy: str | None = None, proxy_input_estimate: bool = False) -> object:
    """A region row's data notes: which indicator is an estimate (not the proxy, whose column
    says so, unless the figure the proxy is made from is itself an estimate: ``proxy_input_estimate``,
    e.g. a poor population derived by the residual method), which used an earlier year than asked.
    ``proxy``: the proxy of the eligible figures (:func:`pool_proxy`), None when they are counts."""
    flags = []
    pool = m(proxy_key("indicator_short.eligible_proxy", proxy or ""))
    if proxy is not None and proxy_input_estimate:
        flags.append(m("flag.estimate", indicator=pool))
    for key, status, fallback, year in (
        ("idg", r["idg_status"], r["idg_fallback"], r["idg_year"]),
        ("poverty_rate", r["poverty_status"], r["poverty_fallback"], r["poverty_year"]),
        ("eligible", r["eligible_status"], r["eligible_fallback"], r["eligible_year"]),
    ):
        short = pool if key == "eligible" and proxy is not None else m(f"indicator_short.{key}")
        if status == "estimate" and not (key == "eligible" and proxy is not None):
            flags.append(m("flag.estimate", indicator=short))
        if bool(fallback):
            flags.append(m("flag.fallback", indicator=short, year=Val("year", int(year))))
    return Joined(tuple(flags), "; ") if flags else None
