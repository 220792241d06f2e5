"""The one table model and number formatter (optimizer/render), and what planners open: terminal
tables that fit, workbooks with numbers and formulas, CSV for Indonesian Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
from pathlib import Path

import pytest
import rendering
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from optimizer.cli import main
from optimizer.render import format as fmt
from optimizer.render import text as text_writer
from optimizer.render.table import Column, Table

# ------------------------------------------------------------------------------------------ the formatter


@pytest.mark.parametrize(
    ("kind", "value", "lang", "expected"),
    [
        ("count", 1234567, "id", "1.234.567"),
        ("count", 1234567, "en", "1,234,567"),
        ("rupiah", 3_000_000, "id", "Rp 3.000.000"),
        ("rupiah", 3_000_000, "en", "Rp 3,000,000"),
        ("rupiah", -1500, "id", "-Rp 1.500"),
        ("percent", 0.084012, "id", "8,40%"),
        ("percent", 0.084012, "en", "8.40%"),
        ("decimal", 1234.5, "id", "1.234,50"),
        ("decimal", 66.894, "en", "66.89"),
        ("signed_count", -3, "id", "-3"),
        ("signed_count", 0, "id", "±0"),
        ("signed_rupiah", 3_000_000, "id", "+Rp 3.000.000"),
        ("year", 0, "id", ""),
        ("count", float("nan"), "id", ""),
        ("text", "=1+1", "id", "=1+1"),
    ],
)
def test_one_formatter_for_every_kind(kind, value, lang, expected):
    assert fmt.value(kind, value, lang) == expected


def test_separators_come_from_the_locale_data():
    from babel.numbers import get_decimal_symbol, get_group_symbol

    for lang, marks in fmt.CLDR_SEPARATORS.items():
        assert marks == (get_decimal_symbol(lang), get_group_symbol(lang))
    assert fmt.separators("id") == (",", ".") and fmt.separators("de") == (",", ".")


def test_money_must_be_integer_rupiah():
    with pytest.raises(TypeError):
        fmt.rupiah(1.5)


def test_csv_neutralising_in_one_place():
    assert [fmt.neutralise(x) for x in ("=HYPERLINK(1)", "+62", "-1+1", "@SUM", "Paser", 5)] == [
        "'=HYPERLINK(1)",
        "'+62",
        "'-1+1",
        "'@SUM",
        "Paser",
        5,
    ]


def test_plural_forms_follow_the_language():
    assert fmt.plural("en", 1, "NIK", "NIKs") == "NIK" and fmt.plural("en", 3, "NIK", "NIKs") == "NIKs"
    assert fmt.plural("id", 1, "NIK", "NIK") == "NIK"


# ------------------------------------------------------------------------------------------ the text writer


def _table():
    columns = [
        Column("region_code", "column.region_code", "code"),
        Column("region_name", "column.region_name"),
        Column("quota", "column.quota", "decimal", 2, priority=2),
        Column("recipients", "column.recipients", "count"),
        Column("cost_rp", "column.cost_rp", "rupiah"),
        Column("idg", "column.idg", "decimal", 2, wide=True),
    ]
    rows = [
        {
            "region_code": "6409",
            "region_name": "Penajam Paser Utara",
            "quota": 27.76,
            "recipients": 28,
            "cost_rp": 84_000_000,
            "idg": 50.36,
        },
        {
            "region_code": "6411",
            "region_name": "Mahakam Ulu",
            "quota": 10.66,
            "recipients": 11,
            "cost_rp": 33_000_000,
            "idg": 80.61,
        },
    ]
    return Table(columns, rows, {"region_name": "Jumlah", "recipients": 39, "cost_rp": 117_000_000})


def test_text_table_aligns_numbers_right_and_has_the_total_last():
    lines = text_writer.render(_table(), "id").split("\n")
    assert lines[0].split() == ["Kode", "Kabupaten/Kota", "Kuota", "Penerima", "Rupiah"]
    assert lines[2].endswith("Rp 84.000.000") and lines[-2].startswith("      Jumlah")
    assert "Kolom lain" in lines[-1] and "IDG" in lines[-1]  # the wide-only column is named
    wide = text_writer.render(_table(), "id", wide=True)
    assert "50,36" in wide and "Kolom lain" not in wide


@pytest.mark.parametrize("width", [60, 50, 42])
def test_text_table_fits_the_width_by_dropping_and_shortening(width):
    lines = text_writer.render(_table(), "id", width=width).split("\n")
    assert max(len(line) for line in lines) <= width
    assert any("Rp 84.000.000" in line for line in lines)  # Rupiah (priority 0) is never dropped


def test_run_at_80_columns_shows_the_planners_columns_within_the_width(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = runner.invoke(main, ["run", "next-fiscal-year"]).stdout
    lines = out.split("\n")
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    header = next(i for i, line in enumerate(lines) if line.startswith("Kode"))
    heads = " ".join(lines[header - 1 : header + 1])
    for heading in ("Kode", "Kabupaten/Kota", "Kebutuhan", "Kuota", "Penerima", "Rupiah", "Kendala", "mengikat"):
        assert heading in heads
    assert "6403  Kutai Kartanegara" in out and "Rp 90.000.000" in out and "Rp 600.000.000" in out
    assert "--wide" in out
    english = runner.invoke(main, ["run", "next-fiscal-year", "--lang", "en"], env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in english.split("\n")) <= 80 and "Rp 90,000,000" in english
    # English headings are wider: the quota stays, and the one long name takes two lines instead
    header = english.split("\n").index(next(line for line in english.split("\n") if line.startswith("Code")))
    assert "Quota" in english.split("\n")[header] and "Quota" not in english.split("More columns")[1]
    assert "6409  Penajam Paser " in english and "      Utara" in english


def test_wide_is_the_full_table_whatever_the_width(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = runner.invoke(main, ["run", "next-fiscal-year", "--wide"]).stdout
    # every column: the poor population (a proxy) has no coverage beside it
    assert "Kesenjangan IDG" in out and "Penduduk miskin (proksi, jiwa)" in out and "25.280 (2024)*" in out


def test_sweep_columns_are_region_names_not_codes(runner):
    out = runner.invoke(main, ["sweep", "next-fiscal-year", "--from", "150jt", "--to", "165jt"]).stdout
    table = out[: out.index("-----")]
    assert "Samarinda" in table and "Bontang" in table
    assert not re.search(r"\b64[0-9]{2}\b", table.split("\n")[-2])  # the heading line has no BPS code


# ------------------------------------------------------------------------------------------ workbooks


@pytest.fixture(scope="module")
def decisions(tmp_path_factory):
    from synthetic_candidates import random_list, write_csv

    folder = tmp_path_factory.mktemp("screen")
    rows = random_list(random.Random(7), 120, dt.date(2027, 1, 1))
    source = write_csv(folder / "kab.csv", rows)
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["screen", str(source), "--decisions", str(folder / "decisions.csv")])
    assert result.exit_code == 0, result.output
    return folder / "decisions.csv"


COMMANDS = {
    "run": ["run", "next-fiscal-year"],
    "compare": ["compare", "baseline-2023", "next-fiscal-year"],
    "sweep": ["sweep", "next-fiscal-year", "--from", "150jt", "--to", "180jt"],
    "plan": ["plan", "roadmap-2027-uep"],
    "data": ["data"],
    "sensitivity": ["sensitivity", "next-fiscal-year", "--draws", "200"],
    "scenarios": ["scenarios"],
}


def _workbook(runner, tmp_path, args, name="out.xlsx", lang="id"):
    path = tmp_path / name
    result = runner.invoke(main, [*args, "-o", str(path), "--lang", lang])
    assert result.exit_code == 0, result.output
    return path


def _shown(cell, lang="id") -> str:
    """The cell's text as a planner sees it (number formats applied by our own formatter)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    code = cell.number_format
    if "Rp" in code:
        return fmt.rupiah(int(value), lang)
    if "%" in code:
        places = len(code.split(".")[1].rstrip("%")) if "." in code else 0
        return fmt.percent(value, places, lang)
    if "." in code:
        return fmt.decimal(value, len(code.split(".")[1]), lang)
    return fmt.count(value, lang) if "#" in code else str(value)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_table_command_writes_a_workbook_with_numbers_that_fit(runner, tmp_path, command):
    path = _workbook(runner, tmp_path, COMMANDS[command])
    book = load_workbook(path)
    numbers = 0
    for ws in book.worksheets:
        assert ws.freeze_panes is not None and int(ws.page_setup.paperSize) == 9  # A4
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    numbers += 1
                    assert cell.number_format != "General", (ws.title, cell.coordinate)
                if cell.value is None or (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                if any(cell.coordinate in r for r in ws.merged_cells.ranges):
                    continue  # notes span the table
                width = ws.column_dimensions[get_column_letter(cell.column)].width
                if isinstance(cell.value, (int, float)):
                    assert width >= len(_shown(cell)) + 1, (ws.title, cell.coordinate, _shown(cell), width)
                elif cell.alignment.wrap_text and max(map(len, str(cell.value).split())) > width:
                    # a word wider than its column (an address) wraps letter by letter: its row must be taller
                    # than one line, or LibreOffice prints the second line over the next row
                    height = ws.row_dimensions[cell.row].height
                    assert height is not None and height > 20, (ws.title, cell.coordinate, str(cell.value)[:40])
    assert numbers > 0


def test_select_writes_a_workbook(runner, tmp_path, decisions):
    path = _workbook(runner, tmp_path, ["select", "next-fiscal-year", "--decisions", str(decisions)])
    book = load_workbook(path)
    assert len(book.worksheets) == 2
    people = book.worksheets[1]
    masked = [c.value for c in people["G"][1:] if c.value]
    assert masked and all(not re.fullmatch(r"\d{16}", str(m)) for m in masked)


def test_run_workbook_has_the_planners_formulas(runner, tmp_path):
    book = load_workbook(_workbook(runner, tmp_path, COMMANDS["run"]))
    ws = book.worksheets[0]
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, 10)}
    budget_row, cost_row = labels["Anggaran"], labels["Biaya per penerima"]
    assert ws.cell(row=budget_row, column=2).value == 600_000_000
    assert ws.cell(row=cost_row, column=2).value == 3_000_000
    header = next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "Kode")
    headings = [c.value for c in ws[header]]
    recipients = get_column_letter(headings.index("Penerima") + 1)
    rupiah = get_column_letter(headings.index("Rupiah") + 1)
    first = header + 1
    assert ws[f"{rupiah}{first}"].value == f"={recipients}{first}*$B${cost_row}"
    assert isinstance(ws[f"{recipients}{first}"].value, int)
    total = header + 11
    assert ws[f"{rupiah}{total}"].value == f"=SUM({rupiah}{first}:{rupiah}{total - 1})"
    check = ws.cell(row=labels["Pemeriksaan anggaran"], column=2).value
    assert check.startswith("=IF(") and f"$B${budget_row}" in check and "MELEBIHI ANGGARAN" in check


def _recalculated(paths: list[Path], out: Path) -> list[Path]:
    """``paths`` opened and saved again by LibreOffice (one run for all), so that every formula has its computed
    value."""
    return rendering.office_to_pdfs(paths, out, convert_to="xlsx:Calc MS Excel 2007 XML", timeout=180)


@pytest.mark.render
def test_libreoffice_computes_the_formulas_and_flags_an_edit_that_breaks_the_budget(runner, tmp_path):
    path = _workbook(runner, tmp_path, COMMANDS["run"])
    # a planner gives Paser one more recipient: over the budget by one cost per recipient
    book = load_workbook(path)
    ws = book.worksheets[0]
    header = next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "Kode")
    headings = [c.value for c in ws[header]]
    recipients = headings.index("Penerima") + 1
    ws.cell(row=header + 1, column=recipients).value += 1
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    as_written, as_edited = _recalculated([path, edited], tmp_path / "calc")
    computed = load_workbook(as_written, data_only=True).worksheets[0]
    labels = {computed.cell(row=r, column=1).value: r for r in range(1, 10)}
    assert [c.value for c in computed[header]] == headings
    col = headings.index("Rupiah") + 1
    rupiah = [computed.cell(row=header + 1 + i, column=col).value for i in range(10)]
    assert rupiah[2] == 90_000_000 and computed.cell(row=header + 11, column=col).value == 600_000_000
    assert computed.cell(row=labels["Pemeriksaan anggaran"], column=2).value == "OK: dalam anggaran"
    assert computed.cell(row=labels["Sisa anggaran"], column=2).value == 0
    computed = load_workbook(as_edited, data_only=True).worksheets[0]
    assert computed.cell(row=labels["Pemeriksaan anggaran"], column=2).value == "MELEBIHI ANGGARAN"
    assert computed.cell(row=labels["Sisa anggaran"], column=2).value == -3_000_000


PAGED = ["run", "compare", "plan", "sweep", "data", "sensitivity", "scenarios"]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """{command: XLSX} of the workbook each command writes."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("workbooks")
    return {command: _workbook(CliRunner(), folder, COMMANDS[command], name=f"{command}.xlsx") for command in PAGED}


@pytest.fixture(scope="module")
def workbook_pdfs(workbooks, shared_tmp):
    """{command: PDF} of the workbook each command writes, converted in one LibreOffice run (shared by the
    workers when their workbooks are byte-identical)."""
    paths = [workbooks[command] for command in PAGED]
    folder = paths[0].parent
    return dict(zip(PAGED, rendering.office_to_pdfs(paths, folder / "pdf", cache=shared_tmp), strict=True))


@pytest.mark.render
@pytest.mark.parametrize("command", PAGED)
def test_workbook_headings_keep_every_word_whole(workbooks, workbook_pdfs, command):
    """A column is at least as wide as the longest word of its heading (bold, in LibreOffice's font):
    the sweep's "Mahakam Ulu" was printed "Mahaka / m Ulu". Every word of every heading is a whole word
    of the printed page."""
    ws = load_workbook(workbooks[command]).worksheets[0]
    header = ws[ws.freeze_panes].row - 1 if ws.freeze_panes else 1
    headings = [cell.value for cell in ws[header] if isinstance(cell.value, str)]
    words = {w for heading in headings for w in heading.split()}
    page = rendering.pdf_words(workbook_pdfs[command])[0]
    anchor = next(w for w in page if w["text"] == headings[0].split()[0])  # the heading row: the first heading
    band = {w["text"] for w in page if anchor["top"] - 2 <= w["top"] <= anchor["top"] + 48}  # up to 4 lines
    assert words and words <= band, sorted(words - band)


@pytest.mark.render
@pytest.mark.parametrize("command", PAGED)
def test_workbook_pages_show_no_hash_marks(runner, workbook_pdfs, render_dir, command):
    pdf = workbook_pdfs[command]
    rendering.pdf_to_png(pdf, render_dir)
    text = "\n".join(rendering.pdf_pages_text(pdf))
    assert "###" not in text
    if command == "run":  # the page shows the engine's numbers, formatted the Indonesian way
        document = json.loads(runner.invoke(main, ["run", "next-fiscal-year", "--format", "json"]).stdout)
        region = next(r for r in document["regions"] if r["region_code"] == "6403")
        assert fmt.percent(region["need_share"], 2, "id") in text and fmt.rupiah(region["cost_rp"]) in text
        assert "Rp 600.000.000" in text and "OK: dalam anggaran" in text


# ------------------------------------------------------------------------------------------ CSV for Excel


def test_csv_for_indonesian_excel(runner, tmp_path):
    path = tmp_path / "run.csv"
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv-excel", "-o", str(path)])
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Kode", "Kabupaten/Kota"] and "Rupiah" in rows[0]
    paser = rows[1]
    assert paser[rows[0].index("Rupiah")] == "51000000" and paser[rows[0].index("Kesenjangan IDG")] == "0,00"
    assert paser[rows[0].index("IDG (thn)")] == "66,20"  # decimal comma, no grouping
    assert paser[rows[0].index("Kendala mengikat")] == "-"


def test_csv_for_excel_has_numbers_with_two_decimals_and_percent_in_the_heading(runner):
    """Quota and percentages as numbers Excel reads (``126,44``, ``8,43``), not ``126,4388825097``
    or the text ``8,4293%``."""
    document = json.loads(runner.invoke(main, ["run", "next-fiscal-year", "--format", "json"]).stdout)
    by_code = {r["region_code"]: r for r in document["regions"]}
    text = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv-excel"]).stdout
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    heading = rows[0]
    assert "Kebutuhan (%)" in heading and "Cakupan (%)" not in heading  # no coverage of a proxy
    for row in rows[1:]:
        if row[0] not in by_code:
            continue
        region = by_code[row[0]]
        share, quota = row[heading.index("Kebutuhan (%)")], row[heading.index("Kuota")]
        assert re.fullmatch(r"\d+,\d\d", share) and re.fullmatch(r"\d+,\d\d", quota), row
        assert float(share.replace(",", ".")) == pytest.approx(100 * region["need_share"], abs=0.005)
        assert float(quota.replace(",", ".")) == pytest.approx(region["quota"], abs=0.005)
    assert "%" not in "".join(cell for row in rows[1:] for cell in row)
    machine = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv"]).stdout
    assert str(by_code["6401"]["quota"]) in machine  # the machine CSV keeps full precision


def test_machine_csv_is_unchanged_and_named_in_help(runner):
    machine = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv"]).stdout
    assert machine.startswith("region_code,region_name,included,")
    help_text = runner.invoke(main, ["run", "--help"]).stdout
    assert "csv-excel" in help_text and "xlsx" in help_text and "--wide" in help_text


def test_output_suffix_and_format_must_agree(runner, tmp_path):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "xlsx", "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and ".xlsx" in result.stderr
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert not list(tmp_path.iterdir())


def test_sweep_regions_that_do_not_fit_go_into_panels_not_away(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = runner.invoke(main, ["sweep", "next-fiscal-year", "--from", "150jt", "--to", "165jt"]).stdout
    assert max(len(line) for line in out.split("\n")) <= 80
    table = out[: out.index("Antrean") if "Antrean" in out else len(out)]
    for name in ("Paser", "Berau", "Mahakam", "Balikpapan", "Samarinda", "Bontang"):
        assert name in table  # every region is shown, in one panel or the next
    assert table.count("Rp 165.000.000") >= 2  # the budget column repeats in each panel


@pytest.mark.parametrize(
    "args",
    [
        ["scenarios"],
        ["compare", "baseline-2023", "next-fiscal-year", "all-ten-same-budget"],
        ["plan", "roadmap-2027-uep"],
        ["sensitivity", "next-fiscal-year", "--draws", "100"],
    ],
)
def test_every_table_fits_80_columns(runner, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    long = [line for line in result.stdout.split("\n") if len(line) > 80]
    assert not long, long[:3]


def test_long_text_cells_wrap_with_words_whole():
    table = Table(
        [Column("name", "scenarios.name", "code"), Column("description", "scenarios.description")],
        [
            {
                "name": "all-ten-same-budget",
                "description": "Anggaran 2023 (Rp 150 juta) dibagi ke sepuluh kabupaten/kota",
            }
        ],
    )
    out = text_writer.render(table, "id", width=45)
    assert max(len(line) for line in out.split("\n")) <= 45
    assert "kabupaten/kota" in out and "Anggaran 2023" in out


def test_workbook_text_is_never_a_formula(tmp_path):
    from openpyxl import Workbook

    from optimizer.render.xlsx import write_table

    table = Table(
        [Column("region_name", "column.region_name"), Column("recipients", "column.recipients", "count")],
        [{"region_name": '=HYPERLINK("http://x")', "recipients": 3}, {"region_name": "+62 811", "recipients": 1}],
    )
    book = Workbook()
    write_table(book.active, table, "id")
    book.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_english_workbook_speaks_english(runner, tmp_path):
    book = load_workbook(_workbook(runner, tmp_path, COMMANDS["run"], lang="en"))
    ws = book.worksheets[0]
    labels = [ws.cell(row=r, column=1).value for r in range(1, 10)]
    assert "Budget" in labels and "Budget check" in labels and "Cost per recipient" in labels
    check = ws.cell(row=labels.index("Budget check") + 1, column=2).value
    assert "OVER BUDGET" in check and "MELEBIHI" not in check
    assert book.worksheets[0].title == "Allocation"


def test_workbook_to_standard_output_when_redirected(runner):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "xlsx"])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"PK")


def test_compare_at_80_columns_keeps_the_changes_and_drops_the_rupiah_first(runner, monkeypatch):
    """The change from the first scenario is the point of compare: at 80 columns the table keeps
    name, every scenario's recipients and each Δ recipients column; the rupiah columns go first."""
    monkeypatch.setenv("COLUMNS", "80")
    args = ["compare", "baseline-2023", "next-fiscal-year", "proposal-2027-uep", "--lang", "id"]
    out = runner.invoke(main, args).stdout
    header = next(i for i, line in enumerate(out.split("\n")) if line.startswith("Kode"))
    lines = out.split("\n")
    assert lines[header - 1].split() == ["[1]", "[2]", "Δ[2]", "[3]", "Δ[3]"], lines[header - 1]
    assert lines[header].split() == ["Kode", "Kabupaten/Kota", *["penerima"] * 5]
    total = next(line for line in lines if "Jumlah" in line)
    assert total.split()[1:] == ["50", "200", "+150", "1.500", "+1.450"]
    hidden = "\n".join(lines[lines.index(total) + 1 :])
    assert "[1] rupiah" in hidden and "Δ[2] rupiah" in hidden
    assert all(len(line) <= 80 or " " not in line.strip() for line in lines)  # only a lone URL sticks out


def test_text_never_breaks_a_url_mid_word():
    url = "https://nusaetamnews.com/misi-ambisius-kaltim-2026-pangkas-angka-kemiskinan-ke-level-3-persen"
    lines = text_writer.fill([f"Hibah: Rp 5.000.000 per keluarga (KPM); sumber: {url} (diakses 2026)"], 40, "  ")
    assert f"  {url}" in lines and all(len(line) <= 40 for line in lines if url not in line)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_csv_for_excel_and_the_workbook_mark_the_estimates_in_a_column(runner, tmp_path, lang):
    """README: estimates are marked in every output. The CSV for Excel and the workbook carry the
    marks of the text table in a Keterangan column (the notes below a workbook say what * and † mean);
    the figures it names are those whose status is estimate in the machine CSV."""
    path = tmp_path / "run750.csv"
    args = ["run", "next-fiscal-year", "--budget", "750 juta", "--lang", lang]
    assert runner.invoke(main, [*args, "--format", "csv-excel", "-o", str(path)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == {"id": "Keterangan", "en": "Remarks"}[lang]
    machine = list(csv.DictReader(io.StringIO(runner.invoke(main, [*args, "--format", "csv"]).stdout)))
    assert "remark" not in machine[0]  # machine CSV consumers: the status columns, unchanged
    # the eligible figure is the poor population, named as the proxy it is
    words = {
        "id": ("* estimasi: ", "P0", "penduduk miskin (proksi)"),
        "en": ("* estimate: ", "P0", "poor population (proxy)"),
    }[lang]
    for region, row in zip(machine, rows[1:11], strict=True):
        assert row[0] == region["region_code"]
        named = [w for s, w in (("poverty_status", words[1]), ("eligible_status", words[2])) if region[s] == "estimate"]
        assert row[-1] == (words[0] + ", ".join(named) if named else ""), row
    assert rows[11][-1] == ""  # the total row
    book = load_workbook(_workbook(runner, tmp_path, [*args, "--format", "xlsx"], lang=lang)).worksheets[0]
    header = book[book.freeze_panes].row - 1
    assert book.cell(row=header, column=len(rows[0])).value == rows[0][-1]
    assert book.cell(row=header + 1, column=len(rows[0])).value == rows[1][-1]


@pytest.mark.parametrize(("args", "legend"), [([], False), (["--wide"], True)])
def test_the_mark_legend_is_printed_only_beside_marks(runner, args, legend):
    """'* estimasi; † angka tahun sebelumnya dipakai' explains marks in the IDG and P0 columns; a
    terminal table that leaves those columns out shows no mark, so it prints no legend."""
    result = runner.invoke(main, ["run", "next-fiscal-year-latest-idg", *args], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    table, notes = result.stdout.split("Catatan:", 1)
    has_marks = any(mark in table for mark in "*†")
    assert has_marks is legend
    assert ("* estimasi; † angka tahun sebelumnya dipakai" in notes) is legend
