"""``wrse report``: the justification report of a scenario, in HTML, DOCX, XLSX and Markdown."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from .allocation import allocation_options
from .common import DATE, LocalPath, hierarchical_option, lang_option


def _command(options: Mapping[str, Any], day=None) -> str:
    """The command line recorded in the audit trail: every option that shapes the content,
    none of the output options (so a report regenerated elsewhere is byte-identical).

    ``options``: the command's parsed options by parameter name (Click's), with ``baseline`` as
    resolved; ``day``: the issue date (``--date``), or None."""
    parts = ["wrse", "report", str(options["scenario"]), "--baseline", str(options["baseline"])]
    for flag, name in (
        ("--budget", "budget"),
        ("--data", "data_file"),
        ("--eligible", "eligible_file"),
        ("--method", "method"),
        ("--time-limit", "time_limit"),
        ("--roadmap", "roadmap_ref"),
    ):
        if options[name] is not None:
            parts += [flag, str(options[name])]
    if options["solver"].lower() != "auto":
        parts += ["--solver", options["solver"].lower()]
    if options["hierarchical"]:
        parts.append("--hierarchical")
    parts += ["--lang", options["lang"]]
    if day is not None:
        parts += ["--date", day.isoformat()]
    return shlex.join(parts)


def _shipped_name(reference: str) -> str:
    """A shipped scenario by its name (``realised-2025-uep``), any other by its path as given: the
    audit trail's command line then holds no folder of this machine."""
    from ..scenario import shipped_dir

    path = Path(reference)
    if path.suffix == ".toml" and path.parent.resolve() == shipped_dir().resolve():
        return path.stem
    return reference


def _roadmaps(reference: str | None, scenario, lang: str) -> tuple:
    """The roadmaps whose continuity rules the report names, their texts in ``lang``: the one
    given, none for ``none``, else the shipped roadmaps built on ``scenario``."""
    from ..analysis.roadmap import building_on
    from ..analysis.roadmap import load as load_roadmap

    if reference is None:
        return building_on(scenario.path, lang)
    if reference.strip().lower() in ("none", ""):
        return ()
    return (load_roadmap(reference, lang),)


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from ..errors import InputError
    from ..report.writer import parse_formats
    from .language import current_language

    try:
        return parse_formats(value)
    except InputError as exc:
        if exc.key == "report.writer.pdf_unavailable":
            raise  # not a typing slip: one line that says how to make the PDF (printed by the group)
        raise click.BadParameter(exc.text(current_language()), ctx=ctx, param=param) from None


@click.command()
@click.argument("scenario")
@click.option(
    "--baseline",
    default=None,
)
@allocation_options
@hierarchical_option
@click.option(
    "--format",
    "formats",
    default="html,xlsx",
    show_default=True,
    callback=_formats,
)
@click.option(
    "--roadmap",
    "roadmap_ref",
    default=None,
)
@click.option(
    "--out",
    "out_dir",
    type=LocalPath(file_okay=False, path_type=Path),
    default=None,
)
@click.option(
    "--date",
    "issued",
    type=DATE,
    default=None,
)
@click.option(
    "--force",
    is_flag=True,
)
@lang_option
def report(
    scenario,
    baseline,
    options,
    hierarchical,
    formats,
    roadmap_ref,
    out_dir,
    issued,
    force,
    lang,
):
    """``wrse report``; its help (English and Indonesian) is ``help.report.*`` in optimizer/messages."""
    from ..compose import load_eligible
    from ..errors import InputError
    from ..files import check_folder
    from ..i18n import t
    from ..inputs.data import load as load_data
    from ..report.pipeline import issue_date, make_report
    from ..report.writer import write
    from ..scenario import load as load_scenario
    from ..scenario import report_baseline

    chosen = formats
    if out_dir is not None:  # a folder that cannot hold the files fails now, not after the report is built
        check_folder(out_dir, new_folders=1)
    loaded = load_scenario(scenario, lang)
    if baseline is None:
        baseline = _shipped_name(report_baseline(loaded) or "none")
    try:
        base = None if baseline.strip().lower() in ("none", "") else load_scenario(baseline, lang)
    except InputError as exc:  # named as the option it came from, with 'none' among the choices
        ctx = click.get_current_context()
        option = next(p for p in ctx.command.params if p.name == "baseline")
        raise click.BadParameter(t("error.cli.baseline", lang, message=exc.text(lang)), ctx=ctx, param=option) from None
    data_file, eligible_file = options.data_file, options.eligible_file
    data = load_data(data_file)
    day = issued if issued is not None else issue_date(loaded)
    roadmaps = _roadmaps(roadmap_ref, loaded, lang)
    document = make_report(
        loaded,
        data,
        baseline=base,
        command=_command({**click.get_current_context().params, "baseline": baseline, "lang": lang}, day),
        data_file=data_file,
        eligible_file=eligible_file,
        eligible=load_eligible(loaded, data, eligible_file),
        baseline_eligible=load_eligible(base, data) if base is not None else None,
        budget_rp=options.budget,
        method=options.method,
        solver=options.solver.lower(),
        time_limit=options.time_limit,
        scenario_arg=scenario,
        issued=day,
        roadmaps=roadmaps,
        hierarchical=hierarchical,
    )
    # --out DIR may be new, its parent must exist (a mistyped parent is an error); the default
    # reports/<slug> may need both folders made
    new_folders = 1 if out_dir is not None else 2
    folder = check_folder(out_dir if out_dir is not None else Path("reports") / document.slug, new_folders=new_folders)
    inputs = [data_file, eligible_file, *loaded.files, *(base.files if base is not None else ())]
    inputs += [r.path for r in roadmaps if r.path is not None]
    replace = force or out_dir is not None
    for path in write(
        document, folder, formats=chosen, lang=lang, inputs=inputs, replace=replace, new_folders=new_folders
    ):
        click.echo(t("report.written", lang, path=path), err=True)
