"""``wrse doctor``: versions, solvers and a tiny known model."""

from __future__ import annotations

import sys

import click


@click.command()
def doctor():
    """Report Python, package and solver versions, and solve a tiny known model with each solver."""
    from ..doctor import healthy, run_checks, versions

    for name, version in versions():
        click.echo(f"{name:16} {version}")
    click.echo("")
    checks = run_checks()
    for check in checks:
        mark = "ok  " if check.ok else ("FAIL" if check.essential else "--  ")
        click.echo(f"[{mark}] {check.name}: {check.detail}")
    if not healthy(checks):
        click.echo("Error: no MILP solver or a core check failed; see the lines marked FAIL", err=True)
        sys.exit(1)
