"""Bad input people actually send: one small bad file per case.

Every case runs the command as a user would (Click's runner) with ``--output`` and checks:
the exit status, that the one-line message names the file and the offending row, column
or key (and the value where it is not personal), that no traceback is printed, and that
no output file appears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from language_words import foreign_words

from optimizer.cli import main

DATA = """\
region_code,region_name,idg,idg_year,poverty_rate,poverty_rate_year,poor_population,poor_population_year,source
64,Kalimantan Timur,65.65,2019,5.78,2024,221.34,2024,BPS
6401,Paser,66.2,2019,8.63,2024,25.28,2024,BPS
6403,Kutai Kartanegara,63.74,2019,7.28,2024,59.0,2024,BPS
6472,Samarinda,66.29,2019,4.3,2024,37.8,2024,BPS
"""

LONG = """\
region_code,region_name,indicator,year,value,status,source
64,Kalimantan Timur,idg,2019,65.65,published,BPS
6401,Paser,idg,2019,66.2,published,BPS
6401,Paser,poverty_rate,2024,8.63,published,BPS
6401,Paser,poor_population,2024,25.28,published,BPS
"""

SCENARIO = """\
[scenario]
fiscal_year = 2027
budget = "60 juta"
[costs]
grant_year = 2023
[indicators]
idg_year = 2019
poverty_year = 2024
[regions]
include = ["6401", "6403", "6472"]
[eligible]
source = "proxy"
proxy = "poor_population"
year = 2024
[weights]
idg_gap = 30
poverty_rate = 30
eligible = 40
"""

COUNTS = "region_code,eligible\n6401,100\n6403,200\n6472,300\n"


def xlsx(rows, merge_title=False):
    """Build XLSX bytes from rows (a title row merged above when asked)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if merge_title:
        sheet.append(["Data WRSE"])
        sheet.merge_cells("A1:E1")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Case:
    """A bad input: files to write, the command, the exit status, what the message must name."""

    id: str
    files: dict[str, str | bytes]
    args: list[str]
    names: list[str]
    code: int = 1
    append_output: bool = True  # add --format csv --output out.csv
    produced: list[str] = field(default_factory=lambda: ["out.csv"])  # must not exist afterwards


def data_case(id, data, names, **kw):
    return Case(
        id, {"data.csv": data, "s.toml": SCENARIO}, ["run", "s.toml", "--data", "data.csv"], ["data.csv", *names], **kw
    )


def scen_case(id, old, new, names, code=1):
    assert old in SCENARIO
    return Case(
        id,
        {"s.toml": SCENARIO.replace(old, new, 1), "data.csv": DATA},
        ["run", "s.toml", "--data", "data.csv"],
        ["s.toml", *names],
        code=code,
    )


def counts_case(id, counts, names):
    return Case(
        id,
        {"data.csv": DATA, "s.toml": SCENARIO, "counts.csv": counts},
        ["run", "s.toml", "--data", "data.csv", "--eligible", "counts.csv"],
        ["counts.csv", *names],
    )


CASES = [
    # ---- region data: values
    data_case("idg-not-a-number", DATA.replace("63.74", "enam puluh"), ["row 4", "'idg'", "'enam puluh'"]),
    data_case("idg-above-100", DATA.replace("63.74", '"163,74"'), ["row 4", "'idg'", "'163,74'", "between 0 and 100"]),
    data_case("idg-negative", DATA.replace("63.74", "-3"), ["row 4", "'idg'", "'-3'"]),
    data_case("poverty-above-100", DATA.replace("8.63", "108.6"), ["row 3", "'poverty_rate'", "'108.6'"]),
    data_case("poverty-not-a-number", DATA.replace("4.3,", "n/a,"), ["row 5", "'poverty_rate'", "'n/a'"]),
    data_case("poor-negative", DATA.replace("25.28", "-25.28"), ["row 3", "'poor_population'", "'-25.28'"]),
    data_case("poor-thousands-in-decimal-column", DATA.replace("59.0", '"1.234.5"'), ["row 4", "'poor_population'"]),
    data_case("year-not-a-year", DATA.replace("66.2,2019", "66.2,20x9"), ["row 3", "'idg_year'", "'20x9'"]),
    data_case("year-out-of-range", DATA.replace("66.2,2019", "66.2,19"), ["row 3", "'idg_year'", "'19'"]),
    data_case(
        "status-unknown",
        DATA.replace(",source", ",source,status").replace("BPS\n6401", "BPS,maybe\n6401", 1),
        ["row 2", "'status'", "'maybe'"],
    ),
    # ---- region data: identity
    data_case("unknown-region-name", DATA.replace("6472,Samarinda", ",Atlantis"), ["row 5", "'Atlantis'"]),
    data_case("code-contradicts-name", DATA.replace("6401,Paser", "6402,Paser"), ["row 3", "6402", "Kutai Barat"]),
    data_case(
        "kemendagri-code-as-bps",
        DATA.replace("6403,Kutai Kartanegara", "6402,Kutai Kartanegara"),
        ["row 4", "Kemendagri"],
    ),
    data_case("malformed-code", DATA.replace("6401,Paser", "64A1,Paser"), ["row 3", "'64A1'"]),
    data_case("unknown-dotted-code", DATA.replace("6401,Paser", "64.99,"), ["row 3", "'64.99'"]),
    data_case("duplicate-region", DATA + "6401,Paser,66.2,2019,8.63,2024,25.28,2024,BPS\n", ["row 6", "row 3"]),
    data_case("missing-region-column", DATA.replace("region_code,region_name,", "kode_x,nama_x,"), ["region"]),
    # ---- region data: file shapes
    data_case("empty-file", "", ["empty"]),
    data_case("header-only", DATA.splitlines()[0] + "\n", ["no data rows"]),
    data_case("too-many-cells", DATA.replace("66.2,2019", "66,2,2019"), ["row 3", "cells"]),
    data_case(
        "duplicate-column", DATA.replace("poverty_rate,poverty_rate_year", "idg,poverty_rate_year"), ["'idg'", "twice"]
    ),
    data_case("binary-file", "\x00\x01\x02PK", ["binary"]),
    Case(
        "long-duplicate-figure",
        {"data.csv": LONG + "6401,Paser,idg,2019,66.3,published,BPS\n", "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "row 6", "row 3"],
    ),
    Case(
        "long-missing-value-column",
        {"data.csv": LONG.replace(",value,", ",nilai_x,"), "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "'value'"],
    ),
    Case(
        "long-empty-indicator",
        {"data.csv": LONG.replace("6401,Paser,idg,", "6401,Paser,,"), "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "row 3", "'indicator'"],
    ),
    Case(
        "long-count-not-whole",
        {"data.csv": LONG + '6401,Paser,population,2023,"303.424,5",published,BPS\n', "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "row 6", "'value'", "whole number"],
    ),
    Case(
        "xls-workbook",
        {"data.xls": b"\xd0\xcf\x11\xe0", "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.xls"],
        ["data.xls", ".xlsx"],
    ),
    Case(
        "pdf-file",
        {"data.pdf": b"%PDF-1.4", "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.pdf"],
        ["data.pdf", "unknown file type"],
    ),
    Case(
        "broken-xlsx",
        {"data.xlsx": b"PK\x03\x04 broken", "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.xlsx"],
        ["data.xlsx", "cannot open the workbook"],
    ),
    Case(
        "xlsx-text-number-bad",
        {
            "data.xlsx": xlsx(
                [["region_code", "indicator", "year", "value", "source"], [6401, "idg", 2019, "66,2x", "BPS"]],
                merge_title=True,
            ),
            "s.toml": SCENARIO,
        },
        ["run", "s.toml", "--data", "data.xlsx"],
        ["data.xlsx", "row 3", "'value'", "'66,2x'"],
    ),
    Case(
        "missing-region-the-scenario-needs",
        {
            "data.csv": DATA,
            "s.toml": SCENARIO.replace('include = ["6401", "6403", "6472"]', "include = ['6401', '6411']"),
        },
        ["run", "s.toml", "--data", "data.csv"],
        ["s.toml", "6411"],
    ),
    Case(
        "indicator-year-missing",
        {"data.csv": DATA, "s.toml": SCENARIO.replace("poverty_year = 2024", "poverty_year = 2023")},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "poverty_rate", "2023", "6401"],
    ),
    # ---- eligible counts
    counts_case("eligible-not-whole", COUNTS.replace("200", '"12,5"'), ["row 3", "'eligible'", "'12,5'"]),
    counts_case("eligible-decimal-comma-unquoted", COUNTS.replace("200", "12,5"), ["row 3", "cells"]),
    counts_case("eligible-negative", COUNTS.replace("300", "-3"), ["row 4", "'eligible'", "'-3'"]),
    # a counts file without some regions is no longer an error: they keep the scenario's proxy
    # (tests/test_programme.py::test_partial_eligible_file_keeps_the_proxy_for_the_rest)
    counts_case("eligible-duplicate-region", COUNTS + "6401,5\n", ["row 5", "row 2"]),
    counts_case(
        "eligible-unknown-name",
        "region_name,eligible\nPaser,1\nKukar,2\nSamarinda Ulu,3\n",
        ["row 4", "'Samarinda Ulu'"],
    ),
    counts_case("eligible-no-count-column", "region_code,jumlah\n6401,1\n", ["eligible"]),
    counts_case(
        "eligible-priority-above-count",
        "region_code,eligible,priority\n6401,10,20\n6403,1,0\n6472,1,0\n",
        ["row 2", "'priority'", "'20'"],
    ),
    counts_case(
        "eligible-code-contradicts-name", "region_code,region_name,eligible\n6403,Berau,1\n", ["row 2", "6403", "Berau"]
    ),
    Case(
        "floor-above-eligible",
        {
            "data.csv": DATA,
            "s.toml": SCENARIO + "[constraints]\nfloor_all = 2\n",
            "counts.csv": "region_code,eligible\n6401,1\n6403,2\n6472,3\n",
        },
        ["run", "s.toml", "--data", "data.csv", "--eligible", "counts.csv"],
        ["s.toml", "floor_all", "6401", "1"],
    ),
    # ---- scenario TOML
    scen_case("toml-syntax", "[weights]", "[weights", ["not valid TOML"]),
    scen_case("unknown-table", "[weights]", "[weight]\nx = 1\n[weights]", ["unknown key 'weight'"]),
    scen_case("unknown-key", "idg_gap = 30", "idg_gap = 30\nelligible = 4", ["'weights.elligible'"]),
    scen_case("wrong-type", "idg_year = 2019", "idg_year = '2019'", ["'indicators.idg_year'", "'2019'"]),
    scen_case(
        "budget-unknown-form",
        'budget = "60 juta"',
        'budget = "enam puluh juta"',
        ["'scenario.budget'", "'enam puluh juta'"],
    ),
    scen_case(
        "budget-below-one-grant", 'budget = "60 juta"', 'budget = "2.500.000"', ["'scenario.budget'", "Rp 2.500.000"]
    ),
    scen_case("budget-negative", 'budget = "60 juta"', 'budget = "-60 juta"', ["'scenario.budget'", "negative"]),
    scen_case("weight-negative", "poverty_rate = 30", "poverty_rate = -30", ["'weights.poverty_rate'", "-30"]),
    scen_case(
        "weights-all-zero",
        "idg_gap = 30\npoverty_rate = 30\neligible = 40",
        "idg_gap = 0\npoverty_rate = 0\neligible = 0",
        ["[weights]", "0"],
    ),
    scen_case(
        "floor-above-cap",
        "[weights]",
        "[constraints]\nfloors = { Paser = 9 }\ncaps = { Paser = 3 }\n[weights]",
        ["'constraints.floors.6401'", "9", "3"],
    ),
    scen_case(
        "locks-exceed-budget",
        "[weights]",
        "[constraints]\nlocks = { 6401 = 25 }\n[weights]",
        ["'constraints.locks'", "25", "Rp 60.000.000"],
    ),
    scen_case(
        "floors-exceed-budget",
        "[weights]",
        "[constraints]\nfloor_all = 8\n[weights]",
        ["s.toml", "Rp 72.000.000", "Rp 60.000.000"],
    ),
    scen_case("method-unknown", "[scenario]", "[scenario]\nmethod = 'dhondt'", ["'scenario.method'", "'dhondt'"]),
    scen_case(
        "include-unknown-name",
        'include = ["6401", "6403", "6472"]',
        "include = ['Atlantis']",
        ["'regions.include'", "'Atlantis'"],
    ),
    scen_case(
        "include-kemendagri-code",
        'include = ["6401", "6403", "6472"]',
        "include = ['64.02']",
        ["'regions.include'", "'64.02'"],
    ),
    scen_case("extends-missing", "[scenario]", 'extends = "nope.toml"\n[scenario]', ["'extends'", "'nope.toml'"]),
    scen_case(
        "idg-reference-out-of-range",
        "[indicators]",
        "[indicators]\nidg_reference = 150",
        ["'indicators.idg_reference'", "150"],
    ),
    scen_case("proxy-unknown", 'proxy = "poor_population"', 'proxy = "rumah"', ["'eligible.proxy'", "'rumah'"]),
    scen_case("fiscal-year-odd", "fiscal_year = 2027", "fiscal_year = 27", ["'scenario.fiscal_year'", "27"]),
    # ---- the other commands: report, sweep, sensitivity, plan, screen, select
    Case(
        "report-unknown-baseline",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["report", "s.toml", "--data", "data.csv", "--baseline", "nope", "--out", "rep"],
        ["nope", "--baseline", "none"],
        code=2,  # a value --baseline cannot take, refused as --budget abc is
        append_output=False,
        produced=["rep"],
    ),
    Case(
        "report-bad-data",
        {"s.toml": SCENARIO, "data.csv": DATA.replace("63.74", "x")},
        ["report", "s.toml", "--data", "data.csv", "--baseline", "none", "--out", "rep"],
        ["data.csv", "row 4", "'idg'"],
        append_output=False,
        produced=["rep"],
    ),
    Case(
        "report-unknown-format",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["report", "s.toml", "--data", "data.csv", "--format", "odt", "--out", "rep"],
        ["'odt'"],
        code=2,
        append_output=False,
        produced=["rep"],
    ),
    Case(  # not a typing slip: the one line says how to make the PDF from the DOCX or the HTML
        "report-pdf",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["report", "s.toml", "--data", "data.csv", "--format", "pdf", "--out", "rep"],
        ["PDF", "DOCX", "LibreOffice", "HTML", "A4"],
        append_output=False,
        produced=["rep"],
    ),
    Case(
        "sweep-to-below-from",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["sweep", "s.toml", "--data", "data.csv", "--from", "60 juta", "--to", "30 juta"],
        ["--to", "Rp 30.000.000", "Rp 60.000.000"],
    ),
    Case(
        "sweep-zero-step",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["sweep", "s.toml", "--data", "data.csv", "--from", "30 juta", "--to", "60 juta", "--step", "0"],
        ["--step"],
    ),
    Case(
        "sweep-bad-amount",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["sweep", "s.toml", "--data", "data.csv", "--from", "tiga", "--to", "60 juta"],
        ["--from", "'tiga'"],
        code=2,
    ),
    Case(
        "sweep-bad-scenario",
        {"s.toml": SCENARIO.replace("idg_gap = 30", "idg_gap = 'x'"), "data.csv": DATA},
        ["sweep", "s.toml", "--data", "data.csv", "--from", "30 juta", "--to", "60 juta"],
        ["s.toml", "'weights.idg_gap'"],
    ),
    Case(
        "sensitivity-negative-spread",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["sensitivity", "s.toml", "--data", "data.csv", "--data-spread", "-1"],
        ["--data-spread"],
        code=2,
    ),
    Case(
        "sensitivity-bad-counts",
        {"s.toml": SCENARIO, "data.csv": DATA, "counts.csv": COUNTS.replace("300", "-3")},
        ["sensitivity", "s.toml", "--data", "data.csv", "--eligible", "counts.csv"],
        ["counts.csv", "row 4"],
    ),
    Case(
        "plan-unknown-key",
        {"r.toml": "ROADMAP:first_year = 2024:first_year = 2024\nfirst_yaer = 1"},
        ["plan", "r.toml"],
        ["r.toml", "'roadmap.first_yaer'"],
    ),
    Case(
        "plan-bad-budget",
        {"r.toml": 'ROADMAP:start = "150 juta":start = "banyak juta"'},
        ["plan", "r.toml"],
        ["r.toml", "'budget.start'", "'banyak juta'"],
    ),
    Case(
        "plan-coverage-outside-years",
        {"r.toml": "ROADMAP:coverage_year = 2027:coverage_year = 2035"},
        ["plan", "r.toml"],
        ["r.toml", "'roadmap.coverage_year'", "2035"],
    ),
    Case(
        "screen-no-nik-column",
        {"list.csv": "Nama,Tanggal Lahir\nCalon Uji 0001,01-01-1990\n"},
        ["screen", "list.csv", "--counts", "c.csv", "--decisions", "d.csv"],
        ["list.csv", "NIK"],
        append_output=False,
        produced=["c.csv", "d.csv"],
    ),
    Case(
        "screen-broken-xlsx",
        {"list.xlsx": b"PK\x03\x04 broken"},
        ["screen", "list.xlsx", "--counts", "c.csv", "--decisions", "d.csv"],
        ["list.xlsx"],
        append_output=False,
        produced=["c.csv", "d.csv"],
    ),
    Case(
        "screen-bad-as-of",
        {"list.csv": "NIK,Nama\n"},
        ["screen", "list.csv", "--as-of", "2027-13-01", "--counts", "c.csv"],
        ["--as-of", "'2027-13-01'"],
        code=2,
        append_output=False,
        produced=["c.csv"],
    ),
    Case(
        "select-not-a-decisions-file",
        {"d.csv": "NIK,Nama\n6401,Calon Uji 0001\n"},
        ["select", "next-fiscal-year", "--decisions", "d.csv"],
        ["d.csv", "region_code"],
    ),
    Case(
        "select-bad-rank",
        {"d.csv": "DECISIONS"},
        ["select", "next-fiscal-year", "--decisions", "d.csv"],
        ["d.csv", "row 2", "'priority_rank'"],
    ),
    Case(
        "include-all-with-regions-missing",
        {"s.toml": SCENARIO.replace('include = ["6401", "6403", "6472"]', 'include = "all"'), "data.csv": DATA},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "6402 Kutai Barat", "regions.include"],
    ),
    data_case("code-not-in-province", DATA.replace("6472,Samarinda", "6499,Kota Uji"), ["row 5", "6499"]),
    data_case("code-too-short", DATA.replace("6401,Paser", "640,Paser"), ["row 3", "'640'", "3 digits"]),
    data_case("code-with-leading-zero", DATA.replace("6401,Paser", "06401,Paser"), ["row 3", "'06401'"]),
    scen_case("weight-huge", "idg_gap = 30", "idg_gap = 1e308", ["'weights.idg_gap'", "1e+308"]),
    scen_case("weight-infinite", "idg_gap = 30", "idg_gap = inf", ["'weights.idg_gap'", "inf"]),
    Case(
        "cli-budget-below-one-grant",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["run", "s.toml", "--data", "data.csv", "--budget", "150 ribu"],
        ["--budget", "Rp 150.000", "Rp 3.000.000"],
    ),
    Case(
        "cli-budget-absurd",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["run", "s.toml", "--data", "data.csv", "--budget", "9" * 32],
        ["--budget", "far beyond any budget"],
        code=2,
    ),
    data_case(
        "unknown-indicator-column",
        DATA.replace(",source", ",gdp").replace(",BPS\n", ",12\n"),
        ["'gdp'", "not an indicator"],
    ),
    Case(
        "long-unknown-indicator",
        {"data.csv": LONG.replace("6401,Paser,idg,", "6401,Paser,idgg,"), "s.toml": SCENARIO},
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "row 3", "'indicator'", "'idgg'"],
    ),
    Case("plan-given-a-scenario", {}, ["plan", "next-fiscal-year"], ["next-fiscal-year", "wrse run"]),
    Case("run-given-a-roadmap", {}, ["run", "roadmap-2027-uep"], ["roadmap-2027-uep", "wrse plan"]),
    Case(
        "cli-output-suffix-contradicts-format",
        {},
        ["run", "next-fiscal-year", "--format", "json", "-o", "x.csv"],
        ["x.csv", "--format is json"],
        code=2,
        append_output=False,
        produced=["x.csv"],
    ),
    data_case(
        "poor-population-a-nik",
        DATA.replace("59.0", "6472015501900007"),
        ["row 4", "'poor_population'", "647201********07"],
    ),
    data_case("poor-population-in-persons", DATA.replace("25.28", "25280"), ["row 3", "'poor_population'", "10000"]),
    Case(
        "long-unit-contradicts",
        {
            "data.csv": LONG.replace(",status,source", ",status,source,unit").replace(
                "25.28,published,BPS", "25.28,published,BPS,persons"
            ),
            "s.toml": SCENARIO,
        },
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "row 5", "'unit'", "'persons'"],
    ),
    Case(
        "more-poor-than-people",
        {
            "data.csv": DATA.replace(",source", ",population,population_year,source").replace(
                "2024,BPS", "2024,1000,2023,BPS"
            ),
            "s.toml": SCENARIO,
        },
        ["run", "s.toml", "--data", "data.csv"],
        ["data.csv", "poor_population of 6401", "more than its population"],
    ),
    Case(
        "cli-budget-a-nik",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["run", "s.toml", "--data", "data.csv", "--budget", "6472015501900007"],
        ["--budget", "647201********07"],
        code=2,
    ),
    # ---- command line
    Case(
        "cli-budget-unknown-form",
        {"s.toml": SCENARIO, "data.csv": DATA},
        ["run", "s.toml", "--data", "data.csv", "--budget", "banyak"],
        ["--budget", "'banyak'"],
        code=2,
    ),
    Case("cli-missing-data-file", {"s.toml": SCENARIO}, ["run", "s.toml", "--data", "nope.csv"], ["nope.csv"], code=2),
]


DECISIONS = (
    "source_file,source_row,nik_masked,region_code,region_name,nik_region_code,age,eligible,priority_group,"
    "priority_rank,duplicate_group,reason_codes,warning_codes,reasons,warnings,as_of\n"
    "list.csv,2,640121********17,6401,Kab. Paser,6401,33,yes,2,abc,,,,,,2027-01-01\n"
)


def materialise(content: str | bytes) -> str | bytes:
    """Expand the placeholders ``ROADMAP:old:new`` (the shipped roadmap, edited) and ``DECISIONS``."""
    if isinstance(content, str) and content.startswith("ROADMAP:"):
        from optimizer.scenario import shipped_dir

        _, old, new = content.split(":", 2)
        text = (Path(__file__).parent / "data" / "roadmap-all-ten-2027.toml").read_text(encoding="utf-8")
        assert old in text
        return text.replace(old, new, 1).replace(
            'scenario = "next-fiscal-year"', f'scenario = "{shipped_dir().as_posix()}/next-fiscal-year.toml"'
        )
    if content == "DECISIONS":
        return DECISIONS
    return content


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


IN_INDONESIAN = {"row ": "baris ", "cell ": "sel ", "column ": "kolom ", "key ": "kunci "}


def _fragment(fragment: str, lang: str) -> str | None:
    """The fragment as the message in ``lang`` names it; None when it is English prose (checked in en only)."""
    if lang == "en":  # amounts are written the English way there: Rp 2,500,000
        return re.sub(r"Rp ([0-9.]+)", lambda m: "Rp " + m.group(1).replace(".", ","), fragment)
    for english, indonesian in IN_INDONESIAN.items():
        fragment = fragment.replace(english, indonesian)
    return None if foreign_words(fragment, "id") else fragment


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, lang, runner, tmp_path, monkeypatch):
    """Each case in both languages: the named parts, one line, and (in id) no English word, in en no Indonesian."""
    monkeypatch.chdir(tmp_path)
    for name, content in case.files.items():
        path = tmp_path / name
        content = materialise(content)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    extra = ["--format", "csv", "--output", str(tmp_path / "out.csv")] if case.append_output else []
    result = runner.invoke(main, ["--lang", lang, *case.args, *extra])
    message = result.stderr
    assert result.exit_code == case.code, (result.exit_code, message, result.stdout)
    assert "Traceback" not in message + result.stdout
    if case.code == 1:
        prefix = "Kesalahan: " if lang == "id" else "Error: "
        assert message.startswith(prefix) and len(message.strip().splitlines()) == 1, message
    for fragment in case.names:
        named = _fragment(fragment, lang)
        assert named is None or named in message, (named, message)
    assert not foreign_words(message, lang), (foreign_words(message, lang), message)
    assert "6472015501900007" not in message + result.stdout  # a NIK typed anywhere is never echoed
    for name in case.produced:
        assert not (tmp_path / name).exists(), name
    assert not list(tmp_path.rglob("*.part"))


def test_xlsx_formula_without_a_saved_value_is_named(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["region_code", "eligible"], ["6403", "=60+6"], ["6472", 30]):
        sheet.append(row)
    book.save(tmp_path / "f.xlsx")
    result = runner.invoke(main, ["run", "baseline-2023", "--eligible", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 1 and "cell B2" in result.stderr and "never saved" in result.stderr
