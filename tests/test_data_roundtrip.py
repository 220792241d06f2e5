"""What `wrse data` writes, a planner edits in Excel and gives back with --data: the workbook's
input sheet and the CSV for Excel read back to the same figures and the same allocation, in
either language, and an edited figure is the one used."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from optimizer.cli import main
from optimizer.inputs.data import load, shipped


def _run(runner, *args):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _figures(data):
    r = data.records
    return sorted(zip(r["region_code"], r["indicator"], r["year"], r["value"], r["status"], r["source"], strict=True))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", ["data.xlsx", "data.csv"])
def test_what_wrse_data_writes_reads_back_to_the_same_allocation(runner, tmp_path, lang, name):
    path = tmp_path / name
    fmt = ["--format", "csv-excel"] if name.endswith(".csv") else []
    written = runner.invoke(main, ["data", *fmt, "-o", str(path), "--lang", lang])
    assert written.exit_code == 0, written.output
    assert _figures(load(path)) == _figures(shipped())
    plain, again = _run(runner), _run(runner, "--data", str(path))
    for key in ("need_share", "recipients", "idg", "poverty_rate", "eligible", "idg_status", "poverty_status"):
        assert [r[key] for r in again["regions"]] == [r[key] for r in plain["regions"]], key
    # the checked survey-base gap of Mahakam Ulu 2024 stays explained, whichever language its note is in
    result = runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path), "--format", "csv"])
    assert "basis penduduk Susenas" in result.stderr and "periksa angkanya" not in result.stderr


def test_a_figure_edited_in_the_workbook_is_the_one_used(runner, tmp_path):
    path = tmp_path / "data.xlsx"
    assert runner.invoke(main, ["data", "-o", str(path)]).exit_code == 0
    book = load_workbook(path)
    assert book.sheetnames[-1] == "Masukan (--data)"  # after the sheets to read, before nothing
    sheet = book["Masukan (--data)"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Indikator")
    assert header == ("Indikator", "Kode wilayah", "Kabupaten/Kota", "Tahun", "Nilai", "Status", "Sumber", "Catatan")
    edited = 0
    for row in sheet.iter_rows():
        if [c.value for c in row[:2]] == ["P0", "6401"] and row[3].value == 2024:
            row[4].value, row[5].value = 9.5, "estimasi"
            edited += 1
    assert edited == 1
    book.save(path)
    paser = next(r for r in _run(runner, "--data", str(path))["regions"] if r["region_code"] == "6401")
    assert paser["poverty_rate"] == 9.5 and paser["poverty_status"] == "estimate"


def test_the_sheets_to_read_are_protected_and_say_where_to_edit(runner, tmp_path):
    """A figure changed on the P0 sheet was silently not read (--data reads the input sheet): the
    sheets that show the data are protected and say which sheet to edit; the input sheet is not."""
    path = tmp_path / "data.xlsx"
    assert runner.invoke(main, ["data", "-o", str(path)]).exit_code == 0
    book = load_workbook(path)
    *views, editable = book.worksheets
    assert editable.title == "Masukan (--data)" and not editable.protection.sheet
    for sheet in views:
        texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert sheet.protection.sheet, sheet.title
        assert any("ubah lembar Masukan (--data)" in c for c in texts), sheet.title
    # counts are whole numbers on the input sheet, indices keep their decimals
    formats = {
        row[0].value: row[4].number_format
        for row in editable.iter_rows(min_row=3)
        if row[0].value in ("Penduduk", "IDG") and row[1].value == "64"
    }
    assert formats["Penduduk"].endswith("#,##0") and formats["IDG"].endswith("#,##0.00")


@pytest.mark.parametrize(
    ("lang", "words"), [("id", "dipublikasikan, estimasi, dari pengguna"), ("en", "published, estimate")]
)
def test_a_bad_status_is_refused_with_the_words_of_the_readers_language(runner, tmp_path, lang, words):
    path = tmp_path / "data.xlsx"
    assert runner.invoke(main, ["data", "-o", str(path), "--lang", lang]).exit_code == 0
    book = load_workbook(path)
    sheet = book.worksheets[-1]
    sheet.cell(row=5, column=6).value = "published-ish"
    book.save(path)
    result = runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path), "--lang", lang])
    assert result.exit_code == 1 and "'published-ish'" in result.output and words in result.output


def test_a_workbook_without_its_input_sheet_is_refused_naming_that_sheet(runner, tmp_path):
    """The input sheet renamed: --data read the first sheet (P0 by region and year) and blamed a
    column '2023' as an unknown indicator; the error names the missing sheet and how to get it back."""
    path = tmp_path / "data.xlsx"
    assert runner.invoke(main, ["data", "-o", str(path)]).exit_code == 0
    book = load_workbook(path)
    book["Masukan (--data)"].title = "Data saya"
    book.save(path)
    result = runner.invoke(main, ["run", "next-fiscal-year", "--data", str(path)])
    assert result.exit_code == 1
    assert "lembar 'Masukan (--data)' yang dibaca --data tidak ada" in result.output and "'2023'" not in result.output
