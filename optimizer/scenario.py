"""Scenario files (TOML) -> a frozen, fully checked :class:`Scenario`.

A scenario is data, read with :mod:`tomllib`; nothing in it is evaluated. Every key is
checked: an unknown key, a wrong type or an out-of-range value is an error that names
the file and the dotted key. ``extends = "other.toml"`` makes a scenario a modified copy
of another (tables merge key by key, the child wins), the way a reform modifies a
baseline. The fields are documented in ``scenarios/README.md``.

Constants and their sources:

* The grant per recipient is a dated parameter (``data/parameters.toml``, read by
  :mod:`optimizer.programme`): a scenario takes the value in force in its fiscal year, or
  the value of ``costs.grant_year`` (2023: the SK rule), or sets ``costs.grant_rp`` itself.
  :attr:`Scenario.grant_rule` records which, every output names the value, its year and
  its reference.
* ``GRANT_RP`` = Rp 3.000.000 per recipient, paid as goods: the SK 40.9/33/DS.V/2023 rule
  and the user's brief; the default of a :class:`Scenario` built in code.
* Eligibility (women aged 18-59, DTKS and P3KE, not PKH/KUBE): the same SK.

What a file may hold is :mod:`optimizer.scenario_schema`; how its tables become checked
values is :mod:`optimizer.scenario_tables`; this module reads the file (and the files it
extends), builds the :class:`Scenario` and checks it as a whole, and finds shipped scenarios.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import programme, tomlfile
from .errors import InputError
from .i18n import Count, Rupiah
from .problem import METHODS, canonical_method
from .regions import kaltim_registry
from .scenario_schema import (
    COMPETING_RULES,
    DESCRIPTIVE,
    DOCUMENT_KEYS,
    ELIGIBLE_SOURCES,
    GRANT_RP,
    GRANT_RULES,
    GRANT_SOURCE,
    KEY_HELP,
    MAX_WEIGHT,
    PROXIES,
    RATIONALE_KEYS,
    SCHEMA,
    TRANSLATABLE,
    WEIGHT_KEYS,
)
from .scenario_tables import Rationale, _document, _grant, _include, _locks, _rationale, region_counts


@dataclass(frozen=True)
class EligibleSpec:
    """Where eligible counts come from.

    ``source``: ``'proxy'`` (an estimate from published indicators, named in every
    output), ``'file'`` (a CSV/XLSX of counts keyed by BPS code, e.g. from ``wrse
    screen``) or ``'data'`` (an ``eligible`` indicator in the data set). ``proxy``: one of
    :data:`PROXIES`. ``year``: the indicator year for the proxy or data. ``file``: path.
    """

    source: str = "proxy"
    proxy: str = "poor_population"
    year: int | None = None
    population_year: int | None = None
    file: Path | None = None


@dataclass(frozen=True)
class Scenario:
    """A checked scenario. Money in integer rupiah; region keys are BPS codes.

    ``include``: BPS codes of the regions included, or None for every unit of the data
    set. ``weights``: as written (not yet normalised). ``floors``/``caps``/``locks``:
    ``{bps_code: recipients}``. ``idg_reference``: a number, or None for the provincial
    IDG of ``idg_year``. ``files``: the scenario file and every file it extends.
    ``grant_rule``: how ``grant_rp`` was chosen: ``in_force`` (the dated value in force in
    ``fiscal_year``), ``chosen_year`` (the value of ``costs.grant_year``) or ``own`` (set
    by the scenario); ``grant_value``: the dated parameter value used (None for ``own``).
    ``grant_source``: its citable reference. ``baseline``: the scenario this one is compared
    against by default (``wrse compare``, the report), e.g. the realised 2025 allocation.
    ``realised_year``: the year of the realised history whose per-region counts are the
    scenario's ``locks`` (``constraints.realised_year``), or None. ``competing``: the rule
    that picks one of competing published values (:mod:`optimizer.competing`).
    ``screening_database``/``dtsen_max_desil``: the data-base criterion ``wrse screen`` applies
    (``dtks_p3ke``, the SK's 2023 wording, or ``dtsen`` with a desil limit 1-10).
    ``written_budget_rp``/``written_method``: the budget and method the scenario file wrote,
    kept when the command line overrode them (:func:`optimizer.engine.with_overrides`), so a
    title that quotes them is not shown as if it described the numbers used; None otherwise.
    """

    name: str
    title: str
    fiscal_year: int
    budget_rp: int
    idg_year: int
    poverty_year: int
    description: str = ""
    assumptions: tuple[str, ...] = ()
    method: str = "sainte-lague"
    grant_rp: int = GRANT_RP
    grant_source: str = GRANT_SOURCE
    grant_rule: str = "own"
    grant_value: programme.GrantValue | None = None
    baseline: Path | None = None
    realised_year: int | None = None
    competing: str = "official_release"
    screening_database: str = "dtks_p3ke"
    dtsen_max_desil: int | None = None
    bimtek_per_recipient_rp: int = 0
    include: tuple[str, ...] | None = None
    allow_fallback: bool = False
    idg_reference: float | None = None
    eligible: EligibleSpec = field(default_factory=EligibleSpec)
    weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"idg_gap": 1.0, "poverty_rate": 1.0, "eligible": 1.0})
    )
    floor_all: int = 0
    cap_all: int | None = None
    floors: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    caps: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    locks: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    rationale: Mapping[str, Rationale] = field(default_factory=lambda: MappingProxyType({}))
    document: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None
    files: tuple[Path, ...] = ()
    written_budget_rp: int | None = None
    written_method: str | None = None

    @property
    def cost_per_recipient_rp(self) -> int:
        """Grant plus bimtek cost per recipient, integer rupiah."""
        return self.grant_rp + self.bimtek_per_recipient_rp

    def replace(self, **changes: Any) -> Scenario:
        """A modified copy (e.g. another budget or method), checked like the original."""
        updated = dataclasses.replace(self, **changes)
        _check(updated, reference(self))
        return updated


# ------------------------------------------------------------------------ locating


def shipped_dir() -> Path:
    """The folder of the shipped scenarios (``scenarios/`` in the source tree).

    Installed, they are the package data ``optimizer.scenarios``; run from a source
    checkout without installing, they are the ``scenarios/`` folder beside the package.
    """
    try:
        return Path(str(resources.files("optimizer.scenarios")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "scenarios"


def shipped_scenarios() -> list[Path]:
    """Shipped scenario files (excluding roadmaps), sorted by name."""
    return sorted(p for p in shipped_dir().glob("*.toml") if not p.name.startswith("roadmap"))


def _shipped_by_name() -> dict[str, Path]:
    """The shipped scenarios by name (``next-fiscal-year``) and by file name (``next-fiscal-year.toml``)."""
    found = shipped_scenarios()
    return {p.stem: p for p in found} | {p.name: p for p in found}


def _shipped_list() -> str:
    """The shipped scenarios' names, comma-separated (for messages)."""
    return ", ".join(p.stem for p in shipped_scenarios())


def shown_method(scenario: Scenario, method: str | None = None) -> str:
    """The method to name for ``scenario``'s counts: ``"realised"`` when every region is locked
    to its realised count (``constraints.realised_year``: the counts are what the province did,
    no rounding method chose them), else ``method`` (the method of a run, default the
    scenario's). A key of the ``[method]`` messages."""
    method = method or scenario.method
    if scenario.realised_year is None:
        return method
    codes = scenario.include if scenario.include is not None else tuple(r.code for r in kaltim_registry().regions)
    return "realised" if all(code in scenario.locks for code in codes) else method


DEFAULT_BASELINE = "baseline-2023"  # the 2023 programme; the baseline of a report whose scenario names none


def reference(scenario: Scenario) -> str:
    """How a command and a message name ``scenario``: a shipped one by its name (the file's stem,
    ``next-fiscal-year``), not the path it is installed at; a planner's file by its path."""
    if scenario.path is None:
        return scenario.name
    if scenario.path.parent.resolve() == shipped_dir().resolve():
        return scenario.path.stem
    return str(scenario.path)


def report_baseline(scenario: Scenario) -> str | None:
    """The scenario ``wrse report`` compares ``scenario`` with when ``--baseline`` is not given:
    its own ``scenario.baseline`` (as a path), else :data:`DEFAULT_BASELINE`; None for the
    default baseline itself (a scenario is not compared with itself). ``wrse scenarios`` lists it."""
    if scenario.baseline is not None:
        return str(scenario.baseline)
    own = scenario.path.stem if scenario.path is not None else scenario.name
    return None if own == DEFAULT_BASELINE else DEFAULT_BASELINE


def locate(reference: str | Path) -> Path:
    """Find a scenario by path, or by the name of a shipped scenario (``baseline-2023``).

    Raises :class:`InputError` listing the shipped names when nothing matches.
    """
    roadmaps = {p.stem for p in shipped_dir().glob("roadmap-*.toml")}
    if str(reference) in roadmaps:
        raise InputError("scenario.shipped_roadmap_scenario_wrse", reference=reference)
    return tomlfile.locate(reference, shipped_scenarios(), "scenario")


# ------------------------------------------------------------------------ reading


def _merge(base: dict, child: dict) -> dict:
    merged = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_chain(path: Path, seen: tuple[Path, ...] = (), lang: str = "id") -> tuple[dict, tuple[Path, ...]]:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p.name) for p in (*seen, resolved))
        raise InputError("scenario.extends_makes_cycle_chain", path=path, chain=chain)
    raw = tomlfile.read_toml(path, "scenario")
    raw = tomlfile.in_language(raw, tomlfile.translations(raw, TRANSLATABLE, str(path)), lang)
    parent = raw.pop("extends", None)
    if parent is None:
        return raw, (*seen, resolved)
    if not isinstance(parent, str) or not parent.strip():
        raise InputError("scenario.extends_must_path_another", path=path)
    parent_path = (path.parent / parent).resolve()
    if not parent_path.is_file():
        shipped = _shipped_by_name()
        if parent not in shipped:
            raise InputError("scenario.extends_names_which_neither", path=path, parent=parent, items=_shipped_list())
        parent_path = shipped[parent].resolve()
    base, chain = _load_chain(parent_path, (*seen, resolved), lang)
    # What describes the parent file (its name, title, description, assumptions) is not
    # inherited: the child changes the numbers, so the parent's words may no longer hold.
    base = {**base, "scenario": {k: v for k, v in base.get("scenario", {}).items() if k not in DESCRIPTIVE}}
    # Likewise a reason given for a choice the child changes, and the parent's document heading.
    base.pop("document", None)
    changed = _changed_choices(raw)
    if "rationale" in base:
        base["rationale"] = {k: v for k, v in base["rationale"].items() if k not in changed}
    return _merge(base, raw), chain


def _changed_choices(raw: dict) -> set[str]:
    """The choices (keys of ``[rationale]``) that the scenario file ``raw`` sets itself."""
    constraints = raw.get("constraints", {})
    changed = {key for key in ("floors", "caps", "locks") if key in constraints}
    if "floor_all" in constraints:
        changed.add("floors")
    if "cap_all" in constraints:
        changed.add("caps")
    if "weights" in raw:
        changed.add("weights")
    if "budget" in raw.get("scenario", {}):
        changed.add("budget")
    if "idg_reference" in raw.get("indicators", {}):
        changed.add("idg_reference")
    return changed


def load(reference: str | Path, lang: str = "id") -> Scenario:
    """Read and check a scenario file (path or shipped name); see the module docstring.

    ``lang``: the language of the scenario's texts (title, description, assumptions, grant
    source, rationale): ``id``, as the file is written, or ``en``, the file's ``[en]`` table
    where it gives one (:data:`TRANSLATABLE`; a text without an English version stays as written).

    Raises :class:`InputError` naming the file and dotted key for any unknown key, wrong
    type, unreadable amount, unknown method, region, weight or proxy.
    """
    path = locate(reference)
    raw, chain = _load_chain(path, lang=lang)
    src = str(path)
    if "roadmap" in raw and "scenario" not in raw:
        raise InputError("scenario.roadmap_roadmap_table_wrse", src=src, name=path.name)
    tomlfile.check_schema(raw, SCHEMA, src, also="'extends'")
    scen = raw.get("scenario", {})
    for required in ("fiscal_year", "budget"):
        if required not in scen:
            raise InputError("scenario.scenario_missing_scenario_table", src=src, required=required)
    ind = raw.get("indicators", {})
    for required in ("idg_year", "poverty_year"):
        if required not in ind:
            raise InputError("scenario.indicators_missing_year_such", src=src, required=required)
    costs = raw.get("costs", {})
    elig = raw.get("eligible", {})
    cons = raw.get("constraints", {})
    weights = raw.get("weights")
    if not weights:
        raise InputError("scenario.table_weights_missing_idg", src=src)
    method_text = scen.get("method", "sainte-lague")
    method = canonical_method(method_text)
    if method is None:
        raise InputError("scenario.scenario_method", src=src, method_text=method_text, methods=", ".join(METHODS))
    reference_value = ind.get("idg_reference")
    if isinstance(reference_value, str):
        if reference_value.strip().lower() != "provincial":
            raise InputError("scenario.indicators_idg_reference_provincial", src=src, reference_value=reference_value)
        reference_value = None
    elif reference_value is not None:
        reference_value = float(reference_value)
    eligible = EligibleSpec(
        source=str(elig.get("source", "proxy")).strip().lower(),
        proxy=str(elig.get("proxy", "poor_population")).strip().lower(),
        year=elig.get("year"),
        population_year=elig.get("population_year"),
        file=(path.parent / elig["file"]) if "file" in elig else None,
    )
    include = _include(raw.get("regions", {}).get("include"), src)
    scenario = Scenario(
        name=scen.get("name", path.stem),
        title=scen.get("title", scen.get("name", path.stem)),
        description=" ".join(scen.get("description", "").split()),
        assumptions=tuple(tomlfile.strings_at(scen.get("assumptions", []), src, "scenario.assumptions")),
        fiscal_year=scen["fiscal_year"],
        budget_rp=tomlfile.amount_at(scen["budget"], src, "scenario.budget"),
        method=method,
        **_grant(costs, scen["fiscal_year"], src),
        bimtek_per_recipient_rp=tomlfile.amount_at(
            costs.get("bimtek_per_recipient_rp", 0), src, "costs.bimtek_per_recipient_rp"
        ),
        include=include,
        idg_year=ind["idg_year"],
        poverty_year=ind["poverty_year"],
        allow_fallback=ind.get("allow_fallback", False),
        competing=str(ind.get("competing", "official_release")).strip().lower(),
        screening_database=str(raw.get("screening", {}).get("database", "dtks_p3ke")).strip().lower(),
        dtsen_max_desil=raw.get("screening", {}).get("dtsen_max_desil"),
        idg_reference=reference_value,
        eligible=eligible,
        weights=MappingProxyType({k: float(v) for k, v in weights.items()}),
        floor_all=cons.get("floor_all", 0),
        cap_all=cons.get("cap_all"),
        floors=region_counts(cons.get("floors", {}), src, "constraints.floors"),
        caps=region_counts(cons.get("caps", {}), src, "constraints.caps"),
        locks=_locks(cons, src),
        realised_year=cons.get("realised_year"),
        rationale=_rationale(raw.get("rationale", {}), src),
        document=_document(raw.get("document", {}), src),
        path=path,
        files=chain,
        baseline=_baseline(scen.get("baseline"), path, src),
    )
    _check(scenario, src)
    return scenario


def _baseline(reference: str | None, path: Path, src: str) -> Path | None:
    """``scenario.baseline``: a scenario file next to this one or a shipped name, as a path."""
    if reference is None:
        return None
    beside = path.parent / reference
    if beside.is_file():
        return beside
    shipped = _shipped_by_name()
    if reference not in shipped:
        raise InputError("scenario.scenario_baseline_names_which", src=src, reference=reference, items=_shipped_list())
    if shipped[reference].resolve() == path.resolve():
        raise InputError("scenario.scenario_baseline_names_scenario", src=src)
    return shipped[reference]


def _check(s: Scenario, src: str) -> None:
    if not 2000 <= s.fiscal_year <= 2100:
        raise InputError("scenario.scenario_fiscal_year_year", src=src, fiscal_year=s.fiscal_year)
    for key, year in (("indicators.idg_year", s.idg_year), ("indicators.poverty_year", s.poverty_year)):
        if not 1990 <= year <= 2100:
            raise InputError("scenario.year_such", src=src, key=key, year=year)
    if s.grant_rp <= 0:
        raise InputError("scenario.costs_grant_rp_positive", src=src, grant_rp=s.grant_rp)
    if s.budget_rp < s.cost_per_recipient_rp:
        raise InputError(
            "scenario.scenario_budget_below_cost",
            src=src,
            budget_rp=Rupiah(s.budget_rp),
            cost_per_recipient_rp=Rupiah(s.cost_per_recipient_rp),
        )
    if s.screening_database not in ("dtks_p3ke", "dtsen"):
        raise InputError("scenario.screening_database_dtks_p", src=src, screening_database=s.screening_database)
    if s.screening_database == "dtsen" and (s.dtsen_max_desil is None or not 1 <= s.dtsen_max_desil <= 10):
        raise InputError("scenario.screening_dtsen_max_desil", src=src, dtsen_max_desil=s.dtsen_max_desil)
    if s.screening_database != "dtsen" and s.dtsen_max_desil is not None:
        raise InputError("scenario.screening_dtsen_max_desil_2", src=src)
    if s.competing not in COMPETING_RULES:
        raise InputError(
            "scenario.indicators_competing", src=src, competing=s.competing, competing_rules=", ".join(COMPETING_RULES)
        )
    if s.method not in METHODS:
        raise InputError("scenario.scenario_method_2", src=src, method=s.method, methods=", ".join(METHODS))
    if s.idg_reference is not None and not 0 <= s.idg_reference <= 100:
        raise InputError("scenario.indicators_idg_reference_index", src=src, idg_reference=s.idg_reference)
    for key, value in s.weights.items():
        if key not in WEIGHT_KEYS:
            raise InputError("scenario.unknown_weights", src=src, key=key, weight_keys=", ".join(WEIGHT_KEYS))
        if not 0 <= value <= MAX_WEIGHT:  # also false for NaN
            raise InputError(
                "scenario.weights_weight", src=src, key=key, value=value, max_weight=Count(int(MAX_WEIGHT))
            )
    if not any(v > 0 for v in s.weights.values()):
        raise InputError("scenario.every_weights_least_positive", src=src)
    e = s.eligible
    if e.source not in ELIGIBLE_SOURCES:
        raise InputError(
            "scenario.eligible_source", src=src, source=e.source, eligible_sources=", ".join(ELIGIBLE_SOURCES)
        )
    if e.source == "proxy" and e.proxy not in PROXIES:
        raise InputError("scenario.eligible_proxy", src=src, proxy=e.proxy, proxies=", ".join(PROXIES))
    if e.source == "file" and e.file is None:
        raise InputError("scenario.eligible_file_missing_path", src=src)
    if e.source in ("proxy", "data") and e.year is None:
        raise InputError("scenario.eligible_year_missing_indicator", src=src)
    if e.source == "proxy" and e.proxy == "poverty_rate_x_population" and e.population_year is None:
        raise InputError("scenario.eligible_population_year_missing", src=src)
    for key, count in (("floor_all", s.floor_all), ("cap_all", s.cap_all)):
        if count is not None and count < 0:
            raise InputError("scenario.constraints_floor_all_cap", src=src, key=key, count=count)
    if s.cap_all is not None and s.floor_all > s.cap_all:
        raise InputError("scenario.constraints_floor_all_above", src=src, floor_all=s.floor_all, cap_all=s.cap_all)
    for code, floor in s.floors.items():
        cap = s.caps.get(code, s.cap_all)
        if cap is not None and floor > cap:
            raise InputError("scenario.constraints_floors_above_cap", src=src, code=code, floor=floor, cap=cap)
    for code in s.locks:
        if code in s.floors or code in s.caps:
            raise InputError("scenario.region_lock_floor_cap", src=src, code=code)
    total_locked = sum(s.locks.values())
    if total_locked * s.cost_per_recipient_rp > s.budget_rp:
        raise InputError(
            "scenario.constraints_locks_fixes_recipients",
            src=src,
            total_locked=total_locked,
            value_rp=Rupiah(total_locked * s.cost_per_recipient_rp),
            budget_rp=Rupiah(s.budget_rp),
        )
    if s.include is not None:
        for key, mapping in (("floors", s.floors), ("caps", s.caps), ("locks", s.locks)):
            outside = [c for c in mapping if c not in s.include]
            if outside:
                raise InputError(
                    "scenario.constraints_names_regions_include", src=src, key=key, outside=", ".join(outside)
                )


__all__ = [
    "COMPETING_RULES",
    "DESCRIPTIVE",
    "DOCUMENT_KEYS",
    "ELIGIBLE_SOURCES",
    "GRANT_RP",
    "GRANT_RULES",
    "GRANT_SOURCE",
    "KEY_HELP",
    "MAX_WEIGHT",
    "PROXIES",
    "RATIONALE_KEYS",
    "SCHEMA",
    "TRANSLATABLE",
    "WEIGHT_KEYS",
    "EligibleSpec",
    "Rationale",
    "Scenario",
    "load",
    "locate",
    "region_counts",
    "report_baseline",
    "shipped_dir",
    "shipped_scenarios",
    "shown_method",
]
