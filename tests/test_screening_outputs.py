"""`wrse screen` / `wrse select` outputs: every target checked before anything is written,
all files or none, no personal data left in temporary files when the run is killed, and
`select`'s whole numbers and warnings in the chosen language."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from synthetic_candidates import random_list, write_csv

from optimizer import files
from optimizer.cli import main, signals_as_interrupt
from optimizer.errors import InputError

AS_OF = dt.date(2027, 1, 1)


@pytest.fixture
def small_list(tmp_path):
    """40 synthetic candidates of Paser and Samarinda (about 30% rejected)."""
    folder = tmp_path / "in"
    folder.mkdir()
    return write_csv(folder / "daftar.csv", random_list(random.Random(7), 40, AS_OF, ("6401", "6472")))


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    assert "internal error" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(".") or p.suffix in (".part", ".bak"))


# ---------------------------------------------------------------- 5. every target checked first


def test_a_target_under_a_file_stops_before_any_output_is_written(runner, small_list, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n", encoding="utf-8")
    ok = tmp_path / "ok.csv"
    result = runner.invoke(
        main, ["screen", str(small_list), "--counts", str(ok), "--decisions", str(blocker / "d.csv")]
    )
    message = one_line_error(result)
    assert str(blocker / "d.csv") in message and "blocker is a file" in message
    assert not ok.exists(), "one output written, the other not"
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("option", ["--counts", "--decisions"])
def test_a_target_whose_parent_is_a_file_is_a_one_line_error(runner, small_list, tmp_path, option, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    for target in (blocker / "d.csv", blocker / "deeper" / "d.xlsx"):
        message = one_line_error(runner.invoke(main, ["screen", str(small_list), option, str(target)]))
        assert f"{option} {target}" in message


def test_a_folder_or_an_input_as_target_is_refused_before_writing(runner, small_list, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    ok = tmp_path / "ok.xlsx"
    message = one_line_error(
        runner.invoke(main, ["screen", str(small_list), "--decisions", str(ok), "--counts", str(folder)])
    )
    assert str(folder) in message and "is a folder; expected a file name" in message  # like every bad target
    assert not ok.exists()
    before = small_list.read_bytes()
    message = one_line_error(
        runner.invoke(main, ["screen", str(small_list), "--counts", str(ok), "--decisions", str(small_list)])
    )
    assert str(small_list) in message and "overwrite an input" in message
    assert small_list.read_bytes() == before
    assert not ok.exists()


def test_missing_folders_are_refused_not_created(runner, small_list, tmp_path):
    """A mistyped folder is an error naming it, not a new folder the planner will not find;
    into existing folders both files are written."""
    counts, decisions = tmp_path / "new" / "a" / "c.csv", tmp_path / "new" / "b" / "d.xlsx"
    result = runner.invoke(main, ["screen", str(small_list), "--counts", str(counts), "--decisions", str(decisions)])
    assert result.exit_code == 1 and f"folder {tmp_path / 'new'} tidak ada" in result.stderr, result.output
    assert not (tmp_path / "new").exists()
    counts.parent.mkdir(parents=True)
    decisions.parent.mkdir()
    result = runner.invoke(main, ["screen", str(small_list), "--counts", str(counts), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    assert counts.read_text(encoding="utf-8").startswith("Kode BPS,Kabupaten/Kota,Memenuhi syarat,Prioritas")
    assert decisions.stat().st_size > 0


def test_a_failed_second_write_keeps_the_earlier_files(runner, small_list, tmp_path, monkeypatch):
    counts, decisions = tmp_path / "c.csv", tmp_path / "d.csv"
    counts.write_text("earlier counts\n", encoding="utf-8")
    replace = os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        if str(src).endswith(".part"):
            calls["n"] += 1
            if calls["n"] == 2:  # the second file fails after the first was already in place
                raise OSError(28, "No space left on device")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = runner.invoke(main, ["screen", str(small_list), "--counts", str(counts), "--decisions", str(decisions)])
    assert result.exit_code != 0
    assert counts.read_text(encoding="utf-8") == "earlier counts\n"
    assert not decisions.exists()
    assert leftovers(tmp_path) == []


def test_write_files_atomic_writes_all_or_none(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("x", encoding="utf-8")
    first = tmp_path / "new" / "a.csv"
    with pytest.raises(InputError, match=r"f/b\.csv: .*f is a file, so the folder cannot be created"):
        files.write_files_atomic({first: b"a\n", blocker / "b.csv": b"b\n"})
    assert not first.exists() and leftovers(tmp_path) == []
    files.write_files_atomic({first: b"a\n", tmp_path / "b.csv": b"b\n"})
    assert first.read_bytes() == b"a\n" and (tmp_path / "b.csv").read_bytes() == b"b\n"
    assert leftovers(tmp_path) == []


def test_an_unwritable_parent_is_an_input_error_for_every_command(runner, tmp_path, monkeypatch):
    """The atomic writer names the path instead of an internal error (wrse run -o, here)."""
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"blocker/out\.txt: .*blocker is a file, so the folder cannot be created"):
        files.write_text_atomic(blocker / "out.txt", "text")
    message = one_line_error(runner.invoke(main, ["run", "next-fiscal-year", "-o", str(blocker / "run.txt")]))
    assert str(blocker / "run.txt") in message


# ---------------------------------------------------------------- 6. SIGTERM / SIGHUP behave like Ctrl-C


def test_signals_raise_keyboard_interrupt_and_are_restored():
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be set in the main thread")
    before = signal.getsignal(signal.SIGTERM)
    if before is not signal.SIG_DFL:
        pytest.skip("the test runner handles SIGTERM itself")
    with pytest.raises(KeyboardInterrupt), signals_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts this
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with signals_as_interrupt():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN, "nohup keeps SIGHUP ignored"
    finally:
        signal.signal(signal.SIGHUP, previous)


def _wrse_command() -> list[str]:
    script = Path(sys.executable).with_name("wrse")
    if script.exists():
        return [str(script)]
    found = shutil.which("wrse")
    if found is None:
        pytest.skip("the wrse command is not installed")
    return [found]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_killed_while_writing_a_workbook_leaves_no_temporary_file(tmp_path, signum):
    """A real `wrse screen` writing a large XLSX is sent the signal once openpyxl's temporary
    sheet exists; afterwards no openpyxl.* file (names, masked NIKs) and no output remain."""
    if signal.getsignal(signum) is signal.SIG_IGN:
        pytest.skip("the signal is ignored here (nohup), so wrse keeps ignoring it")
    temp = tmp_path / "tmp"
    temp.mkdir()
    rows = random_list(random.Random(signum), 12_000, AS_OF)
    path = write_csv(tmp_path / "besar.csv", rows)
    decisions = tmp_path / "out" / "d.xlsx"
    decisions.parent.mkdir()  # an output goes into an existing folder
    env = dict(os.environ, TMPDIR=str(temp), WRSE_LANG="en")
    command = [*_wrse_command(), "screen", str(path), "--include-names", "--decisions", str(decisions)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not list(temp.rglob("openpyxl.*")):
            assert process.poll() is None, "wrse finished before the workbook was being written"
            assert time.monotonic() < deadline, "no openpyxl temporary file appeared"
            time.sleep(0.01)
        process.send_signal(signum)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1, err
    assert "Aborted!" in err and "Traceback" not in err
    assert list(temp.iterdir()) == []
    assert not decisions.exists()
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- 7. select: whole numbers, warnings in --lang


@pytest.fixture
def decisions(runner, small_list, tmp_path):
    target = tmp_path / "decisions.csv"
    result = runner.invoke(main, ["screen", str(small_list), "--decisions", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_select_positions_are_whole_numbers(runner, decisions):
    table = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--lang", "en"])
    assert table.exit_code == 0, table.output
    positions = re.findall(r"^\s+(\S+)\s+(?:selected|waiting)\s", table.stdout, flags=re.MULTILINE)
    assert positions and all(p.isdigit() for p in positions), positions[:3]
    assert positions[:3] == ["1", "2", "3"]
    as_csv = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "csv"])
    got = list(csv.DictReader(as_csv.stdout.splitlines()))
    for column in ("allocated", "position", "priority_rank", "priority_group", "source_row"):
        assert all(re.fullmatch(r"\d+", r[column]) for r in got), column
    selected = [int(r["position"]) for r in got if r["region_code"] == "6401" and r["status"] == "selected"]
    assert selected == list(range(1, len(selected) + 1))
    as_json = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "json"])
    region = json.loads(as_json.stdout)["regions"][0]
    assert [w["position"] for w in region["selected"]] == list(range(1, len(region["selected"]) + 1))
    assert all(isinstance(w["position"], int) for w in region["selected"])


def test_select_warnings_follow_the_language(runner, decisions):
    base = ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "csv", "--include-names"]
    indonesian = runner.invoke(main, base)
    assert indonesian.exit_code == 0, indonesian.output
    lines = indonesian.stderr.strip().splitlines()
    assert lines and all(line.startswith("Peringatan: ") for line in lines)
    assert "Warning" not in indonesian.stderr
    assert "Peringatan: berkas keputusan tidak memuat nama" in indonesian.stderr
    assert "wilayah ini tidak dapat mengisi alokasinya dari daftar ini" in indonesian.stderr
    english = runner.invoke(main, [*base, "--lang", "en"])
    lines = english.stderr.strip().splitlines()
    assert lines and all(line.startswith("Warning: ") for line in lines)
    assert "Warning: the decisions file has no names" in english.stderr


def test_an_interrupted_workbook_leaves_no_temporary_file_in_process(tmp_path, monkeypatch):
    """Without relying on openpyxl's exit hook: the private folder goes when the call ends."""
    import tempfile

    import pandas as pd

    from optimizer.screening import render

    class Interrupting:
        def item(self):
            raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cells = ["Calon Uji"] * 2000
    cells[1500] = Interrupting()
    with pytest.raises(KeyboardInterrupt):
        render.table_bytes(pd.DataFrame({"nama": cells}), Path("d.xlsx"))
    assert list(tmp_path.iterdir()) == []
    assert tempfile.tempdir == str(tmp_path)
    data = render.table_bytes(pd.DataFrame({"nama": ["Calon Uji"] * 3}), Path("d.xlsx"))
    assert data[:2] == b"PK" and list(tmp_path.iterdir()) == []


def test_xlsx_keeps_formula_looking_text_unchanged_and_never_a_formula():
    import io
    import zipfile

    import pandas as pd
    from openpyxl import load_workbook

    from optimizer.screening import render

    data = render.table_bytes(pd.DataFrame({"source_file": ["-kukar.csv", "=1+1", "@x"]}), Path("d.xlsx"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"]][1:] == ["-kukar.csv", "=1+1", "@x"]
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_screen_workbooks_print_like_every_other_workbook(runner, small_list, tmp_path):
    """The decisions list is checked on paper candidate by candidate: A4, landscape for its many
    columns, every column on one page's width, the heading repeated on every page."""
    from openpyxl import load_workbook

    counts, decisions = tmp_path / "c.xlsx", tmp_path / "d.xlsx"
    result = runner.invoke(main, ["screen", str(small_list), "--counts", str(counts), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    for path, orientation in ((decisions, "landscape"), (counts, "portrait")):
        sheet = load_workbook(path).worksheets[0]
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, orientation, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
        numbers = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, int | float)]
        assert numbers and all(c.number_format.endswith("#,##0") for c in numbers if float(c.value).is_integer())
    titles = [load_workbook(p).worksheets[0].title for p in (counts, decisions)]
    assert titles == ["Jumlah memenuhi syarat", "Keputusan"]  # named as the other workbooks' tabs are, not 'data'
