"""Scale and speed benchmarks (issue 7): start-up, 514 kabupaten/kota, 83,763 desa, 7,300 units vs the MILP.

Run from a checkout with the package installed (``pip install -e ".[test]"``)::

    python benchmarks/bench_scale.py                 # everything (the MILP comparison takes minutes)
    python benchmarks/bench_scale.py --skip-milp     # without the 7,300-unit MILP
    python benchmarks/bench_scale.py --milp cbc      # the MILP comparison with CBC instead of HiGHS

Every figure is measured here, side by side in one run, on data made by
``optimizer.synthetic`` (SYNTHETIC, not real data), and printed with the machine it ran
on. Times are wall-clock seconds: the median of ``--runs`` runs (and the best run), so
that other work on the machine disturbs them less; peak memory is the child process's
maximum resident set size (``wait4``). Targets (issue 7):

* ``wrse --help`` under 0.3 s;
* ``wrse run next-fiscal-year`` within 1.3x of ``python -c "import pandas, pulp"``;
* 514 kabupaten/kota: the allocation under 1 s;
* 83,763 desa: under 5 s end to end (read CSV, allocate, write CSV), under 1 GiB;
* 7,300 units: at least 20x faster than the general MILP, with an identical result.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from optimizer.inputs.data import load as load_data

TARGETS = {
    "help": 0.3,
    "run_ratio": 1.3,
    "kabkota_allocate": 1.0,
    "desa_end_to_end": 5.0,
    "desa_memory_mib": 1024.0,
    "milp_speedup": 20.0,
}


def machine() -> list[str]:
    """Cores, CPU, Python, package versions and load: printed with every set of figures."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in ("wrse-optimizer", "numpy", "pandas", "pulp", "highspy", "scipy", "click"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    try:
        load = "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "load average unknown"
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
        memory_text = f"{memory:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory_text = "RAM unknown"
    return [
        f"machine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {cpu}, {memory_text}",
        f"system: {platform.system()} {platform.release()}; Python {platform.python_version()}",
        "packages: " + ", ".join(versions),
        f"{load} (before the run)",
    ]


def timed_process(command: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak resident memory in MiB) of that child alone."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"benchmark command failed ({child.returncode}): {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), min(values)


def wrse_command() -> list[str]:
    found = shutil.which("wrse")
    return [found] if found else [sys.executable, "-m", "optimizer"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median and best are printed)")
    parser.add_argument("--skip-milp", action="store_true", help="skip the 7,300-unit MILP comparison (minutes)")
    parser.add_argument("--milp", choices=["highs", "cbc", "both"], default="highs", help="MILP solver(s) to compare")
    parser.add_argument("--workdir", type=Path, default=None, help="folder for the synthetic data (default: temporary)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when the output goes to a file
    runs = max(1, args.runs)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="wrse-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None):  # this machine's shell sets it
        print("note: PYTHONDONTWRITEBYTECODE unset for the child processes: each wrse start reads its cached")
        print("      bytecode, as on a user's machine, instead of compiling every module again")
        print("      (measured here: about 1 s of the by-level run)")
    wrse = wrse_command()
    results: dict[str, object] = {}
    lines = machine()
    for line in lines:
        print(line)
    print(f"data: SYNTHETIC national data in {workdir} (optimizer.synthetic, seed 2024; not real data)")
    print()

    # ---- synthetic data
    start = time.perf_counter()
    from optimizer import synthetic

    synthetic.write(workdir, synthetic.generate())
    print(f"synthetic data generated and written in {time.perf_counter() - start:.2f} s")

    # ---- start-up
    helps = [timed_process([*wrse, "--help"])[0] for _ in range(runs)]
    results["help"] = summary(helps)
    floor, run = [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        floor.append(timed_process([sys.executable, "-c", "import pandas, pulp"])[0])
        run.append(timed_process([*wrse, "run", "next-fiscal-year"])[0])
    results["import_floor"] = summary(floor)
    results["run_small"] = summary(run)
    results["run_ratio"] = (statistics.median(run) / statistics.median(floor), min(run) / min(floor))

    # ---- 514 kabupaten/kota (in process: the allocation itself)
    from optimizer import engine, scenario

    start = time.perf_counter()
    kab_data = load_data(workdir / "synthetic-kabkota.csv")
    load_kab = time.perf_counter() - start
    national = scenario.load(workdir / "synthetic-national.toml")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        allocation = engine.allocate(national, kab_data)
        timings.append(time.perf_counter() - start)
    assert len(allocation.included) == 514 and allocation.solver == "exact"
    results["kabkota_allocate"] = summary(timings)
    results["kabkota_load"] = (load_kab, load_kab)
    kab_end = [
        timed_process(
            [
                *wrse,
                "run",
                str(workdir / "synthetic-national.toml"),
                "--data",
                str(workdir / "synthetic-kabkota.csv"),
                "--format",
                "csv",
                "-o",
                str(workdir / "out-kabkota.csv"),
            ]
        )[0]
        for _ in range(runs)
    ]
    results["kabkota_end_to_end"] = summary(kab_end)

    # ---- 83,763 desa, end to end (read CSV, allocate, write CSV), and the same by level
    desa_runs, desa_memory = [], []
    for _ in range(runs):
        elapsed, memory = timed_process(
            [
                *wrse,
                "run",
                str(workdir / "synthetic-desa.toml"),
                "--data",
                str(workdir / "synthetic-desa.csv"),
                "--format",
                "csv",
                "-o",
                str(workdir / "out-desa.csv"),
            ]
        )
        desa_runs.append(elapsed)
        desa_memory.append(memory)
    results["desa_end_to_end"] = summary(desa_runs)
    results["desa_memory_mib"] = (max(desa_memory), max(desa_memory))
    with open(workdir / "out-desa.csv", encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    assert rows == 83_763, rows
    tree_runs, tree_memory = [], []
    for _ in range(max(1, runs // 2)):
        elapsed, memory = timed_process(
            [
                *wrse,
                "run",
                str(workdir / "synthetic-national.toml"),
                "--data",
                str(workdir / "synthetic-desa.csv"),
                "--hierarchical",
                "--format",
                "csv",
                "-o",
                str(workdir / "out-tree.csv"),
            ]
        )
        tree_runs.append(elapsed)
        tree_memory.append(memory)
    results["tree_end_to_end"] = summary(tree_runs)
    results["tree_memory_mib"] = (max(tree_memory), max(tree_memory))

    # ---- 7,300 units: the structured solver against the general MILP on the same instance
    if not args.skip_milp:
        import numpy as np

        from optimizer.apportion import solve_exact, solve_threshold
        from optimizer.model import highs_available, solve_milp

        desa_data = load_data(workdir / "synthetic-desa.csv")
        codes = desa_data.codes[:7300]
        desa = scenario.load(workdir / "synthetic-desa.toml").replace(include=codes, budget_rp=30_000_000_000)
        problem = engine.allocate(desa, desa_data).problem
        fast = []
        for _ in range(max(runs, 5)):
            start = time.perf_counter()
            x = solve_threshold(problem)
            fast.append(time.perf_counter() - start)
        start = time.perf_counter()
        heap = solve_exact(problem)
        heap_time = time.perf_counter() - start
        assert np.array_equal(x, heap)
        results["units_7300_threshold"] = summary(fast)
        results["units_7300_heap"] = (heap_time, heap_time)
        solvers = ["highs", "cbc"] if args.milp == "both" else [args.milp]
        if "highs" in solvers and not highs_available():
            solvers = ["cbc"]
        for solver in solvers:
            start = time.perf_counter()
            outcome = solve_milp(problem, solver)
            elapsed = time.perf_counter() - start
            identical = bool(np.array_equal(outcome.x, x))
            results[f"units_7300_{solver}"] = (elapsed, elapsed)
            results[f"units_7300_{solver}_identical"] = identical
            results[f"milp_speedup_{solver}"] = (elapsed / statistics.median(fast), elapsed / min(fast))
        results["units_7300_size"] = (problem.n, problem.total)

    # ---- report
    print()
    print(f"{'measurement':58} {'median':>10} {'best':>10}  target")
    checks = []

    def row(label, key, unit="s", target=None, higher=False):
        value = results.get(key)
        if value is None:
            return
        median, best = value
        mark = ""
        if target is not None:
            ok = median >= target if higher else median <= target
            checks.append((label, ok))
            mark = f"{'>=' if higher else '<='} {target:g}{unit}  {'PASS' if ok else 'FAIL'}"
        fmt = (lambda v: f"{v:10.1f}") if unit in ("x", " MiB") else (lambda v: f"{v:10.3f}")
        print(f"{label:58} {fmt(median)} {fmt(best)}  {mark}")

    row("wrse --help (s)", "help", target=TARGETS["help"])
    row('python -c "import pandas, pulp" (s, the import floor)', "import_floor")
    row("wrse run next-fiscal-year (s)", "run_small")
    row("  ratio run / import floor (x)", "run_ratio", unit="x", target=TARGETS["run_ratio"])
    row("514 kab/kota: load synthetic-kabkota.csv (s)", "kabkota_load")
    row("514 kab/kota: allocation, engine.allocate (s)", "kabkota_allocate", target=TARGETS["kabkota_allocate"])
    row("514 kab/kota: wrse run end to end, CSV out (s)", "kabkota_end_to_end")
    row("83,763 desa: wrse run end to end, CSV in/out (s)", "desa_end_to_end", target=TARGETS["desa_end_to_end"])
    row("83,763 desa: peak memory (MiB)", "desa_memory_mib", unit=" MiB", target=TARGETS["desa_memory_mib"])
    row("83,763 desa by level (38 > 514 > 83,763), end to end (s)", "tree_end_to_end")
    row("83,763 desa by level: peak memory (MiB)", "tree_memory_mib", unit=" MiB")
    if "units_7300_size" in results:
        n, total = results["units_7300_size"]
        print(f"7,300 units ({n} desa, {total} recipients):")
        row("  threshold solver, solve_threshold (s)", "units_7300_threshold")
        row("  priority queue, solve_exact (s)", "units_7300_heap")
        for solver in ("highs", "cbc"):
            if f"units_7300_{solver}" in results:
                identical = results[f"units_7300_{solver}_identical"]
                row(f"  general MILP, solve_milp({solver!r}) (s)", f"units_7300_{solver}")
                row(
                    f"  speed-up over {solver} (x); identical result: {identical}",
                    f"milp_speedup_{solver}",
                    unit="x",
                    target=TARGETS["milp_speedup"],
                    higher=True,
                )
                checks.append((f"identical result with {solver}", identical))
    with contextlib.suppress(OSError):
        print("load average " + " ".join(f"{v:.2f}" for v in os.getloadavg()) + " (after the run)")
    failed = [label for label, ok in checks if not ok]
    print("all targets met" if not failed else "targets missed: " + "; ".join(failed))
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
