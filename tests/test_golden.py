"""CHANGE DETECTOR: the shipped scenarios' numbers are those recorded in tests/data/golden_outputs.json.

This does not prove the numbers right: they were recorded from this code (see tests/golden.py). It catches an
unintended change of any allocation, need share, quota, bound or indicator value; when a change is intended,
re-record with ``python tests/golden.py`` and say why in the commit. Correctness is pinned by independent
expectations in test_published.py (a real Sainte-Laguë election, a published Hamilton example, an exact second
implementation), test_apportion.py and test_verify.py (hand-computed cases).
"""

from __future__ import annotations

import json

import golden
import pytest

GOLDEN = json.loads(golden.PATH.read_text(encoding="utf-8"))
REGEN = "numbers changed; if intended, re-record with `python tests/golden.py` and say why in the commit"


@pytest.mark.parametrize("case", sorted(GOLDEN["runs"]), ids=lambda case: case.replace("\t", " "))
def test_run_numbers_unchanged(case):
    assert golden.numbers(golden.invoke(case.split("\t"))) == GOLDEN["runs"][case], REGEN


def test_indicator_values_unchanged():
    assert golden.data_numbers(golden.invoke(["data", "--format", "json"])) == GOLDEN["data"], REGEN


def test_every_recorded_case_is_still_a_case():
    assert sorted(GOLDEN["runs"]) == sorted("\t".join(c) for c in golden.cases()), REGEN
    assert GOLDEN["region_fields"] == list(golden.REGION_FIELDS)
