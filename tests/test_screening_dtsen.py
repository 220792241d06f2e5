"""DTSEN as the data-base criterion (Inpres 4/2025 merged DTKS and P3KE into DTSEN, desil 1-10).

The SK 40.9/33/DS.V/2023 wording (DTKS and P3KE) stays the default rule; a scenario's
``[screening] database = "dtsen"`` with ``dtsen_max_desil`` screens on the DTSEN desil instead.
Candidates are synthetic (tests/synthetic_candidates.py).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from click.testing import CliRunner
from synthetic_candidates import Spec, row

from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.screening.columns import parse_desil
from optimizer.screening.rules import DatabaseRule
from optimizer.screening.screen import screen

AS_OF = dt.date(2027, 1, 1)


def write_csv(path, rows):
    """The rows with exactly their own columns (the shared writer always adds the SK's columns)."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _rows(desils, *, drop_dtks=True, dtsen_column=None):
    rng = random.Random(7)
    out = []
    for i, desil in enumerate(desils):
        cells = row(Spec(number=i, region="6403", born=dt.date(1985, 3, 1 + i)), rng, spell=False)
        if drop_dtks:
            cells.pop("Status DTKS")
            cells.pop("Terdaftar P3KE")
        cells["Desil DTSEN"] = desil
        if dtsen_column is not None:
            cells["Terdaftar DTSEN"] = dtsen_column[i]
        out.append(cells)
    return out


def _eligible(result) -> list[bool]:
    return [bool(v) for v in result.decisions["eligible"]]


def _codes(result) -> list[tuple[str, ...]]:
    return [tuple(f.code for f in findings) for findings in result.decisions["rejections"]]


def test_parse_desil():
    # empty, "tidak" or 0 (written as "no"): not listed in DTSEN, which rejects
    assert [parse_desil(v) for v in ("1", 4, "4.0", " Desil 3 ", "", None, "tidak", "0")] == [
        1,
        4,
        4,
        3,
        None,
        None,
        None,
        None,
    ]
    for bad in ("11", "-1", "2,5", "abc", True):
        with pytest.raises(ValueError):
            parse_desil(bad)


def test_dtsen_rule_uses_the_desil_limit_and_needs_no_dtks_column(tmp_path):
    path = write_csv(tmp_path / "kukar.csv", _rows(["1", "4", "5", "", "x"]))
    result = screen([path], AS_OF, database=DatabaseRule("dtsen", 4))
    assert _eligible(result) == [True, True, False, False, False]
    codes = _codes(result)
    assert codes[2] == ("dtsen_desil_above",) and codes[3] == ("not_in_dtsen",)
    assert codes[4] == ("unreadable_dtsen_desil",)
    assert "di atas batas desil 4" in result.decisions["rejections"].iloc[2][0].text("id")


def test_a_no_in_the_dtsen_column_rejects_even_with_a_desil(tmp_path):
    path = write_csv(tmp_path / "kukar.csv", _rows(["2", "2"], dtsen_column=["ya", "tidak"]))
    result = screen([path], AS_OF, database=DatabaseRule("dtsen", 4))
    assert _eligible(result) == [True, False]


def test_the_sk_rule_stays_the_default(tmp_path):
    path = write_csv(tmp_path / "kukar.csv", _rows(["1"], drop_dtks=True))
    with pytest.raises(InputError, match="Status DTKS"):
        screen([path], AS_OF)  # the SK's DTKS column is required by the default rule
    with_dtks = write_csv(tmp_path / "full.csv", _rows(["9"], drop_dtks=False))
    assert _eligible(screen([with_dtks], AS_OF)) == [True]  # the desil is not read under the SK rule
    no_desil = [{k: v for k, v in r.items() if k != "Desil DTSEN"} for r in _rows(["1"], drop_dtks=False)]
    with pytest.raises(InputError, match="Desil DTSEN"):
        screen([write_csv(tmp_path / "nodesil.csv", no_desil)], AS_OF, database=DatabaseRule("dtsen", 4))


@pytest.mark.parametrize("limit", [None, 0, 11])
def test_the_dtsen_rule_needs_a_desil_limit_from_1_to_10(limit):
    with pytest.raises(InputError, match="desil"):
        DatabaseRule("dtsen", limit)


def test_the_scenario_sets_the_rule_for_wrse_screen(tmp_path):
    scenario = tmp_path / "dtsen.toml"
    scenario.write_text(
        'extends = "next-fiscal-year"\n[scenario]\nname = "dtsen"\n'
        '[screening]\ndatabase = "dtsen"\ndtsen_max_desil = 3\n',
        encoding="utf-8",
    )
    path = write_csv(tmp_path / "kukar.csv", _rows(["1", "3", "4"]))
    counts = tmp_path / "counts.csv"
    result = CliRunner().invoke(main, ["screen", str(path), "--scenario", str(scenario), "--counts", str(counts)])
    assert result.exit_code == 0, result.output
    text = counts.read_text(encoding="utf-8")
    assert "6403,Kab. Kutai Kartanegara,2,2,3,1,0" in text  # desil 1 and 3 pass, 4 is above the limit
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "next-fiscal-year"\n[screening]\ndatabase = "dtsen"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["screen", str(path), "--scenario", str(bad)])
    assert result.exit_code == 1 and "screening.dtsen_max_desil" in result.output
