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


def _write_report(name, kaltim, next_year, folder):
    """(report, {format: file}) for the case ``name``, written like ``wrse report`` writes it."""
    report = pipeline.make_report(
        next_year, kaltim, baseline=None, command="test", issued=date(2026, 12, 1), **CASES[name]
    )
    paths = writer.write(report, folder, formats=("html", "docx", "xlsx"), lang="id")
    return report, {p.suffix.lstrip("."): p for p in paths}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request, kaltim, next_year, tmp_path_factory):
    """(name, report, {format: file}) for one case; only the cases a worker runs are built on it (pytest-xdist
    keeps one case's tests together on a worker)."""
    name = request.param
    return (name, *_write_report(name, kaltim, next_year, tmp_path_factory.mktemp(name)))


@pytest.fixture(scope="module")
def office_pdfs(case, tmp_path_factory, shared_tmp):
    """{format: PDF} for the DOCX and XLSX of one case, converted in one LibreOffice run per case (so the two
    workers convert the two cases side by side; shared by the workers: the documents are byte-identical on every
    run)."""
    rendering.require(*rendering.MARKER_TOOLS["render"])
    name, _, files = case
    staged = tmp_path_factory.mktemp(f"office-{name}")
    documents = {fmt: shutil.copy(files[fmt], staged / f"{name}-{fmt}.{fmt}") for fmt in ("docx", "xlsx")}
    pdfs = rendering.office_to_pdfs(list(documents.values()), staged / "pdf", cache=shared_tmp)
    return dict(zip(documents, pdfs, strict=True))


@pytest.fixture(scope="module")
def uep_pdf(tmp_path_factory, shared_tmp):
    """The PDF of the TA 2027 UEP proposal's workbook, written by ``wrse report`` as a user runs it (converted
    apart from the cases: only its own test needs it)."""
    from click.testing import CliRunner

    from optimizer.cli import main

    rendering.require(*rendering.MARKER_TOOLS["render"])
    staged = tmp_path_factory.mktemp("office-uep")
    uep = staged / "uep"
    result = CliRunner().invoke(
        main, ["report", "proposal-2027-uep", "--format", "xlsx", "--date", "2026-12-01", "--out", str(uep)]
    )
    assert result.exit_code == 0, result.output
    [workbook] = uep.glob("*.xlsx")
    document = shutil.copy(workbook, staged / "proposal-2027-uep-xlsx.xlsx")
    [pdf] = rendering.office_to_pdfs([document], staged / "pdf", cache=shared_tmp)
    return pdf


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


def overlapping_chars(pdf) -> list[tuple[int, str, str]]:
    """Characters of different lines drawn over each other (a wrapped cell printed over the next
    row: pdfplumber then reads "(kpersoeknsjia)"): ``(page, char, char)`` for each pair."""
    out = []
    for number, page_chars in enumerate(rendering.read_pdf(pdf).chars, start=1):  # the non-blank characters
        buckets: dict[tuple[int, int], list[dict]] = {}
        for ch in page_chars:
            buckets.setdefault((int(ch["x0"] // 4), int(ch["top"] // 4)), []).append(ch)
        for (ix, iy), chars in buckets.items():
            near = [c for dx in (-1, 0, 1) for dy in (-2, -1, 0, 1, 2) for c in buckets.get((ix + dx, iy + dy), ())]
            for a in chars:
                for b in near:
                    if b is a or abs(a["top"] - b["top"]) < 1.0:
                        continue
                    dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    if dx > 0.5 * (a["x1"] - a["x0"]) and dy > 0.3 * (a["bottom"] - a["top"]):
                        out.append((number, a["text"], b["text"]))
    return out


def short_tables_split(report, pages: list[str], memo: bool) -> list[str]:
    """Titles of the short region tables (at most 14 rows) whose last region is not on the page of
    their caption: a caption left alone at a page's foot, or a table cut after a few rows."""
    out = []
    tables = list(report.tables()) + ([report.front.recommendation] if report.front and memo else [])
    for table in tables:
        if len(table.rows) > 14 or not table.rows or table.columns[0].key != "region_code":
            continue
        title = resolve(table.title, "id")
        last = str(table.rows[-1][0])
        at = [i for i, page in enumerate(pages) if title in page.replace("\n", " ")]
        if at and last not in pages[at[-1]]:  # the last mention: the contents and the section heading come first
            out.append(title)
    return out


def _save_pages(pdf, render_dir, prefix):
    images = rendering.pdf_to_png(pdf, render_dir, dpi=70, prefix=prefix)
    assert images, pdf
    return images


@pytest.mark.render
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_files_render_whole_in_libreoffice(case, fmt, office_pdfs, render_dir):
    name, report, _ = case
    pdf = shutil.copy(office_pdfs[fmt], render_dir)
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
        # a signed number stays on one line: Writer broke "Kab. Penajam Paser Utara (-13)" after "(-"
        words_drawn = [w["text"] for page in rendering.pdf_words(pdf) for w in page]
        assert [w for w in words_drawn if re.search(r"\([-\u2011+]$", w)] == []
        assert short_tables_split(report, pages, memo=True) == []
        # the explanation column has the width it needs: no row of the why table wraps to 3+ lines
        why = next(p for p in pages if resolve(report.table("why").title, "id") in p)
        assert resolve(report.table("why").title, "id") in why and str(report.table("why").rows[-1][0]) in why
    else:  # the workbook's formulas are computed by the spreadsheet program: the total is on the page
        # a wrapped cell (the sensitivity variants' long labels) gets the height of its lines
        assert overlapping_chars(pdf) == []
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
    # a short table is printed with its caption on one page (the caption was left at a page's foot)
    assert short_tables_split(report, pages, memo=False) == []
    # every table's total row is printed once (not repeated after each page fragment); a total row is
    # "Jumlah" followed by a figure, which sentences that begin with the word "Jumlah" are not
    totals = len([t for t in report.tables() if t.total is not None])
    assert len(re.findall(r"^Jumlah (?:Rp )?[0-9−-]", text, flags=re.M)) <= totals


def test_recommendation_total_is_the_engines(case, kaltim, next_year):
    name, report, _ = case
    options = CASES[name]
    alloc = engine.allocate(next_year, kaltim, **options)
    assert report.front.recommendation.total[-1] == alloc.spent_rp


@pytest.mark.browser
def test_command_lines_print_with_every_word_whole(browser, render_dir):
    """The audit trail's command and the sensitivity command of the committed example, printed to A4:
    each word whole, never broken at its hyphens ("--date 2026-" / "12-01", "--" / "data-spread"), so
    what a reader types from paper is the command."""
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "reports" / "example" / "next-fiscal-year.html"
    html = page.read_text(encoding="utf-8")
    blocks = [
        re.sub(r"<[^>]+>", "", b) for b in re.findall(r'<(?:dd|pre class="formula")>(.*?)</(?:dd|pre)>', html, re.S)
    ]
    words = {w for b in blocks if b.startswith("wrse ") for w in b.split() if "-" in w.strip("-")}
    assert {"2026-12-01", "--data-spread", "--weight-model"} <= words
    text = "\n".join(rendering.pdf_pages_text(rendering.html_to_pdf(browser, page, render_dir / "example-html.pdf")))
    assert sorted(w for w in words if w not in text.split()) == []


@pytest.mark.render
def test_uep_proposal_workbook_text_sheet_fits_a4_in_libreoffice(uep_pdf, render_dir):
    """The report-text sheet of the TA 2027 UEP proposal ran past the right edge of A4 portrait in Calc with an
    80-character column (its sentences are longer than next-fiscal-year's): every character stays on its page."""
    pdf = shutil.copy(uep_pdf, render_dir)
    _save_pages(pdf, render_dir, "proposal-2027-uep-xlsx")
    assert rendering.overflowing_chars(pdf) == []
    assert "###" not in "\n".join(rendering.pdf_pages_text(pdf))
