"""Roadmap files (TOML) -> a frozen, fully checked :class:`Roadmap` for ``wrse plan``.

A roadmap says how the programme grows from its baseline year to all kabupaten/kota: the
planning years, the budget of each year (listed, or a start and a growth rate), the year by
which every region must be covered, the bimtek session cost and minimum class, the
hold-harmless share, and the baseline year's allocation. The need formula (data, weights,
indicator years, eligible counts, grant cost, method) comes from a scenario the roadmap
names. Every key is checked as in :mod:`optimizer.scenario`: an unknown key, a wrong type
or an out-of-range value is an error naming the file and the dotted key. The format is
documented in ``scenarios/README.md`` (section "Roadmaps").

Budgets from a start and a growth rate: ``budget_y = floor(start * (1 + g/100) ** (y - first_year))``
in exact decimal arithmetic, whole rupiah.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import tomlfile
from ..errors import InputError
from ..scenario import region_counts, shipped_dir

ROADMAP_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "roadmap": {
        "name": str,
        "title": str,
        "description": str,
        "scenario": str,
        "first_year": int,
        "last_year": int,
        "coverage_year": int,
        "assumptions": list,
    },
    "budget": {"start": (int, str), "growth_pct": (int, float), "per_year": dict, "source": str},
    "bimtek": {"session_rp": (int, str), "min_class": int, "source": str},
    "rules": {"min_share_of_previous_pct": (int, float), "hold_harmless_pct": (int, float)},
    "baseline": {"year": int, "scenario": str, "recipients": dict, "label": str},
    "history": {"granted_through": int},
}
MAX_YEARS = 30
#: The texts a roadmap may give in English in its ``[en]`` table, at the same place (as a scenario does).
ROADMAP_TRANSLATABLE: dict[str, type] = {
    "roadmap.title": str,
    "roadmap.description": str,
    "roadmap.assumptions": list,
    "budget.source": str,
    "bimtek.source": str,
    "baseline.label": str,
}


@dataclass(frozen=True)
class Baseline:
    """The baseline year's allocation.

    ``year``: the last year with a known allocation. ``scenario``: the scenario whose
    allocation stands for it (path), or None when ``recipients`` lists the counts.
    ``recipients``: ``{bps_code: persons}`` when given in the file (else empty; the counts
    then come from solving ``scenario``). ``label``: how the counts are known, shown in every
    output.
    """

    year: int
    scenario: Path | None
    recipients: MappingProxyType
    label: str


@dataclass(frozen=True)
class Roadmap:
    """A checked roadmap. Money in integer rupiah.

    ``budgets``: ``{year: rupiah}`` for every planning year ``first_year..last_year``.
    ``budget_form``: ``'per_year'`` or ``'growth'`` (then ``budget_start_rp`` and
    ``growth_pct`` are set). ``session_rp``: cost of one bimtek session (one region, one
    year). ``min_class``: recipients per active region-year (>= 1).
    ``min_share_of_previous``: exact fraction (0..1) of the previous year's count a region
    keeps. ``scenario``: path of the need scenario. ``hold_harmless``: exact fraction (0..1)
    of its baseline-year count (e.g. the realised 2025 counts) a region keeps in every
    planning year (``rules.hold_harmless_pct``). ``granted_through``: the last year of the
    realised history (:func:`optimizer.programme.granted_through`) whose recipients are no
    longer in the pool (one grant per person), or None (only the baseline counts are).
    """

    name: str
    title: str
    scenario: Path
    first_year: int
    last_year: int
    coverage_year: int
    budgets: MappingProxyType
    budget_form: str
    session_rp: int
    min_class: int
    min_share_of_previous: Fraction
    baseline: Baseline
    hold_harmless: Fraction = Fraction(0)
    granted_through: int | None = None
    description: str = ""
    assumptions: tuple[str, ...] = ()
    budget_start_rp: int | None = None
    growth_pct: Fraction | None = None
    budget_source: str = ""
    session_source: str = ""
    path: Path | None = None
    language: str = "id"

    @property
    def years(self) -> tuple[int, ...]:
        """The planning years, ascending."""
        return tuple(range(self.first_year, self.last_year + 1))

    def with_budgets(self, budgets: dict[int, int]) -> Roadmap:
        """A copy with other yearly budgets (int rupiah), e.g. to test the smallest feasible ones."""
        from dataclasses import replace

        return replace(self, budgets=MappingProxyType(dict(budgets)), budget_form="per_year")


def growth_budgets(start_rp: int, growth_pct: Fraction, years: tuple[int, ...]) -> dict[int, int]:
    """``floor(start * (1 + g/100) ** t)`` for each year (t = years since the first), exact."""
    factor = 1 + growth_pct / 100
    return {year: math.floor(start_rp * factor ** (year - years[0])) for year in years}


def locate_roadmap(reference: str | Path) -> Path:
    """Find a roadmap by path or by the name of a shipped one (``roadmap-all-ten-2027``).

    Raises :class:`InputError` listing the shipped roadmaps when nothing matches.
    """
    from ..scenario import shipped_scenarios

    if str(reference) in {p.stem for p in shipped_scenarios()}:
        raise InputError("analysis.roadmap.shipped_scenario_roadmap_wrse", reference=reference)
    return tomlfile.locate(reference, shipped_roadmaps(), "roadmap")


def shipped_roadmaps() -> list[Path]:
    """Shipped roadmap files (``scenarios/roadmap-*.toml``), sorted by name."""
    return sorted(shipped_dir().glob("roadmap-*.toml"))


def building_on(scenario_path: Path | None, lang: str = "id") -> tuple[Roadmap, ...]:
    """The shipped roadmaps whose need scenario (``roadmap.scenario``) is the file
    ``scenario_path`` (e.g. roadmap-2027-uep for proposal-2027-uep), read and checked by
    :func:`load` with their texts in ``lang``; empty for a scenario no shipped roadmap uses, or None."""
    if scenario_path is None:
        return ()
    target = Path(scenario_path).resolve()
    found = []
    for path in shipped_roadmaps():
        roadmap = load(path, lang)
        if Path(roadmap.scenario).resolve() == target:
            found.append(roadmap)
    return tuple(found)


def _required(table: dict, name: str, key: str, src: str, example: str) -> Any:
    if key not in table:
        raise InputError("analysis.roadmap.missing", src=src, name=name, key=key, example=example)
    return table[key]


def _fraction(value: int | float) -> Fraction:
    """An exact fraction from a TOML number as written (``7.5`` -> 15/2, not the binary float)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _scenario_path(reference: str, base: Path, src: str, key: str) -> Path:
    from ..scenario import locate

    beside = base.parent / reference
    if beside.is_file():
        return beside
    try:
        return locate(reference)
    except InputError:
        raise InputError("analysis.roadmap.names_which_neither_file", src=src, key=key, reference=reference) from None


def load(reference: str | Path, lang: str = "id") -> Roadmap:
    """Read and check a roadmap file (path or shipped name); see the module docstring.

    ``lang``: the language of its texts (``id`` as written, or ``en`` from its ``[en]`` table,
    :data:`ROADMAP_TRANSLATABLE`); the scenarios it names are read in that language too.

    Raises :class:`InputError` naming the file and dotted key for any unknown key, wrong
    type, missing key, unreadable amount, year out of order or value out of range.
    """
    path = locate_roadmap(reference)
    src = str(path)
    raw = tomlfile.read_toml(path, "roadmap")
    raw = tomlfile.in_language(raw, tomlfile.translations(raw, ROADMAP_TRANSLATABLE, src), lang)
    if "scenario" in raw and "roadmap" not in raw:
        raise InputError("analysis.roadmap.scenario_scenario_table_wrse", src=src, name=path.name)
    tomlfile.check_schema(raw, ROADMAP_SCHEMA, src)
    head = raw.get("roadmap", {})
    budget = raw.get("budget", {})
    bimtek = raw.get("bimtek", {})
    rules = raw.get("rules", {})
    base = raw.get("baseline", {})
    if not head:
        raise InputError("analysis.roadmap.table_roadmap_missing_scenario", src=src)
    scenario_ref = _required(head, "roadmap", "scenario", src, 'the need scenario, e.g. "next-fiscal-year"')
    first = _required(head, "roadmap", "first_year", src, "the first planning year, e.g. 2024")
    last = _required(head, "roadmap", "last_year", src, "the last planning year, e.g. 2028")
    coverage = _required(head, "roadmap", "coverage_year", src, "the year by which every region is covered")
    for key, year in (("first_year", first), ("last_year", last), ("coverage_year", coverage)):
        if not 2000 <= year <= 2100:
            raise InputError("analysis.roadmap.roadmap_year_such", src=src, key=key, year=year)
    if last < first:
        raise InputError("analysis.roadmap.roadmap_last_year_before", src=src, last=last, first=first)
    if last - first + 1 > MAX_YEARS:
        raise InputError(
            "analysis.roadmap.roadmap_spans_years_most", src=src, value=last - first + 1, max_years=MAX_YEARS
        )
    if not first <= coverage <= last:
        raise InputError(
            "analysis.roadmap.roadmap_coverage_year_planning", src=src, coverage=coverage, first=first, last=last
        )
    years = tuple(range(first, last + 1))

    # Budgets: per year, or a start and a growth rate (not both).
    has_list = "per_year" in budget
    has_growth = "start" in budget or "growth_pct" in budget
    if has_list == has_growth:
        raise InputError("analysis.roadmap.table_budget_needs_either", src=src)
    start_rp = growth = None
    if has_list:
        budgets: dict[int, int] = {}
        for key, value in budget["per_year"].items():
            if not str(key).isdigit() or not first <= int(key) <= last:
                raise InputError("analysis.roadmap.budget_per_year_planning", src=src, key=key, first=first, last=last)
            budgets[int(key)] = tomlfile.amount_at(value, src, f"budget.per_year.{key}")
        missing = [y for y in years if y not in budgets]
        if missing:
            raise InputError("analysis.roadmap.budget_per_year_missing", src=src, missing=missing[0])
        form = "per_year"
    else:
        start_rp = tomlfile.amount_at(
            _required(budget, "budget", "start", src, "the first year's budget"), src, "budget.start"
        )
        growth_value = _required(budget, "budget", "growth_pct", src, "a yearly growth in percent, e.g. 10")
        growth = _fraction(growth_value)
        if not -100 < growth <= 1000:
            raise InputError("analysis.roadmap.budget_growth_pct_percentage", src=src, growth_value=growth_value)
        budgets = growth_budgets(start_rp, growth, years)
        form = "growth"

    session = tomlfile.amount_at(
        _required(bimtek, "bimtek", "session_rp", src, "the cost of one bimtek session"), src, "bimtek.session_rp"
    )
    min_class = _required(bimtek, "bimtek", "min_class", src, "the smallest class, in recipients, e.g. 5")
    if min_class < 1:
        raise InputError("analysis.roadmap.bimtek_min_class_least", src=src, min_class=min_class)
    share_value = rules.get("min_share_of_previous_pct", 0)
    share = _fraction(share_value) / 100
    if not 0 <= share <= 1:
        raise InputError("analysis.roadmap.rules_min_share_previous", src=src, share_value=share_value)

    harmless_value = rules.get("hold_harmless_pct", 0)
    harmless = _fraction(harmless_value) / 100
    if not 0 <= harmless <= 1:
        raise InputError("analysis.roadmap.rules_hold_harmless_pct", src=src, harmless_value=harmless_value)
    granted_through = raw.get("history", {}).get("granted_through")
    if granted_through is not None and not 2000 <= granted_through < first:
        raise InputError(
            "analysis.roadmap.history_granted_through_year", src=src, granted_through=granted_through, first=first
        )

    if not base:
        raise InputError("analysis.roadmap.table_baseline_missing_baseline", src=src)
    base_year = _required(base, "baseline", "year", src, "the baseline year, e.g. 2023")
    if not 2000 <= base_year < first:
        raise InputError("analysis.roadmap.baseline_year_year_before", src=src, base_year=base_year, first=first)
    if ("scenario" in base) == ("recipients" in base):
        raise InputError("analysis.roadmap.table_baseline_needs_either", src=src)
    if "scenario" in base:
        base_scenario = _scenario_path(base["scenario"], path, src, "baseline.scenario")
        recipients = MappingProxyType({})
        label = base.get(
            "label", f"allocation of scenario {base_scenario.stem} (modelled by need; the split is not published)"
        )
    else:
        base_scenario = None
        recipients = region_counts(base["recipients"], src, "baseline.recipients")
        label = base.get("label", "as given in the roadmap file")

    return Roadmap(
        name=head.get("name", path.stem),
        title=head.get("title", head.get("name", path.stem)),
        description=" ".join(head.get("description", "").split()),
        assumptions=tuple(tomlfile.strings_at(head.get("assumptions", []), src, "roadmap.assumptions")),
        scenario=_scenario_path(scenario_ref, path, src, "roadmap.scenario"),
        first_year=first,
        last_year=last,
        coverage_year=coverage,
        budgets=MappingProxyType(dict(sorted(budgets.items()))),
        budget_form=form,
        budget_start_rp=start_rp,
        growth_pct=growth,
        budget_source=" ".join(budget.get("source", "").split()),
        session_rp=session,
        session_source=" ".join(bimtek.get("source", "").split()),
        min_class=min_class,
        min_share_of_previous=share,
        hold_harmless=harmless,
        granted_through=granted_through,
        baseline=Baseline(year=base_year, scenario=base_scenario, recipients=recipients, label=label),
        path=path,
        language=lang,
    )


__all__ = ["Baseline", "Roadmap", "growth_budgets", "load", "locate_roadmap", "shipped_roadmaps"]
