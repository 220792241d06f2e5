"""`wrse screen` and `wrse select` run as a user runs them: outputs, privacy, the model link."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from screening_files import file_rows
from synthetic_candidates import Spec, birth_for_age, make_nik, random_list, row, write_csv, write_xlsx
from test_screening_rules import hand_rows

from optimizer.cli import main
from optimizer.screening.rules import label

AS_OF = dt.date(2027, 1, 1)
SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture
def lists(tmp_path):
    """Two synthetic lists covering all ten regions, every rule, duplicates within and across lists."""
    rng = random.Random(20270101)
    inputs = tmp_path / "in"
    inputs.mkdir()
    first = random_list(rng, 240, AS_OF) + hand_rows()
    second = random_list(rng, 60, AS_OF, start=900)
    second[0]["NIK"] = first[10]["NIK"]  # across lists
    first[20]["NIK"] = first[30]["NIK"]  # within a list
    # a NIK in Kemendagri coding from another Kaltim region, and one from another province
    second[1]["NIK"] = make_nik(rng, birth_for_age(rng, 30, AS_OF), prefix="6402")
    second[2]["NIK"] = make_nik(rng, birth_for_age(rng, 30, AS_OF), prefix="3578")
    first[3]["Nama"] = "=HYPERLINK(1)"  # a formula must not run in a spreadsheet
    a = write_csv(inputs / "kab-a.csv", first)
    b = write_xlsx(inputs / "kab-b.xlsx", second, title="DAFTAR CALON PENERIMA WRSE")
    niks = {r["NIK"] for r in first + second if str(r["NIK"]).isdigit() and len(str(r["NIK"])) >= 10}
    names = {r["Nama"] for r in first + second}
    return a, b, niks, names


def _rows(path: Path) -> list[dict]:
    return file_rows(path)


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return path.read_text(encoding="utf-8")


def _assert_no_nik(text: str, niks: set[str], where: str) -> None:
    assert not SIXTEEN.search(text), f"a 16-digit number in {where}"
    squeezed = re.sub(r"[\s.\-]", "", text)
    leaked = [n for n in niks if n in squeezed]
    assert not leaked, f"{len(leaked)} NIK(s) from the input in {where}"


def test_every_output_and_message_is_free_of_niks(runner, lists, tmp_path):
    a, b, niks, names = lists
    out = tmp_path / "out"
    streams = []
    commands = [
        ["screen", str(a), str(b), "--counts", str(out / "counts.csv"), "--decisions", str(out / "decisions.csv")],
        [
            "screen",
            str(a),
            str(b),
            "--counts",
            str(out / "counts.xlsx"),
            "--decisions",
            str(out / "decisions.xlsx"),
            "--lang",
            "en",
            "--rank",
            "lottery",
            "--seed",
            "2027-01-15",
        ],
        ["screen", str(a), str(b), "--decisions", str(out / "named.csv"), "--include-names", "--as-of", "15-01-2027"],
        ["select", "next-fiscal-year", "--decisions", str(out / "decisions.csv")],
        [
            "select",
            "next-fiscal-year",
            "--decisions",
            str(out / "decisions.xlsx"),
            "--format",
            "json",
            "-o",
            str(out / "select.json"),
        ],
        [
            "select",
            "next-fiscal-year",
            "--decisions",
            str(out / "named.csv"),
            "--format",
            "csv",
            "--include-names",
            "--eligible",
            str(out / "counts.csv"),
            "-o",
            str(out / "select-named.csv"),
        ],
        [
            "select",
            "next-fiscal-year",
            "--decisions",
            str(out / "decisions.csv"),
            "--budget",
            "3 miliar",
            "--lang",
            "en",
            "-o",
            str(out / "select.txt"),
        ],
    ]
    out.mkdir()
    for command in commands:
        result = runner.invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
        streams.append((command[0], result.stdout + result.stderr))
    written = sorted(out.iterdir())
    assert len(written) == 8
    for path in written:
        _assert_no_nik(_text_of(path), niks, path.name)
        if path.name not in ("named.csv", "select-named.csv"):
            assert not any(name in _text_of(path) for name in names if name.startswith("Calon")), path.name
    for name, text in streams:
        _assert_no_nik(text, niks, f"the terminal output of {name}")
        assert "Calon Uji" not in text
    named = _text_of(out / "named.csv")
    assert "Calon Uji 0001" in named and "'=HYPERLINK(1)" in named
    decisions = _rows(out / "decisions.csv")
    assert all(re.fullmatch(r"(\d{6}\*+\d{2}|\**)", d["nik_masked"]) for d in decisions)
    assert {"name", "Nama"}.isdisjoint(decisions[0])


def test_error_messages_are_free_of_niks(runner, lists, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    _, _, niks, _ = lists
    rows = hand_rows()
    bad = []
    # strict mode on an empty DTKS cell; a NIK pasted into the region column; no header row; a NIK in a code column
    bad.append((write_csv(tmp_path / "strict.csv", rows), ["--strict"]))
    swapped = [dict(r) for r in rows]
    swapped[5]["Kabupaten/Kota"] = swapped[5]["NIK"]
    bad.append((write_csv(tmp_path / "swapped.csv", swapped), []))
    headless = tmp_path / "headless.csv"
    headless.write_text("\n".join(",".join(r.values()) for r in rows) + "\n", encoding="utf-8")
    bad.append((headless, []))
    coded = [dict(r, **{"Kode BPS": r["NIK"]}) for r in rows]
    bad.append((write_csv(tmp_path / "coded.csv", coded), []))
    all_niks = niks | {r["NIK"] for r in rows}
    for path, extra in bad:
        target = tmp_path / f"{path.stem}-counts.csv"
        result = runner.invoke(main, ["screen", str(path), "--counts", str(target), *extra])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
        _assert_no_nik(result.output, all_niks, f"the error on {path.name}")
        assert "Calon Uji" not in result.output
        assert not target.exists(), "nothing is written when screening fails"
    strict = runner.invoke(main, ["screen", str(bad[0][0]), "--strict"])
    assert "row 17" in strict.output and "Status DTKS" in strict.output


def test_refuses_to_overwrite_an_input(runner, lists):
    a, _, _, _ = lists
    before = a.read_bytes()
    result = runner.invoke(main, ["screen", str(a), "--counts", str(a)])
    assert result.exit_code == 1 and "overwrite" in result.output
    assert a.read_bytes() == before


def test_counts_feed_the_model(runner, lists, tmp_path):
    a, b, _, _ = lists
    counts = tmp_path / "counts.csv"
    result = runner.invoke(main, ["screen", str(a), str(b), "--counts", str(counts)])
    assert result.exit_code == 0, result.output
    expected = {r["region_code"]: int(r["eligible"]) for r in _rows(counts)}
    assert len(expected) == 10 and min(expected.values()) >= 5
    run = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "json"])
    assert run.exit_code == 0, run.output
    allocation = json.loads(run.stdout)
    assert allocation["eligible_method"] == "file"
    assert Path(allocation["eligible_file"]).name == "counts.csv"
    for region in allocation["regions"]:
        assert region["eligible"] == expected[region["region_code"]]
        assert region["eligible_source"] == "file counts.csv"
        assert region["eligible_status"] == "supplied"
        assert region["recipients"] <= region["eligible"]
    assert not any("proxy" in n for n in allocation["notices"])
    table = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts)])
    assert "Dasar memenuhi syarat: berkas counts.csv" in table.stdout
    as_csv = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "csv"])
    assert as_csv.stdout.count("file counts.csv") == 10


def test_select_fills_allocations_in_rank_order(runner, lists, tmp_path):
    a, b, _, _ = lists
    counts, decisions = tmp_path / "counts.csv", tmp_path / "decisions.csv"
    assert (
        runner.invoke(
            main, ["screen", str(a), str(b), "--counts", str(counts), "--decisions", str(decisions)]
        ).exit_code
        == 0
    )
    run = json.loads(
        runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "json"]).stdout
    )
    allocated = {r["region_code"]: r["recipients"] for r in run["regions"]}
    result = runner.invoke(
        main,
        ["select", "next-fiscal-year", "--decisions", str(decisions), "--eligible", str(counts), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    chosen = json.loads(result.stdout)
    ranks = {}
    for d in _rows(decisions):
        if d["eligible"] == "yes":
            ranks.setdefault(d["region_code"], []).append(
                (int(d["priority_rank"]), d["source_file"], int(d["source_row"]))
            )
    for region in chosen["regions"]:
        code = region["region_code"]
        expected = sorted(ranks.get(code, []))
        n = allocated[code]
        assert region["allocated"] == n and region["short"] == 0
        assert [(w["priority_rank"], w["source_file"], w["source_row"]) for w in region["selected"]] == expected[:n]
        assert [w["priority_rank"] for w in region["waiting"]] == [r for r, _, _ in expected[n:]]
        groups = [w["priority_group"] for w in region["selected"] + region["waiting"]]
        assert groups == sorted(groups), "women with no business yet come first"
    assert "short" not in result.stderr


def test_select_reports_short_lists(runner, lists, tmp_path):
    a, _, _, _ = lists
    decisions = tmp_path / "decisions.csv"
    assert runner.invoke(main, ["screen", str(a), "--decisions", str(decisions)]).exit_code == 0
    # 1.000 grants (Rp 3 miliar) on the proxy's counts: every list is shorter than its allocation
    result = runner.invoke(
        main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--budget", "3 miliar", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "the region cannot fill its allocation from this list" in result.stdout
    assert "not this screening" in result.stderr  # without --eligible the allocation used the proxy
    eligible = sum(1 for d in _rows(decisions) if d["eligible"] == "yes")
    assert len(re.findall(r"^\s+\d+\s+selected\s", result.stdout, flags=re.MULTILINE)) == eligible


def test_select_refuses_an_edited_decisions_file(runner, lists, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    a, _, _, _ = lists
    decisions = tmp_path / "decisions.csv"
    runner.invoke(main, ["screen", str(a), "--decisions", str(decisions)])
    rows = _rows(decisions)
    eligible = [r for r in rows if r["eligible"] == "yes" and r["region_code"] == "6401"]
    eligible[1]["priority_rank"] = eligible[0]["priority_rank"]
    with open(decisions, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions)])
    assert result.exit_code == 1 and "appears twice" in result.output


def test_summary_counts_rejections_and_duplicates(runner, lists):
    a, b, _, _ = lists
    result = runner.invoke(main, ["screen", str(a), str(b), "--lang", "en", "--as-of", "2027-01-01"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Rows read: 320" in text
    assert "Duplicate NIKs: 3 NIKs on 6 rows" in text  # hand row 2 and 16, and the two made above
    for code in (
        "age_under_18",
        "age_over_59",
        "not_in_dtks",
        "not_in_p3ke",
        "pkh_recipient",
        "kube_recipient",
        "not_head_of_family",
        "nik_not_female",
        "nik_birth_date_mismatch",
        "nik_format",
        "nik_scientific",
        "missing_dtks",
        "unreadable_head_of_family",
        "duplicate_nik",
        "nik_other_region",
        "nik_other_province",
        "birth_date_from_nik",
    ):
        # the reader's words, not the code beside them ("kube_recipient 1 KUBE recipient"): the codes are
        # in the decisions file
        assert label(code, "en") in text, code
        assert code not in text, code
    assert "Reference date for age: 01-01-2027 (set with --as-of)" in text


def test_lottery_needs_a_seed(runner, lists):
    a, _, _, _ = lists
    result = runner.invoke(main, ["screen", str(a), "--rank", "lottery"])
    assert result.exit_code == 2 and "--seed" in result.output


@pytest.mark.skipif(shutil.which("wrse") is None, reason="the wrse command is not installed")
def test_installed_command(tmp_path):
    rng = random.Random(1)
    specs = [Spec(i, "6472", birth_for_age(rng, 30, AS_OF)) for i in range(1, 8)]
    rows = [row(s, rng) for s in specs]
    path = write_csv(tmp_path / "samarinda.csv", rows)
    counts = tmp_path / "counts.csv"
    done = subprocess.run(
        ["wrse", "screen", str(path), "--counts", str(counts), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Rows read: 7 · eligible: 7" in done.stdout
    _assert_no_nik(done.stdout + done.stderr, {r["NIK"] for r in rows}, "the installed command's output")
    assert counts.read_text(encoding="utf-8").splitlines()[1].startswith("6472,Kota Samarinda,7,")


def test_select_warns_when_counts_and_decisions_disagree(runner, lists, tmp_path):
    a, b, _, _ = lists
    counts, decisions = tmp_path / "counts.csv", tmp_path / "decisions.csv"
    args = ["screen", str(a), str(b), "--counts", str(counts), "--decisions", str(decisions)]
    assert runner.invoke(main, args).exit_code == 0
    same = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--eligible", str(counts)])
    assert same.exit_code == 0 and "same wrse screen" not in same.stderr
    other = tmp_path / "other.csv"
    rows = _rows(counts)
    rows[0]["eligible"] = str(int(rows[0]["eligible"]) + 7)  # counts of another screening
    with open(other, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(
        main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--eligible", str(other), "--lang", "en"]
    )
    assert result.exit_code == 0 and f"{rows[0]['region_code']} " in result.stderr
    assert "are both from the same wrse screen?" in result.stderr


def test_files_are_headed_in_the_readers_language_and_read_back_in_either(runner, lists, tmp_path):
    """The decisions file had English headers and yes/no values in an Indonesian session."""
    a, b, _, _ = lists
    files = {}
    for lang in ("id", "en"):
        counts, decisions = tmp_path / f"counts-{lang}.csv", tmp_path / f"decisions-{lang}.xlsx"
        args = ["screen", str(a), str(b), "--counts", str(counts), "--decisions", str(decisions), "--lang", lang]
        assert runner.invoke(main, args).exit_code == 0
        files[lang] = counts, decisions
    from openpyxl import load_workbook

    for lang, header, values in (
        ("id", ["Berkas sumber", "Baris sumber", "NIK (disamarkan)"], {"ya", "tidak"}),
        ("en", ["Source file", "Source row", "NIK (masked)"], {"yes", "no"}),
    ):
        sheet = load_workbook(files[lang][1]).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0][:3]) == header
        column = rows[0].index("Memenuhi syarat" if lang == "id" else "Eligible")
        assert {r[column] for r in rows[1:]} == values
    assert files["id"][0].read_text(encoding="utf-8").startswith("Kode BPS,Kabupaten/Kota,Memenuhi syarat,")
    assert files["en"][0].read_text(encoding="utf-8").startswith("Region code,Kabupaten/Kota,Eligible,")
    # either file, read in either session, gives the same run and the same selection
    runs, selections = set(), set()
    for made in ("id", "en"):
        for session in ("id", "en"):
            counts, decisions = files[made]
            run = runner.invoke(
                main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "csv", "--lang", session]
            )
            assert run.exit_code == 0, run.output
            runs.add(run.stdout.replace(counts.name, "counts.csv"))
            chosen = runner.invoke(
                main,
                ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "csv", "--lang", session],
            )
            assert chosen.exit_code == 0, chosen.output
            selections.add(chosen.stdout.replace(decisions.name, "decisions.xlsx"))
    assert len(runs) == 1 and len(selections) == 1


def test_a_decisions_file_headed_with_column_keys_is_still_read(runner, lists, tmp_path):
    """Files written before the headers were translated (``region_code, eligible = yes``) still select."""
    a, _, _, _ = lists
    decisions = tmp_path / "d.csv"
    assert runner.invoke(main, ["screen", str(a), "--decisions", str(decisions), "--lang", "en"]).exit_code == 0
    new = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "csv"])
    from screening_files import header_keys

    keys = header_keys()
    lines = decisions.read_text(encoding="utf-8").splitlines()
    lines[0] = ",".join(keys[h] for h in lines[0].split(","))
    old = tmp_path / "old.csv"
    old.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(old), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.replace("old.csv", "d.csv") == new.stdout.replace("old.csv", "d.csv")


def test_screen_workbooks_have_bold_filtered_headings_like_the_run_workbook(runner, lists, tmp_path):
    """The counts and decisions workbooks: headings bold and shaded as in ``wrse run --format xlsx``,
    frozen, with an autofilter over every written row (counted by reading the rows back)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    a, b, _, _ = lists
    counts, decisions, plan = tmp_path / "c.xlsx", tmp_path / "d.xlsx", tmp_path / "run.xlsx"
    result = runner.invoke(main, ["screen", str(a), str(b), "--counts", str(counts), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    run = runner.invoke(main, ["run", "next-fiscal-year", "--format", "xlsx", "-o", str(plan)])
    assert run.exit_code == 0, run.output
    ran = load_workbook(plan).worksheets[0]
    ran_heading = ran[ran.auto_filter.ref.split(":")[0]]  # the run table's first heading
    assert ran_heading.font.bold
    for path in (counts, decisions):
        sheet = load_workbook(path).active
        rows = list(sheet.iter_rows(values_only=True))
        width = len(rows[0])
        assert all(rows[0]) and len(rows) > 10
        for cell in sheet[1]:
            assert cell.font.bold, (path.name, cell.value)
            assert cell.fill.fgColor.rgb == ran_heading.fill.fgColor.rgb, (path.name, cell.value)
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(width)}{len(rows)}", path.name
        assert sheet.freeze_panes == "A2"


def test_screen_writes_csv_for_excel_workbooks_and_standard_output_and_select_reads_each(runner, lists, tmp_path):
    """``--format csv-excel`` (as ``wrse run``): ``;``, UTF-8 BOM, CRLF; the files read back as
    the machine CSV and the workbook do; ``-`` writes one of the two to standard output."""
    a, b, _, _ = lists
    made = {}
    for fmt, suffix in (("csv", "csv"), ("csv-excel", "csv"), ("xlsx", "xlsx")):
        counts, decisions = tmp_path / f"c-{fmt}.{suffix}", tmp_path / f"d-{fmt}.{suffix}"
        args = ["screen", str(a), str(b), "--counts", str(counts), "--decisions", str(decisions), "--format", fmt]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        made[fmt] = counts, decisions
    for path in made["csv-excel"]:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
        header = data[3:].split(b"\r\n")[0].decode("utf-8")
        assert header.count(";") >= 6 and "," not in header, header
    assert made["csv-excel"][0].read_bytes()[3:].decode("utf-8").startswith("Kode BPS;Kabupaten/Kota;Memenuhi syarat;")
    assert not made["csv"][0].read_bytes().startswith(b"\xef\xbb\xbf")
    from openpyxl import load_workbook

    sheet = load_workbook(made["xlsx"][0]).active  # headings frozen, names not cut off
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= len("Kab. Penajam Paser Utara")
    runs, selections = set(), set()
    for counts, decisions in made.values():
        run = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", str(counts), "--format", "csv"])
        assert run.exit_code == 0, run.output
        runs.add(run.stdout.replace(counts.name, "counts"))
        chosen = runner.invoke(main, ["select", "next-fiscal-year", "--decisions", str(decisions), "--format", "csv"])
        assert chosen.exit_code == 0, chosen.output
        selections.add(chosen.stdout.replace(decisions.name, "decisions"))
    assert len(runs) == 1 and len(selections) == 1
    # the same rows in each: machine CSV against the CSV for Excel, cell by cell
    machine = made["csv"][1].read_text(encoding="utf-8").splitlines()
    excel = made["csv-excel"][1].read_text(encoding="utf-8-sig").splitlines()
    assert [next(csv.reader([line])) for line in machine] == [next(csv.reader([line], delimiter=";")) for line in excel]
    # standard output: one of the two, the summary then on standard error
    piped = runner.invoke(main, ["screen", str(a), "--counts", "-", "--format", "csv-excel"])
    assert piped.exit_code == 0, piped.output
    assert piped.stdout_bytes.startswith(b"\xef\xbb\xbfKode BPS;") and "Baris dibaca" in piped.stderr
    both = runner.invoke(main, ["screen", str(a), "--counts", "-", "--decisions", "-"])
    assert both.exit_code == 2 and "keluaran standar" in both.stderr
    wrong = runner.invoke(main, ["screen", str(a), "--counts", str(tmp_path / "c.xlsx"), "--format", "csv-excel"])
    assert wrong.exit_code == 2 and "--format bernilai csv-excel" in wrong.stderr
    assert not (tmp_path / "c.xlsx").exists()
