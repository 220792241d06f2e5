"""The machine CSV of the per-region tables (:func:`optimizer.render.csv.columns_csv`) against
:func:`csv.writer` over the rows, each cell written on its own by the rules of the module
docstring: on a seeded corpus of columns of every kind, few and many values, so that each of
its ways is taken (numbers once per distinct value or cell by cell, text coded or not,
neighbouring columns joined or not: too many pairs that occur, or that could)."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest

from optimizer.columnar import Columns, text
from optimizer.render import csv as csv_writer
from optimizer.render.format import neutralise

WORDS = ["desa", "kab", "=SUM(A1)", "+62", "-", "-1+1", "@x", "\tx", "a,b", 'say "hi"', "two\nlines", "", "é ü"]


def _cell(name: str, value: object, full: set[str], whole: set[str]) -> str:
    """One cell as the module docstring says, on its own."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        v = float(value)
        if v != v:
            return ""
        if name in full:
            return repr(v)
        if name in whole:
            return str(int(v)) if v.is_integer() else f"{v:g}"
        return f"{v:g}"
    if isinstance(value, int | np.integer):
        return "" if name.endswith("_year") and int(value) == 0 else str(int(value))
    return str(neutralise(value))


def _by_rows(columns: Columns, names: list[str], full: set[str], whole: set[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for i in range(columns.n):
        writer.writerow([_cell(name, columns[name][i], full, whole) for name in names])
    return buffer.getvalue()


def _corpus(seed: int, n: int) -> Columns:
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2100, n)  # 2100 groups: their columns have too many possible pairs to join
    floats = rng.choice([0.0, -0.0, 1.5, 1e16, 1e-5, 2.0, 1 / 3, -7.25, math.inf, math.nan], n)
    return Columns(
        {
            "region_code": text([f"{i:010d}" for i in rng.permutation(n)]),
            "region_name": text([f"{rng.choice(WORDS)} {i}" for i in range(n)]),
            "region_type": text(rng.choice(WORDS[:4], n).tolist()),
            "status": text(rng.choice(["estimate", "published"], n).tolist()),
            "basis": text(["own"] * n),
            "note": text(rng.choice(WORDS, n).tolist()),
            "level": rng.integers(0, 3, n),
            "unit": rng.random(n) < 0.5,
            "idg": np.round(group * 0.37, 2),
            "idg_reference": np.round(group * 0.11, 2),
            "data_year": rng.choice([0, 2023, 2024], n),
            "rate": floats,
            "eligible": np.where(rng.random(n) < 0.1, math.nan, rng.integers(0, 50, n).astype(float)),
            "population": np.round(rng.random(n) * 1e6, 1),
            "share": rng.random(n),
            "quota": np.where(rng.random(n) < 0.05, floats, rng.random(n) * 1000),
            "recipients": rng.integers(-3, 300, n),
            "cost_rp": rng.integers(0, 300, n) * 3_000_000,
            "binding": text(rng.choice(["", "upper", "lower"], n).tolist()),
            "mixed": text([None if i % 7 == 0 else (i if i % 3 else f"t{i % 5}") for i in range(n)]),
        }
    )


@pytest.mark.parametrize(("seed", "n"), [(0, 0), (1, 1), (2, 7), (3, 1500), (4, 12_000), (5, 3000)])
def test_the_column_csv_writer_writes_what_csv_writer_writes_cell_by_cell(seed, n):
    columns = _corpus(seed, n)
    full, whole = {"share", "quota"}, {"eligible", "population"}
    rng = np.random.default_rng(seed)
    names = list(columns)
    orders = [names, list(rng.permutation(names)), names[:3], ["status", "basis", "level", "unit", "binding"]]
    for order in orders:
        assert csv_writer.columns_csv(columns, order, full, whole) == _by_rows(columns, order, full, whole)
    for name in names:  # one column: the writer quotes a lone empty cell
        assert csv_writer.columns_csv(columns, [name], full, whole) == _by_rows(columns, [name], full, whole)


def test_each_way_of_the_column_csv_writer_is_taken_by_the_corpus(monkeypatch):
    """The corpus of the test above reaches every way of writing (else it would prove less)."""
    taken: set[str] = set()
    pair, distinct = csv_writer._pair, csv_writer._distinct

    def pair_watched(left, right):
        joined = pair(left, right)
        wide = len(left[1]) * len(right[1]) > csv_writer._PAIRS
        taken.add("wide" if wide else "none" if joined is None else "joined")
        return joined

    def distinct_watched(values):
        answer = distinct(values)
        taken.add(f"distinct {answer}")
        return answer

    monkeypatch.setattr(csv_writer, "_pair", pair_watched)
    monkeypatch.setattr(csv_writer, "_distinct", distinct_watched)
    columns = _corpus(4, 12_000)
    csv_writer.columns_csv(columns, list(columns), {"share", "quota"}, {"eligible", "population"})
    assert taken == {"wide", "none", "joined", "distinct True", "distinct False"}
