"""``wrse page``: the what-if page, one HTML file that re-solves in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from .common import data_option, existing_file, lang_option, written


def _everywhere(allocation, data):
    """The scenario over every unit of the data set, without floors, caps or locks (for the
    figures of the regions it leaves out); None when those figures cannot be had."""
    from ..engine import allocate
    from ..errors import WrseError
    from ..money import MAX_RP

    s = allocation.scenario
    free = {
        "include": None,
        "floors": {},
        "caps": {},
        "locks": {},
        "floor_all": 0,
        "cap_all": None,
        "budget_rp": MAX_RP,
    }
    for fallback in dict.fromkeys((s.allow_fallback, True)):
        try:
            return allocate(s.replace(**free, allow_fallback=fallback), data, allocation.eligible_input)
        except WrseError:
            continue
    return None


def _baselines(allocation, data, eligible_file):
    """The other shipped scenarios on the same data, as baselines (those that run on it);
    ``--eligible`` (already read, in ``allocation``) applies to them too."""
    from ..compose import load_eligible
    from ..engine import allocate
    from ..errors import WrseError
    from ..scenario import load, shipped_scenarios

    out = []
    for path in shipped_scenarios():
        if allocation.scenario.path is not None and path.resolve() == allocation.scenario.path.resolve():
            continue
        try:
            other = load(path)
            counts = allocation.eligible_input if eligible_file is not None else load_eligible(other, data)
            out.append(allocate(other, data, counts))
        except WrseError:
            continue
    return sorted(out, key=lambda a: (not a.scenario.name.startswith("baseline"), a.scenario.name))


@click.command()
@click.argument("scenario")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML file to write (default: SCENARIO-simulasi.html in the current folder).",
)
@data_option
@click.option(
    "--eligible",
    "eligible_file",
    type=existing_file,
    default=None,
    help="Eligible counts per region (CSV/XLSX: region_code, eligible), e.g. from wrse screen.",
)
@lang_option
def page(scenario, output, data_file, eligible_file, lang):
    """Write the what-if page of SCENARIO: one HTML file, no internet needed.

    Open it in a browser and change the budget ('750 juta', '1,5 miliar'), the grant and
    bimtek cost, the weights, the IDG reference, the regions included, floors, caps and
    locks, and the method; the allocation is recomputed at once by the engine's rules. It
    saves the edited scenario as TOML (wrse run reproduces it) and the table as CSV.
    """
    from ..files import check_target, write_text_atomic
    from ..page import build_payload, render_page
    from .allocation import allocate_from_options

    allocation = allocate_from_options(scenario, None, data_file, eligible_file, None, "auto", None)
    loaded, data = allocation.scenario, allocation.data
    target = Path(output) if output is not None else Path(f"{allocation.scenario.name}-simulasi.html")
    if target.suffix.lower() not in (".html", ".htm"):
        raise click.BadParameter(f"{target}: the page is HTML; expected a name ending in .html", param_hint="'-o'")
    check_target(target, [data_file, eligible_file, *loaded.files])
    payload = build_payload(
        allocation,
        _everywhere(allocation, data),
        _baselines(allocation, data, eligible_file),
        lang=lang,
        data_file=str(data_file) if data_file else None,
        eligible_file=str(Path(eligible_file).resolve()) if eligible_file else None,
    )
    write_text_atomic(target, render_page(payload, lang))
    written(target, lang)
