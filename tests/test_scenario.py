"""Scenario files: every key checked, errors name the file and key."""

import re

import pytest

from optimizer.errors import InputError
from optimizer.scenario import load, shipped_scenarios

BASE = """
[scenario]
fiscal_year = 2027
budget = "600 juta"
[indicators]
idg_year = 2019
poverty_year = 2024
[eligible]
source = "proxy"
proxy = "poor_population"
year = 2024
[weights]
idg_gap = 30
poverty_rate = 30
eligible = 40
"""


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_scenarios_load():
    names = {p.stem for p in shipped_scenarios()}
    assert {"baseline-2023", "all-ten-same-budget", "next-fiscal-year", "next-fiscal-year-latest-idg"} <= names
    for path in shipped_scenarios():
        scenario = load(path)
        assert scenario.budget_rp >= scenario.cost_per_recipient_rp


def test_baseline_2023_is_the_2023_programme():
    s = load("baseline-2023")
    assert s.budget_rp == 150_000_000 and s.grant_rp == 3_000_000 and s.fiscal_year == 2023
    assert s.include == ("6403", "6472")
    assert s.budget_rp // s.cost_per_recipient_rp == 50


def test_extends_makes_a_modified_copy():
    s = load("all-ten-same-budget")
    assert s.include is None and s.budget_rp == 150_000_000 and s.allow_fallback
    assert [p.name for p in s.files] == ["all-ten-same-budget.toml", "baseline-2023.toml"]


def test_minimal_file_and_defaults(tmp_path):
    s = load(write(tmp_path, BASE))
    assert s.name == "s" and s.method == "sainte-lague" and s.include is None
    # fiscal year 2027 without a grant of its own: the latest dated value, UEP 2026, Rp 5 juta per family
    assert (s.grant_rp, s.grant_rule, s.grant_value.year, s.grant_value.recipient_unit) == (
        5_000_000,
        "in_force",
        2026,
        "family",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[weights]", "[weights]\nelligible = 4"), "unknown key 'weights.elligible'"),
        (("[scenario]", "[scenario]\nbudgett = 1"), "unknown key 'scenario.budgett'"),
        (("[scenario]", "[scenario]\nmethod = 'dhondt'"), "key 'scenario.method' is 'dhondt'"),
        (('budget = "600 juta"', 'budget = "enam ratus juta"'), "key 'scenario.budget'"),
        (('budget = "600 juta"', 'budget = "2 juta"'), "below the cost of one recipient"),
        (('budget = "600 juta"', "budget = -5"), "negative"),
        (("idg_gap = 30", "idg_gap = -1"), "key 'weights.idg_gap' is -1.0"),
        (
            ("idg_gap = 30\npoverty_rate = 30\neligible = 40", "idg_gap = 0\npoverty_rate = 0\neligible = 0"),
            "every key in [weights] is 0",
        ),
        (("idg_year = 2019", "idg_year = '2019'"), "key 'indicators.idg_year' is '2019'; expected an integer"),
        (("idg_year = 2019\n", ""), "key 'indicators.idg_year' is missing"),
        (("[indicators]", "[indicators]\nallow_fallback = 'yes'"), "expected true/false"),
        (('proxy = "poor_population"', 'proxy = "population"'), "key 'eligible.proxy'"),
        (("[weights]", "[regions]\ninclude = ['Kukar', 'Atlantis']\n[weights]"), "'Atlantis', not a known"),
        (("[weights]", "[regions]\ninclude = ['64.02']\n[weights]"), "Kemendagri-style code"),
        (("[weights]", "[constraints]\nfloors = { 6401 = 5 }\ncaps = { 6401 = 3 }\n[weights]"), "above its cap"),
        (("[weights]", "[constraints]\nfloor_all = 5\ncap_all = 2\n[weights]"), "above 'constraints.cap_all'"),
        (("[weights]", "[constraints]\nfloor_all = -5\n[weights]"), "key 'constraints.floor_all' is -5; expected"),
        (("[weights]", "[constraints]\ncap_all = -2\n[weights]"), "key 'constraints.cap_all' is -2; expected"),
        (("[weights]", "[constraints]\nlocks = { Kukar = 500 }\n[weights]"), "more than the budget"),
        (("[weights]", "[constraints]\nfloors = { 6401 = 1.5 }\n[weights]"), "expected a whole number"),
        (
            ("[weights]", "[regions]\ninclude = ['6401']\n[constraints]\ncaps = { 6403 = 2 }\n[weights]"),
            "not in regions.include",
        ),
        (("[weights]", "__import__ = 1\n[weights]"), "unknown key 'eligible.__import__'"),
    ],
)
def test_bad_fields_name_file_and_key(tmp_path, change, message):
    old, new = change
    assert old in BASE
    with pytest.raises(InputError) as info:
        load(write(tmp_path, BASE.replace(old, new, 1)))
    text = str(info.value)
    assert message in text, text
    assert "s.toml" in text and "\n" not in text


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="not valid TOML"):
        load(write(tmp_path, "[scenario\nbudget = 1"))
    with pytest.raises(InputError, match="no such scenario file"):
        load(tmp_path / "nope.toml")


def test_extends_cycle(tmp_path):
    write(tmp_path, 'extends = "b.toml"\n' + BASE, "a.toml")
    write(tmp_path, 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(InputError, match="cycle"):
        load(tmp_path / "a.toml")


def test_region_names_in_constraints_become_bps_codes(tmp_path):
    text = BASE + "[constraints]\nfloors = { Kukar = 3, 'Kab. Kutai Barat' = 2, PPU = 1 }\n"
    assert dict(load(write(tmp_path, text)).floors) == {"6402": 2, "6403": 3, "6409": 1}


def test_bom_and_shipped_extends(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'extends = "next-fiscal-year"\n[scenario]\nbudget = "300 juta"\n')
    s = load(path)
    assert s.budget_rp == 300_000_000 and s.fiscal_year == 2027 and s.floor_all == 5


RATIONALE = """
[rationale.weights]
text = "Bobot mengikuti prioritas RPJMD"
reference = "RPJMD Prov. Kaltim 2025-2029"

[rationale.floors]
text = "Satu kelas bimtek per wilayah"

[document]
number = "400.9/123/DS"
date = "2026-12-01"
"""


def test_rationale_and_document_are_read(tmp_path):
    s = load(write(tmp_path, BASE + RATIONALE))
    assert s.rationale["weights"].reference == "RPJMD Prov. Kaltim 2025-2029"
    assert s.rationale["floors"].text == "Satu kelas bimtek per wilayah" and s.rationale["floors"].reference == ""
    assert dict(s.document) == {"number": "400.9/123/DS", "date": "2026-12-01"}
    assert "caps" not in s.rationale


@pytest.mark.parametrize(
    "change, message",
    [
        (('date = "2026-12-01"', 'date = "1 Des 2026"'), "key 'document.date' is '1 Des 2026'; expected a date"),
        (('text = "Satu kelas', 'why = "Satu kelas'), "unknown key 'rationale.floors.why'"),
        (("[document]", '[rationale.weights2]\ntext = "x"\n[document]'), "unknown key 'rationale.weights2'"),
        (('number = "400', 'nomor = "400'), "unknown key 'document.nomor'"),
    ],
)
def test_bad_rationale_or_document_names_the_key(tmp_path, change, message):
    with pytest.raises(InputError, match=re.escape(message)):
        load(write(tmp_path, (BASE + RATIONALE).replace(*change, 1)))


def test_a_child_that_changes_a_choice_does_not_inherit_its_reason(tmp_path):
    write(tmp_path, BASE + RATIONALE, "parent.toml")
    child = load(write(tmp_path, 'extends = "parent.toml"\n[weights]\nidg_gap = 1\n', "child.toml"))
    assert "weights" not in child.rationale and "floors" in child.rationale
    assert dict(child.document) == {}  # the heading of one document is not inherited
