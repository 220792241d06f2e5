"""``wrse report``: the justification report of a scenario, in HTML, DOCX, XLSX and Markdown."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .allocation import allocation_options
from .common import LocalPath, lang_option


def _command(
    scenario, baseline, budget, data_file, eligible_file, method, solver, time_limit, lang, day=None, roadmap=None
) -> str:
    """The command line recorded in the audit trail: every option that shapes the content,
    none of the output options (so a report regenerated elsewhere is byte-identical)."""
    parts = ["wrse", "report", str(scenario), "--baseline", str(baseline)]
    for flag, value in (
        ("--budget", budget),
        ("--data", data_file),
        ("--eligible", eligible_file),
        ("--method", method),
        ("--time-limit", time_limit),
        ("--roadmap", roadmap),
    ):
        if value is not None:
            parts += [flag, str(value)]
    if solver.lower() != "auto":
        parts += ["--solver", solver.lower()]
    parts += ["--lang", lang]
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


def _roadmaps(reference: str | None, scenario) -> tuple:
    """The roadmaps whose continuity rules the report names: the one given, none for ``none``,
    else the shipped roadmaps built on ``scenario``."""
    from ..analysis.roadmap import building_on
    from ..analysis.roadmap import load as load_roadmap

    if reference is None:
        return building_on(scenario.path)
    if reference.strip().lower() in ("none", ""):
        return ()
    return (load_roadmap(reference),)


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
    help="Scenario to compare with (a .toml file or a shipped name), or 'none' to leave section 6 out "
    "[default: the scenario's own scenario.baseline, else baseline-2023].",
)
@allocation_options
@click.option(
    "--format",
    "formats",
    default="html,xlsx",
    show_default=True,
    callback=_formats,
    help="Comma-separated formats: html, docx (the telaahan staf, then the report as its lampiran), xlsx, md. "
    "No pdf: no pip-installable converter works without a network and keeps the Word layout; open the DOCX "
    "in Word or LibreOffice and save it as PDF, or print the HTML to PDF on A4 from a browser.",
)
@click.option(
    "--roadmap",
    "roadmap_ref",
    default=None,
    help="Roadmap (a .toml file or a shipped name) whose continuity rule the report names as a policy choice, "
    "planned with and without it, or 'none' [default: the shipped roadmaps built on SCENARIO].",
)
@click.option(
    "--out",
    "out_dir",
    type=LocalPath(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: reports/<slug>/, see below].",
)
@click.option(
    "--date",
    "issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date of issue printed on the report (YYYY-MM-DD) [default: the scenario's document.date, "
    "else the date of SOURCE_DATE_EPOCH, else today].",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a different report already in the default folder (with --out, files are always replaced).",
)
@lang_option
def report(
    scenario,
    baseline,
    budget,
    data_file,
    eligible_file,
    method,
    solver,
    time_limit,
    formats,
    roadmap_ref,
    out_dir,
    issued,
    force,
    lang,
):
    """Write the justification report of SCENARIO: summary, background and data, method,
    allocation table, why each region gets its number, comparison with the baseline,
    each provision removed in turn, sensitivity, and audit trail.

    \b
    Files are <slug>.html/.xlsx/.docx/.md (Indonesian) or <slug>.en.* (English), written
    atomically; the slug is the scenario's name followed by the overrides
    (next-fiscal-year_1500juta_hamilton), so reports with different options never
    share a name. In the default folder reports/<slug>/ a different report already there is
    kept unless --force. Rerunning the same command with the same --date gives
    byte-identical files (zip timestamps come from SOURCE_DATE_EPOCH, else 1 January of
    the fiscal year). --budget, --eligible and --method apply to SCENARIO only; --data to
    both SCENARIO and the baseline.
    """
    from ..compose import load_eligible
    from ..files import check_folder
    from ..i18n import t
    from ..inputs.data import load as load_data
    from ..report.pipeline import issue_date, make_report
    from ..report.writer import write
    from ..scenario import load as load_scenario
    from ..scenario import report_baseline

    chosen = formats
    loaded = load_scenario(scenario, lang)
    if baseline is None:
        baseline = _shipped_name(report_baseline(loaded) or "none")
    base = None if baseline.strip().lower() in ("none", "") else load_scenario(baseline, lang)
    data = load_data(data_file)
    day = issued.date() if issued is not None else issue_date(loaded)
    roadmaps = _roadmaps(roadmap_ref, loaded)
    document = make_report(
        loaded,
        data,
        baseline=base,
        command=_command(
            scenario, baseline, budget, data_file, eligible_file, method, solver, time_limit, lang, day, roadmap_ref
        ),
        data_file=data_file,
        eligible_file=eligible_file,
        eligible=load_eligible(loaded, data, eligible_file),
        baseline_eligible=load_eligible(base, data) if base is not None else None,
        budget_rp=budget,
        method=method,
        solver=solver.lower(),
        time_limit=time_limit,
        scenario_arg=scenario,
        issued=day,
        roadmaps=roadmaps,
    )
    folder = check_folder(out_dir if out_dir is not None else Path("reports") / document.slug)
    inputs = [data_file, eligible_file, *loaded.files, *(base.files if base is not None else ())]
    inputs += [r.path for r in roadmaps if r.path is not None]
    replace = force or out_dir is not None
    for path in write(document, folder, formats=chosen, lang=lang, inputs=inputs, replace=replace):
        click.echo(t("report.written", lang, path=path), err=True)
