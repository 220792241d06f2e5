"""Second implementations, independent of the code they check: the vectorised code of optimizer.* must agree.

Nothing here imports the cost, weight or solver functions of ``optimizer``: the unit costs are written from the
objective (optimizer/problem.py's docstring: Sainte-Laguë's ``(2k + 1)/q − 2``, Hamilton's ``|k + 1 − q| − |k − q|``
then Sainte-Laguë order), the weights are normalised here, and the divisor methods below work in exact integer
arithmetic on integer votes (no floating point, so no tie tolerance). What is shared is only vocabulary: the error
type, the notices, the scenario type and the loaded data.

* :func:`sainte_lague` and :func:`hamilton` are the textbook methods (highest averages with divisors 1, 3, 5, …;
  largest remainder of the Hare quota), with floors and caps for Sainte-Laguë;
* :func:`margins`, :func:`active_bounds`, :func:`need_shares`, :func:`select`, :func:`eligible_from_data`,
  :func:`consistency_warnings` and :func:`bounds_by_code` are the engine's original one-region-at-a-time code.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd

from optimizer.errors import InputError
from optimizer.i18n import Count, Notice, Term, indicator_term, t
from optimizer.scenario import Scenario

INDICATOR_COLUMNS = ("idg_gap", "poverty_rate", "eligible")
SAINTE_LAGUE, LARGEST_REMAINDER = "sainte-lague", "largest-remainder"


def key(method: str, q: float, k: int) -> tuple[float, ...]:
    """Cost of a region's (k+1)-th recipient at quota ``q`` (> 0), each stage rounded to 9 decimals.

    From the objective: Sainte-Laguë Σ(x − q)²/q has unit cost (2k + 1)/q − 2; Hamilton's first stage Σ|x − q|
    has |k + 1 − q| − |k − q|, its second Sainte-Laguë's cost except 0 for the unit that straddles q.
    """
    sainte_lague_cost = (2 * k + 1) / q - 2
    if method == SAINTE_LAGUE:
        return (round(sainte_lague_cost, 9),)
    first = abs(k + 1 - q) - abs(k - q)
    second = 0.0 if k < q < k + 1 else sainte_lague_cost
    return (round(first, 9), round(second, 9))


def normalise_weights(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1 over the three indicators (missing keys count 0); InputError if all are 0."""
    total = math.fsum(weights.get(k, 0.0) for k in INDICATOR_COLUMNS)
    if total <= 0 or any(v < 0 for v in weights.values()):
        raise InputError("weights must be >= 0 with a positive sum")
    return {k: weights.get(k, 0.0) / total for k in INDICATOR_COLUMNS}


def sainte_lague(votes, seats: int, lower=None, upper=None) -> list[int]:
    """Sainte-Laguë / Webster by highest averages, in exact integer arithmetic; ties to the first listed.

    ``votes``: non-negative integers (persons, votes, or any integer weights); ``seats``: the house size.
    Starting from ``lower`` (default 0 each), each seat goes to the party with the highest ``votes / (2s + 1)``
    (s its seats so far) among those below ``upper`` with votes > 0. Comparisons are ``a·(2t + 1) > b·(2s + 1)``
    on integers, so exact ties are ties. ValueError when the seats cannot be placed.
    """
    n = len(votes)
    have = list(lower) if lower is not None else [0] * n
    cap = list(upper) if upper is not None else [seats] * n
    for _ in range(seats - sum(have)):
        best = None
        for i in range(n):
            if votes[i] <= 0 or have[i] >= cap[i]:
                continue
            if best is None or votes[i] * (2 * have[best] + 1) > votes[best] * (2 * have[i] + 1):
                best = i
        if best is None:
            raise ValueError("no party can take another seat")
        have[best] += 1
    return have


def hamilton(votes, seats: int) -> list[int]:
    """Hamilton / largest remainder (Hare quota), exact: whole parts of ``votes·seats / Σvotes``, then one more
    each to the largest remainders (ties to the first listed)."""
    total = sum(votes)
    whole = [v * seats // total for v in votes]
    remainder = [v * seats % total for v in votes]
    order = sorted(range(len(votes)), key=lambda i: (-remainder[i], i))
    for i in order[: seats - sum(whole)]:
        whole[i] += 1
    return whole


def margins(problem, x):
    last, nxt = [], []
    for r in range(problem.n):
        q = float(problem.quota[r])
        last.append(key(problem.method, q, int(x[r]) - 1) if x[r] > problem.lower[r] else None)
        nxt.append(key(problem.method, q, int(x[r])) if x[r] < problem.upper[r] else None)
    return last, nxt


def active_bounds(problem, x):
    last_given, next_unit = margins(problem, x)
    lower_active = np.zeros(problem.n, dtype=bool)
    upper_active = np.zeros(problem.n, dtype=bool)
    cheapest_next = heapq.nsmallest(2, [(k, r) for r, k in enumerate(next_unit) if k is not None])
    dearest_last = heapq.nlargest(2, [(k, r) for r, k in enumerate(last_given) if k is not None])
    for r in range(problem.n):
        q = float(problem.quota[r])
        if q <= 0:
            continue
        if x[r] == problem.lower[r] and x[r] > 0:
            own = (key(problem.method, q, int(x[r]) - 1), r)
            other = next((item for item in cheapest_next if item[1] != r), None)
            lower_active[r] = other is not None and own > other
        if x[r] == problem.upper[r]:
            own = (key(problem.method, q, int(x[r])), r)
            other = next((item for item in dearest_last if item[1] != r), None)
            upper_active[r] = other is not None and own < other
    return lower_active, upper_active


def need_shares(indicators, weights):
    frame = indicators.sort_index()
    normalised = normalise_weights(weights)
    notices = []
    totals = {}
    for column in INDICATOR_COLUMNS:
        if normalised[column] == 0:
            continue
        values = frame[column]
        if values.isna().any():
            missing = ", ".join(values[values.isna()].index)
            raise InputError(
                f"indicator {column!r} has no value for {missing}; expected a value for every included region"
            )
        if (values < 0).any():
            raise InputError(f"indicator {column!r} is negative for {', '.join(values[values < 0].index)}")
        totals[column] = math.fsum(float(v) for v in values)
    used = {k: w for k, w in normalised.items() if w > 0 and totals.get(k, 0) > 0}
    for column, weight in normalised.items():
        if weight > 0 and totals.get(column, 0) <= 0:
            notices.append(Notice.of("weight_dropped", indicator=indicator_term(column), weight=f"{weight:.0%}"))
    if not used:
        raise InputError("every weighted indicator totals 0")
    applied = {k: (used[k] / math.fsum(used.values()) if k in used else 0.0) for k in INDICATOR_COLUMNS}
    components = pd.DataFrame(0.0, index=frame.index, columns=list(INDICATOR_COLUMNS))
    for column in used:
        components[column] = [float(v) / totals[column] for v in frame[column]]
    shares = pd.Series(
        [math.fsum(applied[k] * components.at[code, k] for k in used) for code in frame.index],
        index=frame.index,
        name="need_share",
    )
    return shares, applied, components, tuple(notices)


def select(data, indicator, year, codes, allow_fallback):
    series = data.series(indicator)
    rows = []
    for code in codes:
        by_year = series.get(code, {})
        if year in by_year:
            chosen, fallback = by_year[year], False
        else:
            earlier = [y for y in by_year if y < year]
            available = ", ".join(str(y) for y in sorted(by_year)) or "none"
            try:
                name = data.region(code).name
            except KeyError:
                name = ""
            if not allow_fallback:
                raise InputError(
                    f"{data.label}: indicator {indicator!r} has no {year} figure for {code} {name} "
                    f"(years available: {available}); expected a {year} value, or set "
                    f"indicators.allow_fallback = true to use its latest earlier year"
                )
            if not earlier:
                raise InputError(
                    f"{data.label}: indicator {indicator!r} has no figure for {code} {name} in {year} or "
                    f"earlier (years available: {available}); expected a value for a year up to {year}"
                )
            chosen, fallback = by_year[max(earlier)], True
        rows.append(
            {
                "region_code": code,
                "value": float(chosen["value"]),
                "year": int(chosen["year"]),
                "status": chosen["status"],
                "source": chosen["source"],
                "fallback": fallback,
            }
        )
    frame = pd.DataFrame(rows, columns=["region_code", "value", "year", "status", "source", "fallback"])
    return frame.set_index("region_code")


def eligible_from_data(data, spec, codes, allow_fallback):
    if spec.source == "data":
        chosen = select(data, "eligible", spec.year, codes, allow_fallback)
        rows = [
            {
                "region_code": c,
                "eligible": round(chosen.at[c, "value"]),
                "eligible_year": int(chosen.at[c, "year"]),
                "eligible_source": str(chosen.at[c, "source"]),
                "eligible_source_id": str(chosen.at[c, "source"]),
                "eligible_status": str(chosen.at[c, "status"]),
                "eligible_fallback": bool(chosen.at[c, "fallback"]),
                "priority": -1,
            }
            for c in codes
        ]
        return pd.DataFrame(rows).set_index("region_code")
    label_id, label_en = t(f"eligible_source.{spec.proxy}", "id"), t(f"eligible_source.{spec.proxy}", "en")
    if spec.proxy == "poor_population":
        chosen = select(data, "poor_population", spec.year, codes, allow_fallback)
        values = {c: round(chosen.at[c, "value"] * 1000) for c in codes}
        years = {c: int(chosen.at[c, "year"]) for c in codes}
        fallback = {c: bool(chosen.at[c, "fallback"]) for c in codes}
        describe = {c: {"year": years[c], "population_year": "", "source": chosen.at[c, "source"]} for c in codes}
    else:
        rate = select(data, "poverty_rate", spec.year, codes, allow_fallback)
        pop = select(data, "population", spec.population_year, codes, allow_fallback)
        values = {c: round(rate.at[c, "value"] / 100 * pop.at[c, "value"]) for c in codes}
        years = {c: int(rate.at[c, "year"]) for c in codes}
        fallback = {c: bool(rate.at[c, "fallback"] or pop.at[c, "fallback"]) for c in codes}
        describe = {
            c: {
                "year": years[c],
                "population_year": int(pop.at[c, "year"]),
                "source": f"{rate.at[c, 'source']}; {pop.at[c, 'source']}",
            }
            for c in codes
        }
    rows = [
        {
            "region_code": c,
            "eligible": values[c],
            "eligible_year": years[c],
            "eligible_source": label_en.format(**describe[c]),
            "eligible_source_id": label_id.format(**describe[c]),
            "eligible_status": "estimate",
            "eligible_fallback": fallback[c],
            "priority": -1,
        }
        for c in codes
    ]
    return pd.DataFrame(rows).set_index("region_code")


def consistency_warnings(data):
    warnings = []
    poor, rate, population = data.series("poor_population"), data.series("poverty_rate"), data.series("population")
    for code in data.codes:
        for year, row in sorted(poor.get(code, {}).items()):
            rate_row = rate.get(code, {}).get(year)
            pops = population.get(code, {})
            if rate_row is None or not pops or float(rate_row["value"]) <= 0:
                continue
            nearest = min(pops, key=lambda y: (abs(y - year), -y))
            implied = float(row["value"]) * 1000 / (float(rate_row["value"]) / 100)
            ratio = implied / float(pops[nearest]["value"])
            if not 0.8 <= ratio <= 1.2 or math.isnan(ratio):
                warnings.append(
                    f"{code} {data.region(code).name} {year}: poor population / P0 implies "
                    f"{implied:,.0f} persons, {ratio:.0%} of the {nearest} population figure; check the values"
                )
    return warnings


def bounds_by_code(scenario: Scenario, codes, elig: pd.DataFrame, shares: pd.Series, src: str, notices: list[Notice]):
    """The bounds rules one region at a time: the original engine code, kept as the reference
    that :func:`optimizer.engine.region_bounds` is checked against."""
    lower: dict[str, int] = {}
    upper: dict[str, int] = {}
    kind: dict[str, str] = {}
    for code in codes:
        eligible = int(elig.at[code, "eligible"])
        if code in scenario.locks:
            lock = scenario.locks[code]
            if lock > eligible:
                raise InputError(
                    f"{src}: key 'constraints.locks.{code}' is {lock}, above the eligible count {eligible} "
                    f"({elig.at[code, 'eligible_source']}); expected at most {eligible}"
                )
            lower[code] = upper[code] = lock
            kind[code] = "lock"
            continue
        floor = max(scenario.floor_all, scenario.floors.get(code, 0))
        cap = scenario.caps.get(code, scenario.cap_all)
        if floor > eligible:
            key = f"constraints.floors.{code}" if code in scenario.floors else "constraints.floor_all"
            raise InputError(
                f"{src}: key {key!r} asks {floor} recipients for {code}, above its eligible count {eligible} "
                f"({elig.at[code, 'eligible_source']}); expected a floor of at most {eligible}"
            )
        if cap is not None and floor > cap:
            raise InputError(f"{src}: region {code} has floor {floor} above cap {cap}; expected floor <= cap")
        if cap is not None and cap > eligible:
            pool = Term("indicator.eligible")  # counts (method "data"): the eligible count, not a proxy
            notices.append(
                Notice.of("cap_above_eligible", cap=Count(cap), code=code, eligible=Count(eligible), pool=pool)
            )
        if cap is None or cap >= eligible:
            upper[code], kind[code] = eligible, "eligible"
        else:
            upper[code], kind[code] = cap, "cap"
        lower[code] = floor
        if float(shares.iloc[codes.index(code)]) == 0.0:
            upper[code], kind[code] = floor, "need-zero"
    return lower, upper, kind
