"""One catalogue for every sentence a person reads, in Indonesian and English.

- both catalogues have the same keys, and each template the same fields in both;
- every error raised for the user is a message key of the catalogues, raised with the
  values of every field of its template (checked on the source, so a typo in a rarely
  raised error fails here, not in a planner's hands);
- the language is --lang (before or after the command), else WRSE_LANG, else id.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.cli.language import language_from_args
from optimizer.errors import InputError, input_error
from optimizer.i18n import LANGUAGES, Msg, catalogue, plural

PACKAGE = Path(__file__).resolve().parent.parent / "optimizer"
USER_ERRORS = {
    "SizeError",
    "WrseError",
    "InputError",
    "InfeasibleError",
    "SolverError",
    "VerificationError",
    "AmountError",
    "PlanInfeasible",
}


def fields(template: str) -> set[str]:
    """The names of the fields of a ``str.format`` template."""
    out = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            out.add(name.split(".")[0].split("[")[0])
    return out


PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _message_keys(lang: str) -> set[str]:
    """The keys of a catalogue, a plural table (``plural.x.one``/``plural.x.other``) counted once."""
    out = set()
    for key in catalogue(lang):
        base, _, last = key.rpartition(".")
        out.add(base if key.startswith("plural.") and last in PLURAL_CATEGORIES else key)
    return out


def test_both_catalogues_have_the_same_keys():
    id_keys, en_keys = _message_keys("id"), _message_keys("en")
    assert not id_keys - en_keys, f"only in id.toml: {sorted(id_keys - en_keys)}"
    assert not en_keys - id_keys, f"only in en.toml: {sorted(en_keys - id_keys)}"


def test_every_template_has_the_same_fields_in_both_languages():
    en, id_ = catalogue("en"), catalogue("id")
    differ = {k: (fields(v), fields(en[k])) for k, v in id_.items() if k in en and fields(v) != fields(en[k])}
    assert not differ, differ
    for key in en:  # every plural form of a message has the fields of its "other" form
        if key.startswith("plural."):
            base = key.rpartition(".")[0]
            assert fields(en[key]) == fields(id_[f"{base}.other"]), key


def test_every_plural_message_has_the_forms_its_language_needs():
    from babel import Locale

    for lang in LANGUAGES:
        table = catalogue(lang)
        bases = {k.rpartition(".")[0] for k in table if k.startswith("plural.")}
        needed = set(Locale.parse(lang).plural_form.tags) | {"other"}
        for base in bases:
            missing = {c for c in needed if f"{base}.{c}" not in table}
            assert not missing, (lang, base, missing)


def _raise_sites():
    """(file, line, class, first argument node, keyword names) of every raise of a user error."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in USER_ERRORS:
                first = node.exc.args[0] if node.exc.args else None
                keywords = {k.arg for k in node.exc.keywords if k.arg}
                yield path.relative_to(PACKAGE.parent), node.lineno, first, keywords


def test_every_user_error_is_raised_as_a_key_with_all_its_fields():
    en, id_ = catalogue("en"), catalogue("id")
    problems = []
    for where, line, first, keywords in _raise_sites():
        # a key, or one of two keys chosen in place (``"a" if flag else "b"``): each is checked
        options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
        if not all(isinstance(o, ast.Constant) and isinstance(o.value, str) for o in options):
            problems.append(f"{where}:{line}: not a message key")
            continue
        for option in options:
            key = f"error.{option.value}"
            if key not in en or key not in id_:
                problems.append(f"{where}:{line}: {key} is not in both catalogues")
                continue
            missing = (fields(en[key]) | fields(id_[key])) - keywords
            if missing:
                problems.append(f"{where}:{line}: {key} raised without {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_no_user_error_is_built_from_prose():
    """An error built (raised or returned) with a sentence instead of a key: the screening's
    region errors were English f-strings returned by a helper, out of the raise sites' sight."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            first = node.args[0]
            literal = "".join(
                part.value
                for part in (first.values if isinstance(first, ast.JoinedStr) else [first])
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if name in USER_ERRORS and " " in literal:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {literal[:60]!r}")
    assert not problems, "\n".join(problems)


def test_an_error_renders_in_each_language_and_str_is_english():
    error = input_error("data.csv", "year", row=1234, field="idg_year", value="20x9")
    assert error.text("id") == (
        "data.csv, baris 1.234, kolom 'idg_year': nilai '20x9' tidak dapat dipakai; "
        "diharapkan tahun empat angka seperti 2024"
    )
    assert error.text("en") == (
        "data.csv, row 1,234, column 'idg_year': value '20x9' is not usable; expected a four-digit year such as 2024"
    )
    assert str(error) == error.text("en")


def test_an_error_survives_pickling_with_its_key_and_values():
    import pickle

    error = InputError("scenario.year_such", src="s.toml", key="indicators.idg_year", year=19)
    again = pickle.loads(pickle.dumps(error))
    assert (again.key, again.params) == (error.key, error.params)
    assert again.text("id") == error.text("id")


def test_plural_forms_follow_the_language():
    assert f"{plural('plural.nik', 1, 'en')} on {plural('plural.row', 3, 'en')}" == "1 NIK on 3 rows"
    assert f"{plural('plural.nik', 2, 'en')} on {plural('plural.row', 1, 'en')}" == "2 NIKs on 1 row"
    assert plural("plural.row", 12345, "en") == "12,345 rows"
    assert plural("plural.nik", 1, "id") == "1 NIK"
    assert plural("plural.row", 12345, "id") == "12.345 baris"


def test_nested_messages_render_in_the_readers_language():
    inner = Msg.of("error.expected.date_range", first="01-01-2000", last="31-12-2100")
    assert inner.text("id") == "tanggal dari 01-01-2000 sampai 31-12-2100"
    assert inner.text("en") == "a date from 01-01-2000 to 31-12-2100"


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], None, "id"),
        ([], "en", "en"),
        (["--lang", "en", "run"], "id", "en"),
        (["run", "x", "--lang=en"], None, "en"),
        (["run", "--lang", "id"], "en", "id"),
        (["--lang", "fr"], "en", "en"),
        (["run", "--", "--lang", "en"], None, "id"),
    ],
)
def test_the_language_is_the_option_else_the_environment_else_indonesian(monkeypatch, args, env, expected):
    if env is None:
        monkeypatch.delenv("WRSE_LANG", raising=False)
    else:
        monkeypatch.setenv("WRSE_LANG", env)
    assert language_from_args(args) == expected
    assert set(LANGUAGES) == {"id", "en"}


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (
            ["run", "next-fiscal-year", "--budget", "abc"],
            {},
            "Kesalahan: Nilai tidak sah untuk '--budget': jumlah 'abc'",
        ),
        (["--lang", "en", "run", "next-fiscal-year", "--budget", "abc"], {}, "Error: Invalid value for '--budget'"),
        (["run", "next-fiscal-year", "--budget", "abc"], {"WRSE_LANG": "en"}, "Error: Invalid value for '--budget'"),
        (["run", "no-such"], {}, "Kesalahan: no-such: berkas skenario tidak ada"),
        (["run", "no-such", "--lang", "en"], {"WRSE_LANG": "id"}, "Error: no-such: no such scenario file"),
    ],
)
def test_errors_are_in_the_chosen_language_as_the_user_runs_it(args, env, line, tmp_path):
    import os

    environment = {k: v for k, v in os.environ.items() if k != "WRSE_LANG"} | env
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True, env=environment, cwd=tmp_path
    )
    assert done.returncode in (1, 2)
    assert line in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_group_accepts_lang_before_the_command(runner):
    result = runner.invoke(main, ["--lang", "en", "scenarios"])
    assert result.exit_code == 0, result.output


COMMAND_NAMES = sorted(__import__("optimizer.cli", fromlist=["COMMANDS"]).COMMANDS)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_command_and_option_has_help_in_both_languages(lang):
    import importlib

    import click

    from optimizer.cli import COMMANDS

    table = catalogue(lang)
    missing = []
    for name, target in sorted(COMMANDS.items()):
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        for key in (f"help.{name}.about", f"help.{name}.short"):
            if key not in table:
                missing.append(key)
        for param in command.params:
            if isinstance(param, click.Option) and not (
                f"help.{name}.{param.name}" in table or f"help.option.{param.name}" in table
            ):
                missing.append(f"help.{name}.{param.name}")
            if isinstance(param, click.Argument) and f"help.metavar.{param.name}" not in table:
                missing.append(f"help.metavar.{param.name}")
    assert not missing, missing


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("command", [None, *COMMAND_NAMES])
def test_help_reads_as_one_language(runner, command, lang):
    from language_words import foreign_lines

    args = ["--lang", lang, *([command] if command else []), "--help"]
    result = runner.invoke(main, args, env={"COLUMNS": "100"}, prog_name="wrse")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Penggunaan: " if lang == "id" else "Usage: "), result.output
    assert not foreign_lines(result.output, lang), "\n".join(foreign_lines(result.output, lang))


def test_help_language_comes_from_the_environment_too(runner):
    assert runner.invoke(main, ["run", "--help"], env={"WRSE_LANG": "en"}, prog_name="wrse").output.startswith(
        "Usage: wrse run [OPTIONS]"
    )
    assert runner.invoke(main, ["run", "--help"], env={"WRSE_LANG": None}, prog_name="wrse").output.startswith(
        "Penggunaan: wrse run [OPSI] SKENARIO"
    )


def test_the_proxy_source_note_says_what_the_thousands_are_multiplied_into():
    """The poor-population proxy note read "(ribu jiwa) × 1000 = jiwa": a formula with its result missing."""
    from optimizer.i18n import t

    for lang, unit in (("id", "dikalikan 1.000"), ("en", "multiplied by 1,000")):
        text = t("eligible_source.poor_population", lang, year=2024, source="BPS")
        assert unit in text
        assert "= jiwa" not in text and "= persons" not in text


def test_the_proxy_is_named_in_words_not_by_its_scenario_key():
    """The run notes said "proksi (poor_population)": the scenario key, not what the proxy is."""
    from click.testing import CliRunner

    for lang, name in (("id", "proksi (penduduk miskin BPS)"), ("en", "proxy (BPS poor population)")):
        result = CliRunner().invoke(main, ["run", "next-fiscal-year", "--lang", lang, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert name in result.output and "poor_population)" not in result.output


def test_wrse_data_names_indicators_and_the_shipped_data_in_the_readers_language():
    """`wrse data` headed its tables "female_headed_families (families)" and "kaltim-indicators.csv (shipped)"."""
    from click.testing import CliRunner

    id_text = CliRunner().invoke(main, ["data", "--lang", "id"], env={"WRSE_LANG": None}).output
    en_text = CliRunner().invoke(main, ["data", "--lang", "en"], env={"WRSE_LANG": None}).output
    assert "Data indikator: data bawaan wrse-optimizer" in id_text
    assert "Persentase penduduk miskin (P0)\n" in id_text and "Poverty rate (P0)\n" in en_text
    for text in (id_text, en_text):
        assert "(shipped)" not in text and "— indicators.competing" not in text
        for key in ("female_headed_families", "poor_population", "poverty_rate (", "idg ("):
            assert key not in text, key


CLICK_MISTAKES = [
    (["run"], "Argumen belum diisi 'SKENARIO'", "Missing argument 'SCENARIO'"),
    (["sweep", "next-fiscal-year", "--to", "300 juta"], "Opsi belum diisi '--from'", "Missing option '--from'"),
    (["run", "next-fiscal-year", "--method", "dhondt"], "bukan salah satu dari", "is not one of"),
    (["runn"], "Tidak ada perintah 'runn'", "No such command 'runn'"),
    (["run", "next-fiscal-year", "--budgett", "1"], "Tidak ada opsi '--budgett'", "No such option '--budgett'"),
    (
        ["sensitivity", "next-fiscal-year", "--draws", "x"],
        "'x' bukan bilangan bulat yang sah",
        "'x' is not a valid whole number",
    ),
    (
        ["sensitivity", "next-fiscal-year", "--weight-spread", "abc"],
        "'abc' bukan angka; diharapkan angka seperti 12,5",
        "'abc' is not a number; expected a number such as 12.5",
    ),
    (["sensitivity", "next-fiscal-year", "--draws", "0"], "di luar rentang", "is not in the range"),
    (["run", "next-fiscal-year", "--budget", "abc"], "jumlah 'abc' tidak dalam bentuk", "amount 'abc'"),
    (["run", "next-fiscal-year", "--time-limit"], "memerlukan nilai", "requires an argument"),
    (["run", "next-fiscal-year", "extra"], "argumen tambahan", "unexpected extra argument"),
]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("args", "indonesian", "english"), CLICK_MISTAKES, ids=[" ".join(m[0]) for m in CLICK_MISTAKES]
)
def test_clicks_own_messages_read_as_one_language(runner, lang, args, indonesian, english):
    """Click's texts reached an Indonesian user half translated ("'abc' bukan float yang sah")."""
    from language_words import foreign_lines

    result = runner.invoke(main, ["--lang", lang, *args], prog_name="wrse")
    assert result.exit_code == 2, result.output
    usage, try_help, error = (
        ("Penggunaan: wrse", "untuk bantuan.", "Kesalahan: ")
        if lang == "id"
        else ("Usage: wrse", "for help.", "Error: ")
    )
    assert error in result.stderr, result.stderr
    if any(a in args for a in ("--budget", "--method", "--draws", "--weight-spread")):
        # a bad value is one line (the guide: one line naming the field, the value, what was expected)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(error), result.stderr
    elif "--time-limit" not in args:  # Click names no usage for an option left without its value
        assert result.stderr.startswith(usage) and try_help in result.stderr, result.stderr
    assert (indonesian if lang == "id" else english) in result.stderr, result.stderr
    assert not foreign_lines(result.stderr, lang), foreign_lines(result.stderr, lang)
    for word in ("float", "integer"):
        assert word not in result.stderr


def test_shipped_sources_name_no_internal_file_and_notes_exist_in_both_languages():
    """`wrse data` listed "seed document 000_ff87c541184e31ca.txt" as a source, and English notes in id."""
    from click.testing import CliRunner
    from language_words import foreign_lines

    from optimizer.competing import competing_values
    from optimizer.inputs.data import shipped, shipped_notes

    sources = set(shipped().records["source"]) | {v.source for v in competing_values()}
    for source in sources:
        assert not re.search(r"\b\w+\.(txt|csv|md)\b|seed|000_", source), source
    notes = shipped_notes()
    assert notes and all(n.id.strip() and n.en.strip() and n.id != n.en for n in notes.values())
    for lang in ("id", "en"):
        text = CliRunner().invoke(main, ["data", "--lang", lang], env={"WRSE_LANG": None}).stdout
        assert "Octavia & Winarto (2024), INNOVATIVE" in text
        assert not foreign_lines(text, lang), foreign_lines(text, lang)
        assert ("basis survei: Susenas" in text) == (lang == "id")
        assert ("survey base: Susenas" in text) == (lang == "en")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_run_header_names_the_shipped_data_not_its_file(runner, lang):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--lang", lang])
    data_line = next(line for line in result.stdout.splitlines() if line.startswith("Data:"))
    assert "kaltim-indicators.csv" not in data_line and "wrse-optimizer" in data_line


def test_help_has_one_source_the_catalogues():
    """English help was written twice: in the decorators (help=...) and docstrings, and in en.toml."""
    offenders = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and any(k.arg in ("help", "short_help") for k in node.keywords):
                offenders.append(f"{path.name}:{node.lineno} help=")
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", "") in ("command", "group")
                for d in node.decorator_list
            ):
                doc = ast.get_docstring(node) or ""
                if "help." not in doc or len(doc) > 120:
                    offenders.append(f"{path.name}:{node.lineno} docstring of {node.name} is not a pointer to help.*")
    assert not offenders, offenders


def test_a_long_code_listing_counts_the_codes_in_the_readers_language():
    from optimizer.engine import code_listing

    codes = [f"{6400 + i:04d}" for i in range(12_345)]
    assert code_listing(codes[:3], 5) == "6400, 6401, 6402"
    listing = code_listing(codes, 2)
    assert listing.text("id") == "6400, 6401, … (12.345 kode seluruhnya)"
    assert listing.text("en") == "6400, 6401, … (12,345 in all)"


def _include_unknown(tmp_path: Path) -> Path:
    text = (PACKAGE.parent / "scenarios" / "next-fiscal-year.toml").read_text(encoding="utf-8")
    assert 'include = "all"' in text
    path = tmp_path / "unknown-region.toml"
    path.write_text(text.replace('include = "all"', 'include = ["6401", "6499"]'), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "named", "foreign"),
    [("id", "kaltim-indicators.csv (bawaan)", "(shipped)"), ("en", "kaltim-indicators.csv (shipped)", "(bawaan)")],
)
def test_the_shipped_data_set_is_named_in_the_readers_language(runner, tmp_path, lang, named, foreign):
    """An error about the shipped data names it in the session's language (once '(shipped)' in id)."""
    result = runner.invoke(main, ["--lang", lang, "run", str(_include_unknown(tmp_path))])
    assert result.exit_code != 0
    assert named in result.output and "6499" in result.output
    assert foreign not in result.output


@pytest.mark.parametrize(
    ("lang", "limit"), [("id", "melebihi Rp 1.000 triliun"), ("en", "is more than Rp 1,000 trillion")]
)
def test_the_amount_limit_is_readable_not_masked_as_personal_data(runner, lang, limit):
    """The largest amount (MAX_RP = 10**15) has 16 digits, which the NIK safety net masks: the message
    gives it in words (once 'Rp 100000********00' in id)."""
    from optimizer.money import MAX_RP

    assert MAX_RP == 10**15  # the words in both catalogues say this amount
    result = runner.invoke(main, ["--lang", lang, "run", "next-fiscal-year", "--budget", "2000 triliun"])
    assert result.exit_code == 2
    assert limit in result.output and "*" not in result.output


@pytest.mark.parametrize(
    ("lang", "words"), [("id", "'2026-13-01' bukan tanggal; diharapkan tanggal"), ("en", "is not a date; expected")]
)
def test_a_bad_report_date_is_refused_in_the_readers_language(runner, tmp_path, lang, words):
    """--date takes the dates planners write and refuses others in the session's language (once Click's
    English "does not match the format '%Y-%m-%d'")."""
    result = runner.invoke(
        main, ["--lang", lang, "report", "next-fiscal-year", "--date", "2026-13-01", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert words in result.output and "%Y" not in result.output
    assert not (tmp_path / "r").exists()
    help_text = runner.invoke(main, ["--lang", lang, "report", "--help"], terminal_width=100).output
    assert "%Y" not in help_text and ("TANGGAL" if lang == "id" else "DATE") in help_text


def test_report_dates_are_read_as_planners_write_them():
    from optimizer.cli.common import DATE

    for text in ("2026-12-01", "01-12-2026", "1/12/2026", "1 Desember 2026"):
        assert DATE.convert(text, None, None) == __import__("datetime").date(2026, 12, 1)


def test_report_sentences_about_the_inputs_name_no_command_line_option():
    """The telaahan staf is read by TAPD, not typed at a terminal: what was changed for the report is said
    in words, in both languages (the English once said '(option --budget)' where the Indonesian did not)."""
    for lang in LANGUAGES:
        table = catalogue(lang)
        for key in [k for k in table if k.startswith(("report.override.", "report.baseline."))]:
            assert "--" not in table[key], (lang, key, table[key])


def test_every_command_takes_lang():
    """``--lang`` after any command, as its help promises (``wrse synth`` once had none)."""
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        options = {o for p in command.params for o in getattr(p, "opts", ())}
        assert "--lang" in options, name


def test_an_unknown_wrse_lang_is_refused_as_an_unknown_lang_is(runner):
    """WRSE_LANG=fr ran silently in Indonesian while --lang fr is refused: it is refused too, in one
    line, unless --lang chooses the language."""
    from optimizer.cli import main

    refused = runner.invoke(main, ["run", "next-fiscal-year"], env={"WRSE_LANG": "fr"})
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "Kesalahan: variabel lingkungan WRSE_LANG bernilai 'fr'; diharapkan id atau en (atau hapus variabelnya)"
    )
    narrow = runner.invoke(main, ["scenarios"], env={"WRSE_LANG": "fr", "COLUMNS": "80"})
    assert narrow.exit_code == 2 and all(len(line) <= 80 for line in narrow.output.splitlines())
    assert narrow.output.splitlines()[1].startswith("  ")  # wrapped as every other error is
    chosen = runner.invoke(main, ["run", "next-fiscal-year", "--lang", "en"], env={"WRSE_LANG": "fr"})
    assert chosen.exit_code == 0 and chosen.output.startswith("Scenario:")
    assert runner.invoke(main, ["scenarios"], env={"WRSE_LANG": "EN"}).output.startswith("Shipped scenarios")
