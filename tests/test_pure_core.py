"""The core opens no file: loading and provenance happen once at the edge (optimizer.compose)."""

from __future__ import annotations

import builtins
import io
import os
import pathlib

import pytest

from optimizer import engine, hierarchy
from optimizer.analysis.base import build
from optimizer.compose import load_eligible, load_inputs
from optimizer.errors import InputError


@pytest.fixture
def no_files(monkeypatch):
    """Make every way of opening a file raise while the test body runs."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"the core opened a file: {args[:1]}")

    def enable():
        monkeypatch.setattr(builtins, "open", refuse)
        monkeypatch.setattr(io, "open", refuse)
        monkeypatch.setattr(os, "open", refuse)
        monkeypatch.setattr(pathlib.Path, "open", refuse)
        monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
        monkeypatch.setattr(pathlib.Path, "read_text", refuse)

    return enable


def _counts_file(tmp_path, kaltim):
    counts = tmp_path / "counts.csv"
    rows = [f"{r.code},{500 + 10 * i},{i}" for i, r in enumerate(kaltim.units)]
    counts.write_text("region_code,eligible,priority\n" + "\n".join(rows))
    return counts


def test_the_guard_catches_an_open(no_files, tmp_path):
    # The guard itself can fail: reading a file under it raises.
    target = tmp_path / "x.txt"
    target.write_text("x")
    no_files()
    with pytest.raises(AssertionError, match="opened a file"):
        target.read_text()
    with pytest.raises(AssertionError, match="opened a file"):
        open(target)  # noqa: SIM115


def test_allocate_opens_no_file(no_files, tmp_path, kaltim, next_year):
    eligible = load_eligible(next_year, kaltim, _counts_file(tmp_path, kaltim))
    expected = engine.allocate(next_year, kaltim, eligible)
    no_files()
    again = engine.allocate(next_year, kaltim, eligible, budget_rp=450_000_000, method="hamilton")
    same = engine.allocate(next_year, kaltim, eligible)
    assert same.recipients() == expected.recipients()
    assert again.allocated == 450_000_000 // next_year.cost_per_recipient_rp
    assert same.eligible_file == tmp_path / "counts.csv" and len(same.eligible_sha256) == 64


def test_analysis_base_and_hierarchy_open_no_file(no_files, kaltim, next_year):
    # A first run loads the package's own constants (message catalogues) once per process;
    # every run after it reads nothing.
    hierarchy.allocate_hierarchical(next_year, kaltim)
    no_files()
    base = build(next_year, kaltim, strict=True)
    tree = hierarchy.allocate_hierarchical(next_year, kaltim)
    assert base.allocation.recipients() == {
        c: int(n) for c, n in zip(tree.units["region_code"], tree.units["recipients"], strict=True)
    }


def test_counts_file_is_read_once_at_the_edge(tmp_path, kaltim, next_year):
    counts = _counts_file(tmp_path, kaltim)
    inputs = load_inputs(next_year, None, counts)
    assert inputs.eligible.path == counts and inputs.eligible.sheet is None
    allocation = engine.allocate(inputs.scenario, inputs.data, inputs.eligible)
    assert allocation.eligible_method == "file"
    assert allocation.included["eligible"].tolist() == [500 + 10 * i for i in range(len(kaltim.units))]
    assert allocation.included["priority"].tolist() == list(range(len(kaltim.units)))


def test_a_scenario_whose_counts_file_was_not_read_is_refused(tmp_path, kaltim, next_year):
    counts = _counts_file(tmp_path, kaltim)
    from_file = next_year.replace(eligible=next_year.eligible.__class__(source="file", file=counts))
    with pytest.raises(InputError, match="was not read"):
        engine.allocate(from_file, kaltim)
    read = load_eligible(from_file, kaltim)
    assert engine.allocate(from_file, kaltim, read).eligible_sha256 == read.sha256
