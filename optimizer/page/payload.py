"""What the what-if page holds: the scenario, every region's figures with year, status
and source, the allocation as shipped, baselines and the message catalogues, as one
JSON-ready dict (pure: no file is read or written here).

The page's solver (``solver.js``) recomputes need shares, bounds and the allocation
from these figures by the engine's rules, so each region carries the raw indicator
values the engine used (IDG, P0, eligible count), not results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..eligible import eligible_key, is_proxy
from ..engine import Allocation
from ..i18n import LANGUAGES, catalogue
from ..inputs.data import shipped as shipped_data
from ..output import grant_line
from ..render.json import tool

# Catalogue sections the page uses (the page's own texts are under ``page.``).
MESSAGE_PREFIXES = (
    "page.",
    "grant.",
    "table.",
    "method.",
    "binding.",
    "limited_by.",
    "weight.",
    "run.",
    "column.",
    "notice.",
    "indicator.",
    "report.subtitle_overridden",  # the heading with another budget or method (page.js headingOf)
    "report.method_name.",
)
# Notices the page recomputes for every choice; the others describe the data and are shown as shipped.
LIVE_NOTICES = frozenset({"weight_dropped", "caps_limit_total", "budget_surplus", "cap_above_eligible", "not_optimal"})


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _figure(row, column: str, prefix: str, source_column: str) -> dict:
    """One indicator figure of a region row: value, year, status, source, fallback."""
    return {
        "value": _number(row[column]),
        "year": int(row[f"{prefix}_year"]) or None,
        "status": str(row[f"{prefix}_status"]),
        "source": str(row[source_column]),
        "fallback": bool(row[f"{prefix}_fallback"]),
    }


def _region_rows(allocation: Allocation) -> dict[str, dict]:
    """Figures of every included region of ``allocation``, by BPS code."""
    out = {}
    for _, row in allocation.included.iterrows():
        eligible = _figure(row, "eligible", "eligible", "eligible_source")
        eligible["value"] = int(row["eligible"])
        eligible["source_id"] = str(row["eligible_source_id"])
        out[str(row["region_code"])] = {
            "idg": _figure(row, "idg", "idg", "idg_source"),
            "poverty_rate": _figure(row, "poverty_rate", "poverty", "poverty_source"),
            "eligible": eligible,
        }
    return out


def _scenario(allocation: Allocation) -> dict:
    s = allocation.scenario
    return {
        "name": s.name,
        "title": s.title,
        "description": s.description,
        "assumptions": list(s.assumptions),
        "fiscal_year": s.fiscal_year,
        "budget_rp": s.budget_rp,
        "grant_rp": s.grant_rp,
        "grant_source": s.grant_source,
        "grant_rule": s.grant_rule,
        "grant_year": s.grant_value.year if s.grant_value is not None else None,
        "grant_line": {lang: grant_line(s, lang) for lang in LANGUAGES},
        "bimtek_per_recipient_rp": s.bimtek_per_recipient_rp,
        "method": s.method,
        "weights": {k: float(v) for k, v in s.weights.items()},
        "idg_reference": s.idg_reference,
        "idg_year": s.idg_year,
        "poverty_year": s.poverty_year,
        "allow_fallback": s.allow_fallback,
        "include": list(s.include) if s.include is not None else None,
        "floor_all": s.floor_all,
        "cap_all": s.cap_all,
        "floors": dict(s.floors),
        "caps": dict(s.caps),
        "locks": dict(s.locks),
        "eligible": {
            "source": s.eligible.source,
            "proxy": s.eligible.proxy,
            "year": s.eligible.year,
            "population_year": s.eligible.population_year,
            "file": str(s.eligible.file) if s.eligible.file else None,
        },
        "file": s.path.name if s.path else None,
        "baseline": s.baseline.stem if s.baseline is not None else None,
    }


# The engine's amount sentences the page gives (page.js AMOUNT_ERRORS) when the catalogues hold them; the solver's
# errors are the page's own sentences (page.error.*), which name the field typed in, not the scenario file's keys.
ERROR_KEYS = frozenset(
    f"error.{key}"
    for key in (
        "expected.amount",
        "money.amount_negative_positive_amount",
        "money.amount_form_tool_reads",
        "money.amount_too_many_digits",
        "money.amount_mixes_separators_oddly",
        "money.amount_thousands_separators_wrong",
        "money.amount_separator_digits_after",
        "money.amount_ambiguous_could_decimal",
        "money.amount_more_than_far",
        "money.amount_whole_number_rupiah",
    )
)


def messages() -> dict[str, dict[str, str]]:
    """The catalogue entries the page shows, per language (``{lang: {key: template}}``)."""
    out = {}
    for lang in LANGUAGES:
        table = catalogue(lang)
        out[lang] = {k: v for k, v in table.items() if k.startswith(MESSAGE_PREFIXES) or k in ERROR_KEYS}
    return out


def _by_language(texts: Mapping[str, Mapping]) -> dict:
    """``{lang: {"title", "description", "assumptions"}}`` → ``{"titles": {lang: str}, "descriptions": …,
    "assumptions_by_lang": {lang: [str]}}``, the shape the page's script reads (``{}`` each when not given)."""
    return {
        "titles": {lang: t["title"] for lang, t in texts.items()},
        "descriptions": {lang: t["description"] for lang, t in texts.items()},
        "assumptions_by_lang": {lang: list(t["assumptions"]) for lang, t in texts.items()},
    }


def build_payload(
    allocation: Allocation,
    everywhere: Allocation | None,
    baselines: Sequence[Allocation] = (),
    *,
    lang: str = "id",
    data_file: str | None = None,
    eligible_file: str | None = None,
    texts: Mapping[str, Mapping[str, Mapping]] | None = None,
) -> dict:
    """The page's data.

    ``allocation``: the scenario as shipped. ``everywhere``: the same scenario over every
    unit of the data set (no floors, caps or locks), for the figures of regions the
    scenario leaves out; None when those figures cannot be had (a region can then not be
    added on the page). ``baselines``: other allocations to compare with (their recipients
    by code). ``data_file``/``eligible_file``: the ``--data``/``--eligible`` files, named in
    the saved scenario's run command. ``texts``: ``{scenario name: {lang: {"title": str,
    "description": str, "assumptions": [str]}}}``, the texts of the scenario and of each baseline
    in both languages (from the scenario files' ``[en]``), so the page's language switch changes
    them too (the scenario carries them as ``titles``/``descriptions``/``assumptions_by_lang``,
    each ``{lang: ...}``); a scenario not in it keeps its one set of texts.
    Money in integer rupiah.
    """
    own = _region_rows(allocation)
    others = _region_rows(everywhere) if everywhere is not None else {}
    shipped = allocation.recipients()
    regions = []
    for unit in allocation.data.units:
        figures = own.get(unit.code) or others.get(unit.code)
        regions.append(
            {
                "code": unit.code,
                "name": unit.name,
                "available": figures is not None,
                **(figures or {}),
                "shipped": shipped.get(unit.code, 0),
            }
        )
    notices = [{"id": n.text("id"), "en": n.text("en")} for n in allocation.notices if n.key not in LIVE_NOTICES]
    return {
        "tool": tool(),
        "lang": lang,
        "scenario": {**_scenario(allocation), **_by_language((texts or {}).get(allocation.scenario.name, {}))},
        "reference": {
            "value": _number(allocation.idg_reference),
            "year": allocation.idg_reference_year,
            "source": allocation.idg_reference_source,
        },
        "data": {
            "label": allocation.data.label,
            "shipped": allocation.data is shipped_data(),
            "sha256": allocation.data.sha256,
            "file": data_file,
            "eligible_file": eligible_file,
            "eligible_method": allocation.eligible_method,
            # the eligible figure's message keys, a proxy's own (the run table's: optimizer.eligible.eligible_key)
            "eligible_keys": {
                "proxy": is_proxy(allocation.eligible_method),
                **{
                    name: eligible_key(key, allocation.eligible_method)
                    for name, key in (
                        ("column", "column.eligible"),
                        ("year", "table.eligible_year"),
                        ("weight", "weight.eligible"),
                        ("remark", "column.remark_eligible"),
                        ("binding", "binding.eligible"),
                        ("pool", "indicator.eligible"),  # the eligible limit in a notice (engine.eligible_term)
                    )
                },
            },
        },
        "regions": regions,
        "shipped": {
            "budget_rp": allocation.budget_rp,
            "allocated": allocation.allocated,
            "recipients": shipped,
        },
        "baselines": [
            {
                "name": b.scenario.name,
                "title": b.scenario.title,
                "titles": _by_language((texts or {}).get(b.scenario.name, {}))["titles"],
                "budget_rp": b.budget_rp,
                "method": b.method,
                "recipients": b.recipients(),
            }
            for b in baselines
        ],
        "notices": notices,
        "messages": messages(),
    }
