"""``wrse page``: the what-if page, one HTML file that re-solves in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from .common import OutputFile, inputs_options, lang_option, say, written


def _everywhere(inputs):
    """The scenario over every unit of the data set, without floors, caps or locks (for the
    figures of the regions it leaves out); None when those figures cannot be had."""
    from ..engine import allocate
    from ..errors import WrseError
    from ..money import MAX_RP

    s = inputs.scenario
    free = {"include": None, "floors": {}, "caps": {}, "locks": {}, "floor_all": 0, "cap_all": None}
    for fallback in dict.fromkeys((s.allow_fallback, True)):
        try:
            wide = s.replace(**free, budget_rp=MAX_RP, allow_fallback=fallback)
            return allocate(wide, inputs.data, inputs.eligible)
        except WrseError:
            continue
    return None


def _baselines(inputs, eligible_file, lang):
    """The other shipped scenarios on the same data, as baselines (those that run on it);
    ``--eligible`` (already read, in ``inputs``) applies to them too."""
    from ..compose import load_eligible
    from ..engine import allocate
    from ..errors import WrseError
    from ..scenario import load, shipped_scenarios

    out = []
    own = inputs.scenario.path.resolve() if inputs.scenario.path is not None else None
    for path in shipped_scenarios():
        if path.resolve() == own:
            continue
        try:
            other = load(path, lang)
            counts = inputs.eligible if eligible_file is not None else load_eligible(other, inputs.data)
            out.append(allocate(other, inputs.data, counts))
        except WrseError:
            continue
    return sorted(out, key=lambda a: (not a.scenario.name.startswith("baseline"), a.scenario.name))


def _texts(scenarios) -> dict[str, dict[str, dict]]:
    """``{name: {lang: {"title", "description", "assumptions"}}}`` of scenarios read from a file, in each language."""
    from ..i18n import LANGUAGES
    from ..scenario import load

    out = {}
    for s in scenarios:
        if s.path is None:
            continue
        loaded = {lang: load(s.path, lang) for lang in LANGUAGES}
        out[s.name] = {
            lang: {"title": x.title, "description": x.description, "assumptions": list(x.assumptions)}
            for lang, x in loaded.items()
        }
    return out


@click.command()
@click.argument("scenario")
@click.option(
    "--output",
    "-o",
    type=OutputFile(),
    default=None,
)
@inputs_options
@lang_option
def page(scenario, output, data_file, eligible_file, lang):
    """``wrse page``; its help (English and Indonesian) is ``help.page.*`` in optimizer/messages."""
    from ..compose import load_inputs
    from ..engine import allocate
    from ..files import check_target, write_text_atomic
    from ..page import build_payload, render_page

    inputs = load_inputs(scenario, data_file, eligible_file, lang=lang)
    allocation = allocate(inputs.scenario, inputs.data, inputs.eligible)
    loaded = inputs.scenario
    to_stdout = output is not None and str(output) == "-"  # -o -: the page on standard output
    target = Path(output) if output is not None else Path(f"{allocation.scenario.name}-simulasi.html")
    if not to_stdout:  # a folder, a missing folder… first: the same one-line error as every -o
        check_target(target, [data_file, eligible_file, *loaded.files])
    if not to_stdout and target.suffix.lower() not in (".html", ".htm"):
        raise click.BadParameter(say("page_html", target=target), param_hint="'-o'")
    baselines = _baselines(inputs, eligible_file, lang)
    payload = build_payload(
        allocation,
        _everywhere(inputs),
        baselines,
        lang=lang,
        texts=_texts([inputs.scenario, *(b.scenario for b in baselines)]),
        data_file=str(data_file) if data_file else None,
        eligible_file=str(Path(eligible_file).resolve()) if eligible_file else None,
    )
    html = render_page(payload, lang)
    if to_stdout:
        click.echo(html, nl=False)
        return
    write_text_atomic(target, html)
    written(target, lang)
