"""``wrse report`` as a user runs it: CliRunner, a real subprocess of the installed ``wrse``,
and the committed example in ``reports/example/``."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from report_support import html_tables, markdown_tables, synthetic_data

from optimizer import engine, scenario
from optimizer.cli import main
from optimizer.inputs.data import shipped

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "reports" / "example"
EXAMPLE_DATE = "2026-12-01"  # the example's date of issue: regenerate with --date 2026-12-01
EXAMPLE_FORMATS = ("html", "xlsx", "md")


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("WRSE_LANG", raising=False)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The shipped next-fiscal-year report regenerated as the example was: {format: bytes}."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("regenerated")
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "WRSE_LANG")}
    result = CliRunner(env={"SOURCE_DATE_EPOCH": None, "WRSE_LANG": None}).invoke(
        main,
        [
            "report",
            "next-fiscal-year",
            "--format",
            ",".join(EXAMPLE_FORMATS),
            "--date",
            EXAMPLE_DATE,
            "--out",
            str(out),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    return {f: (out / f"next-fiscal-year.{f}").read_bytes() for f in EXAMPLE_FORMATS}


def _without_svg(html: bytes) -> bytes:
    return re.sub(rb"<svg.*?</svg>", b"<svg/>", html, flags=re.S)


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_committed_example_regenerates_identically(regenerated):
    committed = {f: (EXAMPLE / f"next-fiscal-year.{f}").read_bytes() for f in EXAMPLE_FORMATS}
    # Markdown: byte for byte. HTML: byte for byte apart from the SVG charts (their bytes
    # depend on the matplotlib version), and the same parsed tables. XLSX: the same cells.
    assert regenerated["md"] == committed["md"], (
        "regenerate with: wrse report next-fiscal-year --format html,xlsx,md --date 2026-12-01 --out reports/example"
    )
    assert _without_svg(regenerated["html"]) == _without_svg(committed["html"])
    assert html_tables(regenerated["html"].decode()).tables == html_tables(committed["html"].decode()).tables
    assert _sheets(regenerated["xlsx"]) == _sheets(committed["xlsx"])
    allocation = next(
        t for t in markdown_tables(committed["md"].decode()) if t["title"] == "Alokasi per kabupaten/kota"
    )
    recipients = allocation["headers"].index("Penerima")
    engine_counts = engine.allocate(scenario.load("next-fiscal-year"), shipped()).recipients()
    assert {row[0]: int(row[recipients]) for row in allocation["rows"]} == engine_counts


def test_default_folder_formats_and_language(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["report", "next-fiscal-year"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "reports" / "next-fiscal-year"
    assert sorted(p.name for p in folder.iterdir()) == ["next-fiscal-year.html", "next-fiscal-year.xlsx"]
    assert "ditulis: reports/next-fiscal-year/next-fiscal-year.html" in result.stderr
    assert '<html lang="id">' in (folder / "next-fiscal-year.html").read_text(encoding="utf-8")


def test_the_committed_example_is_not_the_default_target(runner, tmp_path, monkeypatch):
    """Run from a copy of the repository root, the default report lands beside the example, not on it."""
    shutil.copytree(EXAMPLE, tmp_path / "reports" / "example")
    before = {p.name: p.read_bytes() for p in (tmp_path / "reports" / "example").iterdir()}
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["report", "next-fiscal-year", "--format", "html,xlsx,md"])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "reports" / "example").iterdir()} == before
    assert (tmp_path / "reports" / "next-fiscal-year" / "next-fiscal-year.md").is_file()


def test_overrides_name_the_files_and_a_different_report_is_kept(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    day = ["--date", "2026-12-01", "--format", "md"]
    first = runner.invoke(main, ["report", "next-fiscal-year", *day])
    assert first.exit_code == 0, first.output
    other = runner.invoke(main, ["report", "next-fiscal-year", "--budget", "1,5 miliar", "--method", "hamilton", *day])
    assert other.exit_code == 0, other.output
    slug = "next-fiscal-year_1500juta_hamilton"
    text = (tmp_path / "reports" / slug / f"{slug}.md").read_text(encoding="utf-8")
    # the subtitle is the reader's title with the numbers used, never the scenario's file name
    subtitle = text.splitlines()[2]
    assert subtitle.startswith(
        "Rancangan awal TA 2027 (aturan SK 2023), dengan anggaran Rp 1.500.000.000 (500 penerima)"
    )
    assert "next-fiscal-year" not in subtitle
    plain = (tmp_path / "reports" / "next-fiscal-year" / "next-fiscal-year.md").read_text(encoding="utf-8")
    assert plain.splitlines()[2] == (
        "Rancangan awal TA 2027 (aturan SK 2023): 200 penerima @ Rp 3.000.000 di sepuluh kabupaten/kota"
    )
    assert (
        "anggaran diubah dari Rp 600.000.000 (200 penerima) yang tertulis di skenario menjadi Rp 1.500.000.000" in text
    )
    assert "angka di dalamnya tidak berlaku untuk laporan ini" in text
    assert "- **Tanggal**: 1 Desember 2026" in text
    # the same command again rewrites the same bytes; a different date is another report: kept
    assert runner.invoke(main, ["report", "next-fiscal-year", *day]).exit_code == 0
    path = tmp_path / "reports" / "next-fiscal-year" / "next-fiscal-year.md"
    before = path.read_bytes()
    again = runner.invoke(main, ["report", "next-fiscal-year", "--date", "2026-12-02", "--format", "md"])
    assert again.exit_code == 1 and "sudah ada laporan lain di sana" in again.stderr
    assert "--force" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
    forced = runner.invoke(main, ["report", "next-fiscal-year", "--date", "2026-12-02", "--format", "md", "--force"])
    assert forced.exit_code == 0 and "2 Desember 2026" in path.read_text(encoding="utf-8")


def test_english_without_baseline(runner, tmp_path):
    result = runner.invoke(
        main, ["report", "next-fiscal-year", "--lang", "en", "--baseline", "none", "--format", "md", "--out", tmp_path]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "next-fiscal-year.en.md").read_text(encoding="utf-8")
    assert "## 6. Comparison with the baseline scenario" in text
    assert "No baseline scenario (no comparison was asked for)." in text
    assert "Recipients by kabupaten/kota: scenario and baseline" not in text  # no comparison chart
    assert "wrse report next-fiscal-year --baseline none --lang en" in text
    assert "written:" in result.stderr


def test_options_reach_the_engine(runner, tmp_path):
    result = runner.invoke(
        main,
        [
            "report",
            "next-fiscal-year",
            "--budget",
            "300 juta",
            "--method",
            "hamilton",
            "--format",
            "md",
            "--out",
            tmp_path,
        ],
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "next-fiscal-year_300juta_hamilton.md").read_text(encoding="utf-8")
    assert "- **Anggaran**: Rp 300.000.000" in text
    assert "- **Penerima yang dialokasikan (T)**: 100" in text
    assert "Sisa terbesar (Hamilton, kuota Hare)" in text
    assert "--budget 300000000 --method hamilton" in text  # the parsed amount, canonical


def test_bad_input_is_one_line_and_writes_nothing(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    out = tmp_path / "out"
    result = runner.invoke(main, ["report", "no-such-scenario", "--out", out])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no-such-scenario: no such scenario file")
    assert len(result.stderr.strip().splitlines()) == 1
    result = runner.invoke(main, ["report", "next-fiscal-year", "--budget", "120 juta", "--out", out])
    assert result.exit_code == 1 and "floors (50 recipients)" in result.stderr
    result = runner.invoke(main, ["report", "next-fiscal-year", "--format", "html,pdf", "--out", out])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "open the DOCX file in Microsoft Word or LibreOffice" in result.stderr and "print it to PDF" in result.stderr
    assert not out.exists()


def test_an_out_folder_that_cannot_hold_the_report_fails_before_it_is_built(runner, tmp_path, monkeypatch):
    """A FIFO, a FIFO as parent, a missing parent, a folder that refuses new files: one line,
    exit 1, and the report is never built (it was, for seconds, before the folder was checked)."""
    import importlib
    import tempfile

    pipeline = importlib.import_module("optimizer.report.pipeline")

    def not_built(*args, **kwargs):
        raise AssertionError("the report was built before --out was checked")

    monkeypatch.setattr(pipeline, "make_report", not_built)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for out, expected in (
        (fifo, f"--out {fifo}: adalah FIFO (pipa bernama); diharapkan folder"),
        (fifo / "laporan", f"{fifo} adalah FIFO (pipa bernama), bukan folder"),
        (tmp_path / "typo" / "laporan", f"folder {tmp_path / 'typo'} tidak ada"),
    ):
        result = runner.invoke(main, ["report", "next-fiscal-year", "--out", str(out)])
        assert result.exit_code == 1, result.output
        assert expected in result.stderr and "berkas," not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    writable = tmp_path / "read-only"
    writable.mkdir()

    def refused(*args, **kwargs):  # as root every folder is writable: the system's answer, simulated
        raise PermissionError(13, "Permission denied", str(writable / ".wrse-probe-x"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = runner.invoke(main, ["report", "next-fiscal-year", "--out", str(writable / "laporan")])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Kesalahan: {writable / 'laporan'}: tidak dapat dibaca atau ditulis (tidak ada izin menulis di sana); "
        "tidak ada berkas keluaran yang tertulis setengah"
    )
    assert fifo.is_fifo() and list(writable.iterdir()) == []


def test_pdf_refusal_is_one_indonesian_line_that_says_how_to_make_a_pdf(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["report", "next-fiscal-year", "--format", "pdf", "--out", out], env={"WRSE_LANG": "id"}
    )
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()  # no usage block, no "Coba 'wrse report --help'"
    assert line.startswith("Kesalahan: format PDF tidak dibuat")
    assert "buka berkas DOCX di Microsoft Word atau LibreOffice" in line and "Cetak ke PDF pada kertas A4" in line
    assert "soffice" not in line and not out.exists()


def test_synthetic_data_with_the_default_baseline_names_the_baseline(runner, tmp_path):
    data, scenario = synthetic_data(tmp_path)
    result = runner.invoke(
        main, ["report", str(scenario), "--data", str(data), "--out", tmp_path / "o"], env={"WRSE_LANG": "en"}
    )
    assert result.exit_code == 1
    assert "baseline scenario baseline-2023" in result.stderr and "--baseline none" in result.stderr
    result = runner.invoke(
        main, ["report", str(scenario), "--data", str(data), "--baseline", "none", "--out", tmp_path / "o"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["uji_data-synthetic.html", "uji_data-synthetic.xlsx"]


def _wrse() -> list[str]:
    script = Path(sys.executable).parent / "wrse"
    if script.exists():
        return [str(script)]
    found = shutil.which("wrse")
    return [found] if found else [sys.executable, "-m", "optimizer"]


def test_installed_wrse_writes_the_same_bytes(regenerated, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "WRSE_LANG")}
    done = subprocess.run(
        [
            *_wrse(),
            "report",
            "next-fiscal-year",
            "--format",
            "md,xlsx,html",
            "--date",
            EXAMPLE_DATE,
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for f in EXAMPLE_FORMATS:
        assert (tmp_path / f"next-fiscal-year.{f}").read_bytes() == regenerated[f], f


def test_an_unknown_baseline_is_named_as_its_option_with_none_among_the_choices(runner, tmp_path):
    result = runner.invoke(main, ["report", "next-fiscal-year", "--baseline", "nosuch", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    line = result.output.strip()
    assert line.startswith("Kesalahan: Nilai tidak sah untuk '--baseline': nosuch: berkas skenario tidak ada")
    assert line.endswith("atau none untuk laporan tanpa pembanding") and not (tmp_path / "r").exists()
