"""The report files: every format carries the engine's numbers, is reproducible byte for
byte, is written atomically, and keeps formula-looking text as text."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime

import docx
import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from report_support import FORMULA_NAMES, docx_tables, html_tables, markdown_tables, synthetic_data

from optimizer import engine
from optimizer import files as files_mod
from optimizer.analysis import sensitivity as analysis_sensitivity
from optimizer.analysis.base import build as build_base
from optimizer.errors import InputError
from optimizer.inputs.data import load as load_data
from optimizer.money import parse_amount
from optimizer.report import charts, pipeline, writer
from optimizer.report.reproducible import fixed_datetime, normalise_zip
from optimizer.report.text import NUMERIC_KINDS, fmt, resolve
from optimizer.report.view import table_view
from optimizer.scenario import load as load_scenario

WHEN = datetime(2027, 1, 1)


@pytest.fixture(scope="module")
def report(kaltim, next_year, baseline):
    return pipeline.make_report(next_year, kaltim, baseline=baseline, command="wrse report next-fiscal-year")


@pytest.fixture(scope="module")
def alloc(kaltim, next_year):
    return engine.allocate(next_year, kaltim)


@pytest.fixture(scope="module")
def draws(kaltim, next_year):
    """The weight draws by the analysis module as ``wrse sensitivity`` runs them (report parameters):
    the per-region summary frame, indexed by region code, and the unchanged share."""
    base = build_base(next_year, kaltim, strict=True)
    spec = analysis_sensitivity.Spec(draws=10_000, weight_spread=20, weight_model="dirichlet", seed=20230050)
    result = analysis_sensitivity.run(base, spec)
    return result.summary.set_index("region_code"), result.unchanged


DRAWS_COLUMNS = {"recipients": "scenario", "p5": "p5", "median": "median", "p95": "p95"}
DRAWS_SHARES = ("p_fewer", "p_more")


@pytest.fixture(scope="module")
def files(report):
    """Every format in both languages, rendered once: {(format, lang): bytes}."""
    return {(f, lang): writer.RENDERERS[f](report, lang, WHEN) for f in writer.FORMATS for lang in ("id", "en")}


def test_html_tables_carry_every_number(report, files, alloc):
    parsed = html_tables(files["html", "id"].decode())
    assert set(parsed.tables) == {t.key for t in report.tables()}
    for table in report.tables():
        html_table = parsed.tables[table.key]
        assert html_table["columns"] == [c.key for c in table.columns]
        assert len(html_table["rows"]) == len(table.rows)
        for row, html_row in zip(table.rows, html_table["rows"], strict=True):
            for column, value, (text, data_value) in zip(table.columns, row, html_row, strict=True):
                assert text == fmt(column.kind, value, "id")
                if column.kind in NUMERIC_KINDS and column.kind != "year" and value is not None:
                    assert float(data_value) == value
    rows = {r[0][0]: r for r in parsed.tables["allocation"]["rows"]}
    columns = parsed.tables["allocation"]["columns"]
    for _, r in alloc.regions.iterrows():
        cells = dict(zip(columns, rows[r["region_code"]], strict=True))
        assert int(cells["recipients"][1]) == r["recipients"]
        assert parse_amount(cells["cost_rp"][0]) == r["cost_rp"]  # 'Rp 51.000.000' read back as rupiah
        assert cells["need_share"][0] == f"{100 * r['need_share']:.2f}%".replace(".", ",")
    total = dict(zip(columns, parsed.tables["allocation"]["total"], strict=True))
    assert total["cost_rp"][0] == "Rp 600.000.000"


def test_html_weight_draws_are_the_analysis_modules(files, draws):
    summary, unchanged = draws
    for lang in ("id", "en"):
        text = files["html", lang].decode()
        table = html_tables(text).tables["sensitivity_draws"]
        columns = table["columns"]
        assert [row[0][0] for row in table["rows"]] == list(summary.index)
        for row in table["rows"]:
            cells = dict(zip(columns, row, strict=True))
            expected = summary.loc[cells["region_code"][0]]
            for key, source in DRAWS_COLUMNS.items():
                assert int(cells[key][1]) == expected[source] and cells[key][0] == str(expected[source])
            for key in DRAWS_SHARES:
                assert float(cells[key][1]) == expected[key]
                assert cells[key][0] == fmt("share", expected[key], lang)
        assert fmt("share", unchanged, lang) in text
    shown = re.sub(r"<[^>]+>", "", files["html", "id"].decode())  # the text a reader sees (a command's words are spans)
    assert "wrse sensitivity next-fiscal-year --draws 10000 --weight-spread 20" in shown


def test_html_is_self_contained_and_printable(files):
    text = files["html", "id"].decode()
    parsed = html_tables(text)
    assert parsed.external == []  # no script, stylesheet link, image or external href
    assert parsed.svg_count == 2
    assert "@page" in text and "size: A4" in text
    assert '<html lang="id">' in text and '<html lang="en">' in files["html", "en"].decode()


def _header_row(ws, labels) -> int:
    """The row of ``ws`` that holds ``labels`` from column A (the table's headings)."""
    for r in range(1, 15):
        if [ws.cell(row=r, column=j).value for j in range(1, len(labels) + 1)] == list(labels):
            return r
    raise AssertionError(f"no heading row {labels[:3]} on sheet {ws.title}")


def test_xlsx_holds_real_numbers_with_formats(report, files):
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx", "id"]))
    assert len(wb.sheetnames) == len(report.tables()) + 4  # summary, text, recommendation … audit
    sheets = {}
    for table, name in zip(report.tables(), wb.sheetnames[3:-1], strict=True):
        ws = wb[name]
        sheets[table.key] = ws
        labels = [resolve(c.label, "id") for c in table.columns]
        header = _header_row(ws, labels)
        assert ws.freeze_panes in (f"A{header + 1}", f"C{header + 1}")
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.sheet_properties.pageSetUpPr.fitToPage
        for i, row in enumerate(table.rows, start=header + 1):
            for j, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
                cell = ws.cell(row=i, column=j)
                if value is None:
                    assert cell.value is None
                elif isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f":
                    assert table.key == "allocation" and column.key == "cost_rp"  # Rupiah = penerima × biaya
                elif column.kind in NUMERIC_KINDS:
                    assert cell.data_type == "n", (table.key, i, j)
                    if isinstance(value, int):
                        assert cell.value == value and isinstance(cell.value, int)
                    else:  # openpyxl writes floats with 16 significant digits (Excel keeps 15)
                        assert cell.value == pytest.approx(value, rel=1e-15, abs=1e-15)
                else:
                    assert cell.data_type == "s" and cell.value == resolve(value, "id")
    alloc_sheet = sheets["allocation"]
    labels = [resolve(c.label, "id") for c in report.table("allocation").columns]
    header = _header_row(alloc_sheet, labels)
    cost = alloc_sheet.cell(row=header + 1, column=labels.index("Rupiah") + 1)
    recipients = get_column_letter(labels.index("Penerima") + 1)
    assert cost.value == f"={recipients}{header + 1}*$B$4" and cost.number_format == '[$-421]"Rp "#,##0'
    assert alloc_sheet["A3"].value == "Anggaran" and alloc_sheet["B3"].value == report.budget[0]
    assert alloc_sheet["B4"].value == report.budget[1]  # cost per recipient: the cell a planner may change
    check = alloc_sheet["B6"].value
    assert check.startswith("=IF(") and "$B$3" in check  # the budget check over the live total
    share = alloc_sheet.cell(row=header + 1, column=labels.index("Bagian kebutuhan") + 1)
    assert share.number_format == "[$-421]0.00%" and share.value == pytest.approx(0.0840136, abs=1e-3)
    inputs = sheets["inputs"]
    notes = [inputs.cell(row=r, column=1).value for r in range(3, inputs.max_row + 1)]
    assert any(isinstance(s, str) and s.startswith("[1] ") and "dkp3a.kaltimprov.go.id" in s for s in notes)
    labels = [resolve(c.label, "id") for c in report.table("inputs").columns]
    assert inputs.cell(row=_header_row(inputs, labels) + 1, column=5).value == "[1]"  # numbered source
    summary = wb[wb.sheetnames[0]]
    budget = next(r for r in range(1, 30) if summary.cell(row=r, column=1).value == "Anggaran")
    assert summary.cell(row=budget, column=2).value == report.budget[0]  # a number, not text


def test_xlsx_weight_draws_are_the_analysis_modules(files, draws):
    summary, unchanged = draws
    for lang, name in (("id", "Sensitivitas - rentang bobot"), ("en", "Sensitivity - weight ranges")):
        wb = openpyxl.load_workbook(io.BytesIO(files["xlsx", lang]))
        ws = wb[name]
        first = next(r for r in range(1, 15) if ws.cell(row=r, column=4).value == "P5")
        header = [c.value for c in ws[first]]
        assert wb.sheetnames[-4:-2] == [
            name.replace("rentang bobot", "wilayah").replace("weight ranges", "regions"),
            name,
        ]
        other = wb[wb.sheetnames[-4]]
        other_first = next(r for r in range(1, 15) if other.cell(row=r, column=1).value == header[0])
        assert header[:3] == [c.value for c in other[other_first]][:3]  # code, name, scenario's recipients
        assert header[3:6] == ["P5", "Median", "P95"]
        assert ws.freeze_panes == f"C{first + 1}"
        for r in range(first + 1, first + 1 + len(summary)):
            code = ws.cell(row=r, column=1).value
            expected = summary.loc[code]
            for j, key in enumerate(("recipients", "p5", "median", "p95"), start=3):
                cell = ws.cell(row=r, column=j)
                assert cell.value == expected[DRAWS_COLUMNS[key]] and isinstance(cell.value, int)
                assert cell.number_format.endswith("#,##0")
            for j, key in enumerate(DRAWS_SHARES, start=7):
                cell = ws.cell(row=r, column=j)
                assert cell.value == expected[key] and cell.number_format.endswith("0.00%")
        assert ws.cell(row=first + 1 + len(summary), column=1).value is None  # no total row
        texts = [c.value for c in wb[wb.sheetnames[1]]["A"] if c.value]
        assert any(fmt("share", unchanged, lang) in t for t in texts)
        assert any(t.startswith("wrse sensitivity next-fiscal-year --draws 10000") for t in texts)


def test_markdown_and_docx_carry_the_same_tables(report, files):
    md = markdown_tables(files["md", "id"].decode())
    tables = docx_tables(files["docx", "id"])
    facts_tables = 2  # summary and audit facts are two-column tables in DOCX
    memo_tables = 2  # the telaahan staf's heading fields and its recommendation table
    assert len(md) == len(report.tables())
    assert len(tables) == len(report.tables()) + facts_tables + memo_tables
    for table, md_table in zip(report.tables(), md, strict=True):
        view = table_view(table, "id")
        assert md_table["title"] == view.title
        assert md_table["headers"] == view.headers
        assert md_table["rows"] == [[c.text for c in row] for row in view.rows]
        expected_docx = [view.headers, *([c.text for c in row] for row in view.rows)]
        if view.total:
            expected_docx.append([c.text for c in view.total])
        assert expected_docx in tables


def test_markdown_and_docx_weight_draws_are_the_analysis_modules(files, draws):
    summary, _ = draws
    expected = [
        [
            code,
            *(str(int(row[k])) for k in DRAWS_COLUMNS.values()),
            *(fmt("share", row[k], "id") for k in DRAWS_SHARES),
        ]
        for code, row in summary.iterrows()
    ]
    md = next(
        t for t in markdown_tables(files["md", "id"].decode()) if t["title"].startswith("Penerima per wilayah dari")
    )
    assert [[r[0], *r[2:]] for r in md["rows"]] == expected
    docx_table = next(t for t in docx_tables(files["docx", "id"]) if t[0][-1] == "P(lebih banyak)")
    assert [[r[0], *r[2:]] for r in docx_table[1:]] == expected


def test_docx_has_headings_pictures_and_a4(files):
    document = docx.Document(io.BytesIO(files["docx", "id"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "1. Ringkasan" and headings[-1] == "9. Jejak audit"
    assert len(document.inline_shapes) == 2
    first = document.sections[0]
    assert round(first.page_width.mm) == 210 and round(first.page_height.mm) == 297
    assert any(round(s.page_width.mm) == 297 for s in document.sections)  # the wide table in landscape
    assert document.core_properties.created == datetime(2027, 1, 1).replace(
        tzinfo=document.core_properties.created.tzinfo
    )


@pytest.mark.parametrize(("lang", "tag"), [("id", "id-ID"), ("en", "en-US")])
def test_docx_is_proofed_in_its_own_language(files, lang, tag):
    """Word checks spelling in the document's language: an Indonesian telaahan staf marked en-US
    (python-docx's template) would be underlined red almost word by word when staff fill it in."""
    with zipfile.ZipFile(io.BytesIO(files["docx", lang])) as archive:
        styles = archive.read("word/styles.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    marks = re.findall(r'<w:lang w:val="([^"]+)"', styles) + re.findall(r'<w:themeFontLang w:val="([^"]+)"', settings)
    assert marks and set(marks) == {tag}


def test_both_languages_render_every_format(files):
    for f in writer.FORMATS:
        assert files[f, "id"] != files[f, "en"]
    md_en = files["md", "en"].decode()
    assert "## 1. Summary" in md_en and "## 9. Audit trail" in md_en
    assert "Ringkasan" not in md_en
    for f in ("html", "md"):
        for lang in ("id", "en"):
            text = files[f, lang].decode()
            assert "{" not in text.replace("{ ", "").split("<style>")[0]  # no unfilled {placeholder}


def test_charts_are_byte_identical_on_rerun(report):
    assert charts.svg(report.charts["recipients"], "id") == charts.svg(report.charts["recipients"], "id")
    assert charts.png(report.charts["need_quota"], "en") == charts.png(report.charts["need_quota"], "en")
    assert "<dc:date>" not in charts.svg(report.charts["recipients"], "id")


def test_zip_entries_carry_the_fixed_date(files):
    for f in ("xlsx", "docx"):
        with zipfile.ZipFile(io.BytesIO(files[f, "id"])) as z:
            assert z.namelist()[0] == "[Content_Types].xml"
            assert {i.date_time for i in z.infolist()} == {(2027, 1, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
            assert core.count("2027-01-01T00:00:00Z") == 2


def test_source_date_epoch_and_fiscal_year():
    assert fixed_datetime(2027, {}) == datetime(2027, 1, 1)
    assert fixed_datetime(2027, {"SOURCE_DATE_EPOCH": "1700000000"}) == datetime(2023, 11, 14, 22, 13, 20)
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        fixed_datetime(2027, {"SOURCE_DATE_EPOCH": "yesterday"})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("b.txt", "b")
        z.writestr("a.txt", "a")
    early = normalise_zip(buffer.getvalue(), datetime(1970, 1, 1))
    with zipfile.ZipFile(io.BytesIO(early)) as z:
        assert z.namelist() == ["a.txt", "b.txt"]
        assert z.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold


def test_every_format_is_byte_identical_on_rerun(report, files, tmp_path, monkeypatch):
    # A second run (through the writer, dated by SOURCE_DATE_EPOCH = 2027-01-01 00:00 UTC)
    # gives exactly the bytes of the first (the files fixture, dated 1 January of TA 2027).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    written = writer.write(report, tmp_path, formats=writer.FORMATS)
    assert [p.name for p in written] == [f"next-fiscal-year.{f}" for f in writer.FORMATS]
    for f, path in zip(writer.FORMATS, written, strict=True):
        assert path.read_bytes() == files[f, "id"], f
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
    assert oct(written[0].stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _boom(*args, **kwargs):
    raise RuntimeError("renderer failed")


def test_failed_renderer_writes_nothing_and_keeps_earlier_files(report, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    earlier = writer.write(report, folder, formats=("html", "md"), when=WHEN)
    before = {p.name: p.read_bytes() for p in earlier}
    calls = []
    original_md = writer.RENDERERS["md"]
    monkeypatch.setitem(writer.RENDERERS, "md", lambda *a: calls.append("md") or original_md(*a))
    monkeypatch.setitem(writer.RENDERERS, "docx", _boom)  # fails after html, xlsx and md were rendered
    with pytest.raises(RuntimeError):
        writer.write(report, folder, formats=("html", "xlsx", "md", "docx"), lang="id", when=WHEN)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    with pytest.raises(RuntimeError):
        writer.write(report, tmp_path / "fresh", formats=("md", "docx"), when=WHEN)
    assert calls == ["md", "md"]
    assert not (tmp_path / "fresh").exists() or list((tmp_path / "fresh").iterdir()) == []


def test_failed_rename_rolls_back_to_the_earlier_report(report, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    writer.write(report, folder, formats=("html", "md", "xlsx"), lang="en", when=WHEN)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    replace = os.replace
    count = {"n": 0}

    def flaky(src, dst):
        if str(src).endswith(".part"):
            count["n"] += 1
            if count["n"] == 3:  # the third file fails after two were already in place
                raise OSError("disk full")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)  # the writer renames with optimizer.files
    monkeypatch.setattr(files_mod, "_renameat2", lambda: None)  # file by file, as where folders cannot be exchanged
    # the system's own (English) wording is not shown: the cause in the reader's words (optimizer.files)
    with pytest.raises(InputError, match="cannot write the file"):
        writer.write(report, folder, formats=("html", "md", "xlsx"), lang="en", when=datetime(2030, 1, 1))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no .part or .bak left either


def test_outputs_never_overwrite_inputs(report, tmp_path):
    target = tmp_path / "next-fiscal-year.md"
    target.write_text("my notes")
    with pytest.raises(InputError, match="refusing to overwrite an input"):
        writer.write(report, tmp_path, formats=("md",), inputs=[target], when=WHEN)
    assert target.read_text() == "my notes"
    with pytest.raises(InputError, match="expected a folder"):
        writer.write(report, target, formats=("md",), when=WHEN)


def test_formula_looking_names_stay_text(tmp_path):
    data_file, scenario_file = synthetic_data(tmp_path)
    data = load_data(data_file)
    report = pipeline.make_report(load_scenario(scenario_file), data, baseline=None, command="test")
    raw = writer.RENDERERS["xlsx"](report, "id", WHEN)
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.endswith("=1+1 synthetic"):  # a numbered source note
                    assert cell.data_type == "s", cell.value
                    found["=1+1 synthetic"] = 1
                elif isinstance(cell.value, str) and cell.value in FORMULA_NAMES:
                    assert cell.data_type == "s"
                    assert cell.quotePrefix
                    found[cell.value] = found.get(cell.value, 0) + 1
    assert set(found) == {*FORMULA_NAMES, "=1+1 synthetic"}
    for ws in wb.worksheets:  # formulas only where the report puts them (Rupiah, totals, budget checks)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert cell.value.startswith(
                        (
                            "=SUM(",
                            "=IF(",
                            "=$B$",
                            "=B",
                            "=C",
                            "=D",
                            "=E",
                            "=F",
                            "=G",
                            "=H",
                            "=I",
                            "=J",
                            "=K",
                            "=L",
                            "=M",
                            "=N",
                        )
                    ), cell.value
                    assert not any(name in cell.value for name in FORMULA_NAMES)
    html = writer.RENDERERS["html"](report, "id", WHEN).decode()
    assert "<b>klik</b>" not in html and "&lt;b&gt;klik&lt;/b&gt;" in html
    md = writer.RENDERERS["md"](report, "id", WHEN).decode()
    assert "<b>" not in md
    tables = markdown_tables(md)
    allocation = next(t for t in tables if t["title"] == "Alokasi per kabupaten/kota")
    assert [row[1] for row in allocation["rows"]] == list(FORMULA_NAMES)
