"""Helpers for the report tests: read tables back out of HTML, Markdown, XLSX and DOCX files
(with the standard library and the project's own dependencies only), and generate the
synthetic data sets the tests use (regions only; no data about people).
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

# ---------------------------------------------------------------------------- HTML


class _Tables(HTMLParser):
    """Collect every ``<table data-table=KEY>``: column keys, rows, total row.

    Each cell is ``(text, data_value or None)``.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.svg_count = 0
        self.external: list[str] = []
        self._table: dict | None = None
        self._section = ""
        self._cell: list | None = None
        self._row: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("src", "href"):
            value = a.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag in ("script", "link", "img", "iframe", "object"):
            self.external.append(tag)
        if tag == "svg":
            self.svg_count += 1
        if tag == "table" and "data-table" in a:
            self._table = {"columns": [], "rows": [], "total": None}
            self.tables[a["data-table"]] = self._table
        elif self._table is None:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._row = []
            self._total = a.get("class") == "total"  # the total row: last in tbody, so print shows it once
        elif tag == "th":
            self._table["columns"].append(a.get("data-column"))
        elif tag == "td":
            self._cell = [[], a.get("data-value")]

    def handle_endtag(self, tag):
        if self._table is None:
            return
        if tag == "td" and self._cell is not None:
            self._row.append(("".join(self._cell[0]), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._section == "tbody" and getattr(self, "_total", False):
                self._table["total"] = self._row
            elif self._section == "tbody":
                self._table["rows"].append(self._row)
            elif self._section == "tfoot":
                self._table["total"] = self._row
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0].append(data)


def html_tables(text: str) -> _Tables:
    """Parse an HTML report; ``.tables`` by key, ``.svg_count``, ``.external`` references."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return parser


# ---------------------------------------------------------------------------- Markdown


def _unescape(cell: str) -> str:
    out, i = [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            out.append(cell[i + 1])
            i += 2
            continue
        out.append(cell[i])
        i += 1
    return "".join(out).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _split_row(line: str) -> list[str]:
    body = line.strip()[1:-1]
    cells, current, i = [], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if body[i] == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(body[i])
        i += 1
    cells.append("".join(current))
    return [_unescape(c.strip()) for c in cells]


def markdown_tables(text: str) -> list[dict]:
    """Every pipe table of a Markdown report: ``title`` (the bold line above), ``headers``,
    ``rows`` and ``total`` (the row whose cells are bold), as unescaped texts."""
    lines = text.splitlines()
    tables = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("| ") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            title = _unescape(lines[i - 2].strip("*")) if i >= 2 else ""
            headers = _split_row(lines[i])
            rows, total = [], None
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                cells = _split_row(lines[j])
                if any(c.startswith("**") for c in cells):
                    total = [c.strip("*") for c in cells]
                else:
                    rows.append(cells)
                j += 1
            tables.append({"title": title, "headers": headers, "rows": rows, "total": total})
            i = j
        else:
            i += 1
    return tables


# ---------------------------------------------------------------------------- DOCX


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Every table of a DOCX file as rows of cell texts (a minus written as the non-breaking
    hyphen U+2011, which keeps ``(-13)`` on one line in Writer, read back as ``-``)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    return [
        [[cell.text.replace("\u2011", "-") for cell in row.cells] for row in table.rows] for table in document.tables
    ]


# ---------------------------------------------------------------------------- synthetic data

FORMULA_NAMES = ('=HYPERLINK("http://example.invalid","<b>klik</b>")', "+62 Kota", "-Minus", "@Kabupaten")


def synthetic_data(folder: Path, names: tuple[str, ...] = FORMULA_NAMES) -> tuple[Path, Path]:
    """Write a small wide-layout indicator CSV and a scenario for it into ``folder``.

    Province 99 and units 9901..990n with made-up indicator values (a test fixture, not data
    about any real place or person); the region names and one source start like spreadsheet
    formulas. Returns (data CSV, scenario TOML).
    """
    import csv

    data = folder / "synthetic.csv"
    rows = [("99", "Provinsi Uji", "60", "6", "40", "synthetic fixture")]
    for i, name in enumerate(names, start=1):
        idg = 48 + 5 * i
        rate = 9 - i
        poor = 6 + 3 * i
        source = "=1+1 synthetic" if i == 1 else "synthetic fixture"
        rows.append((f"99{i:02d}", name, str(idg), str(rate), str(poor), source))
    with open(data, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = (
            "region_code region_name idg idg_year poverty_rate poverty_rate_year "
            "poor_population poor_population_year source"
        )
        writer.writerow(header.split())
        for code, name, idg, rate, poor, source in rows:
            writer.writerow([code, name, idg, "2024", rate, "2024", poor, "2024", source])
    scenario = folder / "uji.toml"
    scenario.write_text(
        """[scenario]
name = "uji"
title = "Skenario uji (data sintetis)"
fiscal_year = 2026
budget = "60 juta"

[indicators]
idg_year = 2024
poverty_year = 2024

[eligible]
source = "proxy"
proxy = "poor_population"
year = 2024

[weights]
idg_gap = 30
poverty_rate = 30
eligible = 40

[constraints]
floor_all = 2
""",
        encoding="utf-8",
    )
    return data, scenario
