"""Independent check of a multi-year plan, on plain integers and exact fractions.

Whatever produced a plan (the MILP of :mod:`~optimizer.analysis.plan`, a spreadsheet, a
hand edit), :func:`check_plan` re-checks every rule of the roadmap from the counts alone,
without the model, its variables or its tolerances:

1. every count is a whole number >= 0;
2. a woman receives the grant once: everyone granted before the first planning year (the
   baseline, or the realised history) plus the recipients of every year so far never exceed
   the region's eligible count;
3. a region is active in a year when it has recipients; an active region has at least the
   minimum class;
4. once active (in the baseline or a planning year) a region stays active (hold-harmless);
5. no region falls below the stated share of its previous year's count (the baseline year
   before the first planning year), nor below the hold-harmless share of its baseline count;
6. every region is active in the coverage year (and, by 4, after it);
7. each year's spending, grants plus one bimtek session per active region, in integer
   rupiah, is within that year's budget.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Rules:
    """What a plan must satisfy. Money in integer rupiah, counts in persons.

    ``years``: planning years ascending. ``codes``: BPS codes. ``budgets_rp``: ``{year: Rp}``.
    ``cost_rp``: per recipient; ``session_rp``: per active region-year. ``min_share``: exact
    fraction of the previous year's count. ``eligible``/``baseline``: ``{code: persons}``.
    ``granted_before``: ``{code: persons}`` granted before the first planning year (the
    realised history), or None for the baseline counts. ``hold_harmless``: exact fraction of
    the baseline count every planning year keeps.
    """

    years: tuple[int, ...]
    codes: tuple[str, ...]
    budgets_rp: Mapping[int, int]
    cost_rp: int
    session_rp: int
    min_class: int
    min_share: Fraction
    coverage_year: int
    eligible: Mapping[str, int]
    baseline: Mapping[str, int]
    baseline_year: int
    granted_before: Mapping[str, int] | None = None
    hold_harmless: Fraction = Fraction(0)


def check_plan(rules: Rules, counts: Mapping[tuple[int, str], object]) -> list[str]:
    """Every rule broken by ``counts`` (``{(year, code): recipients}``), as sentences; [] when none.

    A missing (year, code) counts as 0.
    """
    problems: list[str] = []
    x: dict[tuple[int, str], int] = {}
    for year in rules.years:
        for code in rules.codes:
            value = counts.get((year, code), 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"{year} {code}: {value!r} is not a whole number of recipients >= 0")
                value = 0
            x[year, code] = int(value)
    for code in rules.codes:
        granted = rules.granted_before if rules.granted_before is not None else rules.baseline
        cumulative = granted.get(code, 0)
        base_count = rules.baseline.get(code, 0)
        previous = base_count
        previous_year = rules.baseline_year
        for year in rules.years:
            now = x[year, code]
            cumulative += now
            if cumulative > rules.eligible[code]:
                problems.append(
                    f"{code}: {cumulative} recipients by {year} (earlier grants included), above its eligible count "
                    f"{rules.eligible[code]}"
                )
            if 0 < now < rules.min_class:
                problems.append(f"{year} {code}: {now} recipients, below the minimum class {rules.min_class}")
            if previous > 0 and now == 0:
                problems.append(f"{year} {code}: inactive after being active in {previous_year} (hold-harmless)")
            if Fraction(now) < rules.min_share * previous:
                problems.append(
                    f"{year} {code}: {now} recipients, below {rules.min_share} of {previous} in {previous_year}"
                )
            if Fraction(now) < rules.hold_harmless * base_count:
                problems.append(
                    f"{year} {code}: {now} recipients, below {rules.hold_harmless} of its {base_count} in "
                    f"{rules.baseline_year} (hold-harmless)"
                )
            if year == rules.coverage_year and now == 0:
                problems.append(f"{year} {code}: not active in the coverage year")
            previous, previous_year = now, year
    for year in rules.years:
        grants = sum(x[year, c] for c in rules.codes) * rules.cost_rp
        sessions = sum(1 for c in rules.codes if x[year, c] > 0) * rules.session_rp
        if grants + sessions > rules.budgets_rp[year]:
            problems.append(
                f"{year}: spending Rp {grants + sessions:,} (grants {grants:,} + sessions {sessions:,}) above the "
                f"budget Rp {rules.budgets_rp[year]:,}".replace(",", ".")
            )
    return problems


def counts_of(years: Sequence[int], codes: Sequence[str], matrix) -> dict[tuple[int, str], int]:
    """``{(year, code): count}`` from a (years x regions) array of whole numbers."""
    return {(year, code): int(matrix[i][j]) for i, year in enumerate(years) for j, code in enumerate(codes)}


def smallest_counts(rules: Rules, code: str) -> dict[int, int]:
    """The smallest counts per year that region ``code`` can have under the rules, whatever the budgets.

    A region must be active from the first year when it had recipients in the baseline, and
    from the coverage year on in any case (delaying activity to then is never worse); an
    active year needs at least the minimum class, the share of the previous year's count
    and the hold-harmless share of the baseline count. Each year's smallest count is the
    smallest the previous year's allows, so the sequence is the smallest everywhere at
    once: if its cumulative grants exceed the eligible count, no plan exists for this
    region with any budget. Returns ``{year: persons}``.
    """
    base_count = rules.baseline.get(code, 0)
    previous, active = base_count, base_count > 0
    out: dict[int, int] = {}
    for year in rules.years:
        active = active or year >= rules.coverage_year
        if not active:
            out[year] = 0
            continue
        need = max(
            rules.min_class,
            math.ceil(rules.min_share * previous),
            math.ceil(rules.hold_harmless * base_count),
        )
        out[year] = need
        previous = need
    return out


def regions_beyond_eligible(rules: Rules) -> list[tuple[str, dict[int, int], int, int]]:
    """Regions that no budget can serve: ``(code, smallest counts by year, granted before, eligible)``
    for every region whose smallest counts (:func:`smallest_counts`) plus its earlier grants
    exceed its eligible count, in code order."""
    granted = rules.granted_before if rules.granted_before is not None else rules.baseline
    out = []
    for code in rules.codes:
        counts = smallest_counts(rules, code)
        before = granted.get(code, 0)
        if before + sum(counts.values()) > rules.eligible[code]:
            out.append((code, counts, before, rules.eligible[code]))
    return out
