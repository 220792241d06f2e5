"""Run every ``wrse`` command as a planner would, in one language, and read back what a person reads.

:func:`run_everything` runs run, compare, sweep, sensitivity, plan, data, scenarios, doctor,
screen, select, report (html, docx, xlsx, md) and page with their table outputs, workbooks
and CSV files, and returns ``{what: text}``: standard output and error of each command and
the text of each file it wrote, read the way its reader sees it: a DOCX through python-docx
(paragraphs, tables, headers), a workbook through openpyxl (every cell that holds text, not
formulas), an HTML file as its visible text (no scripts or styles), a CSV as its cells.
Machine formats (``--format csv``/``json``) are left out: their headers are field names.
"""

from __future__ import annotations

import csv
import io
import random
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from optimizer.cli import main

AS_OF = "2027-01-01"


class _Visible(HTMLParser):
    """The text of an HTML document a reader sees (no ``<script>``, ``<style>`` or ``<template>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:  # what a reader sees of an attribute: titles, labels, placeholders
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def html_text(path: Path) -> str:
    """The visible text of an HTML file, one piece a line."""
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def docx_text(path: Path) -> str:
    """Every paragraph, table cell, header and footer of a DOCX, one a line."""
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer):
            lines.extend(p.text for p in part.paragraphs)
    return "\n".join(line for line in lines if line.strip())


def xlsx_text(path: Path) -> str:
    """Every text cell of every sheet (formulas left out: they are not read as words), and the sheet names."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    lines.append(cell.value)
    return "\n".join(lines)


def csv_text(path: Path) -> str:
    """The cells of a CSV (either dialect), one row a line, cells separated by `` | ``."""
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return "\n".join(" | ".join(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))


def file_text(path: Path) -> str:
    """The text of a file the tool wrote, read as its reader reads it."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".xlsx":
        return xlsx_text(path)
    if suffix == ".html":
        return html_text(path)
    if suffix == ".csv":
        return csv_text(path)
    return path.read_text(encoding="utf-8")


def candidate_lists(folder: Path) -> tuple[Path, Path]:
    """Two synthetic candidate lists (see tests/synthetic_candidates.py)."""
    import datetime as dt

    from synthetic_candidates import random_list, write_csv, write_xlsx

    as_of = dt.date.fromisoformat(AS_OF)
    rng = random.Random(12)
    folder.mkdir(parents=True, exist_ok=True)
    a = write_csv(folder / "kab-a.csv", random_list(rng, 160, as_of))
    b = write_xlsx(folder / "kab-b.xlsx", random_list(rng, 40, as_of, start=900), title="DAFTAR CALON PENERIMA WRSE")
    return a, b


def commands(lang: str, folder: Path, lists: tuple[Path, Path]) -> list[tuple[str, list[str], list[Path]]]:
    """(name, arguments, files written) of every command run in ``lang``, writing into ``folder``."""
    out = folder / lang
    a, b = lists
    d = out / "decisions.csv"
    runs: list[tuple[str, list[str], list[Path]]] = [
        ("run", ["run", "next-fiscal-year"], []),
        ("run-uep", ["run", "proposal-2027-uep"], []),
        ("run-xlsx", ["run", "next-fiscal-year", "-o", str(out / "run.xlsx")], [out / "run.xlsx"]),
        (
            "run-csv-excel",
            ["run", "next-fiscal-year", "--format", "csv-excel", "-o", str(out / "run.csv")],
            [out / "run.csv"],
        ),
        ("run-wide", ["run", "next-fiscal-year", "--wide"], []),
        ("compare", ["compare", "baseline-2023", "next-fiscal-year"], []),
        ("compare-uep", ["compare", "proposal-2027-uep", "-o", str(out / "compare.xlsx")], [out / "compare.xlsx"]),
        ("sweep", ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "300 juta", "--step", "30 juta"], []),
        (
            "sweep-xlsx",
            ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "300 juta", "-o", str(out / "sweep.xlsx")],
            [out / "sweep.xlsx"],
        ),
        ("sensitivity", ["sensitivity", "next-fiscal-year", "--draws", "200"], []),
        (
            "sensitivity-xlsx",
            ["sensitivity", "next-fiscal-year", "--draws", "200", "-o", str(out / "sensitivity.xlsx")],
            [out / "sensitivity.xlsx"],
        ),
        ("plan", ["plan", "roadmap-2027-uep"], []),
        ("plan-xlsx", ["plan", "roadmap-2027-uep", "-o", str(out / "plan.xlsx")], [out / "plan.xlsx"]),
        ("data", ["data"], []),
        ("data-xlsx", ["data", "-o", str(out / "data.xlsx")], [out / "data.xlsx"]),
        ("scenarios", ["scenarios"], []),
        ("doctor", ["doctor"], []),
        (
            "screen",
            ["screen", str(a), str(b), "--as-of", AS_OF, "--counts", str(out / "counts.csv"), "--decisions", str(d)],
            [out / "counts.csv", d],
        ),
        (
            "screen-xlsx",
            ["screen", str(a), "--as-of", AS_OF, "--decisions", str(out / "decisions.xlsx")],
            [out / "decisions.xlsx"],
        ),
        ("select", ["select", "next-fiscal-year", "--decisions", str(d)], []),
        (
            "select-xlsx",
            ["select", "next-fiscal-year", "--decisions", str(d), "-o", str(out / "select.xlsx")],
            [out / "select.xlsx"],
        ),
        (
            "report",
            [
                "report",
                "next-fiscal-year",
                "--format",
                "html,docx,xlsx,md",
                "--out",
                str(out / "report"),
                "--date",
                "2026-11-02",
            ],
            [],  # the files are collected from the folder
        ),
        ("page", ["page", "next-fiscal-year", "-o", str(out / "page.html")], [out / "page.html"]),
    ]
    return runs


def run_everything(lang: str, folder: Path) -> dict[str, str]:
    """``{what: text}`` of every command's output and every file it wrote in ``lang`` (see the module)."""
    lists = candidate_lists(folder / "lists")
    runner = CliRunner()
    texts: dict[str, str] = {}
    for name, args, files in commands(lang, folder, lists):
        (folder / lang).mkdir(parents=True, exist_ok=True)
        result = runner.invoke(main, ["--lang", lang, *args], env={"WRSE_LANG": None, "COLUMNS": "100"})
        assert result.exit_code == 0, (name, result.output, result.stderr)
        texts[f"{name}: stdout"] = result.stdout
        texts[f"{name}: stderr"] = result.stderr
        if name == "report":
            files = sorted((folder / lang / "report").iterdir())
        for path in files:
            texts[f"{name}: {path.name}"] = file_text(path)
    return texts
