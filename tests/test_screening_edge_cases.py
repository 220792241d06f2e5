"""Screening on the NIKs, dates and cells people actually send: old region codes, impossible
provinces, birth dates after the reference date, NIKs typed in the name column.

Every NIK here is synthetic (tests/synthetic_candidates.py or built digit by digit below).
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from screening_files import file_rows
from synthetic_candidates import Spec, birth_for_age, make_nik, row, write_csv, write_xlsx

from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.screening import nik
from optimizer.screening.rules import EARLIEST_AS_OF, LATEST_AS_OF, Candidate, age_on, assess
from optimizer.screening.screen import screen

AS_OF = dt.date(2027, 1, 1)
SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")
# The header of the newcomer's report (no Jenis Usaha, short head-of-family header).
SHORT_HEADER = (
    "NIK,Nama,Tanggal Lahir,Kabupaten/Kota,Status DTKS,Terdaftar P3KE,Penerima PKH,Penerima KUBE,"
    "Kepala Keluarga,Memiliki Usaha"
)


def one_row_list(path, nik_digits: str, born: str, region: str = "Kukar", name: str = "Calon Uji 1"):
    """A one-candidate list in the newcomer's layout: eligible on every criterion column."""
    path.write_text(
        f"{SHORT_HEADER}\n{nik_digits},{name},{born},{region},ya,ya,tidak,tidak,ya,tidak\n", encoding="utf-8"
    )
    return path


def woman_nik(prefix: str, born: dt.date, serial: int = 4013, kecamatan: int = 9) -> str:
    """A synthetic woman's NIK: 4 region digits, kecamatan, DDMMYY with day + 40, serial."""
    return f"{prefix}{kecamatan:02d}{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def codes(findings) -> str:
    return ";".join(f.code for f in findings)


# ---------------------------------------------------------------- 1. region codes not in the registry


@pytest.mark.parametrize("prefix", ["6404", "6405", "6406", "6410", "6412", "6413", "6473", "6475", "6499"])
def test_kaltim_code_outside_the_registry_is_a_warning_not_a_crash(tmp_path, prefix):
    # 64.04 (Bulungan) and 64.73 (Tarakan) are pre-2012 codes, now Kalimantan Utara; the others are unknown
    born = dt.date(1970, 2, 21)
    path = one_row_list(tmp_path / "nk.csv", woman_nik(prefix, born), "21-02-1970")
    d = screen([path], AS_OF).decisions
    assert bool(d.iloc[0]["eligible"]) is True
    assert codes(d.iloc[0]["rejections"]) == ""
    assert codes(d.iloc[0]["warnings"]) == "nik_region_unknown"
    assert d.iloc[0]["nik_region_code"] == ""
    assert d.iloc[0]["region_code"] == "6403"
    words = d.iloc[0]["warnings"][0].text("en")
    assert f"NIK region code {prefix[:2]}.{prefix[2:]} is not one of the ten" in words
    assert "Kalimantan Utara" in words
    assert int(d.iloc[0]["age"]) == 56  # 21-02-1970 to 01-01-2027


def test_the_reported_command_runs(runner, tmp_path):
    path = one_row_list(tmp_path / "nk.csv", woman_nik("6404", dt.date(1970, 2, 21)), "21-02-1970")
    result = runner.invoke(main, ["screen", str(path), "--lang", "en", "--as-of", "2027-01-01"])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert "Rows read: 1 · eligible: 1" in result.stdout
    assert re.search(r"^\s+1\s+NIK region code unknown", result.stdout, re.MULTILINE)
    assert "nik_region_unknown" not in result.stdout  # the reader's words, not the code


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=16, max_size=16),
    st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
    st.dates(EARLIEST_AS_OF, LATEST_AS_OF),
)
def test_any_sixteen_digits_give_a_decision_never_an_exception(digits, stated, as_of):
    """Whatever the digits and dates, assess returns a decision; an age is never negative."""
    flags = dict.fromkeys(("dtks", "p3ke", "head_of_family"), True) | {"pkh": False, "kube": False}
    candidate = Candidate(nik.read_cell(digits), stated, "6403", flags | {"has_business": False}, {})
    decision = assess(candidate, as_of)
    assert decision.age is None or decision.age >= 0
    assert all(f.text("id") and f.text("en") for f in decision.rejections + decision.warnings)
    if stated is not None and stated > as_of:
        assert "birth_date_after_as_of" in codes(decision.rejections) and decision.age is None


# ---------------------------------------------------------------- 2. province codes


def test_province_codes_are_the_38_of_kepmendagri_2022():
    # Kepmendagri No. 100.1.1-6117 Tahun 2022: 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, 91-96
    ranges = [(11, 19), (21, 21), (31, 36), (51, 53), (61, 65), (71, 76), (81, 82), (91, 96)]
    expected = {f"{n}" for low, high in ranges for n in range(low, high + 1)}
    assert set(nik.PROVINCES) == expected and len(expected) == 38
    assert nik.PROVINCES["64"] == "Kalimantan Timur" and nik.PROVINCES["65"] == "Kalimantan Utara"


@pytest.mark.parametrize("province", ["00", "01", "10", "20", "22", "30", "37", "50", "54", "60", "66", "70", "99"])
def test_impossible_province_is_rejected(tmp_path, province):
    path = one_row_list(tmp_path / "p.csv", woman_nik(province + "04", dt.date(1970, 2, 21)), "21-02-1970")
    d = screen([path], AS_OF).decisions
    assert bool(d.iloc[0]["eligible"]) is False
    assert codes(d.iloc[0]["rejections"]) == "nik_invalid"
    assert "province code (digits 1-2" in d.iloc[0]["rejections"][0].text("en")
    assert nik.facts(woman_nik(province + "04", dt.date(1970, 2, 21))).valid is False


@pytest.mark.parametrize("province", sorted(set(nik.PROVINCES) - {"64"}))
def test_every_other_province_is_a_warning_that_names_it(province):
    digits = woman_nik(province + "71", dt.date(1985, 3, 15))
    flags = {"dtks": True, "p3ke": True, "pkh": False, "kube": False, "head_of_family": True, "has_business": False}
    decision = assess(Candidate(nik.read_cell(digits), dt.date(1985, 3, 15), "6472", flags, {}), AS_OF)
    assert decision.eligible
    assert codes(decision.warnings) == "nik_other_province"
    assert f"(province code {province}, {nik.PROVINCES[province]})" in decision.warnings[0].text("en")


# ---------------------------------------------------------------- 3. birth dates after the reference date


def test_birth_date_after_the_reference_date_is_a_clear_reason(tmp_path):
    # the NIK says 21-02-70, the list says 2070: a typing error, not a 44-year-old-in-minus
    path = one_row_list(tmp_path / "f.csv", woman_nik("6402", dt.date(1970, 2, 21)), "21-02-2070")
    d = screen([path], AS_OF).decisions
    got = d.iloc[0]
    assert bool(got["eligible"]) is False
    assert codes(got["rejections"]) == "nik_birth_date_mismatch;birth_date_after_as_of"
    assert str(got["age"]) == "<NA>"
    assert got["rejections"][1].text("en") == (
        "The stated birth date is after the reference date 01-01-2027: a typing error? check it against the KTP; "
        "no age is computed"
    )
    assert "age_under_18" not in codes(got["rejections"])


def test_birth_date_after_the_reference_date_without_a_usable_nik(tmp_path):
    rows = [row(Spec(1, "6472", dt.date(2030, 5, 1), nik="12345"), random.Random(1))]
    d = screen([write_csv(tmp_path / "f.csv", rows)], AS_OF).decisions
    assert codes(d.iloc[0]["rejections"]) == "nik_format;birth_date_after_as_of"
    assert str(d.iloc[0]["age"]) == "<NA>"


def test_age_is_never_negative():
    assert age_on(dt.date(2000, 1, 2), dt.date(2018, 1, 1)) == 17
    assert age_on(dt.date(2027, 1, 1), dt.date(2027, 1, 1)) == 0
    with pytest.raises(ValueError):
        age_on(dt.date(2070, 2, 21), dt.date(2027, 1, 1))


@pytest.mark.parametrize("as_of", ["1900-01-01", "31-12-1999", "2101-01-01"])
def test_implausible_reference_date_is_a_usage_error(runner, tmp_path, as_of, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    path = one_row_list(tmp_path / "a.csv", woman_nik("6402", dt.date(1970, 2, 21)), "21-02-1970")
    counts = tmp_path / "c.csv"
    result = runner.invoke(main, ["screen", str(path), "--as-of", as_of, "--counts", str(counts)])
    assert result.exit_code == 2, result.output
    assert "--as-of" in result.output and "expected a date from 01-01-2000 to 31-12-2100" in result.output
    assert not counts.exists()


@pytest.mark.parametrize("as_of", ["2000-01-01", "31-12-2100"])
def test_reference_dates_at_the_edges_are_accepted(runner, tmp_path, as_of):
    path = one_row_list(tmp_path / "a.csv", woman_nik("6402", dt.date(1970, 2, 21)), "21-02-1970")
    result = runner.invoke(main, ["screen", str(path), "--as-of", as_of])
    assert result.exit_code == 0, result.output


def test_the_library_refuses_an_implausible_reference_date(tmp_path):
    path = one_row_list(tmp_path / "a.csv", woman_nik("6402", dt.date(1970, 2, 21)), "21-02-1970")
    with pytest.raises(InputError, match="01-01-1900 is not plausible; expected a date from 01-01-2000"):
        screen([path], dt.date(1900, 1, 1))


# ---------------------------------------------------------------- 4. a NIK in the name column


def swapped_rows(rng: random.Random) -> tuple[list[dict], set[str]]:
    """Rows whose NIK and Nama cells are swapped or where a NIK is typed into the name."""
    rows, niks = [], set()
    for number in range(1, 5):
        spec = Spec(number, "6403", birth_for_age(rng, 30 + number, AS_OF))
        cells = row(spec, rng)
        niks.add(cells["NIK"])
        if number == 1:  # the two columns swapped
            cells["NIK"], cells["Nama"] = cells["Nama"], cells["NIK"]
        elif number == 2:  # the NIK typed after the name, in groups of four
            digits = cells["NIK"]
            cells["Nama"] = f"Calon Uji 0002 (NIK {digits[:4]} {digits[4:8]} {digits[8:12]} {digits[12:]})"
        elif number == 3:  # the NIK instead of the name
            cells["Nama"] = cells["NIK"]
        rows.append(cells)
    return rows, niks


def test_a_nik_in_the_name_column_never_reaches_the_decisions(runner, tmp_path):
    rows, niks = swapped_rows(random.Random(44))
    path = write_csv(tmp_path / "swapped.csv", rows)
    decisions = tmp_path / "d.csv"
    result = runner.invoke(main, ["screen", str(path), "--include-names", "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    text = decisions.read_text(encoding="utf-8")
    assert not SIXTEEN.search(text)
    squeezed = re.sub(r"[\s.\-]", "", text)
    assert not [n for n in niks if n in squeezed]
    got = file_rows(decisions)
    masked = [r["name"] for r in got]
    first, second, third = rows[0]["Nama"], rows[1]["NIK"], rows[2]["NIK"]  # row 1's NIK sits in Nama
    assert masked[0] == f"{first[:6]}********{first[-2:]}"
    assert masked[1] == f"Calon Uji 0002 (NIK {second[:6]}********{second[-2:]})"
    assert masked[2] == f"{third[:6]}********{third[-2:]}"
    assert masked[3] == "Calon Uji 0004"
    assert [r["warning_codes"] for r in got] == ["name_holds_nik", "name_holds_nik", "name_holds_nik", ""]
    from optimizer.screening.rules import label

    assert label("name_holds_nik", "id") in result.stdout and "name_holds_nik" not in result.stdout


def test_a_nik_in_the_name_column_is_flagged_without_names_too(tmp_path):
    rows, _ = swapped_rows(random.Random(45))
    result = screen([write_csv(tmp_path / "s.csv", rows)], AS_OF)
    d = result.decisions
    assert list(d["name"]) == ["", "", "", ""]
    assert ["name_holds_nik" in codes(w) for w in d["warnings"]] == [True, True, True, False]


def test_a_numeric_nik_cell_in_the_name_column_of_a_workbook(tmp_path):
    rng = random.Random(46)
    cells = row(Spec(1, "6474", birth_for_age(rng, 40, AS_OF)), rng)
    digits = make_nik(rng, birth_for_age(rng, 41, AS_OF), region="6474")
    cells["Nama"] = int(digits)  # a number cell, as a spreadsheet stores a pasted NIK
    path = write_xlsx(tmp_path / "n.xlsx", [cells])
    d = screen([path], AS_OF, include_names=True).decisions
    assert d.iloc[0]["name"] == nik.mask(digits)
    assert "name_holds_nik" in codes(d.iloc[0]["warnings"])


def test_a_list_named_by_a_nik_is_masked_in_the_decisions(tmp_path):
    rng = random.Random(47)
    digits = make_nik(rng, birth_for_age(rng, 33, AS_OF))
    path = write_csv(tmp_path / f"{digits}.csv", [row(Spec(1, "6403", birth_for_age(rng, 30, AS_OF)), rng)])
    d = screen([path], AS_OF).decisions
    assert d.iloc[0]["source_file"] == f"{nik.mask(digits)}.csv"


HEADER = (
    "NIK,Nama,Tanggal Lahir,Kabupaten/Kota,Status DTKS,Terdaftar P3KE,Penerima PKH,Penerima KUBE,"
    "Kepala Keluarga,Memiliki Usaha"
)


@pytest.mark.parametrize(
    ("nik", "born", "reason"),
    [
        ("6472004101900020", "01-01-1990", "nik_invalid"),  # kecamatan 00
        ("6472014101900000", "01-01-1990", "nik_invalid"),  # serial 0000
        ("6472014101900021", "01-01-90", "birth_date_unreadable"),  # two-digit year: not read, not replaced
        ("6472014101900021", "01-13-1990", "birth_date_unreadable"),  # month 13
    ],
)
def test_impossible_nik_parts_and_unreadable_dates_are_rejected(runner, tmp_path, nik, born, reason):
    from optimizer.cli import main

    path = tmp_path / "list.csv"
    path.write_text(f"{HEADER}\n{nik},Calon Uji 1,{born},Samarinda,ya,ya,tidak,tidak,ya,tidak\n", encoding="utf-8")
    decisions = tmp_path / "d.csv"
    result = runner.invoke(main, ["screen", str(path), "--decisions", str(decisions), "--as-of", "2027-01-01"])
    assert result.exit_code == 0, result.output
    row = decisions.read_text(encoding="utf-8").splitlines()[1]
    assert ",tidak," in row and reason in row  # Memenuhi syarat: tidak
    if reason == "birth_date_unreadable":
        # the NIK holds a readable date (01-01-1990): the reason must not say it cannot be read from the NIK
        assert "tidak dapat dibaca dari NIK" not in row
        assert "tanggal dari NIK tidak dipakai untuk menggantikan tanggal yang salah tulis" in row


def test_a_region_code_column_that_does_not_name_its_scheme_is_refused(runner, tmp_path):
    # "Kode Wilayah" 6402 is Kutai Kartanegara to a Dukcapil office and Kutai Barat to BPS: no guess.
    from optimizer.cli import main

    path = tmp_path / "list.csv"
    header = HEADER.replace("Kabupaten/Kota", "Kode Wilayah")
    path.write_text(f"{header}\n6402014101900021,Calon Uji 1,01-01-1990,6402,ya,ya,tidak,tidak,ya,tidak\n")
    result = runner.invoke(main, ["screen", str(path), "--counts", str(tmp_path / "c.csv")])
    assert result.exit_code == 1 and "'Kode Wilayah'" in result.stderr and "Kode Kemendagri" in result.stderr
    assert not (tmp_path / "c.csv").exists()


def test_strict_does_not_stop_on_the_business_cell(runner, tmp_path):
    # "Memiliki Usaha" sets the priority, it is not a criterion: --strict leaves it a warning.
    from optimizer.cli import main

    path = tmp_path / "list.csv"
    path.write_text(f"{HEADER}\n6472014101900021,Calon Uji 1,01-01-1990,Samarinda,ya,ya,tidak,tidak,ya,\n")
    decisions = tmp_path / "d.csv"
    result = runner.invoke(
        main, ["screen", str(path), "--strict", "--decisions", str(decisions), "--as-of", "2027-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert ",ya," in decisions.read_text(encoding="utf-8").splitlines()[1]  # Memenuhi syarat: ya


def test_bps_and_kemendagri_columns_that_disagree_are_an_error(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    from optimizer.cli import main

    path = tmp_path / "list.csv"
    header = HEADER.replace("Kabupaten/Kota", "Kode BPS,Kode Kemendagri")
    path.write_text(f"{header}\n6472014101900021,Calon Uji 1,01-01-1990,6403,64.72,ya,ya,tidak,tidak,ya,tidak\n")
    result = runner.invoke(main, ["screen", str(path), "--counts", str(tmp_path / "c.csv")])
    assert result.exit_code == 1 and "name different kabupaten/kota" in result.stderr
    assert "6472014101900021" not in result.stderr and not (tmp_path / "c.csv").exists()


@pytest.mark.parametrize("region", ["Kutai Kartenagara", "6403025203850004", "Calon Uji 1"])
def test_a_misspelt_region_is_named_in_the_readers_language(runner, tmp_path, region):
    """The tester's row 'Kutai Kartenagara' got an English error in an Indonesian session. The cell
    itself is not shown: a row shifted by one column puts a person's name or NIK there."""
    from language_words import foreign_lines

    from optimizer.cli import main

    born = dt.date(1985, 3, 12)
    path = one_row_list(tmp_path / "kukar.csv", woman_nik("6402", born), "12-03-1985", region=region)
    for lang, expected in (
        ("id", "bukan kabupaten/kota di Kalimantan Timur"),
        ("en", "not a kabupaten/kota of Kalimantan Timur"),
    ):
        result = runner.invoke(main, ["--lang", lang, "screen", str(path), "--counts", str(tmp_path / "c.csv")])
        assert result.exit_code == 1, result.output
        (line,) = result.stderr.strip().splitlines()
        assert "kukar.csv" in line and expected in line, line
        assert not foreign_lines(line, lang), foreign_lines(line, lang)
        assert region not in line and "640302" not in line and not (tmp_path / "c.csv").exists()
