"""``wrse run``, ``wrse compare``, ``wrse scenarios`` and ``wrse data``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import click

from .common import (
    AMOUNT,
    SHEET_FORMATS,
    DecimalRange,
    data_option,
    emit,
    hierarchical_option,
    inputs_options,
    method_option,
    say,
    screen_width,
    sheets_output,
    table_options,
    warn,
)

SOLVER_CHOICES = click.Choice(["auto", "exact", "cbc", "highs", "scipy"], case_sensitive=False)


@dataclass(frozen=True)
class AllocationOptions:
    """The options of every command that allocates a scenario (run, compare, report, select), as
    Click parsed them: ``--budget`` (int rupiah or None), ``--data``, ``--eligible``, ``--method``,
    ``--solver`` (as typed: any case) and ``--time-limit`` (seconds or None)."""

    budget: int | None
    data_file: Path | None
    eligible_file: Path | None
    method: str | None
    solver: str
    time_limit: float | None


def allocation_options(function):
    """``--budget``, ``--data``, ``--eligible``, ``--method``, ``--solver`` and ``--time-limit``,
    passed to ``function`` as one ``options`` (:class:`AllocationOptions`)."""

    @functools.wraps(function)
    def command(*args, budget, data_file, eligible_file, method, solver, time_limit, **kwargs):
        options = AllocationOptions(budget, data_file, eligible_file, method, solver, time_limit)
        return function(*args, options=options, **kwargs)

    for decorator in reversed(
        [
            click.option(
                "--budget",
                type=AMOUNT,
                default=None,
            ),
            inputs_options,
            method_option,
            click.option(
                "--solver",
                type=SOLVER_CHOICES,
                default="auto",
                show_default=True,
            ),
            click.option(
                "--time-limit",
                type=DecimalRange(min=0.1),
                default=None,
            ),
        ]
    ):
        command = decorator(command)
    return command


def allocate_from_options(reference, options: AllocationOptions, lang="id", hierarchical=False):
    """Load the scenario (its texts in ``lang``) and data named on the command line and allocate
    (shared by run, run --hierarchical, compare, select): one :class:`~optimizer.engine.Allocation`."""
    from ..compose import load_inputs

    if hierarchical:
        from ..hierarchy import allocate_hierarchical as allocate
    else:
        from ..engine import allocate

    solver = options.solver.lower()
    inputs = load_inputs(
        reference,
        options.data_file,
        options.eligible_file,
        budget_rp=options.budget,
        method=options.method,
        solver=solver,
        lang=lang,
    )
    return allocate(inputs.scenario, inputs.data, inputs.eligible, solver=solver, time_limit=options.time_limit)


def _inputs(allocations, options: AllocationOptions) -> list[Path | None]:
    files: list[Path | None] = [options.data_file, options.eligible_file]
    for a in allocations:
        files.extend(a.scenario.files)
        files.append(a.eligible_file)
    return files


@click.command()
@click.argument("scenario")
@allocation_options
@hierarchical_option
@table_options
def run(scenario, options, hierarchical, fmt, wide, output, lang):
    """``wrse run``; its help (English and Indonesian) is ``help.run.*`` in optimizer/messages."""
    from ..gc_pause import collector_paused

    # One bulk pass (83.763 desa: read, allocate, render, write) with no reference cycles: the
    # collector stays paused until the result is freed, so it never rescans those objects.
    with collector_paused():
        allocation = allocate_from_options(scenario, options, lang, hierarchical=hierarchical)
        if hierarchical:
            from ..hierarchy_output import HIERARCHICAL as renderings
        else:
            from ..output import ALLOCATION as renderings
        text = renderings.as_format(allocation, fmt, lang, screen_width(output, wide), wide)
        emit(text, output, _inputs([allocation], options), lang)
        from ..engine import LOUD_NOTICES

        if fmt not in ("table", "json") and not hierarchical:  # a CSV or a sheet has no place for notes: stderr
            for notice in allocation.notices:
                warn(notice.text(lang), lang)
        else:  # a budget the caps cannot use is said on stderr too, whatever the format: unmissable
            for notice in allocation.notices:
                if notice.key in LOUD_NOTICES:
                    warn(notice.text(lang), lang)
        del allocation, text


@click.command()
@click.argument("scenarios", nargs=-1, required=True)
@allocation_options
@table_options
def compare(scenarios, options, fmt, wide, output, lang):
    """``wrse compare``; its help (English and Indonesian) is ``help.compare.*`` in optimizer/messages."""
    from .. import comparison_output as out
    from ..scenario import load as load_scenario
    from ..scenario import report_baseline

    if len(scenarios) == 1:  # with the baseline wrse scenarios lists and the report compares with
        baseline = report_baseline(load_scenario(scenarios[0]))
        if baseline is None:
            raise click.UsageError(say("compare_two"))
        scenarios = (str(baseline), *scenarios)
    allocations = [allocate_from_options(s, options, lang) for s in scenarios]
    if fmt == "json":
        text = json.dumps(out.comparison_dict(allocations), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = out.comparison_csv(allocations)
    elif fmt in SHEET_FORMATS:
        text = sheets_output([out.comparison_sheet(allocations, lang)], fmt, lang)
    else:
        text = out.comparison_table(allocations, lang, screen_width(output, wide), wide)
    emit(text, output, _inputs(allocations, options), lang)


@click.command()
@table_options
def scenarios(fmt, wide, output, lang):
    """``wrse scenarios``; its help (English and Indonesian) is ``help.scenarios.*`` in optimizer/messages."""
    from .. import scenarios_output as out
    from ..scenario import load, shipped_scenarios

    loaded = [load(path, lang) for path in shipped_scenarios()]
    if fmt == "table":
        text = out.scenarios_table(loaded, lang, screen_width(output, wide))
    elif fmt in SHEET_FORMATS:
        text = sheets_output([out.scenarios_sheet(loaded, lang)], fmt, lang)
    elif fmt == "json":
        text = out.scenarios_json(loaded)
    else:
        text = out.scenarios_csv(loaded)
    emit(text, output, [], lang)


@click.command()
@data_option
@click.option("--indicator", default=None)
@table_options
def data(data_file, indicator, fmt, wide, output, lang):
    """``wrse data``; its help (English and Indonesian) is ``help.data.*`` in optimizer/messages."""
    from .. import data_output as out
    from ..inputs.data import load as load_data
    from ..inputs.validate import check_table, consistency_notices

    dataset = load_data(data_file)
    check_table(dataset)  # what `wrse run` refuses in a table, `wrse data` refuses too (one check)
    indicator = indicator.strip().lower() if indicator is not None else None
    if indicator is not None and indicator not in set(dataset.records["indicator"]):
        raise click.BadParameter(
            say("indicator_unknown", indicator=indicator, known=", ".join(sorted(set(dataset.records["indicator"])))),
            param_hint="--indicator",
        )
    if fmt == "json":
        text = json.dumps(out.data_dict(dataset, indicator), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = out.data_csv(dataset, indicator)
    elif fmt == "xlsx":  # the tables to read, then the sheet --data reads back after an edit
        text = sheets_output(out.data_workbook(dataset, lang, indicator), fmt, lang, out.data_title(dataset, lang))
    elif fmt in SHEET_FORMATS:  # a CSV is one table: the one --data reads back
        text = sheets_output([out.data_input_sheet(dataset, lang, indicator)], fmt, lang)
    else:
        from ..render.text import fill

        width = screen_width(output, wide)
        text = out.data_table(dataset, lang, indicator, width)
        status = out.data_status_block(dataset, lang, indicator)
        text += f"\n{chr(10).join(fill(status.splitlines(), width, '  ', False))}\n" if status else ""
        warnings = [n.text(lang) for n in consistency_notices(dataset)]
        notices = [n.text(lang) for n in dataset.notices]
        if warnings or notices:
            from ..i18n import t

            items = fill([f"- {w}" for w in (*notices, *warnings)], width, "  ", False)
            text += f"\n{t('data.warnings', lang)}:\n" + "\n".join(items) + "\n"
    emit(text, output, [data_file], lang)
