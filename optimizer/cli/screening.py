"""``wrse screen`` (candidate lists -> decisions and eligible counts) and ``wrse select``
(an allocation -> who receives it). Parsing options only; the work is in
:mod:`optimizer.screening`.

Every error leaving these commands passes :func:`optimizer.screening.nik.redact`, a last
safety net so that no NIK reaches the terminal even if a message quoted a cell.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from .allocation import allocation_options
from .common import (
    DATE,
    SHEET_FORMATS,
    OutputFile,
    emit,
    existing_file,
    hierarchical_option,
    lang_option,
    say,
    screen_width,
    sheets_output,
    stdout_is_terminal,
    table_options,
    warn,
    written,
)

RANK_CHOICES = click.Choice(["list-order", "lottery"])  # optimizer.screening.ranking.RULES (not imported: fast --help)
out_path = OutputFile()


def _as_of(as_of: dt.date | None, scenario: str, lang: str) -> tuple[dt.date, str]:
    from ..i18n import t
    from ..screening.rules import EARLIEST_AS_OF, LATEST_AS_OF, as_of_range

    if as_of is not None:  # read by the DATE type, as --date of wrse report
        if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
            shown = as_of.strftime("%d-%m-%Y")
            raise click.BadParameter(
                say("as_of_implausible", as_of=shown, expected=as_of_range()), param_hint="--as-of"
            )
        return as_of, t("screen.as_of_given", lang)
    from ..scenario import load

    loaded = load(scenario)
    return dt.date(loaded.fiscal_year, 1, 1), t(
        "screen.as_of_scenario", lang, year=loaded.fiscal_year, scenario=loaded.name
    )


def _database(scenario: str):
    """The scenario's data-base criterion for screening (:class:`~optimizer.screening.rules.DatabaseRule`)."""
    from ..scenario import load
    from ..screening.rules import DatabaseRule

    loaded = load(scenario)
    return DatabaseRule(loaded.screening_database, loaded.dtsen_max_desil)


SCREEN_FORMATS = click.Choice(["csv", "csv-excel", "xlsx"])  # optimizer.screening.render.FILE_FORMATS


def _file_format(path: Path, fmt: str | None, option: str) -> str:
    """The format ``path`` (``-``: standard output) is written in: ``--format`` if given, else
    its suffix (``.xlsx`` a workbook, else machine CSV). A ``--format`` that contradicts the
    suffix is a usage error, as for ``wrse run -o``: ``.csv`` takes ``csv`` or ``csv-excel``,
    ``.xlsx`` only ``xlsx``."""
    if str(path) == "-":
        return fmt or "csv"
    suffix = path.suffix.lower()
    implied = {".csv": ("csv", "csv-excel"), ".xlsx": ("xlsx",)}.get(suffix)
    if implied is None or fmt is None:
        return "xlsx" if suffix == ".xlsx" else "csv"
    if fmt not in implied:
        raise click.BadParameter(say("suffix_format", output=path, suffix=path.suffix, fmt=fmt), param_hint=option)
    return fmt


@click.command()
@click.argument("lists", nargs=-1, required=True, type=existing_file, metavar="FILE...")
@click.option("--counts", type=out_path, default=None)
@click.option("--decisions", type=out_path, default=None)
@click.option("--format", "fmt", type=SCREEN_FORMATS, default=None)
@click.option(
    "--as-of",
    type=DATE,
    default=None,
)
@click.option(
    "--scenario",
    default="next-fiscal-year",
    show_default=True,
)
@click.option("--include-names", is_flag=True)
@click.option(
    "--rank",
    "rule",
    type=RANK_CHOICES,
    default="list-order",
    show_default=True,
)
@click.option("--seed", default=None)
@click.option("--strict", is_flag=True)
@lang_option
def screen(lists, counts, decisions, fmt, as_of, scenario, include_names, rule, seed, strict, lang):
    """``wrse screen``; its help (English and Indonesian) is ``help.screen.*`` in optimizer/messages."""
    from ..files import write_files_atomic
    from ..i18n import t
    from ..screening import render
    from ..screening.nik import redact
    from ..screening.screen import screen as run_screen

    if rule == "lottery" and not seed:
        raise click.UsageError(say("lottery_needs_seed"))
    if rule != "lottery" and seed:
        raise click.UsageError(say("seed_without_lottery"))
    to_stdout = [option for path, option in ((counts, "--counts"), (decisions, "--decisions")) if str(path) == "-"]
    if len(to_stdout) > 1:
        raise click.UsageError(say("screen_both_stdout"))
    if counts is not None and decisions is not None and not to_stdout and counts.resolve() == decisions.resolve():
        raise click.UsageError(say("counts_is_decisions"))
    formats = {}
    for path, option in ((counts, "--counts"), (decisions, "--decisions")):
        if path is not None:
            formats[option] = _file_format(path, fmt, option)
            if str(path) != "-":
                render.check_output_path(path, option, lists)
    if to_stdout and formats[to_stdout[0]] == "xlsx" and stdout_is_terminal():
        raise click.UsageError(say("xlsx_to_terminal"))
    date, note = _as_of(as_of, scenario, lang)
    database = _database(scenario)
    result = run_screen(
        lists, date, rule=rule, seed=seed or "", strict=strict, include_names=include_names, database=database
    )
    outputs: dict[Path, bytes] = {}
    piped = None  # the file written to standard output (``-``)
    for path, option, frame, sheet in (
        (counts, "--counts", render.counts_frame, "screen.sheet_counts"),
        (decisions, "--decisions", render.decisions_frame, "screen.sheet_decisions"),
    ):
        if path is None:
            continue
        data = render.table_bytes(frame(result, lang), path, formats[option], t(sheet, lang), lang)
        if str(path) == "-":
            piped = data
        else:
            outputs[path] = data
    summary = redact(render.summary_text(result, lang, note, screen_width(None)))
    write_files_atomic(outputs)
    click.echo(summary, nl=False, err=piped is not None)  # with a file on standard output, the summary on stderr
    if piped is not None:
        emit(piped, None, [], lang)
    for path in outputs:
        written(path, lang)


@click.command()
@click.argument("scenario")
@click.option("--decisions", "decisions", type=existing_file, required=True)
@allocation_options
@hierarchical_option
@click.option("--include-names", is_flag=True)
@table_options
def select(scenario, decisions, options, hierarchical, include_names, fmt, wide, output, lang):
    """``wrse select``; its help (English and Indonesian) is ``help.select.*`` in optimizer/messages."""
    from ..i18n import t
    from ..screening import render
    from ..screening.nik import redact
    from ..screening.select import check_counts, has_names, read_decisions, region_levels
    from ..screening.select import select as run_select
    from .allocation import allocate_from_options

    if hierarchical:  # the codes are read against the levels of the data: allocate first
        allocation = allocate_from_options(scenario, options, lang, hierarchical=True)
        levels = region_levels(allocation)
        eligible = read_decisions(decisions, levels)
        level = levels.of(eligible)
    else:
        eligible = read_decisions(decisions)
        allocation = allocate_from_options(scenario, options, lang)
        level = None
    if include_names and not has_names(eligible):
        warn(t("select.no_names", lang), lang)
        include_names = False
    for warning in check_counts(eligible, allocation, level):
        warn(warning.text(lang), lang)
    chosen = run_select(eligible, allocation, level)
    if fmt == "json":
        text = json.dumps(
            render.selection_dict(chosen, allocation, decisions, include_names), ensure_ascii=False, indent=2
        )
        text += "\n"
    elif fmt == "csv":
        text = render.selection_csv(chosen, include_names)
    elif fmt in SHEET_FORMATS:
        text = sheets_output(render.selection_sheets(chosen, allocation, decisions, lang, include_names), fmt, lang)
    else:
        text = render.selection_table(chosen, allocation, decisions, lang, include_names, screen_width(output, wide))
    if fmt != "table":  # the table shows these; a CSV or JSON reader gets them on standard error
        for message in (*(n.text(lang) for n in allocation.notices), *render.short_messages(chosen, lang)):
            warn(message, lang)
    emit(
        text if isinstance(text, bytes) else redact(text),
        output,
        [decisions, options.data_file, options.eligible_file, *allocation.scenario.files],
        lang,
    )
