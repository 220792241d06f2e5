"""One level of a hierarchical allocation read as a single-level allocation, and the levels below it.

A telaahan staf and the report are read at the kabupaten/kota level: that is what a TAPD
(the provincial budget team) decides on. A hierarchical run (:mod:`optimizer.hierarchy`)
over data that goes down to the desa gives every desa its quota, and the kabupaten/kota
totals are its level-2 split. :func:`level_view` turns that split into the
:class:`~optimizer.result.Allocation` every consumer of a single-level run reads: its
``regions`` are the regions of the level (need share, quota, bounds, recipients and binding
label within their sibling group, as the hierarchy computed them; nothing recomputed except
the applied weights, which :func:`optimizer.need.combine` gives again from the same figures
and which are checked against the hierarchy's need shares), ``problem`` is that level's split,
``data`` the data set with the level's regions as its units, and ``tree`` is kept, so the
levels below stay at hand (:func:`lower_levels`).

The view is defined when the level is one sibling group: the kabupaten/kota of one province
(or a top level). The kabupaten/kota of several provinces are several splits, each of its own
province's count; no single table of need shares and quotas describes them, and a telaahan
staf is addressed to one province. :func:`report_level` says so (an error naming the data
and the provinces found).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from .columnar import Columns, text
from .errors import InputError, VerificationError
from .need import INDICATOR_COLUMNS, combine, normalise_weights
from .problem import Problem
from .regions import KABKOTA_DIGITS
from .result import Allocation

SHARE_TOLERANCE = 1e-9  # need shares recomputed from the same figures agree to this (fractions)


def kabkota_level(allocation: Allocation) -> int:
    """The level (0 at the top) of ``allocation``'s tree whose regions are kabupaten/kota (4-digit codes).

    Raises :class:`InputError` when no level of the tree holds kabupaten/kota codes.
    """
    nodes = allocation.nodes
    lengths = nodes["region_code"].str.len()
    found = sorted(set(nodes.loc[lengths == KABKOTA_DIGITS, "level"].tolist()))
    if not found:
        raise InputError("levels.no_kabkota_level", data=allocation.data.label)
    return int(found[0])


def report_level(allocation: Allocation) -> int:
    """The level the report of a hierarchical ``allocation`` is read at: its kabupaten/kota
    (:func:`kabkota_level`), which must be one sibling group (the kabupaten/kota of one
    province). Raises :class:`InputError` otherwise, naming the data and the provinces."""
    level = kabkota_level(allocation)
    nodes = allocation.nodes
    parents = sorted(set(nodes.loc[nodes["level"] == level, "parent_code"].tolist()))
    if len(parents) > 1:
        raise InputError(
            "levels.several_groups",
            data=allocation.data.label,
            count=len(parents),
            parents=", ".join(parents[:5]) + (", …" if len(parents) > 5 else ""),
        )
    return level


def lower_levels(allocation: Allocation, level: int) -> list[tuple[int, pd.DataFrame]]:
    """The levels below ``level`` (0 at the top) of a hierarchical ``allocation``, top down:
    ``(level, nodes of that level)`` with :data:`optimizer.hierarchy.NODE_COLUMNS`, BPS order."""
    nodes = allocation.nodes
    deeper = sorted(set(nodes.loc[nodes["level"] > level, "level"].tolist()))
    return [(int(d), nodes[nodes["level"] == d].reset_index(drop=True)) for d in deeper]


def _source(data, indicator: str, code: str, year: int) -> str:
    """The ``source`` recorded for ``code``'s figure of ``indicator`` in ``year``, or ``""``."""
    if not year:
        return ""
    series = data.series(indicator)
    figure = series.get(code, {}).get(int(year)) if code in series else None
    return "" if figure is None else str(figure["source"])


def level_view(allocation: Allocation, level: int) -> Allocation:
    """The split at ``level`` (0 at the top; see :func:`report_level`) of a hierarchical
    ``allocation`` as a single-level :class:`~optimizer.result.Allocation` (module docstring).

    Every region of the data at that level under the same parent is a row (one the scenario
    leaves out with 0 and ``included`` False). Raises :class:`InputError` (see
    :func:`report_level`) when the level is several sibling groups, and
    :class:`VerificationError` when the need shares recomputed from the level's figures
    differ from the hierarchy's.
    """
    from .tree import build_tree

    nodes = allocation.nodes
    here = nodes[nodes["level"] == level].reset_index(drop=True)
    parents = sorted(set(here["parent_code"].tolist()))
    if len(parents) != 1:
        report_level(allocation)  # raises the one-line error
    parent = parents[0]
    data = allocation.data
    tree = build_tree(data)
    depth_codes = [
        c
        for c, d, p in zip(tree.codes, tree.depth.tolist(), tree.parent.tolist(), strict=True)
        if d == level and (tree.codes[p] if p >= 0 else "") == parent
    ]
    row_of = {c: i for i, c in enumerate(here["region_code"])}
    # the applied weights of this split: the need formula over the same figures (checked below)
    requested = normalise_weights(dict(allocation.weights_requested))
    columns: dict[str, np.ndarray] = {}
    for key in INDICATOR_COLUMNS:
        raw = here["idg_gap" if key == "idg_gap" else key].to_numpy(dtype=float)
        if requested.get(key, 0) > 0 and not np.isnan(raw).all():
            columns[key] = np.nan_to_num(raw)
    applied, _, shares, _ = combine(columns, requested)
    if len(here) > 1 and shares is not None:
        drift = np.abs(shares - here["need_share"].to_numpy(dtype=float))
        if drift.max() > SHARE_TOLERANCE:
            code = str(here["region_code"].iat[int(np.argmax(drift))])
            raise VerificationError("levels.shares_differ", code=code, level=level + 1)
    weights = applied if len(here) > 1 and shares is not None else dict(allocation.weights)

    regions = _region_rows(allocation, here, depth_codes, row_of)
    reference = here["idg_reference"].to_numpy(dtype=float)
    idg_reference = float(reference[0]) if len(reference) and not np.isnan(reference[0]) else math.nan
    reference_year, reference_source = allocation.idg_reference_year, allocation.idg_reference_source
    if parent:  # measured from the parent's own IDG when it has one, else the scenario's number
        top = nodes[nodes["region_code"] == parent].iloc[0]
        if not math.isnan(float(top["idg"])) and float(top["idg"]) == idg_reference:
            reference_year = int(top["idg_year"]) or None
            reference_source = _source(data, "idg", parent, int(top["idg_year"]))
        else:
            reference_year, reference_source = None, "scenario (indicators.idg_reference)"
    count = int(here["recipients"].sum())
    problem = Problem(
        codes=tuple(here["region_code"]),
        quota=here["quota"].to_numpy(dtype=float),
        lower=here["lower"].to_numpy(dtype=np.int64),
        upper=here["upper"].to_numpy(dtype=np.int64),
        total=count,
        method=allocation.method,
    )
    by_code = data.regions_by_code
    units = tuple(by_code[c] for c in depth_codes if c in by_code)
    view_data = replace(
        data,
        units=units,
        parents={c: r for c, r in data.parents.items() if c not in set(depth_codes)},
        _index=data._index,  # the same records: share the cache
    )
    return replace(
        allocation,
        data=view_data,
        region_columns=regions,
        weights=type(allocation.weights)(weights),
        idg_reference=idg_reference,
        idg_reference_year=reference_year,
        idg_reference_source=reference_source,
        problem=problem,
    )


def _region_rows(allocation: Allocation, here: pd.DataFrame, codes: list[str], row_of: dict) -> Columns:
    """The rows of a view (:data:`optimizer.result.REGION_COLUMNS` and the extra columns of an
    Allocation's ``regions``) from the level's node rows; ``codes``: every region of the level.
    A region whose eligible count is the sum of its children's (``eligible_basis``
    ``aggregated``: a counts file per desa) gets the sources of the units' counts it sums."""
    data = allocation.data
    by_code = data.regions_by_code
    out = []
    scenario = allocation.scenario
    summed = _unit_sources(allocation, {len(c) for c in here["region_code"]})
    for code in codes:
        i = row_of.get(code)
        if i is None:  # a region the scenario leaves out
            out.append(_excluded(code, by_code[code].name if code in by_code else code))
            continue
        r = here.iloc[i]
        own_eligible = r["eligible_basis"] == "own"
        eligible_source = _source(data, "eligible", code, int(r["eligible_year"])) if own_eligible else ""
        eligible_source_id = eligible_source
        if r["eligible_basis"] == "aggregated":
            sources = summed.get(code, [("", "")])
            eligible_source = "; ".join(english for english, _ in sources)
            eligible_source_id = "; ".join(indonesian for _, indonesian in sources)
        x = int(r["recipients"])
        eligible = int(r["eligible"]) if not math.isnan(float(r["eligible"])) else 0
        out.append(
            {
                "region_code": code,
                "region_name": str(r["region_name"]),
                "included": True,
                "idg": float(r["idg"]),
                "idg_year": int(r["idg_year"]),
                "idg_status": str(r["idg_status"]),
                "idg_gap": float(r["idg_gap"]),
                "poverty_rate": float(r["poverty_rate"]),
                "poverty_year": int(r["poverty_year"]),
                "poverty_status": str(r["poverty_status"]),
                "eligible": eligible,
                "eligible_year": int(r["eligible_year"]) or int(scenario.eligible.year or 0),
                "eligible_status": str(r["eligible_status"]),
                "eligible_source": eligible_source,
                "need_share": float(r["need_share"]),
                "quota": float(r["quota"]),
                "lower": int(r["lower"]),
                "upper": int(r["upper"]),
                "recipients": x,
                "cost_rp": int(r["cost_rp"]),
                "coverage_pct": 100.0 * x / eligible if eligible > 0 else math.nan,
                "binding": str(r["binding"]),
                "idg_source": _source(data, "idg", code, int(r["idg_year"])),
                "poverty_source": _source(data, "poverty_rate", code, int(r["poverty_year"])),
                "idg_fallback": bool(r["idg_fallback"]),
                "poverty_fallback": bool(r["poverty_fallback"]),
                "eligible_fallback": bool(r["eligible_fallback"]),
                "eligible_source_id": eligible_source_id,
                "priority": -1,
            }
        )
    names = allocation.region_columns.names
    columns = {}
    for name in names:
        values = [row[name] for row in out]
        kind = allocation.region_columns[name].dtype
        columns[name] = text(values) if kind.kind == "O" else np.asarray(values, dtype=kind)
    return Columns(columns)


def _unit_sources(allocation: Allocation, lengths: set[int]) -> dict[str, list[tuple[str, str]]]:
    """``{code: [(source, Indonesian source), …]}``: the distinct sources of the units' eligible
    counts under each region whose code is ``lengths`` digits long (a region's code is a prefix
    of every code below it), in order of first use."""
    units = allocation.region_columns
    out: dict[str, list[tuple[str, str]]] = {}
    for code, english, indonesian in zip(
        units["region_code"].tolist(),
        units["eligible_source"].tolist(),
        units["eligible_source_id"].tolist(),
        strict=True,
    ):
        for length in lengths:
            if len(code) > length:
                found = out.setdefault(code[:length], [])
                if (english, indonesian) not in found:
                    found.append((english, indonesian))
    return out


def _excluded(code: str, name: str) -> dict:
    return {
        "region_code": code,
        "region_name": name,
        "included": False,
        "idg": math.nan,
        "idg_year": 0,
        "idg_status": "",
        "idg_gap": math.nan,
        "poverty_rate": math.nan,
        "poverty_year": 0,
        "poverty_status": "",
        "eligible": 0,
        "eligible_year": 0,
        "eligible_status": "",
        "eligible_source": "",
        "need_share": 0.0,
        "quota": 0.0,
        "lower": 0,
        "upper": 0,
        "recipients": 0,
        "cost_rp": 0,
        "coverage_pct": math.nan,
        "binding": "excluded",
        "idg_source": "",
        "poverty_source": "",
        "idg_fallback": False,
        "poverty_fallback": False,
        "eligible_fallback": False,
        "eligible_source_id": "",
        "priority": -1,
    }
