"""Names from scenarios or data never escape the output folder."""

import pytest

from optimizer.cli import main
from optimizer.files import inside, safe_slug
from optimizer.inputs.data import shipped
from optimizer.scenario import shipped_dir


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("CON", "con-file"),
        ("nul.txt", "nul-txt"),
        ("..", "scenario"),
        ("Usulan TA 2027: Kab. Kutai/Kukar", "usulan-ta-2027-kab-kutai-kukar"),
        ("", "scenario"),
        ("lpt1", "lpt1-file"),
        ("Ünïcödé naïve", "unicode-naive"),
    ],
)
def test_safe_slug(name, slug):
    assert safe_slug(name) == slug


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "/etc/passwd", "..", "", "CON.html", "c:evil"])
def test_inside_rejects_names_that_escape(tmp_path, name):
    from optimizer.errors import InputError

    with pytest.raises(InputError):
        inside(tmp_path, name)


@pytest.mark.parametrize("name", ["../../../escaped", "/tmp/escaped-abs", "CON", "..\\\\..\\\\win"])
def test_report_folder_stays_inside_reports(runner, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "s.toml"
    base = (shipped_dir() / "next-fiscal-year.toml").as_posix()
    scenario.write_text(f'extends = "{base}"\n[scenario]\nname = "{name}"\n', encoding="utf-8")
    result = runner.invoke(main, ["report", "s.toml", "--baseline", "none", "--format", "md"])
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "s.toml"]
    assert written and all(p.is_relative_to(tmp_path / "reports") for p in written), written
    assert not (tmp_path.parent / "escaped").exists()


def test_output_into_the_installed_tool_is_refused(runner, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    shipped_csv = shipped().path
    before = shipped_csv.read_bytes()
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "-o", str(shipped_csv)])
    assert result.exit_code == 1 and "inside the installed tool" in result.stderr
    assert shipped_csv.read_bytes() == before
    target = shipped_dir() / "mine.toml"
    result = runner.invoke(main, ["scenarios", "-o", str(target)])
    assert result.exit_code == 1 and not target.exists()


@pytest.mark.parametrize("command", [["run", "next-fiscal-year"], ["data"], ["scenarios"]])
def test_output_below_a_file_is_a_clear_error(runner, tmp_path, command, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    result = runner.invoke(main, [*command, "-o", str(blocker / "x.csv")])
    assert result.exit_code == 1 and "blocker is a file" in result.stderr
    assert "internal error" not in result.stderr


def test_sweep_checks_both_outputs_before_writing_either(runner, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    table = tmp_path / "sweep.csv"
    result = runner.invoke(
        main,
        [
            "sweep",
            "next-fiscal-year",
            "--from",
            "150jt",
            "--to",
            "300jt",
            "--format",
            "csv",
            "-o",
            str(table),
            "--chart",
            str(blocker / "chart.png"),
        ],
    )
    assert result.exit_code == 1 and "--chart" in result.stderr
    assert not table.exists()


def test_written_files_get_the_usual_permissions(runner, tmp_path):
    import os

    target = tmp_path / "out.csv"
    mask = os.umask(0o022)
    try:
        assert runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "-o", str(target)]).exit_code == 0
    finally:
        os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o644


_TARGET_COMMANDS = [
    ["run", "next-fiscal-year", "--format", "csv", "-o"],
    ["data", "-o"],
    ["scenarios", "-o"],
    ["page", "next-fiscal-year", "-o"],
    ["sweep", "next-fiscal-year", "--from", "150jt", "--to", "300jt", "--chart"],
]


@pytest.mark.parametrize("command", _TARGET_COMMANDS, ids=lambda c: c[0])
def test_output_into_a_missing_folder_is_refused_and_nothing_created(runner, tmp_path, command, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "id")
    suffix = {"page": "x.html", "sweep": "x.png"}.get(command[0], "x.csv")
    target = tmp_path / "salah-ketik" / "b" / suffix
    result = runner.invoke(main, [*command, str(target)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"folder {tmp_path / 'salah-ketik'} tidak ada" in lines[0], result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "salah-ketik").exists()


@pytest.mark.parametrize("command", _TARGET_COMMANDS, ids=lambda c: c[0])
def test_output_that_is_a_folder_is_a_one_line_error_like_other_bad_targets(runner, tmp_path, command, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "id")
    result = runner.invoke(main, [*command, str(tmp_path)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "adalah folder; diharapkan nama berkas" in lines[0], result.stderr
    assert "Usage" not in result.stderr and "Penggunaan" not in result.stderr


def test_report_out_folder_may_be_new_but_not_its_parent(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "id")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["report", "next-fiscal-year", "--format", "md", "--out", "a/b"])
    assert result.exit_code == 1 and f"folder {tmp_path / 'a'} tidak ada" in result.stderr
    assert not (tmp_path / "a").exists()
    result = runner.invoke(main, ["report", "next-fiscal-year", "--format", "md", "--out", "a"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "next-fiscal-year.md").is_file()
    result = runner.invoke(main, ["report", "next-fiscal-year", "--format", "md"])  # default reports/<slug>
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "next-fiscal-year" / "next-fiscal-year.md").is_file()


def test_run_into_a_missing_root_folder_as_a_user_would(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "tidak-ada" / "x.csv"
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", "run", "next-fiscal-year", "--format", "csv", "-o", str(target)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "WRSE_LANG": "id"},
    )
    assert done.returncode == 1 and "tidak ada" in done.stderr and not target.parent.exists(), done.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "csv-excel"])
def test_a_budget_the_caps_cannot_use_is_said_loudly_on_stderr(runner, fmt, monkeypatch):
    """1.000.000 miliar buys more recipients than every region can take: one warning on
    standard error in every format, naming the budget, the money used and the money left."""
    monkeypatch.setenv("WRSE_LANG", "id")
    result = runner.invoke(main, ["run", "next-fiscal-year", "--budget", "1.000.000 miliar", "--format", fmt])
    assert result.exit_code == 0, result.output
    loud = [line for line in result.stderr.splitlines() if "jauh melebihi yang dapat dipakai" in line]
    assert len(loud) == 1 and loud[0].startswith("Peringatan: Anggaran Rp 1.000.000.000.000.000"), result.stderr
    assert "Rp 664.020.000.000" in loud[0] and "221.340 penerima" in loud[0]  # 221.340 eligible × Rp 3 juta


def test_a_large_budget_the_caps_use_is_not_flagged(runner):
    """The bound is plausibility, not size: a budget the caps use (at least half spent) gets no warning."""
    result = runner.invoke(main, ["run", "next-fiscal-year", "--budget", "600 miliar", "--lang", "id"])
    assert result.exit_code == 0 and "jauh melebihi" not in result.output
