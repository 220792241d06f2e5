"""The what-if page in Chromium, read as a planner reads it: the proxy named as what it is,
the Δ legend naming the scenario by its title, and source URLs broken only between their parts.

The page is built by ``wrse page`` for next-fiscal-year, whose eligible figures are the BPS poor
population (a proxy): its table heads the column as the run table does and has no coverage.
"""

from __future__ import annotations

import pytest

from optimizer.cli import main
from optimizer.i18n import t
from optimizer.scenario import load

pytestmark = pytest.mark.browser

HEADINGS = "() => [...document.querySelectorAll('#alloc thead th')].map((th) => th.firstChild.textContent.trim())"

# Where each source link's text wraps: for every line after the first, the character before the break.
LINK_BREAKS = """() => {
  const breaks = [];
  for (const a of document.querySelectorAll('#sources a')) {
    let top = null, previous = '';
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2) breaks.push({ url: a.href, before: previous, after: node.data[i] });
        top = rect.top;
        previous = node.data[i];
      }
    }
  }
  return breaks;
}"""


# The horizontal gap between the texts of every two neighbouring cells on one line of the table.
CELL_GAPS = """() => {
  const box = (cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    return rects.length ? { left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
      top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)) } : null;
  };
  const gaps = [];
  for (const tr of document.querySelectorAll('#alloc tr')) {
    const cells = [...tr.children];
    for (let i = 0; i + 1 < cells.length; i++) {
      const a = box(cells[i]), b = box(cells[i + 1]);
      if (a && b && a.bottom > b.top && b.bottom > a.top)
        gaps.push({ gap: b.left - a.right, left: cells[i].textContent.trim(), right: cells[i + 1].textContent.trim() });
    }
  }
  return gaps;
}"""
CODES = ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")


def _page(folder, *options):
    from click.testing import CliRunner

    out = folder / "simulasi.html"
    result = CliRunner().invoke(main, ["page", "next-fiscal-year", "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    return _page(tmp_path_factory.mktemp("page-names"))


@pytest.fixture(scope="module")
def counted_page_file(tmp_path_factory):
    """The page with a counts file: the eligible column is counts, with coverage beside it (one more column)."""
    folder = tmp_path_factory.mktemp("page-counted")
    counts = folder / "counts.csv"
    counts.write_text("region_code,eligible\n" + "\n".join(f"{c},500" for c in CODES) + "\n")
    return _page(folder, "--eligible", str(counts))


@pytest.fixture
def page(browser_page, page_file):
    browser_page.goto(page_file.as_uri())
    browser_page.wait_for_selector("#alloc")
    return browser_page


def test_the_proxy_column_and_the_legend_read_as_the_run_table(page):
    for lang in ("id", "en"):
        if lang == "en":
            page.evaluate("WrsePage.setLanguage('en')")
        headings = page.evaluate(HEADINGS)
        assert t("column.eligible_proxy", lang) in headings, headings
        assert t("column.eligible", lang) not in headings and t("column.coverage_pct", lang) not in headings
        assert page.inner_text("label[for=w-eligible]") == t("weight.eligible_proxy", lang)  # its slider
        summary = page.inner_text("#summary")
        assert f"{t('weight.eligible_proxy', lang)} 40" in summary, summary
        legend = page.inner_text("#table-wrap p.small")
        title = load("next-fiscal-year", lang).title
        assert title.split(":")[0].strip() in legend, legend
        assert "next-fiscal-year" not in legend


@pytest.mark.parametrize("width", [1366, 900])
def test_source_urls_break_only_between_their_parts(page, width):
    page.set_viewport_size({"width": width, "height": 768})
    breaks = page.evaluate(LINK_BREAKS)
    assert breaks, "no source URL wraps at this width: the check would see nothing"
    wrong = [b for b in breaks if b["before"] not in "/.-?"]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("counted", [False, True])
def test_neighbouring_cells_never_run_together(browser_page, page_file, counted_page_file, counted):
    """Min 5 beside Maks 25.280, Rupiah beside Kendala mengikat: at least 6px (two spaces) apart, and
    the table still fits the page at 1366×768 without scrolling, in both languages."""
    browser_page.goto((counted_page_file if counted else page_file).as_uri())
    browser_page.wait_for_selector("#alloc")
    headings = browser_page.evaluate(HEADINGS)
    assert (t("column.coverage_pct", "id") in headings) == counted
    for lang in ("id", "en"):
        browser_page.evaluate(f"WrsePage.setLanguage('{lang}')")
        gaps = browser_page.evaluate(CELL_GAPS)
        close = [g for g in gaps if g["gap"] < 5.5]
        assert gaps and not close, close[:5]
        width = browser_page.evaluate(
            "() => { const w = document.getElementById('table-wrap'); return [w.scrollWidth, w.clientWidth]; }"
        )
        assert width[0] <= width[1], width
