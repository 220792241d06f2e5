"""Correctness pinned from outside the code: published apportionments and an exact second implementation.

The golden file (tests/data/golden_outputs.json) only detects change. What the allocation *should* be is pinned
here by numbers that the code did not produce:

* a real Sainte-Laguë seat allocation: the 2020 New Zealand general election, whose 120 seats the Electoral
  Commission allocates by Sainte-Laguë over the party votes of the parties that reached 5 % or won an electorate
  (no overhang that year);
* a published Hamilton example of the Alabama paradox (house 323 → 324), from electowiki's "Alabama paradox";
* the exact-arithmetic Sainte-Laguë and Hamilton of tests/reference_impl.py (integer comparisons, no floating
  point, no code shared with optimizer/) on random problems with floors and caps.

Hand-computed cases are in test_apportion.py (3,5 / 2,1 / 1,4) and test_verify.py.
"""

from __future__ import annotations

import numpy as np
import reference_impl as ref
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.apportion import solve_exact, solve_threshold
from optimizer.compose import load_eligible
from optimizer.engine import allocate
from optimizer.problem import LARGEST_REMAINDER, SAINTE_LAGUE, Problem
from optimizer.scenario import load

# Electoral Commission (Te Kaitiaki Take Kōwhiri), "2020 General Election official results", media release,
# 6 November 2020 (elections.nz): party votes of the five parties in Parliament and their seats, 120 in all.
NZ_2020 = {
    "Labour Party": (1_443_545, 65),
    "National Party": (738_275, 33),
    "Green Party": (226_757, 10),
    "ACT New Zealand": (219_031, 10),
    "Māori Party": (33_630, 2),
}

# electowiki, "Alabama paradox": votes 56,7 / 38,5 / 4,2 / 0,6 %; Hamilton gives 183/124/14/2 of 323 seats and
# 184/125/13/2 of 324: party C loses a seat when the house grows.
ALABAMA_SHARES = (567, 385, 42, 6)  # per mille
ALABAMA_323 = [183, 124, 14, 2]
ALABAMA_324 = [184, 125, 13, 2]


def free_problem(votes, seats, method):
    votes = np.array(votes, dtype=float)
    n = len(votes)
    return Problem(
        tuple(f"{6401 + i}" for i in range(n)),
        votes / votes.sum() * seats,
        np.zeros(n, dtype=np.int64),
        np.where(votes > 0, 10**9, 0).astype(np.int64),
        seats,
        method,
    )


def test_new_zealand_2020_seats_by_sainte_lague():
    votes = [v for v, _ in NZ_2020.values()]
    seats = [s for _, s in NZ_2020.values()]
    p = free_problem(votes, 120, SAINTE_LAGUE)
    assert solve_threshold(p).tolist() == seats
    assert solve_exact(p).tolist() == seats
    assert ref.sainte_lague(votes, 120) == seats


def test_new_zealand_2020_through_the_engine(kaltim, tmp_path):
    """The whole engine, as a user runs it: five kabupaten/kota whose eligible counts are the five parties' votes,
    all weight on the eligible count, a budget of 120 grants: the recipients are the seats of Parliament."""
    codes = ["6401", "6402", "6403", "6404", "6405"]
    counts = tmp_path / "counts.csv"
    counts.write_text(
        "region_code;eligible\n" + "\n".join(f"{c};{v}" for c, (v, _) in zip(codes, NZ_2020.values(), strict=True)),
        encoding="utf-8",
    )
    scenario = load("next-fiscal-year").replace(
        include=tuple(codes),
        weights={"idg_gap": 0, "poverty_rate": 0, "eligible": 1},
        floor_all=0,
        floors={},
        caps={},
        locks={},
        cap_all=None,
        method="sainte-lague",
    )
    a = allocate(scenario, kaltim, load_eligible(scenario, kaltim, counts), budget_rp=120 * scenario.grant_rp)
    got = a.recipients()
    assert [got[c] for c in codes] == [s for _, s in NZ_2020.values()]


def test_alabama_paradox_published_hamilton_example():
    assert solve_threshold(free_problem(ALABAMA_SHARES, 323, LARGEST_REMAINDER)).tolist() == ALABAMA_323
    assert solve_threshold(free_problem(ALABAMA_SHARES, 324, LARGEST_REMAINDER)).tolist() == ALABAMA_324
    assert ref.hamilton(ALABAMA_SHARES, 323) == ALABAMA_323 and ref.hamilton(ALABAMA_SHARES, 324) == ALABAMA_324
    # Sainte-Laguë on the same votes is house monotone: nobody loses a seat from 323 to 324.
    s323 = solve_threshold(free_problem(ALABAMA_SHARES, 323, SAINTE_LAGUE))
    s324 = solve_threshold(free_problem(ALABAMA_SHARES, 324, SAINTE_LAGUE))
    assert (s324 >= s323).all() and s323.tolist() == ref.sainte_lague(ALABAMA_SHARES, 323)


@given(
    votes=st.lists(st.integers(0, 9), min_size=1, max_size=10).filter(any),
    floors=st.lists(st.integers(0, 3), min_size=10, max_size=10),
    widths=st.lists(st.integers(0, 25), min_size=10, max_size=10),
    extra=st.integers(0, 80),
)
@settings(max_examples=200, deadline=None)
def test_threshold_solver_equals_exact_sainte_lague_with_floors_and_caps(votes, floors, widths, extra):
    n = len(votes)
    lower = [f if v > 0 else 0 for f, v in zip(floors[:n], votes, strict=True)]
    upper = [lo + w if v > 0 else lo for lo, w, v in zip(lower, widths[:n], votes, strict=True)]
    seats = min(sum(lower) + extra, sum(upper))
    if seats == 0:
        return
    w = np.array(votes, dtype=float)
    p = Problem(
        tuple(f"{6401 + i}" for i in range(n)),
        w / w.sum() * seats,
        np.array(lower, dtype=np.int64),
        np.array(upper, dtype=np.int64),
        seats,
        SAINTE_LAGUE,
    )
    assert solve_threshold(p).tolist() == ref.sainte_lague(votes, seats, lower, upper)


@given(votes=st.lists(st.integers(0, 50), min_size=1, max_size=12).filter(any), seats=st.integers(1, 200))
@settings(max_examples=200, deadline=None)
def test_threshold_solver_equals_exact_hamilton(votes, seats):
    assert solve_threshold(free_problem(votes, seats, LARGEST_REMAINDER)).tolist() == ref.hamilton(votes, seats)
