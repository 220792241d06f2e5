"""``COLUMNS=80`` output is readable: no line of any command's ``--help`` runs past 80 columns.

Click wraps paragraphs to the terminal, but not a ``\\b`` block (the command list of ``wrse
--help``, the file naming paragraph of ``wrse report --help``): those are written to fit.
"""

from __future__ import annotations

import pytest

from optimizer.cli import main

COMMANDS = ["", *main.list_commands(None)]  # a lazy group: main.commands is empty until used


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_help_fits_80_columns(runner, monkeypatch, lang):
    monkeypatch.setenv("COLUMNS", "80")
    long = {}
    for command in COMMANDS:
        result = runner.invoke(main, ["--lang", lang, *([command] if command else []), "--help"])
        assert result.exit_code == 0, result.output
        lines = [line for line in result.stdout.splitlines() if len(line) > 80]
        if lines:
            long[command or "wrse"] = lines
    assert not long, long


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("columns", ["60", "80"])
def test_help_never_breaks_a_hyphenated_word(runner, monkeypatch, lang, columns):
    """``csv-excel``, ``largest-remainder``, ``--time-limit`` and ``berkas-berkas`` stay whole
    on one line (a line never ends in ``word-``) and are printed with the ASCII hyphen typed."""
    monkeypatch.setenv("COLUMNS", columns)
    broken, seen = {}, ""
    for command in COMMANDS:
        # CliRunner forces Click's help to 80 columns whatever COLUMNS says; terminal_width sets it
        args = ["--lang", lang, *([command] if command else []), "--help"]
        result = runner.invoke(main, args, terminal_width=int(columns))
        assert result.exit_code == 0, result.output
        seen += result.stdout
        lines = [line for line in result.stdout.splitlines() if line[-2:-1].isalpha() and line.endswith("-")]
        if lines:
            broken[command or "wrse"] = lines
    assert not broken, broken
    assert "\u2011" not in seen and "csv-excel" in seen and "--time-limit" in seen


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_help_never_splits_an_amount_in_quotes(runner, monkeypatch, columns):
    """The --budget help's examples are typed as shown: 'Rp 150.000.000' never ends a line at its space
    (at 60 and 100 columns Click's own wrapper split it as 'Rp / 150.000.000')."""
    monkeypatch.setenv("COLUMNS", columns)
    for lang, amount in (("id", "'Rp 150.000.000'"), ("en", "'Rp 150,000,000'")):
        result = runner.invoke(main, ["--lang", lang, "run", "--help"], terminal_width=int(columns))
        assert result.exit_code == 0, result.output
        assert any(amount in line for line in result.stdout.splitlines()), result.stdout
        assert not any(line.rstrip().endswith("'Rp") for line in result.stdout.splitlines())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_doctor_fits_80_columns(runner, monkeypatch, lang):
    """The check lines wrap under their text (the version lines are short; a path stays whole)."""
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(main, ["doctor", "--lang", lang])
    checks = result.stdout.split("\n\n", 1)[1].splitlines()
    assert checks[0].startswith("[") and all(len(line) <= 80 for line in checks), checks
    assert all(line.startswith(("[", "        ")) for line in checks)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_warnings_fit_80_columns(runner, monkeypatch, lang):
    """wrse run --format csv: its warnings (the Mahakam Ulu population check, the proxy notice) wrap at the terminal's
    width, continued two spaces in, every word kept; without COLUMNS (a pipe, a file) one line each."""
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "--lang", lang])
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and max(len(line) for line in lines) > 80
    monkeypatch.setenv("COLUMNS", "80")
    wrapped = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "--lang", lang]).stderr.splitlines()
    assert len(wrapped) > 2 and all(len(line) <= 80 for line in wrapped), wrapped
    assert sum(not line.startswith("  ") for line in wrapped) == 2
    assert " ".join(" ".join(wrapped).split()) == " ".join(" ".join(lines).split())


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    "args",
    [["run", "next-fiscal-year", "--budget", "abc"], ["run", "nope"], ["run", "next-fiscal-year", "-o", "x.pdf"]],
)
def test_errors_fit_80_columns(runner, monkeypatch, lang, args):
    """An error (a usage error of Click's or the tool's own) wraps under its Kesalahan:/Error:, every
    word kept; without COLUMNS it is one line, as before."""
    plain = runner.invoke(main, [*args, "--lang", lang])
    error = [line for line in plain.stderr.splitlines() if line.startswith(("Kesalahan:", "Error:"))]
    assert plain.exit_code != 0 and len(error) == 1 and len(error[0]) > 80
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(main, [*args, "--lang", lang])
    lines = result.stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("Kesalahan:", "Error:")))
    wrapped = lines[start:]
    assert len(wrapped) > 1 and all(len(line) <= 80 for line in lines), lines
    assert all(line.startswith("  ") for line in wrapped[1:])
    assert " ".join(" ".join(wrapped).split()) == " ".join(error[0].split())


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("columns", ["40", "80"])
@pytest.mark.parametrize(
    ("args", "whole"),
    [
        (
            ["run", "next-fiscal-year", "--budget", "abc"],
            ["'abc'", "'Rp 150.000.000'", "'150 juta'", "'1,5 miliar'", "'--budget'"],
        ),
        (["run", "next-fiscal-year", "--budget", "1000"], ["Rp 1.000", "Rp 3.000.000", "Rp 1,000", "Rp 3,000,000"]),
        (["run", "next-fiscal-year", "--budget", "Rp 750.000.000x"], ["'Rp 750.000.000x'"]),
    ],
)
def test_errors_never_split_an_amount_or_a_quoted_value(runner, monkeypatch, lang, columns, args, whole):
    """Wrapped at 40 or 80 columns, an amount (``Rp 1.000``) and a quoted value (``'150 juta'``)
    stay on one line; the words are those of the one-line error."""
    plain = runner.invoke(main, [*args, "--lang", lang]).stderr
    shown = [w for w in whole if w in plain]
    assert shown, plain  # the spans checked are in the message
    monkeypatch.setenv("COLUMNS", columns)
    result = runner.invoke(main, [*args, "--lang", lang])
    lines = result.stderr.splitlines()
    assert result.exit_code != 0 and len(lines) > 1 and all(len(line) <= int(columns) for line in lines), lines
    for span in shown:
        assert any(span in line for line in lines), (span, lines)
    assert " ".join(" ".join(lines).split()) == " ".join(plain.split())


def test_fill_keeps_amounts_and_quoted_values_whole_at_every_width():
    """render.text.fill at every width from 24 to 90: each amount and quoted value on one line
    (one longer than the line is left to wrap at its spaces); an apostrophe opens no quote."""
    from optimizer.render.text import fill

    line = (
        "--budget Rp 750.000.000 di bawah biaya -Rp 5 untuk 'Rp 150.000.000' dan \"a b c\" "
        "atau the tool's 1,5 miliar lagi “150 juta” dan Rp 3,000,000."
    )
    spans = ["Rp 750.000.000", "-Rp 5", "'Rp 150.000.000'", '"a b c"', "1,5 miliar", "“150 juta”", "Rp 3,000,000."]
    for width in range(24, 91):
        lines = fill([line], width, "  ")
        assert all(len(x) <= width for x in lines), (width, lines)
        assert " ".join(" ".join(lines).split()) == line
        for span in spans:
            assert any(span in x for x in lines), (width, span, lines)
    assert fill(["x 'a b c d e f g h'"], 10) == ["x 'a b c d", "e f g h'"]
    assert fill(["the tool's own words and the planner's"], 16) == ["the tool's own", "words and the", "planner's"]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("columns", ["80", "100", "120"])
def test_a_wrapped_table_cell_never_splits_an_amount(runner, monkeypatch, lang, columns):
    """The scenarios table wraps its titles: 'Rp 3.000.000' and 'Rp 150 million' stay on one line
    ('recipients @ Rp' / '3,000,000' and '(Rp 150' / 'million)' at 80 columns). (At 60 columns the
    title column is narrower than '(Rp 150 juta)', which then wraps like any text.)"""
    monkeypatch.setenv("COLUMNS", columns)
    result = runner.invoke(main, ["--lang", lang, "scenarios"])
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert not any(line.endswith(("Rp", "(Rp")) for line in lines), result.stdout
    units = ("juta", "miliar", "million", "billion", "juta)", "million)")
    assert not any(line.split() and line.split()[0] in units for line in lines), result.stdout
