"""Generate the reference pages of docs/ from the code, so that they cannot drift from it.

    python docs/generate.py           # rewrite docs/cli.md and docs/scenarios.md
    python docs/generate.py --check   # exit 1 (and name the files) when they differ from the code

* ``docs/cli.md``: the ``--help`` of ``wrse`` and of every command and subcommand, as a user sees it, read through
  Click's API (every command the group lists, at a fixed width of 100 columns, with no language set in the
  environment, so the output is the same on every machine);
* ``docs/scenarios.md``: every table and key a scenario file accepts, its type and meaning, from
  :data:`optimizer.scenario.SCHEMA` and :data:`optimizer.scenario.KEY_HELP`, and the keys of a roadmap from
  :data:`optimizer.analysis.roadmap.ROADMAP_SCHEMA`.

tests/test_docs.py runs the check and names this command when the pages are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REGENERATE = "python docs/generate.py"
WIDTH = 100


def _commands(group, path):
    """(path, command) for the group and every command below it, in the order ``--help`` lists them."""
    import click

    yield path, group
    if isinstance(group, click.Group):
        ctx = click.Context(group, info_name=path[-1])
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is not None and not getattr(command, "hidden", False):
                yield from _commands(command, [*path, name])


def _help(path: list[str]) -> str:
    from click.testing import CliRunner

    from optimizer.cli import main

    env = {"COLUMNS": str(WIDTH + 2), "WRSE_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None, "LANGUAGE": None}
    result = CliRunner().invoke(main, [*path[1:], "--help"], env=env, prog_name="wrse", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"{' '.join(path)} --help failed: {result.output}")
    return result.stdout.rstrip() + "\n"


def cli_reference() -> str:
    """The text of docs/cli.md."""
    from optimizer.cli import main

    commands = list(_commands(main, ["wrse"]))
    lines = [
        "# Command reference",
        "",
        f"<!-- Generated from the code by `{REGENERATE}`; do not edit by hand (tests/test_docs.py checks it). -->",
        "",
        "Every command prints the same text with `--help` (or `-h`). `python -m optimizer` works like `wrse`.",
        "",
    ]
    lines += [f"- [`{' '.join(path)}`](#{'-'.join(path)})" for path, _ in commands]
    for path, _ in commands:
        lines += ["", f'<a id="{"-".join(path)}"></a>', "", f"## `{' '.join(path)}`", "", "```text"]
        lines += _help(path).rstrip("\n").split("\n")
        lines += ["```"]
    return "\n".join(lines) + "\n"


def _types(types) -> str:
    from optimizer.i18n import t as message
    from optimizer.tomlfile import TYPE_NAMES

    names = []
    for t in types if isinstance(types, tuple) else (types,):
        names.append(message(TYPE_NAMES[t].key, "en").removeprefix("an ").removeprefix("a "))
    return " or ".join(names)


def scenario_reference() -> str:
    """The text of docs/scenarios.md."""
    from optimizer.analysis.roadmap import ROADMAP_SCHEMA
    from optimizer.scenario import KEY_HELP, SCHEMA

    lines = [
        "# Scenario file reference",
        "",
        f"<!-- Generated from the code by `{REGENERATE}`; do not edit by hand (tests/test_docs.py checks it). -->",
        "",
        "A scenario is a TOML file (data only, nothing in it is run). Every key is checked: an unknown key or a",
        "wrong type stops the tool with one line naming the file and the key. Amounts accept `150000000`,",
        '`"Rp 150.000.000"`, `"150 juta"`, `"150jt"`, `"1,5 miliar"`, `"1.5M"` and are stored as integer rupiah;',
        'region keys accept BPS codes or names. `extends = "other.toml"` (top level, before any table) makes the',
        "file a copy of another with its tables merged over it. How the keys work together, with examples and the",
        "shipped scenarios: [scenarios/README.md](../scenarios/README.md).",
        "",
        "The keys below come from `optimizer.scenario.SCHEMA` (types) and `optimizer.scenario.KEY_HELP` (meaning).",
    ]
    for table, keys in SCHEMA.items():
        lines += ["", f"## `[{table}]`", "", "| key | type | meaning |", "|---|---|---|"]
        for key, types in keys.items():
            meaning = KEY_HELP.get(table, {}).get(key)
            if meaning is None:
                raise KeyError(f"optimizer.scenario.KEY_HELP has no entry for {table}.{key}; add one")
            cell = meaning.replace("|", "\\|")
            lines.append(f"| `{key}` | {_types(types)} | {cell} |")
    from optimizer.analysis.roadmap import ROADMAP_TRANSLATABLE
    from optimizer.scenario import TRANSLATABLE

    lines += [
        "",
        "## `[en]`: the texts in English",
        "",
        "A scenario is written in Indonesian. Its `[en]` table gives the same texts in English, at the same place:",
        '`[en.scenario]` `title = "..."`, `[en.rationale.budget]` `text = "..."`. With `--lang en` every output shows',
        "them; a text with no English version is shown as written. Only these keys can be translated (`*`: any",
        "choice of `[rationale]`); any other key in `[en]` is an error naming it. The keys come from",
        "`optimizer.scenario.TRANSLATABLE` (a roadmap's from `optimizer.analysis.roadmap.ROADMAP_TRANSLATABLE`).",
        "",
        "| file | key under `[en]` | type |",
        "|---|---|---|",
    ]
    lines += [f"| scenario | `{key}` | {_types(kind)} |" for key, kind in TRANSLATABLE.items()]
    lines += [f"| roadmap | `{key}` | {_types(kind)} |" for key, kind in ROADMAP_TRANSLATABLE.items()]
    lines += [
        "",
        "## Roadmaps (`wrse plan`)",
        "",
        "A roadmap (`roadmap-*.toml`) is checked the same way. Its tables and keys, from",
        "`optimizer.analysis.roadmap.ROADMAP_SCHEMA`; what each means: [scenarios/README.md](../scenarios/README.md).",
        "",
        "| table | key | type |",
        "|---|---|---|",
    ]
    for table, keys in ROADMAP_SCHEMA.items():
        lines += [f"| `[{table}]` | `{key}` | {_types(types)} |" for key, types in keys.items()]
    return "\n".join(lines) + "\n"


PAGES = {"cli.md": cli_reference, "scenarios.md": scenario_reference}


def stale() -> list[str]:
    """The generated pages whose text differs from what the code gives now."""
    out = []
    for name, build in PAGES.items():
        path = DOCS / name
        if not path.exists() or path.read_text(encoding="utf-8") != build():
            out.append(f"docs/{name}")
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        out = stale()
        if out:
            print(f"out of date: {', '.join(out)}; regenerate with `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    for name, build in PAGES.items():
        (DOCS / name).write_text(build(), encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(DOCS.parent))
    raise SystemExit(main(sys.argv[1:]))
