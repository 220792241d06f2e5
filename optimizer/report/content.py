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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .. import __version__
from ..eligible import binding_key
from ..engine import Allocation
from ..files import safe_slug, sha256_of
from ..solvers import SolverName
from ..synthetic import marked as marked_synthetic
from .choices import Choices
from .document import Column, Facts, Formula, Paragraph, Report, Section, Table
from .findings import LOCK_SLACK, binding_kinds, covered, names_of
from .phrases import (
    eligible_method,
    grant_unit,
    m,
    open_eligibility,
    per_unit,
    programme_name,
    region_list,
    scenario_heading,
    short_title,
    target,
    weights_text,
)
from .sections_inputs import background_section, method_section
from .sections_levels import Levels, hierarchical_note, levels_section, synthetic_note
from .sections_reasons import choice_items, rationale_items
from .sections_results import allocation_section, baseline_section, need_chart, recipients_chart, why_section
from .sections_variants import draws_command, provisions_section, sensitivity_section
from .sensitivity import Sensitivity
from .telaahan import build_memo
from .text import Joined, Msg, Val
from .variants import Variant


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
    overrides: Overrides = field(default_factory=lambda: Overrides())
    issued: date | None = None


@dataclass(frozen=True)
class Overrides:
    """What the command line changed in the scenario as written (None: not changed).

    ``budget_rp`` (int rupiah) and ``method`` as used, with the scenario's own
    ``scenario_budget_rp`` and ``scenario_method``; ``data_file`` and ``eligible_file``:
    the ``--data`` and ``--eligible`` files.
    """

    budget_rp: int | None = None
    scenario_budget_rp: int | None = None
    method: str | None = None
    scenario_method: str | None = None
    data_file: Path | None = None
    eligible_file: Path | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.budget_rp, self.method, self.data_file, self.eligible_file))

    def slug_parts(self) -> tuple[str, ...]:
        """Parts of the report's file name that name the overrides: ``1500juta``, ``hamilton``…"""
        parts = []
        if self.budget_rp is not None:
            parts.append(_amount_slug(self.budget_rp))
        if self.method is not None:
            parts.append(SLUG_METHOD.get(self.method, self.method))
        if self.data_file is not None:
            parts.append("data-" + safe_slug(self.data_file.stem))
        if self.eligible_file is not None:
            parts.append("eligible-" + safe_slug(self.eligible_file.stem))
        return tuple(parts)


# the method in a file name: the name a reader knows (Hamilton), ASCII
SLUG_METHOD = {"largest-remainder": "hamilton"}


def _amount_slug(rp: int) -> str:
    """``1_500_000_000`` -> ``1500juta``; ``2_000_000_000`` -> ``2miliar``; else ``rp<digits>``."""
    if rp % 1_000_000_000 == 0:
        return f"{rp // 1_000_000_000}miliar"
    if rp % 1_000_000 == 0:
        return f"{rp // 1_000_000}juta"
    return f"rp{rp}"


def report_slug(name: str, overrides: Overrides) -> str:
    """The file name stem of a report: the scenario's slug, then the overrides' parts joined by ``_``."""
    return "_".join((safe_slug(name), *overrides.slug_parts()))


# ------------------------------------------------------------------------------ 1 summary


def _more_or_fewer(delta: int) -> Msg:
    """``bertambah 150`` / ``berkurang 3`` / ``tetap``: a change in words, not a signed number."""
    if delta == 0:
        return m("change.same")
    return m(f"change.{'more' if delta > 0 else 'fewer'}", count=Val("count", abs(delta)))


def _summary(
    a: Allocation,
    baseline: Allocation | None,
    units: int,
    audit: AuditInfo,
    provisions: Sequence[Variant] = (),
    lead: Sequence[object] = (),
) -> Section:
    s = a.scenario
    names = names_of(a)
    included = a.included
    issued = ((m("fact.issued"), Val("date", audit.issued)),) if audit.issued is not None else ()
    facts = (
        *issued,
        (m("fact.scenario"), _scenario_fact(a, audit.overrides)),
        (m("fact.fiscal_year"), Val("year", s.fiscal_year)),
        (m("fact.budget"), Val("rp", a.budget_rp)),
        (m("fact.grant", per_unit=per_unit(a)), Val("rp", s.grant_rp)),
        (
            m("fact.bimtek", per_unit=per_unit(a)),
            Val("rp", s.bimtek_per_recipient_rp) if s.bimtek_per_recipient_rp else m("fact.bimtek_none"),
        ),
        (m("fact.cost", per_unit=per_unit(a)), Val("rp", a.cost_per_recipient_rp)),
        (m("fact.affordable"), Val("count", a.affordable)),
        (m("fact.allocated"), Val("count", a.allocated)),
        (m("fact.spent"), Val("rp", a.spent_rp)),
        (m("fact.covered"), m("covered_of", covered=Val("count", covered(a)), units=Val("count", units))),
        (m("fact.leftover"), Val("rp", a.leftover_rp)),
        (m("fact.limited_by"), Msg.of(f"limited_by.{a.limited_by}")),
        (m("fact.method"), Msg.of(f"method.{a.method}")),
        (m("fact.weights"), weights_text(a.weights, a)),
    )
    parts: list[object] = [*lead, *override_items(a, audit.overrides)]
    parts += [
        m(
            "summary.funded_open" if open_eligibility(a) is not None else "summary.funded",
            budget=Val("rp", a.budget_rp),
            cost=Val("rp", a.cost_per_recipient_rp),
            year=Val("year", s.fiscal_year),
            affordable=Val("count", a.affordable),
            allocated=Val("count", a.allocated),
            covered=Val("count", covered(a)),
            units=Val("count", units),
            per_unit=per_unit(a),
            who=m(f"summary.who_{grant_unit(a)}"),
        )
    ]
    if a.leftover_rp > 0:
        key = "summary.leftover_caps" if a.limited_by == "caps" else "summary.leftover_budget"
        parts.append(m(key, leftover=Val("rp", a.leftover_rp)))
    ranked = sorted(
        ((int(r["recipients"]), str(r["region_code"])) for _, r in included.iterrows() if r["recipients"] > 0),
        key=lambda item: (-item[0], item[1]),
    )
    high, low = (ranked[0][0], ranked[-1][0]) if ranked else (0, 0)
    if ranked and high > low:
        # every region at the largest and at the smallest count: ties are named, not cut arbitrarily
        parts.append(
            m(
                "summary.extremes",
                largest=Joined(tuple(names[c] for n, c in ranked if n == high), ", "),
                high=Val("count", high),
                smallest=Joined(tuple(names[c] for n, c in ranked if n == low), ", "),
                low=Val("count", low),
            )
        )
    elif ranked:
        parts.append(m("summary.all_regions", regions=region_list([(names[c], n) for n, c in ranked])))
    kinds = binding_kinds(a, provisions)
    # every region locked: no count follows a need share, so the formula is not said
    codes = [str(c) for c in included["region_code"]]
    if codes and all(kinds.get(c) in ("lock", LOCK_SLACK) for c in codes):
        parts.append(m("summary.method_locked", weights=weights_text(a.weights, a)))
    else:
        parts.append(m("summary.method", weights=weights_text(a.weights, a), method=m(f"method_name.{a.method}")))
    counts = {kind: sum(1 for k in kinds.values() if k == kind) for kind in set(kinds.values())}
    bound = [
        m("summary.binding_item", kind=Msg.of(binding_key(kind, a.eligible_method)), count=Val("count", counts[kind]))
        for kind in ("floor", "cap", "lock", "eligible", "need-zero")
        if counts.get(kind, 0)
    ]
    if bound:
        parts.append(m("summary.bound", items=Joined(tuple(bound), ", ")))
    else:
        parts.append(m("summary.unbound"))
    if counts.get(LOCK_SLACK, 0):
        slack = [names[c] for c, k in kinds.items() if k == LOCK_SLACK]
        parts.append(m("summary.lock_slack", regions=Joined(tuple(slack), ", ")))
    if baseline is not None:
        parts.append(
            m(
                "summary.baseline",
                baseline=baseline.scenario.title,
                year=Val("year", baseline.scenario.fiscal_year),
                allocated=Val("count", baseline.allocated),
                covered=Val("count", covered(baseline)),
                change=_more_or_fewer(a.allocated - baseline.allocated),
                change_regions=_more_or_fewer(covered(a) - covered(baseline)),
            )
        )
    if not a.optimal:
        parts.append(m("summary.not_optimal", solver=SolverName(a.solver), status=a.status))
    if a.eligible_method not in ("file", "data"):
        parts.append(m("summary.estimate", method=eligible_method(a), target=target(a)))
    blocks = (Facts(facts), Paragraph(tuple(parts)))
    return Section("summary", 1, m("section.summary"), blocks)


# ------------------------------------------------------------------------------ 9 audit


def _data_label(a: Allocation) -> object:
    """The data set's name: the shipped data described in the reader's language, else the label."""
    from ..inputs.data import shipped

    return m("data_shipped") if a.data is shipped() else a.data.label


def _files(a: Allocation, baseline: Allocation | None, audit: AuditInfo, roadmaps: Sequence[Path] = ()) -> Table:
    rows: list[tuple] = []
    for path in a.scenario.files:
        rows.append((m("file.scenario"), path.name, sha256_of(path)))
    for path in roadmaps:
        rows.append((m("file.roadmap"), path.name, sha256_of(path)))
    if baseline is not None:
        for path in baseline.scenario.files:
            rows.append((m("file.baseline"), path.name, sha256_of(path)))
    data_name = audit.data_file.name if audit.data_file is not None else Path(a.data.path).name
    rows.append((m("file.data"), data_name, a.data.sha256))
    if a.eligible_file is not None:
        rows.append((m("file.eligible"), a.eligible_file.name, a.eligible_sha256 or sha256_of(a.eligible_file)))
    columns = (
        Column("role", m("col.role"), "text"),
        Column("file", m("col.file"), "text"),
        Column("sha256", m("col.sha256"), "text"),
    )
    return Table("files", m("sheet.files"), m("table.files"), columns, tuple(rows))


def _audit(
    a: Allocation,
    baseline: Allocation | None,
    audit: AuditInfo,
    draws: bool,
    roadmaps: Sequence[Path] = (),
    draws_command: object = None,
) -> Section:
    c = a.certificate
    draws_note = (m("audit.draws"),) if draws else ()
    facts = (
        (m("fact.tool"), f"wrse-optimizer {__version__}"),
        (m("fact.command"), audit.command),
        (m("fact.solver"), SolverName(a.solver)),
        (m("fact.status"), a.status),
        (m("fact.optimal"), Msg.of("report.yes" if a.optimal else "report.no")),
        (
            m("fact.verified"),
            m(
                "verified_line",
                total=Val("count", c.total),
                cost=Val("rp", c.cost_rp),
                optimal=Msg.of("report.yes" if c.optimal else "report.no"),
                ties=Msg.of("report.yes" if c.tie_rule_kept else "report.no"),
            ),
        ),
        (m("fact.data"), _data_label(a) if audit.data_file is None else audit.data_file.name),
        (m("fact.eligible"), eligible_method(a)),
    )
    blocks: tuple[object, ...] = (
        Facts(facts),
        _files(a, baseline, audit, roadmaps),
        Paragraph((m("audit.variants"), *draws_note, m("audit.reproducible"))),
    )
    if draws_command is not None:
        blocks += (Paragraph((m("audit.draws_command"),)), Formula((draws_command,)))
    return Section("audit", 9, m("section.audit"), blocks)


# ------------------------------------------------------------------------------ the report


def build(
    allocation: Allocation,
    *,
    baseline: Allocation | None,
    provisions: Sequence[Variant],
    sensitivity: Sensitivity | None,
    audit: AuditInfo,
    choices: Choices | None = None,
    levels: Levels | None = None,
) -> Report:
    """The report of ``allocation`` (see the module docstring for its sections).

    ``baseline``: the comparison allocation (section 6), or None; ``provisions``: from
    :func:`optimizer.report.provisions.remove_one_at_a_time`; ``sensitivity``: from a
    sensitivity provider (:func:`optimizer.report.sensitivity.summarise_with_draws`), or None.
    ``levels``: for a hierarchical split read at its kabupaten/kota level (``allocation`` is
    then :func:`optimizer.levels.level_view` of ``levels.full``): the summary and the telaahan
    staf say it is hierarchical, and section 10 holds the levels below
    (:mod:`.sections_levels`). Data marked synthetic by ``wrse synth`` is said to be synthetic
    first, in the summary, the telaahan staf and section 10.
    """
    a = allocation
    s = a.scenario
    units = len(a.data.units)
    names = names_of(a)
    if baseline is not None:
        names = {**names_of(baseline), **names}
    synthetic = marked_synthetic(a.data)
    said_first = (synthetic_note(),) if synthetic else ()
    split = (hierarchical_note(a, levels),) if levels is not None else ()
    lead = (*said_first, *split)
    sections: tuple[Section, ...] = (
        _summary(a, baseline, units, audit, provisions, lead),
        background_section(a, override_items(a, audit.overrides)),
        method_section(a, units, rationale_items(a, audit.overrides.budget_rp is not None), choice_items(a, choices)),
        allocation_section(a, provisions),
        why_section(a, provisions),
        baseline_section(a, baseline, names),
        provisions_section(a, provisions),
        sensitivity_section(a, sensitivity, audit.selection),
        _audit(
            a,
            baseline,
            audit,
            sensitivity is not None and sensitivity.draws is not None,
            tuple(dict.fromkeys(c.path for c in (choices.continuity if choices else ()) if c.path is not None)),
            draws_command(a, sensitivity.draws if sensitivity is not None else None, audit.selection),
        ),
    )
    if levels is not None:
        sections += (levels_section(a, replace(levels, synthetic=synthetic)),)
    charts = {"need_quota": need_chart(a)}
    if baseline is not None:
        charts["recipients"] = recipients_chart(a, baseline, names)
    front = build_memo(
        a,
        baseline=baseline,
        provisions=provisions,
        draws=sensitivity.draws if sensitivity is not None else None,
        choices=choices,
        overrides=override_items(a, audit.overrides),
        issued=audit.issued,
        overridden_budget=audit.overrides.budget_rp is not None,
        lead=said_first,
        split=split,
    )
    return Report(
        front=front,
        budget=(a.budget_rp, a.cost_per_recipient_rp),
        cost_label=m("fact.cost", per_unit=per_unit(a)),
        title=m("title", year=Val("year", s.fiscal_year), programme=programme_name(a)),
        subtitle=_subtitle(a, audit.overrides),
        fiscal_year=s.fiscal_year,
        slug=report_slug(s.name, audit.overrides),
        sections=sections,
        charts=charts,
        issued=audit.issued,
    )


def _subtitle(a: Allocation, overrides: Overrides) -> object:
    """The scenario's own title; when the command line changed its numbers, a title made from
    the numbers used instead (:func:`~.phrases.scenario_heading`)."""
    return scenario_heading(a, bool(overrides))


def _scenario_fact(a: Allocation, overrides: Overrides) -> object:
    s = a.scenario
    if not overrides:
        return s.title or short_title(s)
    changed = [
        m(f"fact.changed.{key}")
        for key, value in (
            ("budget", overrides.budget_rp),
            ("method", overrides.method),
            ("data", overrides.data_file),
            ("eligible", overrides.eligible_file),
        )
        if value is not None
    ]
    return m("fact.scenario_overridden", name=short_title(s), options=Joined(tuple(changed), ", "))


def override_items(a: Allocation, overrides: Overrides) -> tuple[Msg, ...]:
    """One sentence per override: what the report uses instead of the scenario as written."""
    items = []
    if overrides.budget_rp is not None:
        items.append(
            m(
                "override.budget",
                budget=Val("rp", overrides.budget_rp),
                written=Val("rp", overrides.scenario_budget_rp),
                written_count=Val("count", (overrides.scenario_budget_rp or 0) // a.cost_per_recipient_rp),
            )
        )
    if overrides.method is not None:
        items.append(
            m(
                "override.method",
                method=m(f"method_name.{overrides.method}"),
                written=m(f"method_name.{overrides.scenario_method}"),
            )
        )
    if overrides.data_file is not None:
        items.append(m("override.data", file=overrides.data_file.name))
    if overrides.eligible_file is not None:
        items.append(m("override.eligible", file=overrides.eligible_file.name))
    return tuple(items)
