"""Every command and every file it writes reads as one language, in ``--lang id`` and in ``--lang en``.

Each command is run as a planner runs it (tests/output_texts.py: run, compare, sweep,
sensitivity, plan, data, scenarios, doctor, screen, select, report in HTML, DOCX, XLSX and
Markdown, the what-if page) and what a person reads of its output is checked against the
other language's word list (tests/language_words.py; its ``ALLOWED`` phrases, each with its
reason, are proper names and programme terms both languages print as they are). The page is
read twice: its file (visible text and the data it carries for its own language) and, in
Chromium, the page a reader sees after its script has run, in both of its languages.
"""

from __future__ import annotations

import json
import re

import pytest
from language_words import foreign_lines
from output_texts import run_everything

from optimizer.cli import main


@pytest.fixture(scope="module", params=["id", "en"])
def outputs(request, tmp_path_factory):
    lang = request.param
    return lang, run_everything(lang, tmp_path_factory.mktemp(f"outputs-{lang}"))


def test_every_output_and_file_reads_as_one_language(outputs):
    lang, texts = outputs
    expected = {"run", "compare", "sweep", "sensitivity", "plan", "data", "scenarios", "doctor", "screen", "select"}
    assert expected <= {what.split(":")[0].split("-")[0] for what in texts}
    files = {what.split(": ")[1].rsplit(".", 1)[-1] for what in texts if not what.endswith(("stdout", "stderr"))}
    assert {"xlsx", "csv", "html", "docx", "md"} <= files, files
    found = {what: foreign_lines(text, lang) for what, text in texts.items()}
    found = {what: lines for what, lines in found.items() if lines}
    assert not found, "\n".join(f"{what}:\n  " + "\n  ".join(lines[:5]) for what, lines in found.items())


# values the page's script reads, never shows: status and method codes, file names, the data's label
# (shown only for a user's own data file, whose name it is), the message keys naming the eligible figure
MACHINE_KEYS = {
    *("status", "method", "grant_rule", "eligible_method", "label", "file", "eligible_file", "sha256", "lang"),
    "eligible_keys",
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_carries_its_texts_in_its_language(runner, tmp_path, lang):
    """The page's data: every text for its first language (scenario, sources, notices, its messages)."""
    out = tmp_path / "p.html"
    result = runner.invoke(main, ["page", "proposal-2027-uep", "-o", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    payload = json.loads(re.search(r'<script type="application/json" id="wrse-data">(.*?)</script>', html, re.S)[1])
    messages = payload.pop("messages")[lang]

    def strings(value, key=""):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for name, item in value.items():
                if name in ("id", "en") and name != lang:  # the other language, for the page's switch
                    continue
                if name in MACHINE_KEYS:
                    continue
                other_source = "source" if lang == "id" and "source_id" in value else "source_id"
                if name == other_source:  # an eligible source carries both languages
                    continue
                yield from strings(item, name)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item, key)

    text = "\n".join([*strings(payload), *messages.values()])
    assert not foreign_lines(text, lang), "\n".join(foreign_lines(text, lang)[:10])


def _scenario_texts(name: str) -> dict[str, dict]:
    """The scenario file's own texts per language, read with tomllib (not with the tool's loader):
    ``{lang: {"title", "description", "assumptions"}}``, whitespace collapsed as a browser shows it."""
    import tomllib
    from pathlib import Path

    raw = tomllib.loads((Path(__file__).parents[1] / "scenarios" / f"{name}.toml").read_text(encoding="utf-8"))
    flat = lambda text: " ".join(text.split())  # noqa: E731
    return {
        lang: {
            "title": flat(table["title"]),
            "description": flat(table["description"]),
            "assumptions": [flat(a) for a in table["assumptions"]],
        }
        for lang, table in (("id", raw["scenario"]), ("en", raw["en"]["scenario"]))
    }


@pytest.mark.browser
@pytest.mark.parametrize("built", ["id", "en"])
def test_the_page_as_a_reader_sees_it_in_both_of_its_languages(browser_page, tmp_path, built):
    """Built in one language and switched to the other: title, description and every assumption of
    the scenario follow the switch (from the file's ``[en]`` table), and nothing of the other language stays."""
    from click.testing import CliRunner

    texts = _scenario_texts("proposal-2027-uep")
    out = tmp_path / "simulasi.html"
    assert CliRunner().invoke(main, ["page", "proposal-2027-uep", "-o", str(out), "--lang", built]).exit_code == 0
    page = browser_page
    page.goto(out.resolve().as_uri(), wait_until="load")
    page.click("#scenario-about summary")  # the assumptions, folded on screen
    for lang in (built, "en" if built == "id" else "id"):
        if lang != built:
            page.click("#lang-toggle")
        other = texts["en" if lang == "id" else "id"]
        text = " ".join(page.inner_text("body").split())
        assert texts[lang]["title"] in page.title()
        assert page.inner_text("#scenario-title") == texts[lang]["title"]
        assert " ".join(page.inner_text("#scenario-description").split()) == texts[lang]["description"]
        shown = [" ".join(li.split()) for li in page.locator("#scenario-assumptions li").all_inner_texts()]
        assert shown == texts[lang]["assumptions"]
        for sentence in [other["description"], *other["assumptions"]]:
            assert sentence not in text, sentence
        assert not foreign_lines(text, lang), "\n".join(foreign_lines(text, lang)[:10])


NARROW = [
    ["run", "next-fiscal-year"],
    ["run", "proposal-2027-uep"],
    ["run", "next-fiscal-year", "--hierarchical"],
    ["compare", "baseline-2023", "next-fiscal-year"],
    ["compare", "proposal-2027-uep"],
    ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "300 juta", "--step", "30 juta"],
    ["sensitivity", "next-fiscal-year", "--draws", "100"],
    ["plan", "roadmap-2027-uep"],
    ["data"],
    ["scenarios"],
    ["select", "next-fiscal-year", "--decisions", "{decisions}"],
    ["screen", "{list}", "--as-of", "2027-01-01"],
]


@pytest.fixture(scope="module")
def decisions(tmp_path_factory):
    from click.testing import CliRunner
    from output_texts import AS_OF, candidate_lists

    folder = tmp_path_factory.mktemp("narrow")
    a, b = candidate_lists(folder)
    path = folder / "decisions.csv"
    result = CliRunner().invoke(main, ["screen", str(a), str(b), "--as-of", AS_OF, "--decisions", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("args", NARROW, ids=lambda a: " ".join(a[:2]))
def test_an_80_column_terminal_gets_lines_that_fit(runner, decisions, lang, args):
    """`COLUMNS=80 wrse run next-fiscal-year` wrapped a 164-character table into a mess; `wrse data` was 86 wide
    and its notes one line of 400 characters. Only a word longer than the terminal (a source's address) may
    stick out, alone on its line."""
    args = [
        a.replace("{decisions}", str(decisions)).replace("{list}", str(decisions.parent / "kab-a.csv")) for a in args
    ]
    result = runner.invoke(main, [*args, "--lang", lang], env={"COLUMNS": "80", "WRSE_LANG": None})
    assert result.exit_code == 0, result.output
    long = [line for line in result.stdout.splitlines() if len(line) > 80 and len(line.split()) > 1]
    assert not long, "\n".join(long)
