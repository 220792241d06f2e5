"""What a scenario file may hold: its tables and keys with their types (:data:`SCHEMA`), what
each key means (:data:`KEY_HELP`, from which ``docs/scenarios.md`` is generated), and the
allowed values and defaults of the keys that take a word or a bounded number.

Sources of the constants: :data:`GRANT_RP` and :data:`GRANT_SOURCE` are the SK Kepala Dinas
Sosial Prov. Kaltim No. 40.9/33/DS.V/2023 rule (Rp 3.000.000 per recipient, as goods).
"""

from __future__ import annotations

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
