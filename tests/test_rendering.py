"""The render helpers themselves: real conversions in LibreOffice, poppler and Chromium, read back with pdfplumber.

These prove the shared machinery (tests/rendering.py) works on this machine before other tests rely on it, and
that the layout checks can fail: a word broken across lines and a column drawn past the page edge are found.
"""

from __future__ import annotations

import docx
import openpyxl
import pytest
import rendering


@pytest.fixture(scope="module")
def office_samples(tmp_path_factory):
    """{name: PDF}: a small telaahan table (DOCX) and a number too wide for its column (XLSX), converted in one
    LibreOffice run (office_to_pdfs)."""
    folder = tmp_path_factory.mktemp("office")
    document = docx.Document()
    document.add_heading("Telaahan staf", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Kabupaten/Kota"
    table.cell(0, 1).text = "Penerima"
    table.cell(1, 0).text = "Mahakam Ulu"
    table.cell(1, 1).text = "15"
    document.save(folder / "telaah.docx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = 1_500_000_000
    sheet["A1"].number_format = "#,##0"
    sheet.column_dimensions["A"].width = 3
    sheet["B1"] = "Total"
    book.save(folder / "narrow.xlsx")
    pdfs = rendering.office_to_pdfs([folder / "telaah.docx", folder / "narrow.xlsx"], folder / "pdf")
    assert [p.name for p in pdfs] == ["telaah.pdf", "narrow.pdf"]
    return {p.stem: p for p in pdfs}


@pytest.mark.render
def test_docx_to_pdf_to_png(office_samples, render_dir):
    pdf = office_samples["telaah"]
    pages = rendering.pdf_pages_text(pdf)
    assert len(pages) == 1 == rendering.page_count(pdf)
    assert "Kabupaten/Kota" in pages[0] and "Mahakam Ulu" in pages[0]
    assert rendering.overflowing_chars(pdf) == []
    images = rendering.pdf_to_png(pdf, render_dir)
    assert [p.name for p in images] == ["telaah-1.png"]
    assert images[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.render
def test_xlsx_to_pdf_shows_hashes_for_a_narrow_column(office_samples):
    """A number wider than its column prints as ###: the check a report test asserts against can see it."""
    text = "\n".join(rendering.pdf_pages_text(office_samples["narrow"]))
    assert "###" in text


def test_office_to_pdfs_refuses_two_documents_of_one_name(tmp_path):
    """LibreOffice names each output after its document: two ``a.*`` would overwrite each other's PDF."""
    (tmp_path / "x").mkdir()
    with pytest.raises(ValueError, match="same name"):
        rendering.office_to_pdfs([tmp_path / "a.docx", tmp_path / "x" / "a.xlsx"], tmp_path / "pdf")


def test_pdf_readback_is_parsed_once_per_content(tmp_path, monkeypatch):
    """Text, page count, overflow and words of one PDF (or a copy of it) come from one pdfplumber parse; a PDF
    with other content is parsed anew."""
    rendering.require("pdfplumber")
    from PIL import Image

    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    Image.new("RGB", (60, 40), "white").save(first)
    Image.new("RGB", (80, 40), "white").save(second)
    opened = []
    real = rendering._pdfplumber()

    class Counting:
        @staticmethod
        def open(path):
            opened.append(path)
            return real.open(path)

    monkeypatch.setattr(rendering, "_pdfplumber", lambda: Counting)
    monkeypatch.setattr(rendering, "_READBACK", {})
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(first.read_bytes())
    assert rendering.page_count(first) == 1 and rendering.pdf_pages_text(first) == [""]
    assert rendering.overflowing_chars(copy) == []
    assert len(opened) == 1
    assert rendering.pdf_words(copy) == [[]] and len(opened) == 1
    assert rendering.read_pdf(second).sizes != rendering.read_pdf(first).sizes and len(opened) == 2


def test_split_words_finds_a_word_broken_across_lines():
    text = "No Kabupate\nn/Kota Penerima\nRp 51.000. 000"
    assert rendering.split_words(text, ["Kabupaten/Kota", "Penerima", "51.000.000"]) == ["Kabupaten/Kota", "51.000.000"]
    assert rendering.split_words("Kabupaten/Kota", ["Kabupaten/Kota"]) == []


@pytest.mark.browser
def test_html_to_a4_pdf_and_screenshot(browser, tmp_path, render_dir):
    html = tmp_path / "page.html"
    html.write_text(
        "<!doctype html><meta charset=utf-8><h1>Simulasi alokasi</h1>"
        "<table><tr><th>Kabupaten/Kota</th><th>Penerima</th></tr><tr><td>Paser</td><td>17</td></tr></table>",
        encoding="utf-8",
    )
    pdf = rendering.html_to_pdf(browser, html, render_dir / "page.pdf")
    width, height = rendering.read_pdf(pdf).sizes[0]
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4: 210 × 297 mm in points
    assert "Simulasi alokasi" in rendering.pdf_pages_text(pdf)[0]
    assert rendering.overflowing_chars(pdf) == []

    png = rendering.screenshot(browser, html, render_dir / "page.png")
    from PIL import Image

    with Image.open(png) as image:
        assert image.size == (1366, 768)


@pytest.mark.browser
def test_a_column_past_the_page_edge_is_found(browser, tmp_path):
    """Chromium clips what lies beyond the page: the cut columns are missing from the PDF's text."""
    html = tmp_path / "wide.html"
    html.write_text(
        "<!doctype html><meta charset=utf-8><style>@page{size:A4;margin:10mm} td{white-space:nowrap}</style>"
        "<table><tr>" + "".join(f"<td>Kolom{i:02d}</td>" for i in range(40)) + "</tr></table>",
        encoding="utf-8",
    )
    pdf = rendering.html_to_pdf(browser, html, tmp_path / "wide.pdf")
    text = "\n".join(rendering.pdf_pages_text(pdf))
    assert "Kolom00" in text
    assert "Kolom39" in rendering.missing_words(text, [f"Kolom{i:02d}" for i in range(40)])
    assert rendering.missing_words(text, ["Kolom00", "Kolom01"]) == []


def test_browser_page_fixture_reads_back_a_table(browser_page, tmp_path):
    html = tmp_path / "t.html"
    html.write_text("<table><tr><td id=x>42</td></tr></table>", encoding="utf-8")
    browser_page.goto(html.as_uri())
    assert browser_page.inner_text("#x") == "42"
    assert browser_page.viewport_size == rendering.VIEWPORT


def test_missing_tool_skips_naming_the_debian_package(monkeypatch):
    monkeypatch.setattr(rendering, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"render tool missing: chromium .*Debian package chromium"):
        rendering.require("chromium")
    monkeypatch.setattr(rendering.shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="Debian package poppler-utils"):
        rendering.require("pdftoppm")
    with pytest.raises(pytest.skip.Exception, match="Debian package libreoffice"):
        rendering.require("soffice")


def test_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setattr(rendering, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run every render check"):
        rendering.require("chromium")


def test_ci_turns_a_render_skip_into_a_failure(pytester, monkeypatch):
    """The conftest hook fails any skip that names a render tool, whoever wrote the skip, only under CI=true."""
    import pathlib

    here = pathlib.Path(__file__).parent
    pytester.makeconftest((here / "conftest.py").read_text(encoding="utf-8"))
    pytester.syspathinsert(here)
    pytester.makepyfile(
        test_x="""
import pytest
def test_needs_soffice():
    pytest.skip("soffice not found: install libreoffice")
def test_other_skip():
    pytest.skip("not relevant here")
"""
    )
    monkeypatch.setenv("CI", "true")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(failed=1, skipped=1)
    monkeypatch.setenv("CI", "false")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(skipped=2)
