"""The tables of a scenario file read into checked values: the grant of ``[costs]``, the
regions of ``regions.include`` and of floors, caps and locks (BPS codes or kabupaten/kota
names), the realised counts of ``constraints.realised_year``, ``[rationale]`` and ``[document]``.

Each function takes the parsed TOML table and the file's name (``src``) and raises
:class:`~optimizer.errors.InputError` naming the file, the dotted key and the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from . import programme, tomlfile
from .errors import InputError
from .regions import kaltim_registry, normalise_name
from .scenario_schema import GRANT_RP, GRANT_SOURCE


@dataclass(frozen=True)
class Rationale:
    """Why one choice of a scenario is what it is: ``text`` (the reason, in the reader's
    words) and ``reference`` (where it is decided: an RPJMD/Renstra target, a TAPD decision,
    a regulation), either possibly empty."""

    text: str = ""
    reference: str = ""


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
