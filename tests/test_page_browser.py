"""The what-if page driven in headless Chromium as a planner drives it.

Type a budget, move a weight slider with the keyboard, lock a region, leave a region out,
switch the method and the language, and read the table back from the page: every cell
must be the cell ``wrse run`` prints for the same choices. The saved TOML re-run with
``wrse run`` gives the same recipients and Rupiah; the CSV opens right in Indonesian
Excel; an infeasible choice shows the sentence the CLI gives. Screenshots at 1366×768 and
an A4 print are saved (``tests/screenshots/page/``, or ``$WRSE_RENDER_DIR``) for a person
to look at. No request leaves the page.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import rendering
from page_helpers import ROOT, engine_allocation, run_table_cells

from optimizer import output
from optimizer.cli import main
from optimizer.scenario import load

pytestmark = pytest.mark.browser

READ_TABLE = """() => [...document.querySelectorAll('#alloc tbody tr')].map((tr) =>
  [...tr.querySelectorAll('td')].map((td) =>
    [...td.childNodes].filter((n) => n.nodeName !== 'SUP').map((n) => n.textContent).join('').trim()))"""
READ_TOTAL = """() => [...document.querySelectorAll('#alloc tfoot td')].map((td) =>
  [...td.childNodes].filter((n) => n.nodeName !== 'SUP').map((n) => n.textContent).join('').trim())"""


def shots_dir() -> Path:
    """Where the screenshots go: $WRSE_RENDER_DIR/page or tests/screenshots/page (gitignored)."""
    root = os.environ.get("WRSE_RENDER_DIR")
    folder = Path(root) / "page" if root else ROOT / "tests" / "screenshots" / "page"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("page") / "simulasi.html"
    result = CliRunner().invoke(main, ["page", "next-fiscal-year", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def planner_page(browser, page_file):
    """One 1366×768 page for the module's tests (each opens the file again: :func:`planner`), every request that is
    not the file itself refused and recorded, and the page's errors recorded."""
    context = browser.new_context(viewport=rendering.VIEWPORT)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []

    def guard(route):
        if route.request.url == page_file.as_uri():
            return route.continue_()
        requests.append(route.request.url)
        return route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, requests, errors
    context.close()


@pytest.fixture
def planner(planner_page, page_file):
    """The page opened afresh from file:// (the page keeps no state between loads: no storage, no cookies), every
    request that is not the file itself refused and recorded."""
    page, requests, errors = planner_page
    requests.clear()
    errors.clear()
    page.goto(page_file.as_uri())
    page.wait_for_selector("#alloc")
    yield page
    assert requests == [], f"the page asked the network for {requests}"
    assert errors == []


def _cli_cells(scenario, lang="id"):
    """The cells ``wrse run`` prints for ``scenario`` (a Scenario), by region code, and the totals."""
    text = output.allocation_table(engine_allocation(scenario), lang, wide=True)
    _, rows, total = run_table_cells(text)
    return rows, total


def _page_cells(page):
    rows = page.evaluate(READ_TABLE)
    return {r[0]: r for r in rows}, page.evaluate(READ_TOTAL)


def _assert_same_table(page, scenario, lang="id"):
    want_rows, want_total = _cli_cells(scenario, lang)
    got_rows, got_total = _page_cells(page)
    assert set(got_rows) == set(want_rows)
    for code, cells in want_rows.items():  # the page's cells, then its two change columns
        assert got_rows[code][: len(cells)] == cells, code
    assert got_total[: len(want_total)] == want_total


def _save(page, button: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(button)
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(str(target))
    return target


def _shipped_with(**changes):
    return load("next-fiscal-year").replace(**changes)


def test_opens_with_the_run_table(planner):
    """As shipped, the page's table is `wrse run next-fiscal-year`, cell for cell."""
    _assert_same_table(planner, load("next-fiscal-year"))
    planner.screenshot(path=str(shots_dir() / "01-as-shipped.png"))
    summary = planner.inner_text("#summary")
    assert "Anggaran: Rp 600.000.000" in summary and "200 dialokasikan" in summary
    assert "IDG provinsi 2019" in summary
    # every figure says where it comes from: the table's source marks resolve to the list of sources
    sources = planner.eval_on_selector_all("#sources li", "(items) => items.map((li) => li.textContent)")
    assert any("dkp3a.kaltimprov.go.id" in s for s in sources)
    assert any("BPS" in s for s in sources)
    marks = planner.eval_on_selector_all("#alloc sup", "(s) => s.map((e) => Number(e.textContent))")
    assert marks and max(marks) == len(sources)


def test_planner_edits_and_saves(planner, tmp_path, runner):
    page = planner
    page.fill("#budget", "750 juta")
    assert page.inner_text("#budget-read") == "= Rp 750.000.000"
    page.focus("#w-idg_gap")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    weights = {k: float(page.input_value(f"#wt-{k}")) for k in ("idg_gap", "poverty_rate", "eligible")}
    assert weights["idg_gap"] == 50 and sum(weights.values()) == 100
    page.fill('input[data-bound="lock"][data-code="6411"]', "20")
    page.uncheck('input[data-include="6471"]')
    expected = _shipped_with(
        budget_rp=750_000_000,
        weights=weights,
        locks={"6411": 20},
        include=("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6472", "6474"),
    )
    _assert_same_table(page, expected)
    got, _ = _page_cells(page)
    # a proxy's table has no coverage column: the binding constraint is the 13th cell
    assert got["6411"][10] == "20" and got["6411"][12] == "dikunci"
    assert got["6471"][10] == "0" and got["6471"][12] == "tidak termasuk"
    page.screenshot(path=str(shots_dir() / "02-edited.png"))

    # next in line: the next grant goes where the engine puts it at Rp 753.000.000
    nxt = engine_allocation(expected.replace(budget_rp=753_000_000)).recipients()
    now = engine_allocation(expected).recipients()
    gained = [code for code in nxt if nxt[code] > now[code]]
    first = page.inner_text("#next li:first-child")
    assert "Rp 753.000.000" in first
    assert all(load_name(code) in first for code in gained)

    # the saved scenario reproduces the table with wrse run
    saved = _save(page, "#save-toml", tmp_path)
    result = runner.invoke(main, ["run", str(saved), "--format", "json"])
    assert result.exit_code == 0, result.output
    run = {r["region_code"]: r for r in json.loads(result.stdout)["regions"]}
    for code, cells in got.items():
        assert str(run[code]["recipients"]) == cells[10]
        assert output.format_rp(run[code]["cost_rp"]) == cells[11]
    table = runner.invoke(main, ["run", str(saved), "--wide"])
    _, rows, total = run_table_cells(table.stdout)
    assert rows == {c: r[: len(rows[c])] for c, r in got.items()}
    assert total == page.evaluate(READ_TOTAL)[: len(total)]
    assert "Perubahan terhadap skenario next-fiscal-year" in saved.read_text(encoding="utf-8")
    # its title and assumptions say what was saved (they kept "200 penerima ... di sepuluh kabupaten/kota"
    # and "batas bawah tidak ada" beside floor_all = 5), in both languages
    texts = tomllib.loads(saved.read_text(encoding="utf-8"))
    own, english = texts["scenario"], texts["en"]["scenario"]
    assert own["title"] == (
        "Rancangan awal TA 2027 (aturan SK 2023), disunting di halaman simulasi: "
        "250 penerima @ Rp 3.000.000 di 9 kabupaten/kota, anggaran Rp 750.000.000"
    )
    assert english["title"] == (
        "First draft for FY 2027 (2023 SK rule), edited on the what-if page: "
        "250 recipients @ Rp 3,000,000 in 9 kabupaten/kota, budget Rp 750,000,000"
    )
    assert texts["constraints"] == {"floor_all": 5, "locks": {"6411": 20}}
    assert own["assumptions"][1] == (
        "Batasan yang disimpan: batas bawah setiap wilayah 5; batas atas setiap wilayah tidak ada; "
        "batas bawah per wilayah tidak ada; batas atas per wilayah tidak ada; kunci 6411=20"
    )
    assert english["assumptions"][1].startswith("Constraints as saved: floor for every region 5;")
    assert table.stdout.startswith(f"Skenario: {own['title']} (next-fiscal-year-simulasi)")
    in_english = runner.invoke(main, ["run", str(saved), "--lang", "en"])
    assert in_english.stdout.startswith(f"Scenario: {english['title']} (next-fiscal-year-simulasi)")

    # the CSV opens right in Indonesian Excel: wrse run's csv-excel cells, and the two change columns
    data = _save(page, "#save-csv", tmp_path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n") == 12
    rows_csv = list(csv.reader(io.StringIO(text), delimiter=";"))
    excel = runner.invoke(main, ["run", str(saved), "--format", "csv-excel"])
    assert excel.exit_code == 0, excel.output
    want = list(csv.reader(io.StringIO(excel.stdout.removeprefix("\ufeff")), delimiter=";"))
    # with the Keterangan column (the marks of estimates); a proxy's CSV has no coverage column
    assert [r[:17] for r in rows_csv] == want
    assert rows_csv[0][16:] == ["Keterangan", "Δ skenario", "Δ pembanding"]
    assert rows_csv[0][7] == "Penduduk miskin (proksi, jiwa)" and "Cakupan (%)" not in rows_csv[0]
    assert by_remark(rows_csv, "6401") == "* estimasi: penduduk miskin (proksi)"
    by_code = {r[0]: r for r in rows_csv[1:] if r[0]}
    shipped = engine_allocation(load("next-fiscal-year")).recipients()
    for code, r in by_code.items():
        assert r[13] == str(run[code]["recipients"]) and r[14] == str(run[code]["cost_rp"])
        assert int(r[17]) == run[code]["recipients"] - shipped[code]
    share = by_code["6404"][9]
    assert re.fullmatch(r"\d+,\d\d", share) and rows_csv[0][9] == "Kebutuhan (%)"


def by_remark(rows: list[list[str]], code: str) -> str:
    return next(r[16] for r in rows if r[0] == code)


def load_name(code: str) -> str:
    from optimizer.inputs.data import shipped

    return shipped().region(code).name


def test_hamilton_and_english(planner):
    page = planner
    page.check('input[name="method"][value="largest-remainder"]')
    page.fill("#budget", "1,5 miliar")
    page.click("#lang-toggle")
    assert page.inner_text("#lang-toggle") == "Bahasa Indonesia"
    expected = _shipped_with(budget_rp=1_500_000_000, method="largest-remainder")
    _assert_same_table(page, expected, "en")
    assert "Alabama" in page.inner_text("#notes")
    page.screenshot(path=str(shots_dir() / "03-english-hamilton.png"))


def _cli_error(runner, toml: Path, *args) -> str:
    result = runner.invoke(main, ["run", str(toml), "--lang", "en", *args])
    assert result.exit_code in (1, 2), result.output
    line = result.output.strip().splitlines()[-1]
    return re.sub(r"^(Error|Kesalahan): ", "", line)


def _after_source(sentence: str) -> str:
    """The sentence without what it names first (the CLI names the scenario, the page the field typed in)."""
    return sentence.split(": ", 1)[1]


def _numbers(sentence: str) -> list[int]:
    """The whole numbers of a sentence, grouping marks dropped ("Rp 15,000,000,000" and "5.000" alike)."""
    return [int(re.sub(r"[.,]", "", n)) for n in re.findall(r"\d+(?:[.,]\d{3})*", sentence)]


# Words of a scenario file a planner on the page never typed: the file and its keys.
FILE_WORDS = (".toml", "indicators.", "constraints.", "costs.", "scenario.", "regions.", "weights.", "[weights]")


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        ({"#floor-all": "100"}, "Budget"),
        ({'input[data-bound="lock"][data-code="6411"]': "5000"}, "Lock Mahakam Ulu"),
        (
            {'input[data-bound="floor"][data-code="6401"]': "30", 'input[data-bound="cap"][data-code="6401"]': "10"},
            "Min Paser",
        ),
        (
            {'input[data-bound="floor"][data-code="6402"]': "3", 'input[data-bound="lock"][data-code="6402"]': "3"},
            "Lock Kutai Barat",
        ),
    ],
    ids=["floors-above-budget", "locks-above-budget", "floor-above-cap", "lock-and-floor"],
)
def test_infeasible_choice_gives_the_cli_sentence(planner, tmp_path, runner, choice, field):
    """The page refuses what wrse run refuses, with the CLI's numbers; it names the box typed in
    ("Min Paser"), not the scenario file and its keys as the CLI does ("key 'constraints.floors.6401'")."""
    page = planner
    page.click("#lang-toggle")  # English, to compare with the CLI's English sentence
    for selector, value in choice.items():
        page.fill(selector, value)
    assert page.is_visible("#problem")
    assert page.inner_html("#table-wrap") == ""  # never a stale or wrong table
    sentence = page.inner_text("#problem li")
    # the save button is off without a result: the same choices as TOML from the page's script
    saved = tmp_path / "infeasible.toml"
    saved.write_text(page.evaluate("window.WrsePage.toml()"), encoding="utf-8")
    cli = _cli_error(runner, saved)
    assert sentence.startswith(f"{field}: ")
    assert not any(word in sentence for word in FILE_WORDS), sentence
    if field == "Budget":  # the CLI's sentence names no key: the page's is the same after what it names
        assert _after_source(sentence) == _after_source(cli)
        page.screenshot(path=str(shots_dir() / "04-infeasible.png"))
    else:  # every number of the CLI's sentence (the region's code aside: the page names the region)
        assert [n for n in _numbers(_after_source(cli)) if n not in (6401, 6402, 6411)] == _numbers(
            _after_source(sentence)
        ), (sentence, cli)


def test_budget_below_one_grant_names_the_budget_field(planner, runner):
    """For 750 or 0 the page said "next-fiscal-year.toml: kunci 'scenario.budget' bernilai Rp 750, ...", a
    file and key the planner never typed: it names the budget field, as the CLI names --budget."""
    page = planner
    for lang, typed in (("id", "750"), ("en", "0")):
        if lang == "en":
            page.click("#lang-toggle")
        page.fill("#budget", typed)
        sentence = page.inner_text("#problem li")
        assert ".toml" not in sentence and "scenario.budget" not in sentence
        result = runner.invoke(main, ["run", "next-fiscal-year", "--budget", typed, "--lang", lang])
        assert result.exit_code in (1, 2), result.output
        cli = re.sub(r"^(Error|Kesalahan): --budget ", "", result.output.strip().splitlines()[-1])
        assert sentence == f"{'Anggaran' if lang == 'id' else 'Budget'}: {cli}"


def test_no_stale_result_while_the_budget_is_invalid(planner, tmp_path):
    """After a bad budget the heading still read "... Rp 1.500.000.000 (500 penerima) ..." beside the error,
    and the save buttons did nothing: no result is shown as current, and saving is off with its reason."""
    page = planner
    page.fill("#budget", "1,5 miliar")
    assert "Rp 1.500.000.000 (500 penerima)" in page.inner_text("#scenario-title")
    reason = "Simpan, unduh dan pembanding tersedia lagi setelah pilihan dapat dihitung."
    for typed in ("abc", "750", "0"):
        page.fill("#budget", typed)
        assert page.is_visible("#problem")
        heading = page.inner_text("h1")
        assert heading.endswith("(aturan SK 2023) — tanpa hasil: pilihan di halaman ini tidak dapat dihitung")
        assert "penerima" not in heading and "Rp" not in heading, typed
        assert "tidak berlaku untuk pilihan di halaman ini" in page.inner_text("#scenario-description")
        for shown in ("#summary", "#table-wrap", "#notes", "#next", "#bars", "#map"):
            assert page.inner_text(shown).strip() == "", (typed, shown)
        assert all(page.is_disabled(b) for b in ("#save-toml", "#save-csv", "#pin")), typed
        assert page.is_visible("#result-actions-reason") and page.inner_text("#result-actions-reason") == reason
        if typed == "750":
            page.screenshot(path=str(shots_dir() / "06-invalid-budget.png"))
    page.click("#lang-toggle")  # the language switch keeps it (it redrew the scenario's own title)
    assert page.inner_text("#scenario-title").endswith("— no result: the choices on this page cannot be computed")
    assert "Saving, downloading and pinning return" in page.inner_text("#result-actions-reason")
    page.click("#lang-toggle")
    page.fill("#budget", "1,5 miliar")
    assert "Rp 1.500.000.000 (500 penerima)" in page.inner_text("#scenario-title")
    assert not any(page.is_disabled(b) for b in ("#save-toml", "#save-csv", "#pin"))
    assert not page.is_visible("#result-actions-reason")
    assert _save(page, "#save-csv", tmp_path).read_bytes().startswith(b"\xef\xbb\xbf")


def test_amount_typo_gives_the_budget_option_sentence(planner, runner):
    page = planner
    page.click("#lang-toggle")
    page.fill("#budget", "1,234 miliar")
    sentence = page.inner_text("#problem li")
    assert sentence.startswith("Budget: amount '1,234 miliar' is ambiguous")
    result = runner.invoke(main, ["run", "next-fiscal-year", "--budget", "1,234 miliar", "--lang", "en"])
    assert result.exit_code == 2
    assert sentence.removeprefix("Budget: ") in " ".join(result.output.split())


def test_prints_on_a4(browser, page_file):
    """Printed on A4 (landscape, as the page's @page asks) every region and the totals are on the paper."""
    pdf = rendering.html_to_pdf(browser, page_file, shots_dir() / "05-print-a4.pdf")
    text = "\n".join(rendering.pdf_pages_text(pdf))
    names = [load_name(c) for c in ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")]
    assert rendering.missing_words(text, [*names, "Rp 600.000.000", "Jumlah", "Kendala"]) == []
    assert rendering.page_count(pdf) <= 2
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(shots_dir() / "05-print-a4")], check=True, timeout=120
        )


CLIPPED_CONTROLS = """() => {
  // Every control of the side panel inside its fieldset; every region name shown whole (not cut with …).
  const out = [];
  const side = document.querySelector('aside.controls').getBoundingClientRect();
  const results = document.querySelector('section.results').getBoundingClientRect();
  if (side.right > results.left + 0.5) out.push(`side panel ${side.right} runs under the results ${results.left}`);
  for (const box of document.querySelectorAll('aside.controls fieldset')) {
    const outer = box.getBoundingClientRect();
    if (outer.left < side.left - 0.5 || outer.right > side.right + 0.5)
      out.push(`fieldset ${box.querySelector('legend, label')?.textContent}: ${outer.left}–${outer.right}`
        + ` outside ${side.left}–${side.right}`);
    for (const el of box.querySelectorAll('input, select, button, label, th, td')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < outer.left - 0.5 || r.right > outer.right + 0.5)
        out.push(`${el.tagName} ${el.getAttribute('aria-label') || el.textContent.trim()}: ${r.left}–${r.right}`
          + ` outside ${outer.left}–${outer.right}`);
    }
  }
  for (const th of document.querySelectorAll('#bounds th[scope=row], .bar-name'))
    if (th.scrollWidth > th.clientWidth + 0.5 || getComputedStyle(th).textOverflow === 'ellipsis')
      out.push(`name cut: ${th.textContent}`);
  return out;
}"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_side_panel_controls_are_not_clipped_at_1366(planner, lang):
    """At 1366×768 the Kunci (lock) column ran past its panel under the next box, and names were cut
    ("Kutai Kartaneg…"): every control lies inside its fieldset and every region name is whole."""
    page = planner
    if lang == "en":
        page.click("#lang-toggle")
    page.wait_for_selector("#bounds input[data-bound=lock]")
    assert page.evaluate(CLIPPED_CONTROLS) == []
    page.screenshot(path=str(shots_dir() / f"side-panel-{lang}.png"), full_page=True)


def test_header_shows_the_budget_used_like_wrse_run(planner, runner):
    """The header said "… 200 penerima @ Rp 3.000.000 …" above a table of 500: with another
    budget it is the heading wrse run prints (optimizer.report.phrases.scenario_heading)."""
    page = planner
    title = page.inner_text("#scenario-title")
    assert "200 penerima @ Rp 3.000.000" in title  # the shipped budget: the scenario's own title
    page.fill("#budget", "1,5 miliar")
    page.wait_for_function("!document.getElementById('scenario-title').textContent.includes('200 penerima @')")
    result = runner.invoke(main, ["run", "next-fiscal-year", "--budget", "1,5 miliar"], env={"WRSE_LANG": "id"})
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("Skenario:"))
    heading = page.inner_text("#scenario-title")
    assert heading == (
        "Rancangan awal TA 2027 (aturan SK 2023), dengan anggaran Rp 1.500.000.000 (500 penerima), "
        "metode Sainte-Laguë (Webster)"
    )
    assert line.startswith(f"Skenario: {heading} (next-fiscal-year)")
    assert f"Skenario: {heading} (next-fiscal-year)" in page.inner_text("#summary")
    # the description quotes the scenario's own numbers: the page says they do not hold for its choice
    overridden = (
        "Keterangan dan asumsi skenario ini ditulis untuk anggaran Rp 600.000.000 dengan metode "
        "Sainte-Laguë (Webster); angka di dalamnya tidak berlaku untuk pilihan di halaman ini."
    )
    assert page.inner_text("#scenario-description").endswith(overridden)
    page.fill("#budget", "600 juta")
    page.wait_for_function("document.getElementById('scenario-title').textContent.includes('200 penerima @')")
    assert page.inner_text("#scenario-title") == title
    assert overridden not in page.inner_text("#scenario-description")


def _header_reference(runner, lang: str, *args: str) -> str:
    """The IDG reference as ``wrse run`` prints it in its header (``acuan IDG 65,65``)."""
    result = runner.invoke(main, ["run", "next-fiscal-year", *args, "--lang", lang])
    assert result.exit_code == 0, result.output
    return re.search(r"(?:acuan IDG|IDG reference) (\d+(?:[.,]\d+)?)", result.stdout).group(1)


def test_reference_input_uses_the_page_languages_decimal_mark(planner, runner):
    """The IDG reference showed the browser's ``65.65`` on an Indonesian page (a number input): it is
    a text field with a decimal keyboard showing ``65,65`` (``65.65`` in English), read by the page."""
    page = planner
    field = page.locator("#reference")
    assert field.get_attribute("type") == "text" and field.get_attribute("inputmode") == "decimal"
    shipped_id, shipped_en = _header_reference(runner, "id"), _header_reference(runner, "en")
    assert shipped_id == shipped_en.replace(".", ",") and "," in shipped_id  # 65,65 / 65.65
    assert field.input_value() == shipped_id
    page.fill("#reference", "70,5")
    _assert_same_table(page, _shipped_with(idg_reference=70.5))
    # as wrse run writes a reference of 70.5, and said as typed here (it said "ditetapkan skenario")
    assert "acuan IDG 70,50 (diisi di halaman ini)" in page.inner_text("#summary")
    page.screenshot(path=str(shots_dir() / "08-reference-id.png"))
    page.click("#lang-toggle")
    assert field.input_value() == "70.5"
    page.fill("#reference", "71.25")
    _assert_same_table(page, _shipped_with(idg_reference=71.25), "en")
    assert "IDG reference 71.25 (entered on this page)" in page.inner_text("#summary")
    page.click("#reference-reset")
    assert field.input_value() == shipped_en
    page.click("#lang-toggle")
    assert field.input_value() == shipped_id


def test_window_title_follows_the_heading_and_the_language(planner):
    """document.title kept the opening scenario title after a budget or language change: it is the
    page's heading (``h1``), whatever the heading says, in the page's language."""
    page = planner
    title = lambda: page.evaluate("document.title")  # noqa: E731
    heading = lambda: " ".join(page.inner_text("h1").split())  # noqa: E731
    assert title() == heading() and title().startswith("Simulasi")
    page.fill("#budget", "1,5 miliar")
    assert "Rp 1.500.000.000 (500 penerima)" in title() and title() == heading()
    page.click("#lang-toggle")
    assert title().startswith("WRSE allocation what-if · ") and "Rp 1,500,000,000" in title()
    assert title() == heading()
    page.fill("#budget", "abc")
    assert title().endswith("no result: the choices on this page cannot be computed") and title() == heading()
    page.click("#lang-toggle")
    assert title().endswith("tanpa hasil: pilihan di halaman ini tidak dapat dihitung") and title() == heading()


def test_notes_and_sources_headings_only_above_a_list(planner):
    """Without a result the "Catatan" and "Sumber data" headings stood above two empty lists: hidden then."""
    page = planner
    headings = ("#notes-heading", "#sources-heading")
    assert [page.inner_text(h) for h in headings] == ["Catatan", "Sumber data"]
    assert all(page.is_visible(h) for h in headings)
    assert page.locator("#notes li").count() > 0 and page.locator("#sources li").count() > 0
    for typed in ("abc", "750"):
        page.fill("#budget", typed)
        assert page.is_visible("#problem")
        assert not any(page.is_visible(h) for h in headings), typed
    page.screenshot(path=str(shots_dir() / "09-no-result-no-headings.png"), full_page=True)
    page.click("#lang-toggle")
    assert not any(page.is_visible(h) for h in headings)
    page.fill("#budget", "600 juta")
    assert all(page.is_visible(h) for h in headings)
    assert [page.inner_text(h) for h in headings] == ["Notes", "Data sources"]


WEIGHT_BOXES = {"idg_gap": "kesenjangan IDG", "poverty_rate": "P0", "eligible": "penduduk miskin (proksi)"}


@pytest.mark.parametrize(
    ("box", "typed", "sentence"),
    [
        ("#wt-idg_gap", "-10", "Bobot kesenjangan IDG: -10 tidak boleh negatif; diharapkan angka 0 sampai 100"),
        ("#wt-poverty_rate", "-0.5", "Bobot P0: -0.5 tidak boleh negatif; diharapkan angka 0 sampai 100"),
        ("#wt-eligible", "150", "Bobot penduduk miskin (proksi): 150 di atas 100; diharapkan angka 0 sampai 100"),
        ("#wt-idg_gap", "", "Bobot kesenjangan IDG: kosong; diharapkan angka 0 sampai 100"),
        (
            "#floor-all",
            "-5",
            "Batas bawah setiap wilayah: -5 tidak boleh negatif; diharapkan bilangan bulat penerima 0 atau lebih",
        ),
        (
            'input[data-bound="cap"][data-code="6401"]',
            "-1",
            "Maks Paser: -1 tidak boleh negatif; diharapkan bilangan bulat penerima 0 atau lebih",
        ),
    ],
    ids=[
        "idg-gap-negative",
        "p0-negative",
        "eligible-above-100",
        "idg-gap-empty",
        "floor-all-negative",
        "cap-negative",
    ],
)
def test_a_number_box_refuses_what_it_cannot_hold(planner, box, typed, sentence):
    """-10 in the "kesenjangan IDG" box kept "-10" while the page computed with 0% and said nothing (150 with
    100%, an empty box with 0%): the box is named in the error box, as every other box, and no result is shown."""
    page = planner
    page.fill(box, typed)
    page.keyboard.press("Tab")  # a weight box is read when it is left (its change event)
    assert page.is_visible("#problem")
    assert page.inner_text("#problem").startswith("Pilihan ini tidak dapat dihitung:")
    assert page.inner_text("#problem li") == sentence
    assert page.input_value(box) == typed  # what was typed stays for the planner to correct
    for shown in ("#summary", "#table-wrap", "#bars", "#map"):
        assert page.inner_text(shown).strip() == "", shown
    assert all(page.is_disabled(b) for b in ("#save-toml", "#save-csv", "#pin"))
    if box == "#wt-idg_gap" and typed == "-10":
        page.screenshot(path=str(shots_dir() / "10-negative-weight.png"))
        # in English after the switch, the box still holding -10
        page.click("#lang-toggle")
        assert page.input_value(box) == "-10"
        assert page.inner_text("#problem li") == (
            "Weight for IDG gap: -10 cannot be negative; expected a number from 0 to 100"
        )
        page.click("#lang-toggle")
        # a weight it can hold gives the result again: 20 and the other two in their 30:40 proportion
        page.fill(box, "20")
        page.keyboard.press("Tab")
        assert not page.is_visible("#problem")
        weights = {k: float(page.input_value(f"#wt-{k}")) for k in WEIGHT_BOXES}
        assert weights == {"idg_gap": 20, "poverty_rate": 34, "eligible": 46}
        _assert_same_table(page, _shipped_with(weights=weights))


def test_language_switch_reformats_the_amount_fields(planner):
    """In English the budget and grant fields kept "Rp 600.000.000" beside a table of "Rp 3,000,000": every
    amount field is written the way the page's language writes rupiah, and read back as the same amount."""
    page = planner
    fields = ("#budget", "#grant", "#bimtek")
    assert [page.input_value(f) for f in fields] == ["Rp 600.000.000", "Rp 3.000.000", "Rp 0"]
    page.click("#lang-toggle")
    assert [page.input_value(f) for f in fields] == ["Rp 600,000,000", "Rp 3,000,000", "Rp 0"]
    assert page.inner_text("#budget-read") == "= Rp 600,000,000"
    _assert_same_table(page, load("next-fiscal-year"), "en")
    page.click("#lang-toggle")
    assert [page.input_value(f) for f in fields] == ["Rp 600.000.000", "Rp 3.000.000", "Rp 0"]
    # an amount as typed is written out in the other language, and still read as typed
    page.fill("#budget", "1,5 miliar")
    page.fill("#grant", "3,5 juta")
    page.click("#lang-toggle")
    assert [page.input_value(f) for f in fields] == ["Rp 1,500,000,000", "Rp 3,500,000", "Rp 0"]
    _assert_same_table(page, _shipped_with(budget_rp=1_500_000_000, grant_rp=3_500_000), "en")
    page.screenshot(path=str(shots_dir() / "11-english-amounts.png"))
    page.click("#lang-toggle")
    assert [page.input_value(f) for f in fields] == ["Rp 1.500.000.000", "Rp 3.500.000", "Rp 0"]
    _assert_same_table(page, _shipped_with(budget_rp=1_500_000_000, grant_rp=3_500_000))
    # what cannot be read stays as typed, and its error says so in the other language too
    page.fill("#budget", "abc")
    page.click("#lang-toggle")
    assert page.input_value("#budget") == "abc"
    assert page.inner_text("#problem li").startswith("Budget: amount 'abc' is not in a form")


@pytest.mark.parametrize(
    ("box", "typed", "indonesian", "english"),
    [
        (
            "#reference",
            "abc",
            "Acuan IDG: 'abc' bukan angka; diharapkan angka 0 sampai 100 (mis. 65,65) atau tombol "
            '"pakai IDG provinsi"',
            "IDG reference: 'abc' is not a number; expected a number from 0 to 100 (e.g. 65.65) or the "
            '"use the provincial IDG" button',
        ),
        (
            "#reference",
            "120",
            "Acuan IDG: 120 di luar rentang indeks; diharapkan angka 0 sampai 100",
            "IDG reference: 120 is outside the index range; expected a number from 0 to 100",
        ),
        (
            "#budget",
            "100 juta",
            "Anggaran: batas bawah (50 penerima) dan kunci (0) memerlukan Rp 150.000.000, sedangkan anggaran "
            "Rp 100.000.000 (33 penerima @ Rp 3.000.000); diharapkan batas bawah dan kunci dalam batas anggaran",
            "Budget: floors (50 recipients) and locks (0) need Rp 150,000,000, the budget is Rp 100,000,000 "
            "(33 recipients at Rp 3,000,000); expected floors and locks within the budget",
        ),
        (
            "#grant",
            "0",
            "Hibah per penerima: Rp 0 bukan jumlah positif; diharapkan hibah di atas Rp 0 (bawaan Rp 3.000.000)",
            "Grant per recipient: Rp 0 is not a positive amount; expected a grant above Rp 0 (default Rp 3,000,000)",
        ),
        (
            "#cap-all",
            "3",
            "Batas bawah setiap wilayah: 5 di atas batas atas setiap wilayah (3); diharapkan batas bawah tidak "
            "melebihi batas atas",
            "Floor for every region: 5 is above the cap for every region (3); expected a floor no higher than the cap",
        ),
        (
            "#floor-all",
            "x",
            "Batas bawah setiap wilayah: 'x' bukan bilangan bulat penerima; diharapkan bilangan bulat 0 atau lebih",
            "Floor for every region: 'x' is not a whole number of recipients; expected a whole number 0 or more",
        ),
    ],
    ids=[
        "reference-not-a-number",
        "reference-above-100",
        "budget-below-floors",
        "grant-zero",
        "cap-below-floor",
        "floor-x",
    ],
)
def test_page_errors_name_the_field_typed_in(planner, box, typed, indonesian, english):
    """ "abc" in Acuan IDG gave "next-fiscal-year.toml: kunci 'indicators.idg_reference' bernilai 'abc'", a
    file and key the planner never saw: the error names the field as the page labels it, the value typed
    and what is expected, in the page's language (5 is the scenario's floor for every region; 50 = 10 × 5
    recipients at Rp 3.000.000 need Rp 150.000.000, and Rp 100.000.000 pays for 33)."""
    page = planner
    page.fill(box, typed)
    assert page.inner_text("#problem li") == indonesian
    assert page.inner_html("#table-wrap") == ""
    page.click("#lang-toggle")
    assert page.input_value(box) == ("Rp 100,000,000" if typed == "100 juta" else "Rp 0" if box == "#grant" else typed)
    assert page.inner_text("#problem li") == english
    for sentence in (indonesian, english):
        assert not any(word in sentence for word in FILE_WORDS)
    if typed == "abc":
        page.screenshot(path=str(shots_dir() / "12-reference-error-en.png"))


WEIGHT_GEOMETRY = """() => {
  // each weight's label (its text, wherever it runs) beside its slider, and the IDG reference's heading under them
  const rows = [...document.querySelectorAll('aside.controls .weight')];
  const out = rows.map((row) => {
    const range = document.createRange();
    range.selectNodeContents(row.querySelector('label'));
    const text = [...range.getClientRects()];
    const slider = row.querySelector('input[type=range]').getBoundingClientRect();
    return {label: row.querySelector('label').textContent, right: Math.max(...text.map((r) => r.right)),
            bottom: Math.max(...text.map((r) => r.bottom)), slider: slider.left};
  });
  const heading = document.querySelector('label[for=reference]').getBoundingClientRect();
  return {rows: out, heading: heading.top};
}"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_weight_labels_keep_apart_from_their_sliders(planner, lang):
    """At 1366×768 "kesenjangan" ran into its slider and "Acuan IDG" sat on "(proksi)": every weight's label
    ends at least 4px left of its slider, and the reference's heading is at least 4px below the last label."""
    page = planner
    if lang == "en":
        page.click("#lang-toggle")
    geometry = page.evaluate(WEIGHT_GEOMETRY)
    assert [r["label"] for r in geometry["rows"]] == (
        list(WEIGHT_BOXES.values()) if lang == "id" else ["IDG gap", "P0", "poor population (proxy)"]
    )
    for row in geometry["rows"]:
        assert row["right"] + 4 <= row["slider"], row
    assert geometry["heading"] >= geometry["rows"][-1]["bottom"] + 4, geometry
    page.locator("aside.controls fieldset").nth(1).screenshot(path=str(shots_dir() / f"13-weights-{lang}.png"))


def test_a_cap_above_the_proxy_is_noted_as_the_cli_notes_it(planner):
    """A cap above Mahakam Ulu's poor population (2.900, a proxy) is noted with the proxy's name and
    the reader's digits, word for word as `wrse run` notes it (tests/test_proxy_names.py), in both languages."""
    page = planner
    page.fill('input[data-bound="cap"][data-code="6411"]', "5000")
    page.keyboard.press("Tab")
    notes = page.locator("#notes li").all_inner_texts()
    assert (
        "Batas atas 5.000 untuk 6411 melebihi penduduk miskin (proksi) 2.900; penduduk miskin (proksi) yang berlaku"
        in notes
    )
    page.click("#lang-toggle")
    notes = page.locator("#notes li").all_inner_texts()
    assert "Cap 5,000 for 6411 is above its poor population (proxy) 2,900; the poor population (proxy) applies" in notes


def test_what_a_screen_reader_says_switches_language_with_the_page(planner):
    """The language switch turned the visible text English while the controls' accessible names
    stayed Indonesian ("Pengaturan", "kesenjangan IDG %"): they switch too, and back."""
    page = planner
    labels = "() => [...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'))"
    indonesian = page.evaluate(labels)
    assert "Pengaturan" in indonesian and "kesenjangan IDG %" in indonesian
    page.click("#lang-toggle")
    english = page.evaluate(labels)
    assert "Settings" in english and "IDG gap %" in english and "poor population (proxy) %" in english
    assert not {"Pengaturan", "kesenjangan IDG %", "penduduk miskin (proksi) %"} & set(english)
    page.click("#lang-toggle")
    assert page.evaluate(labels) == indonesian


def test_a_weight_typed_with_a_decimal_comma_is_read_as_written(planner):
    """'2,5' in a weight box (a number box) became 25 in Chromium, the others rebalanced, with no
    message: the boxes are text boxes read the page's way, 2,5 is 2.5 percent (the remaining 97,5
    split 30:40 between P0 and the poor population: 41,8 and 55,7)."""
    page = planner
    page.fill("#wt-idg_gap", "2,5")
    page.keyboard.press("Tab")
    summary = page.inner_text("#summary")
    assert "kesenjangan IDG 2,5% · P0 41,8% · penduduk miskin (proksi) 55,7%" in summary
    assert [page.input_value(f"#wt-{k}") for k in ("idg_gap", "poverty_rate", "eligible")] == ["2,5", "41,8", "55,7"]
    page.click("#lang-toggle")
    assert [page.input_value(f"#wt-{k}") for k in ("idg_gap", "poverty_rate", "eligible")] == ["2.5", "41.8", "55.7"]
