"""The edge's one composition step: a run's inputs read once, with their provenance.

The core (:func:`optimizer.engine.allocate`, :func:`optimizer.hierarchy.allocate_hierarchical`,
the analyses and the report) opens no file: it takes a scenario, a data set and, when the
eligible counts come from a file, that file already read and hashed. This module reads
them, in the order a run needs them, for the CLI, the Python API, the analyses and the
report alike:

1. the scenario (a shipped name or a TOML path, :func:`optimizer.scenario.load`), with the
   command line's budget, method and solver checked (:func:`optimizer.engine.with_overrides`);
2. the indicator data set (``--data``, or the shipped Kaltim table), with its path and sha256;
3. the eligible-counts file (``--eligible``, or the scenario's ``[eligible]`` file), with
   its path, sha256 and sheet (:class:`optimizer.eligible.CountsFile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .eligible import CountsFile, read_for
from .inputs.dataset import DataSet
from .scenario import Scenario


@dataclass(frozen=True)
class Inputs:
    """What one run reads: ``scenario`` (overrides applied), ``data``, and ``eligible``
    (the counts file read, or None when the counts come from the data set)."""

    scenario: Scenario
    data: DataSet
    eligible: CountsFile | None

    @property
    def files(self) -> tuple[Path, ...]:
        """The files read: the scenario's, the data set's and the counts file (those that exist)."""
        paths = (self.scenario.path, self.data.path, self.eligible.path if self.eligible else None)
        return tuple(p for p in paths if p is not None)


def load_eligible(scenario: Scenario, data: DataSet, path: str | Path | None = None) -> CountsFile | None:
    """The eligible-counts file a run of ``scenario`` on ``data`` uses, read and hashed.

    ``path`` (``--eligible``) replaces the scenario's ``[eligible]`` source; without it,
    the scenario's file is read when its source is ``file``; otherwise None (the counts
    come from the data set or a named proxy, computed by the engine). Raises
    :class:`~optimizer.errors.InputError` naming the file, row and value of a bad count.
    """
    return read_for(scenario.eligible, data, path)


def load_inputs(
    scenario: Scenario | str | Path,
    data_file: str | Path | None = None,
    eligible_file: str | Path | None = None,
    *,
    budget_rp: int | None = None,
    method: str | None = None,
    solver: str = "auto",
    lang: str = "id",
) -> Inputs:
    """Read a run's inputs once: the scenario (a :class:`Scenario`, a shipped name or a
    TOML path), the data set (``data_file``, default the shipped Kaltim table) and the
    eligible counts (``eligible_file``, or the scenario's own file).

    ``budget_rp`` (int rupiah), ``method`` and ``solver`` are the command line's overrides,
    checked and applied to the scenario before any data file is read (so a bad option is
    reported first, as the engine would). ``lang``: the language of the scenario's texts
    (:func:`optimizer.scenario.load`). Raises :class:`~optimizer.errors.InputError`.
    """
    from .engine import with_overrides
    from .inputs.data import load as load_data
    from .scenario import load as load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, lang)
    scenario = with_overrides(scenario, budget_rp=budget_rp, method=method, solver=solver)
    data = load_data(data_file)
    return Inputs(scenario, data, load_eligible(scenario, data, eligible_file))
