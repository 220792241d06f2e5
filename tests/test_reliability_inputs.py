"""Inputs that used to give a wrong table or an error that says nothing (issue 15): a
region of another province, a P0 written as a fraction, a password-protected workbook,
old Mac line ends, roadmaps that no budget can satisfy, a NIK written with separators.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from optimizer import tabular
from optimizer.analysis import roadmap as rm
from optimizer.analysis.plan import PlanInfeasible, plan
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.privacy import redact

SHIPPED = Path(__file__).resolve().parents[1] / "optimizer" / "data" / "kaltim-indicators.csv"


def shipped_rows() -> list[dict]:
    with open(SHIPPED, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def one_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0] and "Traceback" not in result.output, result.output
    return lines[0]


# ---------------------------------------------------------------- a region of another province


@pytest.mark.parametrize(("code", "name"), [("6501", "Malinau"), ("6571", "Tarakan")])
def test_a_kalimantan_utara_row_is_an_error_naming_row_code_and_province(runner, tmp_path, code, name, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    rows = shipped_rows()
    extra = [{**r, "region_code": code, "region_name": name} for r in rows if r["region_code"] == "6401"]
    path = write_rows(tmp_path / "data.csv", rows + extra)
    line = one_error(runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path)]))
    assert f"row {len(rows) + 2}" in line and code in line and name in line and "Kalimantan Utara" in line
    assert "provincial IDG" not in line  # not the misleading error of before


@pytest.mark.parametrize(("code", "name"), [("6501", "Malinau"), ("6571", "Tarakan")])
def test_an_eligible_file_with_a_kalimantan_utara_row_names_row_code_and_province(runner, tmp_path, code, name):
    """--eligible names the province of a foreign row as the data reader does (not "not a region of
    the data set"), in both languages."""
    path = tmp_path / "eligible.csv"
    path.write_text(f"region_code,region_name,eligible\n6401,Paser,100\n{code},{name},50\n", encoding="utf-8")
    args = ["run", "next-fiscal-year", "--eligible", str(path)]
    line = one_error(runner.invoke(main, [*args, "--lang", "id"]))
    assert line.startswith("Kesalahan: ") and f"{path}, baris 3" in line and f"{code} {name}" in line
    assert "Kalimantan Utara (provinsi 65)" in line and "Kalimantan Timur (64)" in line
    line = one_error(runner.invoke(main, [*args, "--lang", "en"]))
    assert f"row 3: region {code} {name} is in Kalimantan Utara (province 65), not in Kalimantan Timur (64)" in line
    path.write_text("region_code,eligible\n6401,100\n65,50\n", encoding="utf-8")  # a province, not a kabupaten/kota
    line = one_error(runner.invoke(main, [*args, "--lang", "en"]))
    assert "row 3: region 65 is not a region of the data set" in line


def test_a_wide_file_with_a_foreign_region_is_refused_in_every_format(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    path = tmp_path / "wide.csv"
    path.write_text(
        "region_code,region_name,idg,poverty_rate,poor_population,year\n"
        "64,Kalimantan Timur,70,6,200,2024\n6401,Paser,66.2,8.63,25.28,2024\n6571,Tarakan,70,6,15,2024\n",
        encoding="utf-8",
    )
    for fmt in ("table", "csv", "json"):
        line = one_error(runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path), "--format", fmt]))
        assert "row 4" in line and "6571 Tarakan" in line and "Kalimantan Utara (province 65)" in line


# ---------------------------------------------------------------- implausible P0


def _p0_scaled(tmp_path: Path, which: set[str] | None) -> Path:
    rows = shipped_rows()
    for row in rows:
        if row["indicator"] == "poverty_rate" and (which is None or row["region_code"] in which):
            row["value"] = repr(round(float(row["value"]) / 100, 6))
    return write_rows(tmp_path / "p0.csv", rows)


@pytest.mark.parametrize("which", [{"6401"}, None], ids=["one-region", "all-regions"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_p0_written_as_a_fraction_is_refused_in_every_format(runner, tmp_path, which, fmt):
    path = _p0_scaled(tmp_path, which)
    result = runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path), "--format", fmt])
    line = one_error(result)
    assert "6401 Paser" in line and "0,0863 %" in line and "8,63 %" in line  # numbers the Indonesian way
    assert result.stdout == ""  # no table, CSV or JSON with the wrong grants


@pytest.mark.parametrize(
    ("lang", "value", "percent", "example"), [("id", "0,0863", "8,63 %", "8,63"), ("en", "0.0863", "8.63 %", "8.63")]
)
def test_wrse_data_refuses_the_table_wrse_run_refuses_with_the_same_line(
    runner, tmp_path, lang, value, percent, example
):
    """`wrse data --data` is how a planner checks a table: one check, the run's, the same line;
    every number in it written the reader's way (no ``0.0863`` beside ``8,63`` in Indonesian)."""
    path = _p0_scaled(tmp_path, None)
    run = one_error(runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path), "--lang", lang]))
    for fmt in ("table", "csv", "json"):
        checked = runner.invoke(main, ["data", "--data", str(path), "--format", fmt, "--lang", lang])
        assert one_error(checked) == run and checked.stdout == ""
    assert "6401 Paser" in run and f"{value} %" in run and percent in run and f"({example} " in run
    other = "8.63" if lang == "id" else "8,63"
    assert other not in run and "0.0863" not in run.replace(value, "") and "1.0" not in run


def test_wrse_data_refuses_an_implausible_year_a_run_does_not_read(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")
    rows = shipped_rows()
    years = sorted({int(r["year"]) for r in rows if r["indicator"] == "poverty_rate" and r["region_code"] == "6405"})
    for row in rows:  # an older P0 of Berau written as a fraction
        if row["indicator"] == "poverty_rate" and row["region_code"] == "6405" and int(row["year"]) == years[0]:
            row["value"] = repr(round(float(row["value"]) / 100, 6))
    line = one_error(runner.invoke(main, ["data", "--data", str(write_rows(tmp_path / "d.csv", rows))]))
    assert "6405" in line and f"in {years[0]}" in line and "written as a fraction?" in line


def test_wrse_data_passes_the_shipped_table(runner):
    assert runner.invoke(main, ["data", "--format", "csv"]).exit_code == 0


def test_an_implied_population_off_by_a_factor_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    rows = shipped_rows()
    for row in rows:  # poor population of Berau ten times too large, P0 still plausible
        if row["indicator"] == "poor_population" and row["region_code"] == "6405":
            row["value"] = repr(float(row["value"]) * 10)
    line = one_error(
        runner.invoke(main, ["run", "next-fiscal-year", "--data", str(write_rows(tmp_path / "d.csv", rows))])
    )
    assert "6405" in line and "poor population / P0 implies" in line


def test_csv_output_keeps_its_notes_on_standard_error(runner):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0
    assert "Mahakam Ulu 2024: poor population / P0 implies" in result.stderr  # the 70 % consistency note


# ---------------------------------------------------------------- files that say what is wrong


def _encrypted_workbook(path: Path) -> Path:
    """An OLE compound file holding Office's EncryptionInfo/EncryptedPackage streams, as Excel
    writes a workbook saved with a password ([MS-OFFCRYPTO] 2.3.4; [MS-CFB] header and directory)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = b"\xfe\xff"
    header[0x1E:0x20] = (9).to_bytes(2, "little")
    directory = bytearray(512)
    for slot, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        entry = name.encode("utf-16-le") + b"\x00\x00"
        directory[slot * 128 : slot * 128 + len(entry)] = entry
        directory[slot * 128 + 64 : slot * 128 + 66] = len(entry).to_bytes(2, "little")
    path.write_bytes(bytes(header) + bytes(directory) + bytes(1024))
    return path


def test_a_password_protected_workbook_says_so(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    path = _encrypted_workbook(tmp_path / "counts.xlsx")
    with pytest.raises(InputError, match="protected with a password"):
        tabular.read_table(path)
    line = one_error(runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(path)]))
    assert "protected with a password" in line and "BadZipFile" not in line


def test_an_old_xls_with_an_xlsx_name_says_so(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    with pytest.raises(InputError, match=r"old Excel 97-2003 workbook \(\.xls\)"):
        tabular.read_table(path)


def test_old_mac_line_ends_are_read(runner, tmp_path):
    lines = ["region_code,eligible", "6401,500", "6402,400", "6403,900", "6404,300", "6405,350"]
    lines += ["6409,200", "6411,100", "6471,800", "6472,1000", "6474,250"]
    mac = tmp_path / "mac.csv"
    mac.write_bytes("\r".join(lines).encode() + b"\r")
    unix = tmp_path / "unix.csv"
    unix.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(mac), "--format", "json"])
    want = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(unix), "--format", "json"])
    assert got.exit_code == 0, got.output

    def counts(result):
        return [(r["region_code"], r["eligible"], r["recipients"]) for r in json.loads(result.stdout)["regions"]]

    assert counts(got) == counts(want) and counts(got)[0][1] == 500


def test_mixed_line_ends_have_their_own_cause(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"region_code,eligible\n6401,500\r6402,3\n6403,4\n")
    with pytest.raises(InputError, match=r"mixes old Mac line ends \(CR only\) with Windows or Unix ones") as caught:
        tabular.read_table(path)
    assert "new-line character seen" not in str(caught.value)


# ---------------------------------------------------------------- roadmaps no budget can satisfy

SMALL = """
[roadmap]
scenario = "baseline-2023"
first_year = 2024
last_year = 2025
coverage_year = 2024

[budget.per_year]
2024 = "{b2024}"
2025 = "60 juta"

[bimtek]
session_rp = "10 juta"
min_class = 5

[rules]
min_share_of_previous_pct = 50

[baseline]
year = 2023
recipients = {{ {baseline} }}
"""


def test_a_first_budget_of_zero_is_named_not_the_eligible_counts(runner, tmp_path):
    path = tmp_path / "zero.toml"
    path.write_text(SMALL.format(b2024="0", baseline=""), encoding="utf-8")
    with pytest.raises(PlanInfeasible, match=r"the budget of 2024 is Rp 0") as caught:
        plan(rm.load(path))
    assert "eligible" not in str(caught.value)
    line = one_error(runner.invoke(main, ["plan", str(path)]))
    assert "anggaran tahun 2024 Rp 0" in line and "harus aktif pada tahun itu" in line  # an Indonesian session


def test_a_region_whose_eligible_count_clashes_with_continuity_is_named(runner, tmp_path):
    # Samarinda had 40 in 2023; 50 % of the previous year means at least 20 in 2024 and 10 in 2025:
    # 70 persons in all, above its 60 eligible women, whatever the budget.
    path = tmp_path / "clash.toml"
    path.write_text(SMALL.format(b2024="60 juta", baseline="6472 = 40"), encoding="utf-8")
    counts = tmp_path / "counts.csv"
    counts.write_text("region_code,eligible\n6403,500\n6472,60\n", encoding="utf-8")
    line = one_error(runner.invoke(main, ["plan", str(path), "--eligible", str(counts)]))
    assert "6472 Samarinda" in line and "2024 20, 2025 10" in line and "memberi 70 orang" in line
    assert "di atas jumlah memenuhi syaratnya 60" in line


# ---------------------------------------------------------------- NIK with separators


@pytest.mark.parametrize(
    "written",
    [
        "6402.0450.1280.0012",
        "6402-0450-1280-0012",
        "6402/0450/1280/0012",
        "6402 0450 1280 0012",
        "6402_0450_1280_0012",
        "6402\u00a00450\u00a01280\u00a00012",  # no-break spaces (a spreadsheet's grouping)
        "6402\u202f0450\u202f1280\u202f0012",  # narrow no-break spaces
        "6402\u20130450\u20131280\u20130012",  # en dashes (a word processor's autocorrect)
        "6402\u20110450\u20111280\u20110012",  # non-breaking hyphens
    ],
)
def test_redact_masks_a_nik_in_any_spelling(written):
    text = redact(f"Siti ({written}) catatan")
    assert "0450" not in text and "1280" not in text and "640204********12" in text


def test_redact_leaves_amounts_and_dates():
    for text in (
        "Rp 1.500.000.000 untuk 500 penerima",
        "Rp 12.500.000.000.000",
        "2024-01-01",
        "1.234 5.678 9.012",
        "Rp 1.500.000.000\u00a0dan Rp 2.000.000",
        "2024\u20132027",
    ):
        assert redact(text) == text


def test_decisions_file_masks_a_nik_with_dots_in_the_name_cell(runner, tmp_path):
    import datetime as dt
    import random

    from synthetic_candidates import random_list, write_csv

    as_of = dt.date(2026, 1, 1)
    rows = random_list(random.Random(3), 4, as_of, reject_share=0)
    rows[1]["Nama"] = "Ani 6402.0450.1280.0012"
    rows[2]["Nama"] = "Budi 6402/0450/1280/0013"
    listing = write_csv(tmp_path / "calon.csv", rows)
    decisions = tmp_path / "keputusan.csv"
    args = ["screen", str(listing), "--decisions", str(decisions), "--include-names", "--as-of", as_of.isoformat()]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    text = decisions.read_text(encoding="utf-8")
    assert "0450.1280" not in text and "0450/1280" not in text
    assert "Ani 640204********12" in text and "Budi 640204********13" in text
