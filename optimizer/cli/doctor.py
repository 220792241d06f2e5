"""``wrse doctor``: versions, solvers and a tiny known model, in the session's language."""

from __future__ import annotations

import click

from .common import lang_option


@click.command()
@lang_option
def doctor(lang):
    """``wrse doctor``; its help (English and Indonesian) is ``help.doctor.*`` in optimizer/messages."""
    from ..doctor import healthy, run_checks, versions
    from ..i18n import localise, t
    from ..render.text import fill, terminal_width

    for name, version in versions():
        click.echo(f"{name:16} {localise(version, lang)}")
    click.echo("")
    checks = run_checks()
    marks = {"ok": t("doctor.mark.ok", lang), "fail": t("doctor.mark.fail", lang), "off": t("doctor.mark.off", lang)}
    width = max(len(mark) for mark in marks.values())
    for check in checks:
        mark = marks["ok" if check.ok else ("fail" if check.essential else "off")]
        line = f"[{mark:{width}}] {t(f'doctor.check.{check.name}', lang)}: {localise(check.detail, lang)}"
        click.echo("\n".join(fill([line], terminal_width(), " " * (width + 3))))  # fits the terminal
    if not healthy(checks):
        raise click.ClickException(t("doctor.unhealthy", lang, fail=marks["fail"]))
