"""Timings of ``wrse sweep`` and ``wrse sensitivity`` against one PuLP model per point.

Run from a checkout with the package installed::

    python benchmarks/bench_analysis.py            # full run (a few minutes, mostly the PuLP baselines)
    python benchmarks/bench_analysis.py --quick    # fewer baseline samples
    python benchmarks/bench_analysis.py --full     # PuLP on every sweep point (measured, not extrapolated)

What is measured (wall-clock, ``time.perf_counter``, median of several repeats):

* sweep: 1,000 budget points of the shipped ``next-fiscal-year`` scenario (Rp 150 juta to
  Rp 3.147 juta in steps of Rp 3 juta), Sainte-Laguë and largest remainder, by
  :func:`optimizer.analysis.sweep.sweep` (every point verified), plus the same through the
  installed ``wrse`` command (process start and imports included);
* sensitivity: 10,000 draws (weights only, and weights plus ±10% indicator values);
* the baseline "one PuLP model per point": :func:`optimizer.engine.allocate` with
  ``solver='cbc'`` on a random sample of the same points (draws), timed one by one; the
  time for all points is the sample mean times the number of points, an EXTRAPOLATION
  (printed as such; ``--full`` measures every sweep point instead). For draws with varied
  indicator values the engine cannot take the varied data without a new data set, so the
  baseline there is ``solve_milp`` on the draw's problem (solver time only, which flatters
  the baseline).

Timings are for this machine; the script prints it (cores, Python, package versions).
No timing is asserted anywhere: the test suite checks results, this script measures speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata

import numpy as np

from optimizer.inputs.data import shipped


def _versions() -> str:
    names = ("wrse-optimizer", "numpy", "pandas", "PuLP", "scipy", "matplotlib", "click")
    parts = []
    for name in names:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def _median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _per_call(function, items) -> float:
    """Mean seconds per call over ``items``."""
    start = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - start) / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer PuLP baseline samples")
    parser.add_argument(
        "--full", action="store_true", help="time PuLP on all 1.000 sweep points (about a minute) instead of a sample"
    )
    args = parser.parse_args()
    samples = 8 if args.quick else 30

    from optimizer import scenario
    from optimizer.analysis import sensitivity as sens
    from optimizer.analysis.base import build
    from optimizer.analysis.sweep import budget_grid, sweep
    from optimizer.engine import allocate
    from optimizer.model import solve_milp
    from optimizer.problem import Problem

    print("Machine")
    print(f"  {platform.platform()} · {os.cpu_count()} logical cores · Python {platform.python_version()}")
    print(f"  {_versions()}")
    try:
        load = os.getloadavg()
        print(f"  load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work on the machine)")
    except OSError:
        pass
    print()

    data = shipped()
    scen = scenario.load("next-fiscal-year")
    grid = budget_grid(150_000_000, 3_147_000_000, 3_000_000)
    assert len(grid) == 1000
    rng = np.random.default_rng(2024)

    print("Sweep: next-fiscal-year, 1.000 budget points (Rp 150 juta .. Rp 3.147 juta, step Rp 3 juta)")
    header = (
        f"  {'method':<18} {'fast sweep':>12} {'engine exact (est.)':>20} {'PuLP (cbc) per point':>22} {'ratio':>8}"
    )
    print(header)
    for method in ("sainte-lague", "largest-remainder"):
        base = build(scen, data, method=method)
        fast = _median_time(lambda base=base: sweep(base, grid), 5)
        with_build = _median_time(lambda method=method: sweep(build(scen, data, method=method), grid), 3)
        sample = grid if args.full else [int(b) for b in rng.choice(grid, size=samples, replace=False)]
        pulp_each = _per_call(
            lambda b, method=method: allocate(scen, data, budget_rp=b, method=method, solver="cbc"), sample
        )
        exact_each = _per_call(
            lambda b, method=method: allocate(scen, data, budget_rp=b, method=method), sample[:100] * 3
        )
        pulp_all = pulp_each * len(grid)
        label = "(measured)" if args.full else "(est.)"
        print(
            f"  {method:<18} {fast:>10.3f} s {exact_each * len(grid):>18.2f} s "
            f"{pulp_all:>12.1f} s {label:<10} {pulp_all / fast:>6.0f}x"
        )
        how = "on all 1.000 points" if args.full else f"on {samples} points, times 1.000"
        print(
            f"  {'':<18} (with building the base: {with_build:.3f} s; PuLP measured {how}, "
            f"{pulp_each * 1000:.0f} ms each)"
        )
    command = [
        "wrse",
        "sweep",
        "next-fiscal-year",
        "--from",
        "150 juta",
        "--to",
        "3147 juta",
        "--step",
        "3 juta",
        "--format",
        "csv",
    ]
    try:
        cli = _median_time(lambda: subprocess.run(command, check=True, capture_output=True), 3)
        print(f"  installed command `{' '.join(command[:2])} …` end to end (start-up, imports, output): {cli:.2f} s")
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"  installed command not run ({exc})")
    print()

    print("Sensitivity: next-fiscal-year, 10.000 draws (Dirichlet weight spread 20%)")
    base = build(scen, data, strict=True)
    for label, spec in (
        ("weights only", sens.Spec(draws=10_000, weight_spread=20, seed=1)),
        ("weights + data ±10%", sens.Spec(draws=10_000, weight_spread=20, data_spread=10, seed=1)),
    ):
        fast = _median_time(lambda spec=spec: sens.run(base, spec), 3)
        result = sens.run(base, spec)
        picks = rng.choice(spec.draws, size=samples, replace=False)
        if spec.data_spread == 0:

            def one(i, result=result):
                weights = dict(zip(("idg_gap", "poverty_rate", "eligible"), map(float, result.weights[i]), strict=True))
                return allocate(scen.replace(weights=weights), data, solver="cbc")

            what = "engine.allocate(solver='cbc') per draw"
        else:
            inputs = sens.Inputs.of(base)
            draw_rng = np.random.default_rng(spec.seed)
            weights = sens.draw_weights(draw_rng, inputs.weights, spec)
            shares = sens.shares_of(weights, sens.draw_indicators(draw_rng, inputs, spec))

            def one(i, shares=shares, result=result):
                problem = Problem(
                    base.codes, shares[i] * result.affordable, base.lower, base.upper, result.affordable, base.method
                )
                return solve_milp(problem, "cbc")

            what = "solve_milp(cbc) per draw, solver only"
        each = _per_call(one, list(picks))
        total = each * spec.draws
        print(
            f"  {label:<22} fast {fast:.3f} s · {what}: {each * 1000:.0f} ms x 10.000 = {total:.0f} s (est. from "
            f"{samples} draws) · ratio {total / fast:.0f}x · {len(result.fallback_rows)} draws fell back to the "
            "exact solver"
        )
    print()

    from optimizer.analysis import roadmap
    from optimizer.analysis.plan import plan

    road = roadmap.load("roadmap-all-ten-2027")
    took = _median_time(lambda: plan(road), 3)
    print(f"Plan: roadmap-all-ten-2027 (5 years x 10 regions, CBC): {took:.2f} s (one MILP, cut loop, re-checked)")


if __name__ == "__main__":
    sys.exit(main())
