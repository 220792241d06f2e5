"""Shared by the page tests: the seeded corpus of random allocation problems, the Python
engine's answers to them, and runners for the page's JavaScript (Node, Chromium).

A corpus problem is the input the page's solver takes (``optimizer/page/solver.js``,
``allocate``): per-region indicators, weights, IDG reference, budget, costs, floors,
caps, locks and method. The Python answer is computed by the engine's own functions in
the order :func:`optimizer.engine.allocate` applies them (scenario checks, need shares,
region bounds, the floors-and-locks check, the total, the solver, the binding labels).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from types import MappingProxyType

import numpy as np

from optimizer import engine
from optimizer.errors import WrseError
from optimizer.need import idg_gap, shares_of
from optimizer.problem import LARGEST_REMAINDER, SAINTE_LAGUE, Problem
from optimizer.scenario import EligibleSpec, Scenario, _check

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = ROOT / "optimizer" / "page"
JS_TESTS = ROOT / "tests" / "js"

# Which engine error a message is (the page names the same errors by these keys).
ERROR_PATTERNS = (
    ("budget_below_cost", r"below the cost of one recipient"),
    ("grant_not_positive", r"costs\.grant_rp"),
    ("reference_range", r"idg_reference"),
    ("weights_zero", r"every key in \[weights\] is 0|all weights are 0"),
    ("floor_all_above_cap_all", r"'constraints\.floor_all' \(\d+\) is above"),
    ("floor_above_cap_key", r"constraints\.floors\.\d+' \(\d+\) is above its cap"),
    ("lock_and_bound", r"has a lock and a floor or cap"),
    ("locks_above_budget", r"'constraints\.locks' fixes"),
    ("indicators_zero", r"every weighted indicator totals 0"),
    ("lock_above_eligible", r"constraints\.locks\.\d+' is \d+, above the eligible count"),
    ("floor_above_eligible", r"recipients for \d+, above its eligible count"),
    ("floor_above_cap", r"has floor \d+ above cap"),
    ("floors_above_budget", r"floors \(.*\) and locks"),
)


def error_key(error: Exception) -> str:
    """The page's key for an engine error (``unknown: <message>`` if none matches)."""
    key = getattr(error, "key", None)
    text = str(error)
    for name, pattern in ERROR_PATTERNS:
        if re.search(pattern, text):
            return name
    return f"unknown: {key or text}"


def engine_answer(p: dict) -> dict:
    """The Python engine's answer to corpus problem ``p`` (see the module docstring).

    Returns ``{"x", "binding", "shares", "quota", "lower", "upper", "total", "affordable",
    "limited_by"}`` or ``{"error": key}``.
    """
    codes = tuple(p["codes"])
    try:
        scenario = Scenario(
            name="corpus",
            title="corpus",
            fiscal_year=2027,
            budget_rp=p["budget"],
            idg_year=2019,
            poverty_year=2024,
            method=p["method"],
            grant_rp=p["grant"],
            bimtek_per_recipient_rp=p["bimtek"],
            include=codes,
            idg_reference=p["reference"],
            eligible=EligibleSpec(year=2024),
            weights=MappingProxyType(dict(p["weights"])),
            floor_all=p["floor_all"],
            cap_all=p["cap_all"],
            floors=MappingProxyType(dict(p["floors"])),
            caps=MappingProxyType(dict(p["caps"])),
            locks=MappingProxyType(dict(p["locks"])),
        )
        _check(scenario, "corpus")
        figures = {
            "idg_gap": np.array([idg_gap(v, p["reference"]) for v in p["idg"]], dtype=float),
            "poverty_rate": np.asarray(p["poverty_rate"], dtype=float),
            "eligible": np.asarray(p["eligible"], dtype=float),
        }
        shares, _, _ = shares_of(codes, figures, dict(scenario.weights))
        elig = {"eligible": np.asarray(p["eligible"], dtype=np.int64), "eligible_source": ["corpus"] * len(codes)}
        lower, upper, kind = engine.region_bounds(scenario, codes, elig, shares, "corpus", [])
        cost = scenario.cost_per_recipient_rp
        affordable = scenario.budget_rp // cost
        if int(lower.sum()) > affordable:
            return {"error": "floors_above_budget"}
        total = min(affordable, int(upper.sum()))
        quota = shares * affordable
        problem = Problem(codes=codes, quota=quota, lower=lower, upper=upper, total=total, method=scenario.method)
        x, *_ = engine.solve(problem, "auto")
        x = np.asarray(x, dtype=np.int64)
        limited_by = "caps" if total < affordable else "budget"
        binding = engine.binding_labels(problem, x, kind, limited_by == "caps")
    except WrseError as error:
        return {"error": error_key(error)}
    return {
        "x": x.tolist(),
        "binding": [str(b) for b in binding],
        "shares": shares.tolist(),
        "quota": quota.tolist(),
        "lower": lower.tolist(),
        "upper": upper.tolist(),
        "total": total,
        "affordable": affordable,
        "limited_by": limited_by,
    }


def random_problem(rng: np.random.Generator, index: int) -> dict:
    """One seeded random problem: 10 to 514 regions, floors, caps, locks, zero shares, ties,
    budgets from one grant to above the sum of the caps, either method."""
    kind = index % 10
    n = 514 if kind == 9 else 10 if kind < 4 else int(rng.integers(11, 80))
    codes = sorted(str(c) for c in rng.choice(np.arange(1101, 9999), size=n, replace=False))
    big = n > 100
    idg = np.round(rng.uniform(40, 90, n), 2)
    poverty = np.round(rng.uniform(0, 30, n), 2)
    eligible = rng.integers(0, 400 if big else 3000, n)
    if rng.random() < 0.3:  # ties: regions with the same figures as another region
        for _ in range(int(rng.integers(1, max(2, n // 3)))):
            a, b = rng.integers(0, n, 2)
            idg[b], poverty[b], eligible[b] = idg[a], poverty[a], eligible[a]
    if rng.random() < 0.3:  # zero shares: no IDG gap, no poverty, no eligible women
        zero = rng.choice(n, size=int(rng.integers(1, max(2, n // 4))), replace=False)
        poverty[zero] = 0
        eligible[zero] = 0
    if rng.random() < 0.2:  # small counts, so that eligible caps bind
        eligible = rng.integers(0, 20, n)
    reference = float(np.round(rng.uniform(45, 85), 2)) if rng.random() < 0.8 else float(idg[rng.integers(0, n)])
    if rng.random() < 0.3:  # zero shares need a zero IDG gap as well
        reference = float(np.round(idg.min() - rng.uniform(0, 2), 2))
        reference = max(reference, 0.0)
    weights = {k: int(rng.choice([0, 0, 1, 10, 25, 30, 40, 50, 100])) for k in ("idg_gap", "poverty_rate", "eligible")}
    if rng.random() < 0.2:
        weights = {"idg_gap": 1, "poverty_rate": 1, "eligible": 1}
    if not any(weights.values()) and rng.random() < 0.8:
        weights["eligible"] = 40
    grant = int(rng.choice([3_000_000, 4_500_000, 5_000_000, 1_000_000]))
    bimtek = int(rng.choice([0, 0, 250_000, 1_234_567]))
    cost = grant + bimtek
    floor_all = int(rng.choice([0, 0, 0, 1, 2, 5]))
    cap_all = None if rng.random() < 0.8 else int(rng.integers(floor_all, 60))
    floors, caps, locks = {}, {}, {}
    chosen = rng.permutation(n)
    pick = chosen[: int(rng.integers(0, max(1, n // 5)))]
    for i in pick.tolist():
        what = rng.integers(0, 3)
        code = codes[i]
        if what == 0:
            floors[code] = int(rng.integers(0, 15))
        elif what == 1:
            caps[code] = int(rng.integers(floor_all, 80))
        else:
            locks[code] = int(rng.integers(0, 25))
    for code in list(floors):
        cap = caps.get(code, cap_all)
        if cap is not None and floors[code] > cap and rng.random() < 0.9:
            floors[code] = cap
    if rng.random() < 0.9:  # mostly feasible: bounds within the eligible counts
        floor_all = min(floor_all, int(eligible.min()))
        position = {c: i for i, c in enumerate(codes)}
        floors = {c: min(v, int(eligible[position[c]])) for c, v in floors.items()}
        locks = {c: min(v, int(eligible[position[c]])) for c, v in locks.items()}
    upper_sum = int(eligible.sum())
    scale = rng.random()
    if scale < 0.05:
        recipients = 1
    elif scale < 0.15:
        recipients = upper_sum + int(rng.integers(0, 50))  # above the caps
    else:
        recipients = int(math.exp(rng.uniform(0, math.log(max(2, upper_sum * 1.1)))))
    if rng.random() < 0.9:  # mostly a budget that pays for the floors and locks
        lower_sum = sum(locks.values()) + sum(max(floor_all, floors.get(c, 0)) for c in codes if c not in locks)
        recipients = max(recipients, lower_sum)
    budget = max(1, recipients) * cost + int(rng.integers(0, cost))
    if rng.random() < 0.02:
        budget = cost - 1  # below one grant
    method = SAINTE_LAGUE if rng.random() < 0.55 else LARGEST_REMAINDER
    return {
        "codes": codes,
        "idg": idg.tolist(),
        "poverty_rate": poverty.tolist(),
        "eligible": [int(v) for v in eligible],
        "weights": weights,
        "reference": reference,
        "budget": int(budget),
        "grant": grant,
        "bimtek": bimtek,
        "floor_all": floor_all,
        "cap_all": cap_all,
        "floors": floors,
        "caps": caps,
        "locks": locks,
        "method": method,
    }


def corpus(size: int, seed: int) -> list[dict]:
    """``size`` problems with their engine answers: ``[{"problem", "answer"}]``."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(size):
        problem = random_problem(rng, i)
        out.append({"problem": problem, "answer": engine_answer(problem)})
    return out


def write_json(path: Path, value) -> Path:
    """Write ``value`` as JSON (exact floats: Python's repr round-trips in JavaScript)."""
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def node() -> str | None:
    """The ``node`` executable, or None."""
    return shutil.which("node")


def run_node_tests(env: dict[str, str], *files: Path) -> subprocess.CompletedProcess:
    """``node --test FILES`` with ``env`` added to the environment; output captured."""
    import os

    return subprocess.run(
        [node(), "--test", *map(str, files)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
        check=False,
    )


def run_table_cells(text: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The region table of ``wrse run``'s output cut into cells by its rule line (``----  ---``).

    Returns ``(headers, {region_code: cells}, total_row_cells)``; each cell stripped.
    """
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+( +-+)+", line))
    spans = [m.span() for m in re.finditer(r"-+", lines[at])]

    def cut(line: str) -> list[str]:
        padded = line.ljust(spans[-1][1])
        return [padded[a:b].strip() for a, b in spans]

    headers = cut(lines[at - 1])
    rows: dict[str, list[str]] = {}
    total: list[str] = []
    for line in lines[at + 1 :]:
        if not line.strip():
            break
        cells = cut(line)
        if cells[0]:
            rows[cells[0]] = cells
        else:
            total = cells
    return headers, rows, total


def engine_allocation(scenario, *, budget_rp: int | None = None, data=None):
    """``wrse run``'s allocation of ``scenario`` (a Scenario) on ``data`` (default: the shipped data)."""
    from optimizer.compose import load_eligible
    from optimizer.inputs.data import shipped

    data = data if data is not None else shipped()
    return engine.allocate(scenario, data, load_eligible(scenario, data), budget_rp=budget_rp)
