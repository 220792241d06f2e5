"""The engine's original one-region-at-a-time implementations, kept verbatim as a second
method: the vectorised code of optimizer.* must give exactly the same results."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd

from optimizer.errors import InputError
from optimizer.i18n import Notice, indicator_term, t
from optimizer.need import INDICATOR_COLUMNS, normalise_weights
from optimizer.problem import key
from optimizer.scenario import Scenario


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
            notices.append(Notice.of("cap_above_eligible", cap=cap, code=code, eligible=eligible))
        if cap is None or cap >= eligible:
            upper[code], kind[code] = eligible, "eligible"
        else:
            upper[code], kind[code] = cap, "cap"
        lower[code] = floor
        if float(shares.iloc[codes.index(code)]) == 0.0:
            upper[code], kind[code] = floor, "need-zero"
    return lower, upper, kind
