"""The report as its readers see it: DOCX and XLSX rendered by LibreOffice, HTML printed to A4 by
Chromium, then read back from the PDF.

For the shipped next-fiscal-year scenario and for ``--budget "1,5 miliar" --method hamilton``:
every table heading word and every region name is on the page whole (no "Kabupate n/Kota"), no
Rupiah amount is broken, no "###" in a spreadsheet cell, nothing is drawn outside the page, page
counts stay within bounds, the total row is printed once per table, and the live workbook formulas
are computed by the spreadsheet program. Page images are kept (``render_dir``; set
``WRSE_RENDER_DIR=build/report-pages`` to keep them in the worktree) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
import rendering

from optimizer import engine
from optimizer.report import pipeline, writer
from optimizer.report.text import resolve
from optimizer.report.view import table_view

CASES = {
    "shipped": {},
    "hamilton-1500juta": {"budget_rp": 1_500_000_000, "method": "largest-remainder"},
}
BOUNDS = {"docx": (10, 30), "xlsx": (10, 40), "html": (8, 30)}


@pytest.fixture(scope="module")
def reports(kaltim, next_year, tmp_path_factory):
    """{case: (report, {format: file})} for every case, written like ``wrse report`` writes it."""
    out = {}
    for name, options in CASES.items():
        report = pipeline.make_report(
            next_year, kaltim, baseline=None, command="test", issued=date(2026, 12, 1), **options
        )
        folder = tmp_path_factory.mktemp(name)
        paths = writer.write(report, folder, formats=("html", "docx", "xlsx"), lang="id")
        out[name] = report, {p.suffix.lstrip("."): p for p in paths}
    return out


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request, reports):
    """(name, report, {format: file}) for one case."""
    return (request.param, *reports[request.param])


@pytest.fixture(scope="module")
def office_pdfs(reports, tmp_path_factory, shared_tmp):
    """{(case, format): PDF} for the DOCX and XLSX of every case, converted in one LibreOffice run (shared by
    the workers: the documents are byte-identical on every run)."""
    rendering.require(*rendering.MARKER_TOOLS["render"])
    staged = tmp_path_factory.mktemp("office")
    documents = {}
    for name, (_, files) in reports.items():
        for fmt in ("docx", "xlsx"):
            documents[name, fmt] = shutil.copy(files[fmt], staged / f"{name}-{fmt}.{fmt}")
    pdfs = rendering.office_to_pdfs(list(documents.values()), staged / "pdf", cache=shared_tmp)
    return dict(zip(documents, pdfs, strict=True))


def _words(report, memo: bool = True) -> tuple[list[str], list[str]]:
    """(whole words that must never be split: headings, region names, amounts), (heading words);
    ``memo``: with the telaahan's recommendation table (DOCX and XLSX carry it, HTML does not)."""
    headings, values = [], []
    tables = list(report.tables()) + ([report.front.recommendation] if report.front and memo else [])
    for table in tables:
        view = table_view(table, "id")
        for header in view.headers:
            headings += [w for w in header.split() if len(w) > 3]
        for row in [*view.rows, *([view.total] if view.total else [])]:
            for cell in row:
                if cell.numeric and cell.text.startswith("Rp "):
                    values.append(cell.text.replace(" ", "\u00a0").split("\u00a0", 1)[1])
    names = [n for n in ("Kabupaten/Kota", "Kartanegara", "Samarinda", "Balikpapan", "Bontang")]
    return sorted(set(headings + values + names)), sorted(set(headings))


def _save_pages(pdf, render_dir, prefix):
    images = rendering.pdf_to_png(pdf, render_dir, dpi=70, prefix=prefix)
    assert images, pdf
    return images


@pytest.mark.render
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_files_render_whole_in_libreoffice(case, fmt, office_pdfs, render_dir):
    name, report, _ = case
    pdf = shutil.copy(office_pdfs[name, fmt], render_dir)
    _save_pages(pdf, render_dir, f"{name}-{fmt}")
    pages = rendering.pdf_pages_text(pdf)
    text = "\n".join(pages)
    low, high = BOUNDS[fmt]
    assert low <= len(pages) <= high, len(pages)
    assert "###" not in text
    assert rendering.overflowing_chars(pdf) == []
    words, headings = _words(report)
    assert rendering.split_words(text, words) == []
    assert rendering.missing_words(text, headings) == []
    if fmt == "docx":
        assert pages[0].lstrip().startswith("TELAAHAN STAF")
        assert "Terbilang:" in text
    else:  # the workbook's formulas are computed by the spreadsheet program: the total is on the page
        total = f"Rp {report.table('allocation').total[report.table('allocation').column('cost_rp')]:,}"
        assert total.replace(",", ".") in text
        assert "OK: dalam anggaran" in text or "dalam anggaran" in text


@pytest.mark.render
@pytest.mark.browser
def test_html_prints_on_a4_with_every_column_and_totals_once(case, browser, render_dir):
    name, report, files = case
    pdf = rendering.html_to_pdf(browser, files["html"], render_dir / f"{name}-html.pdf")
    _save_pages(pdf, render_dir, f"{name}-html")
    pages = rendering.pdf_pages_text(pdf)
    text = "\n".join(pages)
    low, high = BOUNDS["html"]
    assert low <= len(pages) <= high, len(pages)
    words, headings = _words(report, memo=False)
    assert rendering.missing_words(text, headings) == []  # no column cut at the page edge
    assert rendering.split_words(text, [w for w in words if not w[0].isdigit()]) == []
    # page 1 holds more than the title: the contents and the start of the summary
    assert resolve(report.sections[0].title, "id") in pages[0] and len(pages[0].split()) > 60
    # every table's total row is printed once (not repeated after each page fragment); a total row is
    # "Jumlah" followed by a figure, which sentences that begin with the word "Jumlah" are not
    totals = len([t for t in report.tables() if t.total is not None])
    assert len(re.findall(r"^Jumlah (?:Rp )?[0-9−-]", text, flags=re.M)) <= totals


def test_recommendation_total_is_the_engines(case, kaltim, next_year):
    name, report, _ = case
    options = CASES[name]
    alloc = engine.allocate(next_year, kaltim, **options)
    assert report.front.recommendation.total[-1] == alloc.spent_rp
