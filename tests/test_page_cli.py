"""``wrse page``: one self-contained HTML file per scenario, run as a user runs it."""

from __future__ import annotations

import json
import re

import pytest
from page_helpers import engine_allocation

from optimizer.cli import main
from optimizer.page.render import ASSETS, asset
from optimizer.scenario import shipped_scenarios

SHIPPED = [p.stem for p in shipped_scenarios()]


def _payload(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="wrse-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def _external_references(html: str) -> list[str]:
    """Everything that would make the browser fetch a file: src=, <link href>, CSS url(), @import."""
    refs = re.findall(
        r"<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*[\"']?([^\"' >]+)", html
    )
    refs += re.findall(r"url\(\s*['\"]?([^)'\"]+)", html)
    refs += re.findall(r"@import\s+['\"]?([^'\";]+)", html)
    return refs


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_makes_a_self_contained_page(runner, tmp_path, name):
    out = tmp_path / f"{name}.html"
    result = runner.invoke(main, ["page", name, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "ditulis" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert _external_references(html) == []
    assert html.count("<script") == 4  # data, amount.js, solver.js, page.js: all inline
    for script in ("amount.js", "solver.js", "page.js"):
        assert asset(script).strip()[:200] in html  # the package's files, inlined as they are
    payload = _payload(html)
    assert payload["scenario"]["name"] == name
    regions = payload["regions"]
    assert [r["code"] for r in regions] == sorted(r["code"] for r in regions)
    assert len(regions) == 10
    for region in regions:
        if not region["available"]:
            continue
        for figure in ("idg", "poverty_rate", "eligible"):
            assert region[figure]["year"] and region[figure]["source"], (region["code"], figure)
    assert set(payload["messages"]) == {"id", "en"}
    assert payload["messages"]["id"].keys() == payload["messages"]["en"].keys()


def test_default_name_and_language(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["page", "next-fiscal-year", "--lang", "en"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "next-fiscal-year-simulasi.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "WRSE allocation what-if" in html
    assert _payload(html)["lang"] == "en"


def test_the_figures_are_the_engines(runner, tmp_path):
    """The page holds the figures the engine used: eligible counts, years and the shipped result."""
    from optimizer.scenario import load

    out = tmp_path / "p.html"
    assert runner.invoke(main, ["page", "baseline-2023", "-o", str(out)]).exit_code == 0
    payload = _payload(out.read_text(encoding="utf-8"))
    allocation = engine_allocation(load("baseline-2023"))
    assert payload["shipped"]["recipients"] == allocation.recipients()
    included = allocation.included.set_index("region_code")
    for region in payload["regions"]:
        if region["code"] in included.index:
            row = included.loc[region["code"]]
            assert region["eligible"]["value"] == int(row["eligible"])
            assert region["idg"]["value"] == float(row["idg"])
            assert region["poverty_rate"]["year"] == int(row["poverty_year"])
    # the regions the 2023 programme left out can still be added on the page
    assert sum(r["available"] for r in payload["regions"]) == 10
    assert "baseline-2023" not in [b["name"] for b in payload["baselines"]]


def test_refuses_a_name_that_is_not_html(runner, tmp_path):
    result = runner.invoke(main, ["page", "next-fiscal-year", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert ".html" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_scenario_is_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["page", "no-such-scenario", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_inlined_scripts_cannot_close_their_element():
    for name in ASSETS:
        if name.endswith(".js"):
            assert "</script" not in asset(name).lower() and "<!--" not in asset(name)


def test_the_scenarios_own_baseline_is_offered(runner, tmp_path):
    """A scenario that names its baseline (scenario.baseline) opens compared with it."""
    out = tmp_path / "p.html"
    assert runner.invoke(main, ["page", "proposal-2027-uep", "-o", str(out)]).exit_code == 0
    payload = _payload(out.read_text(encoding="utf-8"))
    assert payload["scenario"]["baseline"] == "realised-2025-uep"
    assert "realised-2025-uep" in [b["name"] for b in payload["baselines"]]
