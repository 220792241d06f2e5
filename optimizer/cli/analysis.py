"""``wrse sweep``, ``wrse sensitivity`` and ``wrse plan``: parse options, call optimizer.analysis."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .common import (
    AMOUNT,
    DecimalRange,
    OutputFile,
    emit,
    hierarchical_option,
    inputs_options,
    method_option,
    say,
    screen_width,
    table_options,
    warn,
    written,
)


@dataclass(frozen=True)
class _Shared:
    """The options ``wrse sweep`` and ``wrse sensitivity`` share, as Click parsed them."""

    hierarchical: bool
    method: str | None
    data_file: Path | None
    eligible_file: Path | None
    fmt: str
    wide: bool
    output: Path | None
    lang: str


def _shared_options(function):
    """``--hierarchical``, ``--method``, ``--data``, ``--eligible`` and the table options, after
    the command's own options and in this order, passed to ``function`` as one ``shared``."""

    @functools.wraps(function)
    def command(*args, hierarchical, method, data_file, eligible_file, fmt, wide, output, lang, **kwargs):
        shared = _Shared(hierarchical, method, data_file, eligible_file, fmt, wide, output, lang)
        return function(*args, shared=shared, **kwargs)

    return hierarchical_option(method_option(inputs_options(table_options(command))))


def _inputs(scenario, data_file, eligible_file) -> list[Path | None]:
    files: list[Path | None] = [data_file, eligible_file]
    if scenario is not None:
        files.extend(scenario.files)
    return files


@click.command()
@click.argument("scenario")
@click.option("--from", "start", type=AMOUNT, required=True)
@click.option("--to", "end", type=AMOUNT, required=True)
@click.option("--step", type=AMOUNT, default=None)
@click.option("--at", "current", type=AMOUNT, default=None)
@click.option("--next", "next_count", type=click.IntRange(0, 1000), default=10, show_default=True)
@click.option("--chart", type=OutputFile(), default=None)
@_shared_options
def sweep(scenario, start, end, step, current, next_count, chart, shared):
    """``wrse sweep``; its help (English and Indonesian) is ``help.sweep.*`` in optimizer/messages."""
    from ..analysis import render
    from ..analysis.base import build
    from ..analysis.sweep import TABLE_POINTS, budget_grid, readable_step
    from ..analysis.sweep import sweep as run_sweep
    from ..compose import load_inputs
    from ..files import check_target

    lang, output = shared.lang, shared.output
    inputs = load_inputs(scenario, shared.data_file, shared.eligible_file, method=shared.method, lang=lang)
    loaded = inputs.scenario
    base = build(loaded, inputs.data, inputs.eligible, method=shared.method, hierarchical=shared.hierarchical)
    grid = budget_grid(start, end, step if step is not None else base.cost_rp)
    result = run_sweep(base, grid, current_budget_rp=current, next_count=next_count, step_rp=step or base.cost_rp)
    text = render.SWEEP.as_format(result, shared.fmt, lang, screen_width(output, shared.wide), shared.wide)
    inputs = _inputs(loaded, shared.data_file, shared.eligible_file)
    picture = None
    if chart is not None:
        from ..analysis.chart import chart_format, sweep_chart

        # Both targets are checked before either is written, so a bad chart path cannot
        # leave the table written and the chart missing.
        check_target(chart, inputs, what="--chart")
        if output is not None:
            check_target(output, inputs)
            if output.resolve() == chart.resolve():
                raise click.UsageError(say("output_is_chart", chart=chart))
        picture = sweep_chart(result, chart_format(chart), lang)
    if picture is None or output is None:
        emit(text, output, inputs, lang)
    if shared.fmt == "table" and len(grid) > TABLE_POINTS:  # a terminal table of 1.001 rows: say how to thin it
        from ..i18n import t
        from ..render.format import count, rupiah

        suggested = readable_step(start, end, base.cost_rp)
        example = next(
            (
                f"{suggested // unit} {word}"
                for unit, word in ((10**9, "miliar"), (10**6, "juta"))
                if suggested % unit == 0
            ),
            str(suggested),
        )
        step_text = rupiah(grid[1] - grid[0], lang)
        warn(
            t("sweep.many_points", lang, points=count(len(grid), lang), step=step_text, example=example),
            lang,
        )
    if picture is not None:
        from ..files import write_files_atomic

        files = (
            {chart: picture}
            if output is None
            else {output: text if isinstance(text, bytes) else text.encode("utf-8"), chart: picture}
        )
        write_files_atomic(files)  # the table and the chart together, or neither
        for path in files:
            written(path, lang)


@click.command()
@click.argument("scenario")
# default = optimizer.analysis.sensitivity.DEFAULT_DRAWS, also the report's (not imported here: CLI start-up;
# tests/test_report_draws.py checks they are equal)
@click.option("--draws", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True)
@click.option("--weight-spread", type=DecimalRange(0, 1000), default="20", show_default=True)
@click.option("--weight-model", type=click.Choice(["dirichlet", "uniform"]), default="dirichlet", show_default=True)
@click.option("--data-spread", type=DecimalRange(0, 100, max_open=True), default="0", show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=None)
@click.option("--budget", type=AMOUNT, default=None)
@_shared_options
def sensitivity(scenario, draws, weight_spread, weight_model, data_spread, seed, budget, shared):
    """``wrse sensitivity``; its help (English and Indonesian) is ``help.sensitivity.*`` in optimizer/messages."""
    from ..analysis import render
    from ..analysis import sensitivity as sens
    from ..analysis.base import build
    from ..compose import load_inputs
    from ..i18n import t
    from ..scenario import load as load_scenario

    method, data_file, eligible_file, lang = shared.method, shared.data_file, shared.eligible_file, shared.lang
    loaded = load_scenario(scenario, lang)
    spec = sens.Spec(
        draws=draws,
        weight_spread=weight_spread,
        weight_model=weight_model,
        data_spread=data_spread,
        seed=sens.DEFAULT_SEED if seed is None else seed,
    )
    spec.check()
    inputs = load_inputs(loaded, data_file, eligible_file, method=method, budget_rp=budget)
    base = build(
        loaded,
        inputs.data,
        inputs.eligible,
        method=method,
        budget_rp=budget,
        strict=True,
        hierarchical=shared.hierarchical,
    )
    if sys.stderr.isatty():
        with click.progressbar(length=draws, label=t("sensitivity.progress", lang), file=sys.stderr) as bar:
            result = sens.run(base, spec, progress=bar.update)
    else:
        result = sens.run(base, spec)
    text = render.SENSITIVITY.as_format(result, shared.fmt, lang, screen_width(shared.output, shared.wide), shared.wide)
    emit(text, shared.output, _inputs(loaded, data_file, eligible_file), lang)


@click.command()
@click.argument("roadmap")
@click.option(
    "--solver",
    type=click.Choice(["cbc", "highs", "scipy"], case_sensitive=False),
    default="cbc",
    show_default=True,
)
@click.option("--time-limit", type=DecimalRange(min=0.1), default=None)
@inputs_options
@table_options
def plan(roadmap, solver, time_limit, data_file, eligible_file, fmt, wide, output, lang):
    """``wrse plan``; its help (English and Indonesian) is ``help.plan.*`` in optimizer/messages."""
    from ..analysis import render
    from ..analysis.plan import plan as make_plan
    from ..analysis.roadmap import load as load_roadmap
    from ..compose import load_inputs

    loaded = load_roadmap(roadmap, lang)
    inputs = load_inputs(loaded.scenario, data_file, eligible_file, lang=lang)
    result = make_plan(loaded, inputs.data, inputs.eligible, solver=solver.lower(), time_limit=time_limit)
    text = render.PLAN.as_format(result, fmt, lang, screen_width(output, wide), wide)
    inputs = [loaded.path, loaded.scenario, loaded.baseline.scenario, data_file, eligible_file]
    if result.base.scenario is not None:
        inputs.extend(result.base.scenario.files)
    emit(text, output, inputs, lang)
