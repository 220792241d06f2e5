"""``wrse synth``: synthetic national data for benchmarks and tests."""

from __future__ import annotations

from pathlib import Path

import click

from .common import LocalPath, lang_option, written


@click.command()
@click.option(
    "--output-dir",
    "-d",
    type=LocalPath(file_okay=False, path_type=Path),
    required=True,
)
@click.option("--seed", type=click.IntRange(min=0), default=2024, show_default=True)
@click.option("--provinces", type=click.IntRange(1, 38), default=38, show_default=True)
@click.option("--kabkota", type=click.IntRange(min=3), default=514, show_default=True)
@click.option("--desa", type=click.IntRange(min=15), default=83_763, show_default=True)
@lang_option
def synth(output_dir, seed, provinces, kabkota, desa, lang):
    """``wrse synth``; its help (English and Indonesian) is ``help.synth.*`` in optimizer/messages."""
    from .. import synthetic
    from ..errors import InputError
    from ..files import check_folder

    check_folder(output_dir, "--output-dir")
    try:
        nation = synthetic.generate(seed, provinces, kabkota, desa)
    except ValueError as exc:
        raise InputError("cli.synth_sizes", detail=exc) from None
    for path in synthetic.write(output_dir, nation, lang):
        written(path)
