"""The documentation is generated from the code and fails here when the two drift (as sqlite-utils does).

docs/cli.md holds the ``--help`` of every command; docs/scenarios.md every scenario key from the schema. When a
help text, a command or a scenario key changes, regenerate with ``python docs/generate.py`` and commit the result.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import click
import pytest

from optimizer.cli import main
from optimizer.scenario import KEY_HELP, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


@pytest.mark.parametrize("page", sorted(generate.PAGES))
def test_generated_page_is_up_to_date(page):
    expected = generate.PAGES[page]()
    actual = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert actual == expected, f"docs/{page} is out of date with the code; regenerate it: {generate.REGENERATE}"


def test_every_command_is_documented():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        assert f"## `wrse {name}`" in text, f"wrse {name} missing from docs/cli.md; run {generate.REGENERATE}"


def test_every_scenario_key_has_a_meaning():
    missing = [f"{t}.{k}" for t, keys in SCHEMA.items() for k in keys if k not in KEY_HELP.get(t, {})]
    extra = [f"{t}.{k}" for t, keys in KEY_HELP.items() for k in keys if k not in SCHEMA.get(t, {})]
    assert not missing, f"add these keys to optimizer.scenario.KEY_HELP: {missing}"
    assert not extra, f"KEY_HELP describes keys the schema does not accept: {extra}"


def test_check_mode_names_the_command_when_stale(tmp_path, monkeypatch, capsys):
    for name in generate.PAGES:
        (tmp_path / name).write_text("stale\n", encoding="utf-8")
    monkeypatch.setattr(generate, "DOCS", tmp_path)
    assert generate.main(["--check"]) == 1
    assert "python docs/generate.py" in capsys.readouterr().err
    assert generate.main([]) == 0 and generate.main(["--check"]) == 0


def test_readme_and_docs_links_resolve():
    """Every relative link in README.md and docs/*.md points at a file that exists."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"^[a-z]+:", target):
                continue
            assert (page.parent / target).exists(), f"{page.name}: link to {target} does not resolve"


def test_a_session_in_english_leaves_no_english_metavar_behind():
    """Help is localised on shared Click objects: an English session before must not leave 'FILE' in Indonesian."""
    from click.testing import CliRunner

    before = generate._help(["wrse", "run"])
    english = CliRunner().invoke(main, ["--lang", "en", "run", "--help"], env={"WRSE_LANG": None})
    assert english.exit_code == 0 and "FILE" in english.output
    assert generate._help(["wrse", "run"]) == before
