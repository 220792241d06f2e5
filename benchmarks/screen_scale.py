"""Benchmark: `wrse screen` on large synthetic candidate lists (is it linear?).

Generates synthetic lists (tests/synthetic_candidates.py: random NIKs, "Calon Uji" names,
about 30% rejected, a few duplicate NIKs) of 10.000 and 100.000 rows, screens each with
the library (read + rules + duplicates + ranking) and renders the counts and decisions
files, and prints the times and the ratio. A linear pipeline gives a ratio near 10; a
quadratic one near 100. Optional: ``--xlsx`` also times a 20.000-row workbook.

Usage: python benchmarks/screen_scale.py [--xlsx]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from synthetic_candidates import random_list, write_csv, write_xlsx

from optimizer.screening import render
from optimizer.screening.screen import screen

AS_OF = dt.date(2027, 1, 1)


def make(folder: Path, rows: int, suffix: str = ".csv") -> Path:
    rng = random.Random(rows)
    data = random_list(rng, rows, AS_OF)
    for i in range(0, rows, 1000):  # one duplicate NIK per 1.000 rows
        data[(i + 500) % rows]["NIK"] = data[i]["NIK"]
    path = folder / f"list-{rows}{suffix}"
    return write_xlsx(path, data) if suffix == ".xlsx" else write_csv(path, data)


def timed(path: Path, folder: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    result = screen([path], AS_OF)
    screened = time.perf_counter() - start
    render.write_table(render.counts_frame(result), folder / "counts.csv")
    render.write_table(render.decisions_frame(result, "id"), folder / "decisions.csv")
    return screened, time.perf_counter() - start, int(result.counts["eligible"].sum())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        times = {}
        for rows in (10_000, 100_000):
            path = make(folder, rows)
            screened, total, eligible = timed(path, folder)
            times[rows] = total
            print(
                f"{rows:>7,} rows CSV : screen {screened:6.2f} s, with both files written {total:6.2f} s "
                f"({eligible:,} eligible)"
            )
        print(f"ratio 100k/10k: {times[100_000] / times[10_000]:.1f} (linear ~10, quadratic ~100)")
        if "--xlsx" in sys.argv:
            path = make(folder, 20_000, ".xlsx")
            screened, total, _ = timed(path, folder)
            print(f" 20,000 rows XLSX: screen {screened:6.2f} s, with both files written {total:6.2f} s")


if __name__ == "__main__":
    main()
