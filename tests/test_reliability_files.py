"""Outputs are never lost or put in the wrong place (issue 15): special files refused,
atomic replace (no "move the old file aside"), multi-file sets swapped as one, write
failures named with their cause, a NIK in a path never echoed.

The kill tests run the real ``wrse`` under ``strace`` and kill it (SIGKILL, which cannot
be caught) on entry to each rename in turn, then check that the folder holds either the
whole earlier set or the whole new one.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from synthetic_candidates import random_list, write_csv

from optimizer import files
from optimizer.cli import main
from optimizer.errors import InputError

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(STRACE is None, reason="needs strace (Debian package strace)")
RENAMES = "rename,renameat,renameat2"
# No --seccomp-bpf: with it, strace 6 does not inject into the children of -f reliably.
STRACE_CMD = (STRACE or "strace", "-f", "-qq", "-o", os.devnull)


def wrse(
    *args: str, cwd: Path | None = None, prefix: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "WRSE_LANG": "en", **(env or {})}
    env.pop("WRSE_DEBUG", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "optimizer", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
    )


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith(("Error: ", "Kesalahan: ")) and "internal error" not in lines[0], stderr
    return lines[0]


# ---------------------------------------------------------------- special files


def test_output_to_a_fifo_is_refused_and_the_fifo_kept(runner, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["run", "next-fiscal-year", "-o", str(fifo)])
    assert result.exit_code == 1 and "FIFO" in result.stderr and str(fifo) in result.stderr
    assert fifo.is_fifo()


def test_output_through_a_link_to_a_device_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    link = tmp_path / "null.txt"
    link.symlink_to(os.devnull)
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "-o", str(link)])
    assert result.exit_code == 1 and "character device" in result.stderr
    assert link.is_symlink() and os.readlink(link) == os.devnull
    with pytest.raises(InputError, match="not a regular file"):
        files.check_target(os.devnull)
    with pytest.raises(InputError, match="not a regular file"):
        files.write_text_atomic(link, "x")


def test_report_chart_and_screen_outputs_refuse_special_files(runner, tmp_path):
    fifo = tmp_path / "chart.png"
    os.mkfifo(fifo)
    result = runner.invoke(
        main, ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "300 juta", "--chart", str(fifo)]
    )
    assert result.exit_code == 1 and "FIFO" in result.stderr and fifo.is_fifo()
    with pytest.raises(InputError, match="FIFO"):
        files.write_files_atomic({tmp_path / "a.csv": b"a", fifo: b"b"})
    assert not (tmp_path / "a.csv").exists() and fifo.is_fifo()


def test_dash_is_standard_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scenario"] and list(tmp_path.iterdir()) == []


def test_the_page_goes_to_standard_output_with_dash(runner, tmp_path, monkeypatch):
    """``wrse page x -o -`` prints the page (no file named '-', no "written:" line); a FIFO named
    as the page is refused like any other output."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["page", "next-fiscal-year", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().lower().startswith("<!doctype html") and result.stdout.rstrip().endswith("</html>")
    assert list(tmp_path.iterdir()) == [] and result.stderr == ""
    os.mkfifo(tmp_path / "p.html")
    refused = runner.invoke(main, ["page", "next-fiscal-year", "-o", "p.html"])
    assert refused.exit_code == 1 and "FIFO" in refused.stderr and (tmp_path / "p.html").is_fifo()


# ---------------------------------------------------------------- atomic replace


def test_a_single_file_is_replaced_in_one_rename(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("earlier\n")
    calls: list[tuple[str, str]] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: calls.append((str(a), str(b))) or replace(a, b))
    files.write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert len(calls) == 1 and calls[0][1] == str(target)  # never "move the old file aside"


def _earlier_pair(tmp_path):
    """Two earlier files in two folders (``a/t.csv`` "old t", ``b/c.svg`` "old c"): a set the commit journal writes."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "t.csv", tmp_path / "b" / "c.svg"
    first.write_text("old t")
    second.write_text("old c")
    return first, second


def test_several_files_outside_one_folder_never_move_the_earlier_file_away(tmp_path, monkeypatch):
    first, second = _earlier_pair(tmp_path)
    moves: list[tuple[str, str]] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: moves.append((str(a), str(b))) or replace(a, b))
    files.write_files_atomic({first: b"new t", second: b"new c"})
    assert first.read_bytes() == b"new t" and second.read_bytes() == b"new c"
    assert all(src not in (str(first), str(second)) for src, _ in moves), moves  # a target is never renamed away
    assert sorted(p.name for p in tmp_path.rglob(".*")) == []


def test_a_failed_second_rename_puts_the_first_file_back(tmp_path, monkeypatch):
    first, second = _earlier_pair(tmp_path)
    replace = os.replace

    def flaky(src, dst):
        if str(dst) == str(second):
            raise OSError(errno.ENOSPC, "No space left on device")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(InputError, match=r"c\.svg: cannot write the file \(the disk is full\)"):
        files.write_files_atomic({first: b"new t", second: b"new c"})
    assert first.read_text() == "old t" and second.read_text() == "old c"
    assert sorted(p.name for p in tmp_path.rglob(".*")) == []


def test_one_folder_is_exchanged_as_a_whole(tmp_path, monkeypatch):
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "x.html").write_text("old html")
    (folder / "x.md").write_text("old md")
    (folder / "x.en.md").write_text("english, not part of this set")
    swaps: list[tuple[str, str]] = []
    exchange = files.exchange
    monkeypatch.setattr(files, "exchange", lambda a, b: swaps.append((str(a), str(b))) or exchange(a, b))
    files.write_files_atomic({folder / "x.html": b"new html", folder / "x.md": b"new md"})
    assert len(swaps) == 1 and swaps[0][1] == str(folder)
    assert {p.name: p.read_text() for p in folder.iterdir()} == {
        "x.html": "new html",
        "x.md": "new md",
        "x.en.md": "english, not part of this set",
    }
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no copy left beside it


def _kill_at_each_rename(args: list[str], folder: Path, old: dict[str, bytes], cwd: Path) -> int:
    """Run ``wrse args`` killed at the 1st, 2nd, … rename until it completes; after each kill the files of
    ``old`` are all old or all new: what the completed run writes (the command is deterministic, so the run that
    completes is the reference, and no extra run is needed to make one). Returns the number of kills."""
    seen: list[tuple[int, dict[str, bytes | None]]] = []
    for kills, when in enumerate(range(1, 40)):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, data in old.items():
            (folder / name).write_bytes(data)
        inject = f"inject={RENAMES}:signal=KILL:when={when}"
        done = wrse(*args, cwd=cwd, prefix=(*STRACE_CMD, "-e", f"trace={RENAMES}", "-e", inject))
        now = {name: (folder / name).read_bytes() if (folder / name).exists() else None for name in old}
        if done.returncode == 0:
            assert all(data is not None and data != old[name] for name, data in now.items()), now
            for at, state in seen:
                assert state in (old, now), f"killed at rename {at}: {sorted(k for k in state if state[k] != old[k])}"
            return kills
        assert done.returncode in (-9, 137), done.stderr
        seen.append((when, now))
    raise AssertionError("the command never completed")


@needs_strace
def test_a_report_killed_at_any_rename_leaves_the_old_set_or_the_new(tmp_path):
    old = {name: b"earlier " + name.encode() for name in ("next-fiscal-year.en.md", "next-fiscal-year.en.html")}
    args = ["report", "next-fiscal-year", "--baseline", "none", "--format", "md,html", "--out", str(tmp_path / "out")]
    kills = _kill_at_each_rename(args, tmp_path / "out", old, tmp_path)
    assert kills >= 1  # at least the exchange itself was hit


@needs_strace
def test_a_sweep_table_and_chart_killed_at_any_rename_stay_a_pair(tmp_path):
    out = tmp_path / "sweep"
    sweep = ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "300 juta", "--step", "30 juta"]
    old = {"s.csv": b"earlier table", "s.svg": b"earlier chart"}
    args = [*sweep, "-o", str(out / "s.csv"), "--chart", str(out / "s.svg")]
    assert _kill_at_each_rename(args, out, old, tmp_path) >= 1


@needs_strace
def test_sigterm_at_a_rename_between_two_folders_lands_after_the_set(tmp_path):
    """Files in two folders cannot be exchanged as one; SIGTERM is held back until both are in place."""
    (tmp_path / "t").mkdir()
    (tmp_path / "c").mkdir()
    table, chart = tmp_path / "t" / "s.csv", tmp_path / "c" / "s.svg"
    sweep = ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "300 juta", "--step", "30 juta"]
    for when in (1, 2):
        table.write_bytes(b"earlier table")
        chart.write_bytes(b"earlier chart")
        inject = f"inject={RENAMES}:signal=TERM:when={when}"
        wrse(
            *sweep,
            "-o",
            str(table),
            "--chart",
            str(chart),
            prefix=(*STRACE_CMD, "-e", inject),
        )
        pair = (table.read_bytes() == b"earlier table", chart.read_bytes() == b"earlier chart")
        assert pair in ((True, True), (False, False)), f"SIGTERM at rename {when} split the pair"


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _tool_files(*folders: Path) -> list[str]:
    """The tool's own leftovers in ``folders``: temps, keeps and commit journals."""
    return sorted(p.name for folder in folders for p in folder.iterdir() if "wrse-" in p.name)


def _kill_at_each_rename_then_recover(args, cwd, pair, recover_args, folders):
    """Run ``wrse args`` killed (SIGKILL) on entry to its 1st, 2nd, … rename until it completes.

    After each kill: a mixed pair must come with its commit journal (the set is visibly
    incomplete), and the next command writing into the set's first folder (``recover_args``,
    run for real when the pair is mixed, else :func:`files.recover` as that command starts)
    must leave the pair entirely old or entirely new (SHA-256) and no file of the tool's.
    Returns the outcomes and whether some kill left a mixed pair before recovery."""
    old = tuple(f"earlier {path.name}".encode() for path in pair)
    old_sha = tuple(hashlib.sha256(data).hexdigest() for data in old)
    states, mixed_seen = [], False
    env = {"PYTHONDONTWRITEBYTECODE": "1"}  # no .pyc renames among the counted ones
    for when in range(1, 12):
        for path, data in zip(pair, old, strict=True):
            path.write_bytes(data)
        inject = f"inject={RENAMES}:signal=KILL:when={when}"
        done = wrse(*args, cwd=cwd, prefix=(*STRACE_CMD, "-e", f"trace={RENAMES}", "-e", inject), env=env)
        if done.returncode == 0:
            new_sha = tuple(_sha(path) for path in pair)
            assert new_sha != old_sha and _tool_files(*folders) == []
            outcomes = [
                "old" if state == old_sha else "new" if state == new_sha else f"mixed {state}" for state in states
            ]
            assert all(o in ("old", "new") for o in outcomes), outcomes
            return outcomes, mixed_seen
        assert done.returncode in (-9, 137), done.stderr
        kept = [_sha(path) == sha for path, sha in zip(pair, old_sha, strict=True)]
        if any(kept) and not all(kept):
            mixed_seen = True
            assert any(n.endswith(".commit") for n in _tool_files(*folders)), "a mixed pair without its journal"
            recovered = wrse(*recover_args, cwd=cwd)
            assert recovered.returncode == 0, recovered.stderr
        else:
            files.recover(folders[0])
        for folder in folders[1:]:
            files.recover(folder)  # any other folder of the set: only a run that never committed leaves files there
        states.append(tuple(_sha(path) for path in pair))
        assert _tool_files(*folders) == [], f"killed at rename {when}: leftovers after recovery"
    raise AssertionError("the command never completed")


@needs_strace
def test_a_sweep_in_the_working_folder_killed_at_each_rename_recovers_to_one_pair(tmp_path):
    """The issue's case: ``-o s.csv --chart s.svg`` in the working folder (never swapped as a
    folder). Killed between the two renames the pair is mixed, marked by its journal; the
    next command writing there finishes it."""
    work = tmp_path / "work"
    work.mkdir()
    sweep = ["sweep", "next-fiscal-year", "--from", "150 juta", "--to", "180 juta", "--step", "30 juta"]
    pair = (work / "s.csv", work / "s.svg")
    recover_args = ["run", "next-fiscal-year", "-o", "probe.txt"]
    outcomes, mixed = _kill_at_each_rename_then_recover(
        [*sweep, "-o", "s.csv", "--chart", "s.svg"], work, pair, recover_args, [work]
    )
    assert mixed and "old" in outcomes and "new" in outcomes, outcomes


@needs_strace
def test_a_set_in_two_folders_killed_at_each_rename_is_recovered_from_either_folder(tmp_path):
    """Counts in the working folder, decisions in a subfolder: the journal is in both, so a
    later command writing only into the subfolder finishes (or undoes) the whole set."""
    work = tmp_path / "work"
    (work / "lists").mkdir(parents=True)
    write_csv(tmp_path / "calon.csv", random_list(random.Random(15), 6, dt.date(2026, 1, 1)))
    screen = ["screen", str(tmp_path / "calon.csv"), "--as-of", "2026-01-01", "--counts", "c.csv"]
    pair = (work / "lists" / "d.csv", work / "c.csv")
    recover_args = ["run", "next-fiscal-year", "-o", "lists/probe.txt"]
    outcomes, mixed = _kill_at_each_rename_then_recover(
        [*screen, "--decisions", "lists/d.csv"], work, pair, recover_args, [work / "lists", work]
    )
    assert mixed and "old" in outcomes and "new" in outcomes, outcomes


class _Killed(BaseException):
    """Stands for a SIGKILL: nothing after it runs, no clean-up."""


@pytest.mark.parametrize(("killed_in", "expected"), [("commit", (b"old t", b"old c")), ("apply", (b"new t", b"new c"))])
def test_recovery_rolls_a_committed_set_forward_and_an_uncommitted_one_back(tmp_path, monkeypatch, killed_in, expected):
    monkeypatch.chdir(tmp_path)  # the working folder: never exchanged, so the journal is used
    first, second = tmp_path / "t.csv", tmp_path / "c.svg"
    first.write_bytes(b"old t")
    second.write_bytes(b"old c")
    real_journal = files._write_journal

    def journal(path, record):
        if killed_in == "commit":
            raise _Killed  # before the home journal's rename
        real_journal(path, record)

    def apply(record, targets):
        os.replace(record["files"][0]["temp"], record["files"][0]["target"])  # one rename, then killed
        raise _Killed

    with monkeypatch.context() as patch:
        patch.setattr(files, "_write_journal", journal)
        patch.setattr(files, "_apply", apply)
        patch.setattr(files, "_clean_up", lambda record: None)
        with pytest.raises(_Killed):
            files.write_files_atomic({first: b"new t", second: b"new c"})
    assert _tool_files(tmp_path)  # left for recovery
    files.write_text_atomic(tmp_path / "other.txt", "another command writing here")
    assert (first.read_bytes(), second.read_bytes()) == expected
    assert _tool_files(tmp_path) == []


def test_leftovers_recovery_cannot_touch_do_not_block_a_write(tmp_path, monkeypatch):
    """Another user's leftover in a shared folder (not ours to remove) and a damaged journal are
    left alone; the write goes on."""
    monkeypatch.chdir(tmp_path)
    foreign = tmp_path / ".x.csv.k2j4.wrse-0123456789abcdef.part"
    foreign.write_text("someone else's")
    damaged = tmp_path / ".wrse-fedcba9876543210.commit"
    damaged.write_text(json.dumps({"format": "wrse-commit/1", "files": "?"}))
    unlink = os.unlink

    def refuse(path, *args, **kwargs):
        if Path(path).name == foreign.name:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(path))
        return unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refuse)
    files.write_files_atomic({tmp_path / "a.csv": b"a", tmp_path / "b.csv": b"b"})
    assert (tmp_path / "a.csv").read_bytes() == b"a" and (tmp_path / "b.csv").read_bytes() == b"b"
    assert foreign.exists() and damaged.exists()
    assert sorted(_tool_files(tmp_path)) == sorted([foreign.name, damaged.name])


def test_recovery_waits_for_a_running_write(tmp_path, monkeypatch):
    """A set being written holds its folders' locks: recovery started meanwhile waits, and does
    not take the running set's temporary files for a killed run's."""
    monkeypatch.chdir(tmp_path)
    real_apply = files._apply
    worker = threading.Thread(target=files.recover, args=(tmp_path,))
    seen: list[tuple[list[str], bool]] = []

    def apply(record, targets):
        worker.start()
        worker.join(timeout=0.3)
        seen.append((_tool_files(tmp_path), worker.is_alive()))
        real_apply(record, targets)

    monkeypatch.setattr(files, "_apply", apply)
    files.write_files_atomic({tmp_path / "a.csv": b"a", tmp_path / "b.csv": b"b"})
    worker.join(timeout=10)
    assert (tmp_path / "a.csv").read_bytes() == b"a" and (tmp_path / "b.csv").read_bytes() == b"b"
    ((leftovers, waiting),) = seen
    assert waiting and any(n.endswith(".commit") for n in leftovers)
    assert not worker.is_alive() and _tool_files(tmp_path) == []


SYNTH_SMALL = ["--provinces", "1", "--kabkota", "3", "--desa", "15", "--seed", "3"]


def test_synth_writes_its_five_files_as_one_set(runner, tmp_path, monkeypatch):
    """``wrse synth -d .`` (the working folder: the journal): a rename failing at the fourth
    file leaves all five earlier files, not three new ones and two old."""
    monkeypatch.chdir(tmp_path)
    names = ["synthetic-kabkota.csv", "synthetic-desa.csv", "synthetic-national.toml", "synthetic-desa.toml"]
    names.append("README-SYNTHETIC.txt")
    for name in names:
        (tmp_path / name).write_text(f"earlier {name}")
    replace = os.replace

    def flaky(src, dst):
        if str(dst).endswith("synthetic-desa.toml"):
            raise OSError(errno.EIO, "Input/output error")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = runner.invoke(main, ["synth", "-d", ".", *SYNTH_SMALL])
    assert result.exit_code == 1 and "synthetic-desa.toml" in result.stderr, result.output
    assert {name: (tmp_path / name).read_text() for name in names} == {name: f"earlier {name}" for name in names}
    assert _tool_files(tmp_path) == []
    monkeypatch.setattr(os, "replace", replace)
    assert runner.invoke(main, ["synth", "-d", ".", *SYNTH_SMALL]).exit_code == 0
    assert all(not (tmp_path / name).read_text().startswith("earlier") for name in names)


def test_synth_never_writes_into_the_installed_tool(runner):
    from optimizer.scenario import shipped_dir

    result = runner.invoke(main, ["synth", "-d", str(shipped_dir()), *SYNTH_SMALL])
    assert result.exit_code == 1 and "--output-dir" in result.stderr
    assert not (shipped_dir() / "synthetic-kabkota.csv").exists()


# ---------------------------------------------------------------- failures named with their cause


def test_standard_output_on_a_full_device(tmp_path):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "optimizer", "run", "next-fiscal-year"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env={**os.environ, "WRSE_LANG": "en"},
        )
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "standard output" in line and "disk is full" in line


@needs_strace
def test_disk_full_while_writing_names_the_path_and_keeps_the_earlier_file(tmp_path):
    target = tmp_path / "run.csv"
    target.write_text("earlier\n")
    done = wrse(
        "run", "next-fiscal-year", "-o", str(target),
        prefix=(*STRACE_CMD, "-e", "trace=fsync", "-e", "inject=fsync:error=ENOSPC"),
    )  # fmt: skip
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert str(target) in line and "disk is full" in line
    assert target.read_text() == "earlier\n" and [p.name for p in tmp_path.iterdir()] == ["run.csv"]


def test_read_only_folder_is_named_with_its_cause(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    result = runner.invoke(main, ["run", "next-fiscal-year", "-o", str(tmp_path / "run.txt")])
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert str(tmp_path / "run.txt") in line and "read-only" in line


@pytest.mark.parametrize(
    ("number", "cause"),
    [
        (errno.ENOSPC, "disk penuh"),
        (errno.EROFS, "folder hanya-baca"),
        (errno.EACCES, "tidak ada izin menulis di sana"),
        (errno.ENOENT, "folder tidak ada atau hilang saat menulis"),
        (errno.EXDEV, "galat sistem EXDEV"),
    ],
)
def test_a_write_failure_is_named_in_indonesian(runner, tmp_path, monkeypatch, number, cause):
    """The reader's language for every cause: no 'No such file or directory' from the system."""
    monkeypatch.delenv("WRSE_LANG", raising=False)

    def fail(*args, **kwargs):
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(files.tempfile, "mkstemp", fail)
    target = tmp_path / "alokasi.csv"
    result = runner.invoke(main, ["run", "next-fiscal-year", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert line.startswith("Kesalahan: ") and str(target) in line and f"({cause})" in line
    assert os.strerror(number) not in line


def test_a_report_folder_that_cannot_be_created_is_named(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    real_mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.name == "laporan":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = runner.invoke(
        main, ["report", "next-fiscal-year", "--baseline", "none", "--format", "md", "--out", str(tmp_path / "laporan")]
    )
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "laporan" in line and "no permission" in line


def test_disk_full_in_a_report_keeps_the_earlier_report(runner, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    args = ["report", "next-fiscal-year", "--baseline", "none", "--format", "md,html", "--out", str(folder)]
    assert runner.invoke(main, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = runner.invoke(main, [*args, "--lang", "en"])
    assert result.exit_code == 1 and "disk is full" in one_error_line(result.stderr)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# ---------------------------------------------------------------- personal data in paths


@pytest.mark.parametrize("nik", ["6402045012800012", "6402.0450.1280.0012", "6402-0450-1280-0012"])
def test_written_line_never_echoes_a_nik_in_the_path(runner, tmp_path, nik):
    target = tmp_path / f"daftar {nik}.csv"
    result = runner.invoke(main, ["run", "next-fiscal-year", "-o", str(target)])
    assert result.exit_code == 0 and target.exists()
    assert "0450" not in result.stderr.replace(str(tmp_path), "") and "640204" in result.stderr


def test_an_error_about_a_path_never_echoes_a_nik(runner, tmp_path):
    (tmp_path / "lists").mkdir()
    fifo = tmp_path / "lists" / "6402.0450.1280.0012.csv"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["run", "next-fiscal-year", "-o", str(fifo)])
    assert result.exit_code == 1 and "1280" not in result.stderr and "640204********12" in result.stderr
