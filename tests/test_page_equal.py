"""The page's solver (optimizer/page/solver.js) equals the Python engine, exactly.

A seeded corpus of random problems (10 to 514 regions, floors, caps, locks, zero shares,
ties, budgets from one grant to above the caps, both methods, infeasible choices) is
solved by the engine here and written to JSON; the JavaScript solves the same problems
under Node's test runner (``node --test tests/js/``) and inside headless Chromium, and
every vector (need shares, quotas, bounds, recipients, binding labels) must be equal
bit for bit, and every refusal the same refusal.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import re
from collections import Counter

import numpy as np
import pytest
import rendering
from page_helpers import JS_TESTS, PAGE_DIR, corpus, node, run_node_tests, write_json

CORPUS_SIZE = 2000
SEED = 14


def _require_node():
    if node() is None:
        reason = rendering.missing_reason("node", "Debian package nodejs (Node.js 18 or later)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def problems(tmp_path_factory):
    """The corpus with the engine's answers, and the JSON file it is written to.

    Under pytest-xdist the workers of one run share one file (made once, under a lock),
    so the engine solves the corpus once per run, not once per worker.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:
        items = corpus(CORPUS_SIZE, SEED)
        return items, write_json(tmp_path_factory.mktemp("page-corpus") / "corpus.json", items)
    root = tmp_path_factory.getbasetemp().parent
    path = root / f"page-corpus-{run}-{SEED}-{CORPUS_SIZE}.json"
    with open(root / f"page-corpus-{run}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            part = path.with_suffix(".part")
            write_json(part, corpus(CORPUS_SIZE, SEED))
            part.replace(path)
    return json.loads(path.read_text(encoding="utf-8")), path


def test_corpus_covers_what_it_claims(problems):
    """The corpus holds what the equality must cover: a check that a weaker generator cannot pass."""
    items, _ = problems
    answers = [item["answer"] for item in items]
    solved = [a for a in answers if "x" in a]
    sizes = Counter(len(item["problem"]["codes"]) for item in items)
    assert len(items) >= 2000
    assert sizes[514] >= 150 and sizes[10] >= 500 and min(sizes) == 10 and max(sizes) == 514
    bindings = Counter(b for a in solved for b in a["binding"])
    for kind in ("floor", "cap", "eligible", "lock", "need-zero", ""):
        assert bindings[kind] >= 100, kind
    assert sum(a["limited_by"] == "caps" for a in solved) >= 100  # budgets above the caps
    assert sum(a["total"] <= 1 for a in solved) >= 20  # one grant
    methods = Counter(item["problem"]["method"] for item, a in zip(items, answers, strict=True) if "x" in a)
    assert min(methods.values()) >= 600
    refused = Counter(a["error"] for a in answers if "error" in a)
    assert not [k for k in refused if k.startswith("unknown")], refused
    assert len(refused) >= 7
    # ties: problems where two regions have the same need share and different recipients
    tied = 0
    for a in solved:
        seen: dict[float, set[int]] = {}
        for share, x, low, up in zip(a["shares"], a["x"], a["lower"], a["upper"], strict=True):
            if share > 0 and low < up:
                seen.setdefault(share, set()).add(x)
        tied += any(len(v) > 1 for v in seen.values())
    assert tied >= 100


def test_node_solver_equals_engine(problems):
    """``node --test``: every corpus problem gives the engine's vectors and refusals."""
    _require_node()
    _, path = problems
    done = run_node_tests({"WRSE_CORPUS": str(path)}, JS_TESTS / "solver.test.js")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    found = re.search(
        r"corpus: (\d+) problems, (\d+) solved equal, (\d+) refused equally, (\d+) mismatches", done.stdout
    )
    assert found, done.stdout[-2000:]
    checked, solved, refused, mismatches = map(int, found.groups())
    assert (checked, mismatches) == (CORPUS_SIZE, 0)
    assert solved + refused == CORPUS_SIZE and solved >= 1500


@pytest.mark.browser
def test_chromium_solver_equals_engine(problems, browser_page, tmp_path):
    """The same corpus solved inside headless Chromium by the same files the page inlines.

    Chromium reads the corpus from a script file beside a small page (13 MB handed over through Playwright's
    protocol cost several times the solving)."""
    items, path = problems
    page = browser_page
    corpus_js = tmp_path / "corpus.js"
    corpus_js.write_text(f"window.CORPUS = JSON.parse({json.dumps(path.read_text(encoding='utf-8'))});", "utf-8")
    scripts = (PAGE_DIR / "solver.js", JS_TESTS / "compare.js", corpus_js)
    index = tmp_path / "corpus.html"
    index.write_text(
        "<!DOCTYPE html><html><body>"
        + "".join(f'<script src="{script.as_uri()}"></script>' for script in scripts)
        + "</body></html>",
        encoding="utf-8",
    )
    page.goto(index.as_uri())
    assert page.evaluate("window.CORPUS.length") == len(items)
    result = page.evaluate(
        "() => { const r = WrseCompare.compareCorpus(WrseSolver, window.CORPUS);"
        " r.mismatches = r.mismatches.slice(0, 5); return r; }"
    )
    assert result["mismatches"] == []
    assert result["checked"] == CORPUS_SIZE
    assert result["feasible"] + result["refused"] == CORPUS_SIZE and result["feasible"] >= 1500
    assert page.evaluate("navigator.userAgent").find("HeadlessChrome") >= 0


def _number_cases() -> dict:
    """Values where JavaScript's own rounding differs from Python's: exact halves (0.125 at 2
    decimals), values a few ulps from a half, binary noise (65.65 - 61.14), large and tiny."""
    rng = np.random.default_rng(SEED)
    values = [0.125, 0.375, 2.675, 1.005, 16.625, 0.5, 1.5, 2.5, -0.125, 1e-10, 4.510000000000005, 65.65 - 61.14]
    values += [j / 8 for j in range(1, 400, 2)] + [j / 2048 for j in range(1, 200, 2)]
    values += (
        rng.uniform(0, 100, 300).tolist() + (rng.uniform(-3, 3, 300) * 10.0 ** rng.integers(-12, 12, 300)).tolist()
    )
    for k in range(0, 400, 7):  # Sainte-Laguë costs (2k+1)/q - 2 near ties
        for q in (3.0, 7.5, 0.1 + 0.2, 1 / 3, 123.456):
            values.append((2 * k + 1) / q - 2)
    fsums, npsums = [], []
    for size in (1, 2, 3, 7, 8, 9, 10, 16, 17, 100, 128, 129, 300, 514, 1000):
        a = (rng.random(size) * 10.0 ** rng.integers(-8, 8, size)).tolist()
        fsums.append({"values": a, "out": math.fsum(a)})
        npsums.append({"values": a, "out": float(np.add.reduce(np.asarray(a, dtype=float)))})
    return {
        "round": [{"x": v, "d": d, "out": round(v, d)} for v in values for d in (9, 10)],
        "fixed": [{"x": v, "d": d, "out": f"{v:.{d}f}"} for v in values if abs(v) < 1e12 for d in (0, 1, 2, 4)],
        "fsum": fsums,
        "npsum": npsums,
    }


def test_node_number_helpers_equal_python(tmp_path):
    """Python's round, format, math.fsum and NumPy's sum, reproduced bit for bit in JavaScript."""
    _require_node()
    path = write_json(tmp_path / "numbers.json", _number_cases())
    done = run_node_tests({"WRSE_NUMBERS": str(path)}, JS_TESTS / "numbers.test.js")
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"numbers: \d+ cases, 0 mismatches", done.stdout), done.stdout[-2000:]


def test_node_suite_runs_clean():
    """The whole Node suite (``node --test tests/js/``) passes; files whose corpus is not set skip."""
    _require_node()
    done = run_node_tests({}, *sorted(JS_TESTS.glob("*.test.js")))
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"# fail 0", done.stdout)
