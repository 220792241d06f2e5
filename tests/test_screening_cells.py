"""Cells of candidate lists: yes/no, dates, NIK decoding, masking and redaction."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from synthetic_candidates import format_date, make_nik

from optimizer.i18n import catalogue
from optimizer.screening import columns, nik
from optimizer.screening.rules import REJECTIONS, WARNINGS, label


@pytest.mark.parametrize("text", ["ya", "YA", "Ya", "y", "Y", "1", "true", "TRUE", "True", " ya ", "iya", "Terdaftar"])
def test_yes_spellings(text):
    assert columns.parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["tidak", "TIDAK", "t", "T", "0", "false", "False", "belum", "Tidak Terdaftar", "n"])
def test_no_spellings(text):
    assert columns.parse_yes_no(text) is False


def test_yes_no_cells_from_spreadsheets():
    assert columns.parse_yes_no(True) is True
    assert columns.parse_yes_no(0) is False
    assert columns.parse_yes_no(1.0) is True
    assert columns.parse_yes_no("") is None
    assert columns.parse_yes_no(None) is None


def test_yes_no_error_does_not_quote_the_cell():
    with pytest.raises(ValueError) as caught:
        columns.parse_yes_no("6402015503850001")
    assert "6402015503850001" not in str(caught.value)
    assert "ya/tidak" in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31-12-1980", dt.date(1980, 12, 31)),
        ("31/12/1980", dt.date(1980, 12, 31)),
        ("31.12.1980", dt.date(1980, 12, 31)),
        ("1980-12-31", dt.date(1980, 12, 31)),
        ("1980-12-31 00:00:00", dt.date(1980, 12, 31)),
        ("1-2-1990", dt.date(1990, 2, 1)),
        ("31 Desember 1980", dt.date(1980, 12, 31)),
        ("17 Agt 1985", dt.date(1985, 8, 17)),
        ("5 mei 1979", dt.date(1979, 5, 5)),
        (dt.datetime(1980, 12, 31, 0, 0), dt.date(1980, 12, 31)),
        (dt.date(1980, 12, 31), dt.date(1980, 12, 31)),
        (29586, dt.date(1980, 12, 31)),  # Excel serial day number, 1900 date system
    ],
)
def test_date_spellings(cell, expected):
    assert columns.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["12/31/1980", "31-12-80", "30-02-1990", "kemarin", "1979", "00-01-1979"])
def test_unreadable_dates_raise_without_the_value(cell):
    with pytest.raises(ValueError) as caught:
        columns.parse_date(cell)
    assert str(cell) not in str(caught.value)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_style_reads_back(born):
    for style in ("dmy-dash", "dmy-slash", "iso", "named", "date"):
        assert columns.parse_date(format_date(born, style)) == born


def test_nik_decoding_and_kemendagri_translation():
    # 64.02 is Kutai Kartanegara in Kemendagri coding: BPS 6403, not BPS 6402 (Kutai Barat).
    facts = nik.facts("6402015503850001")
    assert facts.valid and facts.female
    assert (facts.day, facts.month, facts.yy) == (15, 3, 85)
    assert facts.kemendagri == "64.02" and facts.bps == "6403"
    assert nik.facts("6407014203900002").bps == "6402"  # Kemendagri 64.07 = Kutai Barat = BPS 6402
    assert nik.facts("6403011111110003").bps == "6405"  # 64.03 = Berau = BPS 6405
    man = nik.facts("6402011503850004")
    assert man.valid and not man.female
    assert nik.facts("6404015503850005").bps == ""  # 64.04: not one of the ten today
    assert nik.facts("3201015503850006").province == "32"


@pytest.mark.parametrize(
    "digits",
    [
        "6402013503850001",  # day 35: neither a man's (1-31) nor a woman's (41-71)
        "6402017203850001",  # day 72
        "6402015513850001",  # month 13
        "6402017102850001",  # 31 February (woman)
        "0402015503850001",  # province starting with 0
        "6400015503850001",  # kabupaten/kota 00
        "640201550385001",  # 15 digits
    ],
)
def test_impossible_niks(digits):
    assert not nik.facts(digits).valid


def test_nik_birth_date_century_and_agreement():
    facts = nik.facts("6472014101670005")
    assert facts.birth_date(dt.date(2027, 1, 1)) == dt.date(1967, 1, 1)
    assert nik.facts("6472034201090004").birth_date(dt.date(2027, 1, 1)) == dt.date(2009, 1, 2)
    assert facts.agrees_with(dt.date(1967, 1, 1))
    assert not facts.agrees_with(dt.date(1967, 1, 2))


def test_read_cell_forms():
    assert nik.read_cell("6402015503850001").digits == "6402015503850001"
    assert nik.read_cell("'6402015503850001").digits == "6402015503850001"
    assert nik.read_cell("6402 0155 0385 0001").digits == "6402015503850001"
    assert nik.read_cell("6402.0155.0385.0001").digits == "6402015503850001"
    number = nik.read_cell(6402015503850001)
    assert number.digits == "6402015503850001" and number.stored_as_number
    assert nik.read_cell(6.402015503850001e15).stored_as_number
    assert nik.read_cell("6,40202E+15").scientific
    assert nik.read_cell("6.40202e15").scientific
    assert nik.read_cell("").empty and nik.read_cell(None).empty
    assert nik.read_cell("NIK-ABC").digits is None


def test_mask_keeps_at_most_first_six_and_last_two():
    assert nik.mask("6402045012800012") == "640204********12"
    assert nik.mask("12345") == "*****"
    assert nik.mask("") == "" and nik.mask(None) == ""


@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_mask_never_shows_more_than_eight_digits(digits):
    masked = nik.mask(digits)
    assert len(masked) == len(digits)
    shown = re.sub(r"\D", "", masked)
    assert len(shown) <= 8
    if len(digits) >= 10:
        assert masked.startswith(digits[:6]) and masked.endswith(digits[-2:])


@given(st.lists(st.integers(0, 9), min_size=16, max_size=16), st.text(max_size=40), st.sampled_from(["", " ", "-"]))
def test_redact_removes_any_nik(digits, around, separator):
    full = "".join(map(str, digits))
    written = separator.join(full[i : i + 4] for i in range(0, 16, 4))
    text = f"{around} {written} {around}"
    assert full not in re.sub(r"[ \-]", "", nik.redact(text))


def test_redact_leaves_rupiah_amounts():
    assert nik.redact("Rp 1.500.000.000 untuk 500 penerima") == "Rp 1.500.000.000 untuk 500 penerima"


def test_generator_makes_niks_with_the_stated_birth_date():
    rng = random.Random(5)
    born = dt.date(1988, 7, 9)
    facts = nik.facts(make_nik(rng, born, region="6472"))
    assert facts.valid and facts.female and facts.agrees_with(born) and facts.bps == "6472"


def test_every_reason_and_warning_has_words_in_both_languages():
    for lang in ("id", "en"):
        for code in (*REJECTIONS, *WARNINGS):
            assert label(code, lang)
    screen_keys = {k for k in catalogue("id") if k.startswith(("screen.", "select."))}
    assert screen_keys == {k for k in catalogue("en") if k.startswith(("screen.", "select."))}
    # plural tables differ by language (CLDR categories); tests/test_language.py checks them
    assert {k for k in catalogue("id") if not k.startswith("plural.")} == {
        k for k in catalogue("en") if not k.startswith("plural.")
    }
