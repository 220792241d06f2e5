"""Every shipped scenario at a 50-point budget sweep: the page shows what ``wrse run`` prints.

For each budget, from one grant to above the sum of the eligible counts, the page (the
real HTML file in headless Chromium, budget entered into its field) must show the same
summary lines and the same cell in every column of every row as ``wrse run SCENARIO
--budget B``, the change against the scenario as shipped, and, where the floors do not fit
the budget, the sentence the CLI gives.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import rendering
from page_helpers import engine_allocation, run_table_cells

from optimizer import output
from optimizer.cli import main
from optimizer.errors import WrseError
from optimizer.money import format_count
from optimizer.scenario import load, shipped_scenarios

pytestmark = pytest.mark.browser

POINTS = 50
# The whole sweep in one call into the page (one round trip, no frame painted between two budgets): for each step
# [value, language], switch the page's language when it changes, enter the budget as typing does (the field's value
# and its input event; null: leave the field as it is), then read what the page shows.
SWEEP = """([language, steps]) => {
  let current = language;
  const cells = (tds) => [...tds].map((td) =>
    [...td.childNodes].filter((n) => n.nodeName !== 'SUP').map((n) => n.textContent).join('').trim());
  const field = document.getElementById('budget');
  return steps.map(([value, lang]) => {
    if (lang !== current) { WrsePage.setLanguage(lang); current = lang; }
    if (value !== null) { field.value = value; field.dispatchEvent(new Event('input', {bubbles: true})); }
    const problem = document.querySelector('#problem li');
    return {
      problem: problem ? problem.innerText : null,
      rows: [...document.querySelectorAll('#alloc tbody tr')].map((tr) => cells(tr.querySelectorAll('td'))),
      total: cells(document.querySelectorAll('#alloc tfoot td')),
      summary: [...document.querySelectorAll('#summary p')].map((p) => [...p.childNodes]
        .filter((n) => n.nodeName !== 'SUP').map((n) => n.textContent).join('').trim()),
    };
  });
}"""


def _numbers(sentence: str) -> list[int]:
    """The whole numbers of a sentence, grouping marks dropped ("Rp 7,500,000,000" and "1,500" alike)."""
    return [int(re.sub(r"[.,]", "", n)) for n in re.findall(r"\d+(?:[.,]\d{3})*", sentence)]


def budgets(scenario, allocation) -> list[int]:
    """50 budgets from one grant to above what every eligible woman would cost, odd amounts
    included: 10 below what the floors and locks need (where there are any), 40 from there up."""
    cost = scenario.cost_per_recipient_rp
    everyone = int(allocation.included["eligible"].sum()) + 100
    floors = int(allocation.included["lower"].sum())
    if floors > 1:
        points = [*np.geomspace(1, floors - 1, 10), *np.geomspace(floors, everyone, POINTS - 10)]
    else:
        points = list(np.geomspace(1, everyone, POINTS))
    out = [round(float(p) * cost) + (i % 3) * (cost // 3) for i, p in enumerate(points)]
    return sorted({max(cost, b) for b in out})


@pytest.fixture(scope="module")
def sweep_page(browser):
    """One 1366×768 page for every scenario's sweep (each test opens its own page file in it)."""
    context = browser.new_context(viewport=rendering.VIEWPORT)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", [p.stem for p in shipped_scenarios()])
def test_sweep_equals_wrse_run(name, tmp_path, runner, sweep_page):
    out = tmp_path / "page.html"
    assert runner.invoke(main, ["page", name, "-o", str(out)]).exit_code == 0
    page = sweep_page
    page.goto(out.as_uri())
    page.wait_for_selector("#summary p")
    scenario = load(name)
    shipped = engine_allocation(scenario)
    points = budgets(scenario, shipped)
    assert len(points) >= POINTS - 2
    cases = []
    for budget in points:
        try:
            cases.append((budget, engine_allocation(scenario, budget_rp=budget), None))
        except WrseError as refused:
            cases.append((budget, None, refused))
    # the CLI's sentence is compared in English, the table in Indonesian: the page switches language only where
    # the sweep crosses from refused budgets to allocated ones (or back)
    languages = ["en" if error is not None else "id" for _, _, error in cases]
    if languages[0] != "id":
        page.evaluate(f"WrsePage.setLanguage('{languages[0]}')")
    page.fill("#budget", str(points[0]))  # as a planner fills the field (Playwright waits until it takes input)
    steps = [[None if i == 0 else str(b), lang] for i, (b, lang) in enumerate(zip(points, languages, strict=True))]
    shown = page.evaluate(SWEEP, [languages[0], steps])
    assert len(shown) == len(cases)
    feasible = 0
    for (budget, allocation, error), seen in zip(cases, shown, strict=True):
        if error is not None:
            assert seen["problem"] is not None, budget
            # the page names the field typed in where the CLI names the scenario (and its keys, which the page's
            # planner never typed): the CLI's sentence after the scenario, or where it names a key, its numbers
            field, shown_sentence = seen["problem"].split(": ", 1)
            cli_sentence = str(error).split(": ", 1)[1]
            assert ".toml" not in seen["problem"] and "constraints." not in seen["problem"], budget
            if "key " in cli_sentence:
                assert _numbers(shown_sentence) == _numbers(cli_sentence), budget
            else:
                assert (field, shown_sentence) == ("Budget", cli_sentence), budget
            continue
        feasible += 1
        text = output.allocation_table(allocation, "id", wide=True)
        _, want, want_total = run_table_cells(text)
        rows = {r[0]: r for r in seen["rows"]}
        assert {c: r[: len(want[c])] for c, r in rows.items()} == want, budget
        assert seen["total"][: len(want_total)] == want_total, budget
        recipients = allocation.recipients()
        for code, row in rows.items():
            change = recipients[code] - shipped.recipients()[code]
            grouped = format_count(abs(change))
            assert row[len(want[code])] == (f"+{grouped}" if change > 0 else f"\u2212{grouped}" if change < 0 else "0")
        head = text.splitlines()
        summary = seen["summary"]
        for line in summary:  # every summary line is wrse run's (the method line names no solver)
            if not line.startswith("Metode: "):
                assert line in head, (budget, line)
        assert len(summary) == 6
    assert feasible >= POINTS - 12
