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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import programme, tomlfile
from .errors import InputError
from .i18n import Count, Rupiah
from .problem import METHODS, canonical_method
from .regions import kaltim_registry, normalise_name

GRANT_RP = 3_000_000
COMPETING_RULES = ("official_release", "source_document")  # optimizer.competing.RULES
GRANT_RULES = ("in_force", "chosen_year", "own")  # labels: messages [grant]
GRANT_SOURCE = (
    "Rp 3.000.000 per penerima (barang modal usaha): program WRSE Dinas Sosial Prov. Kaltim, "
    "SK Kepala Dinas Sosial Prov. Kaltim No. 40.9/33/DS.V/2023"
)
WEIGHT_KEYS = ("idg_gap", "poverty_rate", "eligible")
DESCRIPTIVE = ("name", "title", "description", "assumptions")  # [scenario] keys that describe one file
MAX_WEIGHT = 1_000_000  # weights are relative (30/30/40); a larger number is a typo and overflows sums
PROXIES = ("poor_population", "poverty_rate_x_population", "female_headed_x_p0")
ELIGIBLE_SOURCES = ("proxy", "file", "data")

SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "scenario": {
        "name": str,
        "title": str,
        "description": str,
        "fiscal_year": int,
        "budget": (int, str),
        "method": str,
        "assumptions": list,
        "baseline": str,
    },
    "costs": {
        "grant_rp": (int, str),
        "grant_year": int,
        "bimtek_per_recipient_rp": (int, str),
        "grant_source": str,
    },
    "regions": {"include": (list, str)},
    "indicators": {
        "idg_year": int,
        "poverty_year": int,
        "allow_fallback": bool,
        "idg_reference": (int, float, str),
        "competing": str,
    },
    "eligible": {"source": str, "proxy": str, "year": int, "population_year": int, "file": str},
    "weights": {"idg_gap": (int, float), "poverty_rate": (int, float), "eligible": (int, float)},
    "screening": {"database": str, "dtsen_max_desil": int},
    "constraints": {
        "floor_all": int,
        "cap_all": int,
        "floors": dict,
        "caps": dict,
        "locks": dict,
        "realised_year": int,
    },
    # why the numbers are what they are: [rationale.<choice>] text = "…", reference = "…"
    "rationale": {key: dict for key in ("budget", "weights", "floors", "caps", "locks", "idg_reference")},
    # the telaahan staf's heading fields the tool cannot know (Indonesian office practice)
    "document": {
        "to": str,
        "from": str,
        "number": str,
        "classification": str,
        "attachment": str,
        "subject": str,
        "place": str,
        "date": str,
        "signatory_name": str,
        "signatory_title": str,
    },
}
RATIONALE_KEYS = ("budget", "weights", "floors", "caps", "locks", "idg_reference")
#: The texts a scenario file may give in English in its ``[en]`` table, at the same place
#: (``[en.scenario] title = "..."``, ``[en.rationale.budget] text = "..."``); ``--lang en`` shows them.
TRANSLATABLE: dict[str, type] = {
    "scenario.title": str,
    "scenario.description": str,
    "scenario.assumptions": list,
    "costs.grant_source": str,
    "rationale.*.text": str,
    "rationale.*.reference": str,
}

#: What each key of :data:`SCHEMA` means: the scenario reference (docs/scenarios.md) is generated from SCHEMA and
#: this table (``python docs/generate.py``); tests/test_docs.py fails when a key has no entry here.
KEY_HELP: dict[str, dict[str, str]] = {
    "scenario": {
        "name": "short name used in outputs and report folders (default: the file name)",
        "title": "one-line title for tables and reports",
        "description": "a paragraph for reports",
        "fiscal_year": "tahun anggaran (2000–2100); required",
        "budget": "APBD money for grants and bimtek, an amount; at least one recipient's cost; required",
        "method": "`sainte-lague` (= `webster`, the default) or `largest-remainder` (= `hamilton`)",
        "assumptions": "every assumption the scenario makes, shown in reports",
        "baseline": "the scenario this one is compared with by default (`wrse compare NAME`, `wrse report`): "
        "a file next to it or a shipped name",
    },
    "costs": {
        "grant_rp": "the scenario's own grant per recipient, an amount (default: the dated value in force in "
        "`fiscal_year`, from optimizer/data/parameters.toml); then `grant_source` says where it comes from",
        "grant_year": "take the dated grant of this year instead (2023: the SK 40.9/33/DS.V/2023 rule, Rp 3.000.000)",
        "bimtek_per_recipient_rp": "bimtek cost per recipient, an amount (default 0), added to the grant: "
        "cost per recipient = grant + bimtek, recipients affordable R = budget // cost",
        "grant_source": "where `grant_rp` comes from (only with `grant_rp`)",
    },
    "regions": {
        "include": '`"all"` (the default) or a list of the kabupaten/kota that take part (BPS codes or names); '
        "others get 0 and are still listed",
    },
    "indicators": {
        "idg_year": "year of the IDG figures (only 2019 is complete for all ten); required",
        "poverty_year": "year of P0 (March); required",
        "allow_fallback": "a region without that year's figure uses its latest earlier year (default false); "
        "every output shows the year used",
        "idg_reference": 'IDG_ref in idg_gap = max(0, IDG_ref − IDG): `"provincial"` (the default: the provincial '
        "IDG of `idg_year`) or a fixed index value",
        "competing": "which of two published values for one region and year is used: `official_release` (the "
        "default) or `source_document`",
    },
    "eligible": {
        "source": '`"proxy"`, `"file"` or `"data"`: where the eligible count per region comes from',
        "proxy": '`"poor_population"` or `"poverty_rate_x_population"`: the estimate used with '
        '`source = "proxy"`, named and marked as an estimate in every output',
        "year": "year of the proxy or data figures",
        "population_year": "population year for `poverty_rate_x_population`",
        "file": 'counts file for `source = "file"` (CSV/XLSX: `region_code, eligible[, priority]`), e.g. from '
        "`wrse screen`; `wrse run --eligible FILE` overrides this table",
    },
    "screening": {
        "database": 'the data-base criterion `wrse screen --scenario` applies: `"dtks_p3ke"` (the default: listed in '
        'DTKS and P3KE, the SK 40.9/33/DS.V/2023 wording) or `"dtsen"` (listed in DTSEN, desil 1–10; the list then '
        "needs a `Desil DTSEN` column)",
        "dtsen_max_desil": "the highest DTSEN desil admitted (1–10; required with `dtsen`): a policy choice, "
        "no default",
    },
    "weights": {
        "idg_gap": "weight of the IDG gap (index points below the reference)",
        "poverty_rate": "weight of P0 (%)",
        "eligible": "weight of the eligible count (persons)",
    },
    "constraints": {
        "floor_all": "a floor (minimum recipients) for every included region, e.g. a bimtek class",
        "cap_all": "a cap for every included region",
        "floors": "per-region floors `{region = n}` (the larger of this and `floor_all` applies)",
        "caps": "per-region caps `{region = n}` (replace `cap_all` for that region)",
        "locks": "`{region = n}`: the region gets exactly n (e.g. last year's actual); not together with its own "
        "floor or cap",
        "realised_year": "lock every region to its realised count of that year "
        "(optimizer/data/realised-recipients.csv); instead of `locks`",
    },
    "rationale": {
        key: f"why the scenario's {key.replace('_', ' ')} are what they are: a table with `text` and `reference` "
        "(a Renstra/RPJMD target, a TAPD decision, a regulation), printed in the report; without it the report "
        "says the choice is not yet justified"
        for key in RATIONALE_KEYS
    },
    "document": {
        "to": "telaahan staf: kepada (the addressee)",
        "from": "telaahan staf: dari (the sender)",
        "number": "telaahan staf: nomor (left as a visible blank when not given)",
        "classification": "telaahan staf: sifat",
        "attachment": "telaahan staf: lampiran",
        "subject": "telaahan staf: perihal",
        "place": "place of signing",
        "date": "tanggal (the date of issue)",
        "signatory_name": "nama of the signatory (left as a visible blank when not given)",
        "signatory_title": "jabatan of the signatory",
    },
}
DOCUMENT_KEYS = tuple(SCHEMA["document"])


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
class Rationale:
    """Why one choice of a scenario is what it is: ``text`` (the reason, in the reader's
    words) and ``reference`` (where it is decided: an RPJMD/Renstra target, a TAPD decision,
    a regulation), either possibly empty."""

    text: str = ""
    reference: str = ""


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

    @property
    def cost_per_recipient_rp(self) -> int:
        """Grant plus bimtek cost per recipient, integer rupiah."""
        return self.grant_rp + self.bimtek_per_recipient_rp

    def replace(self, **changes: Any) -> Scenario:
        """A modified copy (e.g. another budget or method), checked like the original."""
        updated = dataclasses.replace(self, **changes)
        _check(updated, str(self.path or self.name))
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
        shipped = {p.stem: p for p in shipped_scenarios()} | {p.name: p for p in shipped_scenarios()}
        if parent not in shipped:
            raise InputError(
                "scenario.extends_names_which_neither",
                path=path,
                parent=parent,
                items=", ".join(p.stem for p in shipped_scenarios()),
            )
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


def _locks(cons: dict, src: str) -> Mapping[str, int]:
    """``constraints.locks``, or the realised counts of ``constraints.realised_year``.

    The realised counts are the published figures and the province's reported equal splits
    of that year (:func:`optimizer.programme.realised_in`); a total whose split is not
    published is not a count per region and is left out. Raises :class:`InputError` when
    both keys are set or the year has no per-region figures.
    """
    if "realised_year" not in cons:
        return region_counts(cons.get("locks", {}), src, "constraints.locks")
    if "locks" in cons:
        raise InputError("scenario.constraints_locks_constraints_realised", src=src)
    year = cons["realised_year"]
    codes = tuple(r.code for r in kaltim_registry().regions)
    history = programme.realised_in(year, codes)
    counts = {c: n for c, n in history.counts.items() if n > 0}
    if not counts:
        years = sorted({r.year for r in programme.realised_rows() if r.split != "unpublished" and r.kind == "new"})
        raise InputError("scenario.constraints_realised_year_year", src=src, year=year, map=", ".join(map(str, years)))
    return MappingProxyType(dict(sorted(counts.items())))


def _baseline(reference: str | None, path: Path, src: str) -> Path | None:
    """``scenario.baseline``: a scenario file next to this one or a shipped name, as a path."""
    if reference is None:
        return None
    beside = path.parent / reference
    if beside.is_file():
        return beside
    shipped = {p.stem: p for p in shipped_scenarios()} | {p.name: p for p in shipped_scenarios()}
    if reference not in shipped:
        raise InputError(
            "scenario.scenario_baseline_names_which",
            src=src,
            reference=reference,
            items=", ".join(p.stem for p in shipped_scenarios()),
        )
    if shipped[reference].resolve() == path.resolve():
        raise InputError("scenario.scenario_baseline_names_scenario", src=src)
    return shipped[reference]


def _grant(costs: dict, fiscal_year: int, src: str) -> dict[str, Any]:
    """The grant fields of a :class:`Scenario` from its ``[costs]`` table (see the module docstring).

    Raises :class:`InputError` when both ``grant_rp`` and ``grant_year`` are set, when no dated
    value exists for the year asked, or when ``grant_rp`` is unreadable.
    """
    if "grant_rp" in costs and "grant_year" in costs:
        raise InputError("scenario.costs_grant_rp_costs", src=src)
    if "grant_rp" in costs:
        return {
            "grant_rp": tomlfile.amount_at(costs["grant_rp"], src, "costs.grant_rp"),
            "grant_source": costs.get("grant_source", GRANT_SOURCE),
            "grant_rule": "own",
            "grant_value": None,
        }
    known = ", ".join(str(v.year) for v in programme.grant_values())
    if "grant_year" in costs:
        value = programme.grant_of_year(costs["grant_year"])
        if value is None:
            raise InputError("scenario.costs_grant_year_year", src=src, grant_year=costs["grant_year"], known=known)
        rule = "chosen_year"
    else:
        value = programme.grant_in_force(fiscal_year) if isinstance(fiscal_year, int) else None
        if value is None and not (isinstance(fiscal_year, int) and 2000 <= fiscal_year <= 2100):
            return {"grant_rp": GRANT_RP}  # the fiscal year itself is wrong: _check names it
        if value is None:
            raise InputError("scenario.dated_grant_force_fiscal", src=src, fiscal_year=fiscal_year, known=known)
        rule = "in_force"
    if "grant_source" in costs:
        raise InputError("scenario.costs_grant_source_set", src=src)
    return {"grant_rp": value.value_rp, "grant_source": value.reference, "grant_rule": rule, "grant_value": value}


def _document(table: dict, src: str) -> Mapping[str, str]:
    """``[document]`` -> ``{key: text}`` (whitespace collapsed); ``date`` must be YYYY-MM-DD."""
    out = {k: " ".join(v.split()) for k, v in table.items()}
    if "date" in out:
        try:
            date.fromisoformat(out["date"])
        except ValueError:
            raise InputError("scenario.document_date_date_written", src=src, date=out["date"]) from None
    return MappingProxyType(out)


def _rationale(table: dict, src: str) -> Mapping[str, Rationale]:
    """``[rationale.<choice>]`` tables -> ``{choice: Rationale}``; each holds ``text`` and/or ``reference``."""
    out: dict[str, Rationale] = {}
    for choice, value in table.items():
        unknown = [k for k in value if k not in ("text", "reference")]
        if unknown:
            raise InputError("scenario.unknown_rationale_text_reference", src=src, choice=choice, unknown=unknown[0])
        for key in ("text", "reference"):
            if key in value and not isinstance(value[key], str):
                raise InputError("scenario.rationale_text", src=src, choice=choice, key=key, value=value[key])
        text, reference = (" ".join(str(value.get(k, "")).split()) for k in ("text", "reference"))
        if not (text or reference):
            raise InputError("scenario.table_rationale_empty_text", src=src, choice=choice)
        out[choice] = Rationale(text, reference)
    return MappingProxyType(out)


def _include(value: Any, src: str) -> tuple[str, ...] | None:
    """Resolve ``regions.include`` (``"all"`` or a list of codes/names) to BPS codes."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip().lower() in {"all", "semua"}:
            return None
        raise InputError("scenario.regions_include_all_list", src=src, value=value)
    codes = [_region_key(item, src, "regions.include") for item in value]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise InputError("scenario.regions_include_lists_twice", src=src, duplicates=", ".join(duplicates))
    if not codes:
        raise InputError("scenario.regions_include_empty_least", src=src)
    return tuple(sorted(codes))


def _region_key(item: Any, src: str, key: str) -> str:
    text = str(item).strip()
    if isinstance(item, bool) or not isinstance(item, (str, int)) or not text:
        raise InputError("scenario.holds_bps_code_such", src=src, key=key, item=item)
    if "." in text and text.replace(".", "").isdigit():
        region = kaltim_registry().by_kemendagri.get(text.replace(".", ""))
        raise InputError(
            "scenario.kemendagri_code",
            src=src,
            key=key,
            text=text,
            region=f" ({region.name}, BPS {region.code})" if region else "",
        )
    if text.isdigit():
        return text
    region = kaltim_registry().find_name(text)
    if region is None:
        raise InputError("scenario.holds_known_kabupaten_kota", src=src, key=key, text=text)
    return region.code


def region_counts(value: dict, src: str, key: str) -> Mapping[str, int]:
    out: dict[str, int] = {}
    for name, count in value.items():
        code = _region_key(name, src, f"{key}.{name}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InputError("scenario.whole_number_recipients", src=src, key=key, name=name, count=count)
        if code in out:
            raise InputError("scenario.names_region_twice", src=src, key=key, code=code, name=normalise_name(name))
        out[code] = count
    return MappingProxyType(dict(sorted(out.items())))


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
    if s.floor_all < 0 or (s.cap_all is not None and s.cap_all < 0):
        raise InputError("scenario.constraints_floor_all_cap", src=src)
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
