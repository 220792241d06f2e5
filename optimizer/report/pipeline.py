"""From a scenario to a report: run the engine for the scenario, its baseline and its
variants, then build the content.

The scenario is allocated with the solver asked for (verified like every allocation);
the variants of sections 7 and 8 are allocated with the exact structured solver (which
the test suite proves equal to the MILP model) on the same data and eligible counts; the
weight draws of section 8 by the analysis module (:mod:`optimizer.report.weight_draws`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..eligible import CountsFile
from ..engine import allocate
from ..errors import WrseError
from ..inputs.dataset import DataSet
from ..levels import level_view, report_level
from ..scenario import Scenario, reference
from .choices import Continuity, active_rules, continuity, recompute, roadmap_title
from .content import AuditInfo, Overrides, build
from .document import Report
from .provisions import remove_one_at_a_time
from .sensitivity import Sensitivity, SensitivityProvider, summarise, summarise_with_draws

if TYPE_CHECKING:
    from ..analysis.roadmap import Roadmap


def make_report(
    scenario: Scenario,
    data: DataSet,
    *,
    baseline: Scenario | None,
    command: str,
    data_file: Path | None = None,
    eligible_file: Path | None = None,
    eligible: CountsFile | None = None,
    baseline_eligible: CountsFile | None = None,
    budget_rp: int | None = None,
    method: str | None = None,
    solver: str = "auto",
    time_limit: float | None = None,
    sensitivity: SensitivityProvider | None = summarise_with_draws,
    scenario_arg: str | None = None,
    issued: date | None = None,
    roadmaps: Sequence[Roadmap] = (),
    hierarchical: bool = False,
) -> Report:
    """Allocate ``scenario`` on ``data`` and build its justification report.

    ``baseline``: the comparison scenario (allocated on the same data, without the
    ``eligible_file``/``budget_rp``/``method`` overrides, which belong to ``scenario``), or
    None. ``eligible``/``baseline_eligible``: the counts files of the scenario and the
    baseline read at the edge (:func:`optimizer.compose.load_eligible`), or None;
    ``eligible_file``: the ``--eligible`` path as given, for the commands the report
    quotes. ``command``: the command line recorded in the audit trail. ``sensitivity``: the
    provider of section 8 (default: :func:`optimizer.report.sensitivity.summarise_with_draws`),
    or None. ``scenario_arg``: the SCENARIO argument as the user gave it, for the commands
    the report quotes (default: the name of a shipped scenario, else its file's path).
    ``issued``: the date of issue printed on the report (None: undated). ``roadmaps``: the
    roadmaps built on ``scenario`` (:func:`optimizer.analysis.roadmap.building_on`) whose
    continuity rules the report names as policy choices, each planned with and without its
    rule (:func:`continuity_rules`). The overrides
    (``budget_rp``, ``method``, ``data_file``, ``eligible_file``) are named in its title,
    summary and file name.

    Raises the engine's errors (:class:`~optimizer.errors.InputError`,
    :class:`~optimizer.errors.InfeasibleError`…) for the scenario or the baseline; a
    variant that fails is reported inside the report instead.

    ``hierarchical``: allocate level by level (:mod:`optimizer.hierarchy`), the baseline and
    every variant too, and read the report at the kabupaten/kota level
    (:func:`optimizer.levels.level_view`; the levels below go to section 10). The weight
    draws of section 8 are those of ``wrse sensitivity --hierarchical`` on the kabupaten/kota
    split (:func:`with_split_draws`; the audit trail quotes that command), and no roadmap's
    continuity rules are planned (:func:`applied_roadmaps`: ``wrse plan`` is single-level; the
    report says so when ``roadmaps`` has any). Raises :class:`~optimizer.errors.InputError`
    when the kabupaten/kota of the data are not one province's (:func:`optimizer.levels.report_level`).
    """
    full = allocate(
        scenario,
        data,
        eligible,
        budget_rp=budget_rp,
        method=method,
        solver=solver,
        time_limit=time_limit,
        hierarchical=hierarchical,
    )
    levels = None
    allocation = full
    not_applied: tuple[str, ...] = ()
    if hierarchical:
        from .sections_levels import Levels

        levels = Levels(full, report_level(full))
        allocation = at_level(full, levels.level)
        not_applied = tuple(roadmap_title(roadmap) for roadmap in roadmaps if active_rules(roadmap))
        roadmaps = ()  # their continuity rules are planned by wrse plan, which is single-level
        if sensitivity is summarise_with_draws:
            sensitivity = with_split_draws(full)
    base = None
    if baseline is not None:
        try:
            base = at_level(allocate(baseline, data, baseline_eligible, hierarchical=hierarchical), None)
        except WrseError as exc:
            raise type(exc)("report.pipeline.baseline_failed", name=baseline.name, detail=exc) from None

    def rerun(changed: Scenario):
        return at_level(allocate(changed, data, eligible, solver="exact", hierarchical=hierarchical), None)

    provisions = remove_one_at_a_time(allocation, rerun)
    rules = [item for roadmap in roadmaps for item in continuity_rules(roadmap, data, eligible)]
    choices = replace(recompute(allocation, rerun, rules), not_applied=not_applied)
    summary = sensitivity(allocation, rerun) if sensitivity is not None else None
    return build(
        allocation,
        baseline=base,
        provisions=provisions,
        sensitivity=summary,
        choices=choices,
        audit=AuditInfo(
            overrides=Overrides(
                budget_rp=allocation.budget_rp if allocation.budget_rp != scenario.budget_rp else None,
                scenario_budget_rp=scenario.budget_rp,
                method=allocation.method if allocation.method != scenario.method else None,
                scenario_method=scenario.method,
                data_file=data_file,
                eligible_file=eligible_file,
            ),
            issued=issued,
            command=command,
            data_file=data_file,
            selection=selection(
                scenario_arg if scenario_arg is not None else reference(scenario),
                budget_rp=budget_rp,
                data_file=data_file,
                eligible_file=eligible_file,
                method=method,
                hierarchical=hierarchical,
            ),
        ),
        levels=levels,
    )


def at_level(allocation, level: int | None):
    """A hierarchical ``allocation`` read at ``level`` (None: its report level, the kabupaten/kota;
    see :func:`optimizer.levels.level_view`); a single-level allocation, or one whose units are
    that level already (Kalimantan Timur: province 64 above its kabupaten/kota), as it is."""
    if allocation.tree is None:
        return allocation
    if level is None:
        level = report_level(allocation)
    nodes = allocation.nodes
    if bool(nodes.loc[nodes["level"] == level, "unit"].all()) and not bool((nodes["level"] > level).any()):
        return allocation
    return level_view(allocation, level)


def with_split_draws(full) -> SensitivityProvider:
    """The sensitivity provider of a hierarchical report: :func:`~.sensitivity.summarise` and the
    weight draws of ``wrse sensitivity --hierarchical`` on the hierarchical allocation ``full``
    (:func:`optimizer.report.weight_draws.draw`), which vary its kabupaten/kota split."""
    from .weight_draws import draw

    def provider(allocation, rerun) -> Sensitivity:
        return replace(summarise(allocation, rerun), draws=draw(allocation, full))

    return provider


def continuity_rules(roadmap: Roadmap, data: DataSet, eligible: CountsFile | None = None) -> list[Continuity]:
    """Each continuity rule of ``roadmap`` (:data:`~.choices.CONTINUITY_RULES` with a share
    above 0), from the plan as written and the plan without that rule, both solved by the plan
    engine (``wrse plan``) on ``data`` and ``eligible``. A roadmap that cannot be planned as
    written gives nothing (``wrse plan`` says why); a plan that fails without the rule keeps
    the engine's message in :attr:`~.choices.Continuity.error`."""
    from fractions import Fraction

    from ..analysis.plan import plan

    active = active_rules(roadmap)
    if not active:
        return []
    try:
        written = plan(roadmap, data, eligible)
    except WrseError:
        return []
    out = []
    for rule in active:
        try:
            without, error = plan(replace(roadmap, **{rule: Fraction(0)}), data, eligible), None
        except WrseError as exc:
            without, error = None, exc
        out.append(continuity(roadmap, rule, written, without, error))
    return out


def issue_date(scenario: Scenario, environ=None) -> date:
    """The date of issue when the command line gives none: the scenario's ``document.date``,
    else the day of ``SOURCE_DATE_EPOCH`` (reproducible builds), else today."""
    import os

    text = scenario.document.get("date")
    if text:
        return date.fromisoformat(text)  # checked when the scenario was read
    env = os.environ if environ is None else environ
    if env.get("SOURCE_DATE_EPOCH", "").strip():
        from .reproducible import fixed_datetime

        return fixed_datetime(scenario.fiscal_year, env).date()
    return date.today()


def selection(
    scenario_arg: str,
    *,
    budget_rp: int | None = None,
    data_file: Path | None = None,
    eligible_file: Path | None = None,
    method: str | None = None,
    hierarchical: bool = False,
) -> tuple[str, ...]:
    """The arguments that select the report's problem in another ``wrse`` command:
    SCENARIO, then ``--budget`` (int rupiah), ``--data``, ``--eligible``, ``--method`` when
    given, and ``--hierarchical`` for a hierarchical report."""
    args = [str(scenario_arg)]
    for flag, value in (("--budget", budget_rp), ("--data", data_file), ("--eligible", eligible_file)):
        if value is not None:
            args += [flag, str(value)]
    if method is not None:
        args += ["--method", str(method).lower()]
    if hierarchical:
        args.append("--hierarchical")
    return tuple(args)
