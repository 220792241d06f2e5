"""Scenario texts in the reader's language: a scenario's ``[en]`` table, shown with ``--lang en``."""

from __future__ import annotations

import pytest

from optimizer import scenario
from optimizer.analysis import roadmap
from optimizer.cli import main
from optimizer.errors import InputError

ID_TITLE = "Usulan TA 2027 (UEP): 1.500 bantuan dibagi menurut kebutuhan, dibanding realisasi 2025"
EN_TITLE = "FY 2027 proposal (UEP): 1,500 grants split by need, against the 2025 realisation"


@pytest.mark.parametrize("path", scenario.shipped_scenarios(), ids=lambda p: p.stem)
def test_every_shipped_scenario_has_its_texts_in_both_languages(path):
    indonesian, english = scenario.load(path), scenario.load(path, "en")
    assert english.title != indonesian.title and english.description != indonesian.description
    assert len(english.assumptions) == len(indonesian.assumptions)
    assert all(a != b for a, b in zip(english.assumptions, indonesian.assumptions, strict=True))
    for key, reason in indonesian.rationale.items():
        assert not reason.text or english.rationale[key].text != reason.text, key
    # the numbers are the file's, whatever the language
    assert (english.budget_rp, english.weights, english.floors) == (
        indonesian.budget_rp,
        indonesian.weights,
        indonesian.floors,
    )


def test_the_shipped_roadmap_has_its_texts_in_both_languages():
    indonesian, english = roadmap.load("roadmap-2027-uep"), roadmap.load("roadmap-2027-uep", "en")
    assert english.title.startswith("Roadmap FY 2027-2029") and indonesian.title.startswith("Peta jalan")
    assert english.baseline.label != indonesian.baseline.label and english.budgets == indonesian.budgets


@pytest.mark.parametrize(
    "args",
    [
        ["run", "proposal-2027-uep"],
        ["compare", "proposal-2027-uep"],
        ["scenarios"],
        ["sweep", "proposal-2027-uep", "--from", "7 miliar", "--to", "7,5 miliar", "--step", "250 juta"],
    ],
    ids=lambda a: a[0],
)
def test_outputs_show_the_title_in_the_readers_language(runner, args):
    english = runner.invoke(main, [*args, "--lang", "en"], env={"COLUMNS": "400"})
    indonesian = runner.invoke(main, [*args, "--lang", "id"], env={"COLUMNS": "400"})
    assert english.exit_code == 0 and indonesian.exit_code == 0, english.output + indonesian.output
    assert EN_TITLE in english.stdout and ID_TITLE not in english.stdout
    assert ID_TITLE in indonesian.stdout and EN_TITLE not in indonesian.stdout


def test_the_english_report_shows_the_english_texts(runner, tmp_path):
    result = runner.invoke(
        main,
        [
            "report",
            "next-fiscal-year",
            "--lang",
            "en",
            "--format",
            "md",
            "--out",
            str(tmp_path),
            "--date",
            "2026-11-02",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "next-fiscal-year.en.md").read_text(encoding="utf-8")
    assert "First draft for FY 2027 (2023 SK rule)" in text and "Rancangan awal TA 2027" not in text
    assert "A planning assumption: 200 grants" in text  # rationale.budget.text


def _write(tmp_path, text):
    path = tmp_path / "s.toml"
    path.write_text(
        text
        + """
[scenario]
fiscal_year = 2027
budget = "60 juta"
title = "Judul"
[indicators]
idg_year = 2019
poverty_year = 2024
[eligible]
year = 2024
[weights]
idg_gap = 1
poverty_rate = 1
eligible = 1
""",
        encoding="utf-8",
    )
    return path


def test_a_text_without_english_stays_as_written_and_an_unknown_key_is_named(tmp_path):
    plain = _write(tmp_path, "")
    assert scenario.load(plain, "en").title == "Judul"
    bad = tmp_path / "bad.toml"
    bad.write_text(plain.read_text(encoding="utf-8") + '\n[en.scenario]\nbudget = "1 miliar"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        scenario.load(bad, "en")
    assert "en.scenario.budget" in caught.value.text("en") and "scenario.title" in caught.value.text("en")
    with pytest.raises(InputError):  # checked in either language, not only when shown
        scenario.load(bad, "id")


def test_a_child_scenario_does_not_inherit_its_parents_english_title(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "next-fiscal-year"\n[scenario]\nbudget = "300 juta"\n', encoding="utf-8")
    assert "First draft" not in scenario.load(child, "en").title
