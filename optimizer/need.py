"""The need formula: each included region's share of the recipients.

For the included regions r, with indicators ``idg_gap_r = max(0, IDG_ref - IDG_r)``
(index points), ``poverty_rate_r`` (P0, %) and ``eligible_r`` (persons)::

    need_share_r = sum over k of  w_k * indicator_k,r / (sum over included regions of indicator_k)

The weights ``w_k`` are non-negative and normalised to sum to 1 (30/30/40 and 0.3/0.3/0.4
are the same; weights that sum to neither 1 nor 100 are scaled too, with a notice,
:func:`weights_notice`). An indicator whose total over the included regions is 0 (e.g. no region
below the IDG reference) cannot be shared out: it drops out, the remaining weights are
renormalised, and a notice says so. Sums are taken with :func:`math.fsum` in BPS-code
order, so the result does not depend on row order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .eligible import eligible_term
from .errors import InputError
from .i18n import Notice, Number, indicator_term

if TYPE_CHECKING:
    import pandas as pd

INDICATOR_COLUMNS = ("idg_gap", "poverty_rate", "eligible")


@dataclass(frozen=True)
class NeedShares:
    """Result of the need formula.

    ``shares``: Series indexed by region_code (sorted), floats summing to 1.
    ``weights``: normalised weights actually applied, keys :data:`INDICATOR_COLUMNS`.
    ``components``: DataFrame (same index) of each indicator's share of its total
    (0 where the indicator dropped out). ``notices``: why a weight was dropped.
    """

    shares: pd.Series
    weights: MappingProxyType
    components: pd.DataFrame
    notices: tuple[Notice, ...]


def idg_gap(idg: float, reference: float) -> float:
    """``max(0, reference - idg)`` in IDG index points, rounded to 10 decimals.

    IDG figures are published with two decimals; the rounding removes binary noise such as
    ``65.65 - 61.14 = 4.510000000000005`` and changes nothing else.
    """
    return max(0.0, round(reference - idg, 10))


def normalise_weights(weights: dict[str, float]) -> dict[str, float]:
    """Scale non-negative weights to sum to 1; keys missing from ``weights`` count as 0.

    Raises :class:`InputError` for a negative weight, an unknown key or all zeros.
    """
    unknown = set(weights) - set(INDICATOR_COLUMNS)
    if unknown:
        raise InputError(
            "need.unknown_weight", unknown=sorted(unknown)[0], indicator_columns=", ".join(INDICATOR_COLUMNS)
        )
    if any(v < 0 for v in weights.values()):
        raise InputError("need.weights_must")
    total = math.fsum(weights.get(k, 0.0) for k in INDICATOR_COLUMNS)
    if total <= 0:
        raise InputError("need.all_weights_least_positive")
    return {k: weights.get(k, 0.0) / total for k in INDICATOR_COLUMNS}


def weights_notice(weights: dict[str, float]) -> Notice | None:
    """A ``weights_normalised`` notice when ``weights`` (as written, keys of
    :data:`INDICATOR_COLUMNS`, missing = 0) sum to neither 1 nor 100: they are relative and
    are scaled to sum to 1 (0,5/0,3/0,4 becomes 41,7 %/25,0 %/33,3 %), which a reader must be
    told, not left to find. None for 0,3/0,3/0,4 and 30/30/40. Raises as :func:`normalise_weights`."""
    normalised = normalise_weights(weights)
    total = math.fsum(weights.get(k, 0.0) for k in INDICATOR_COLUMNS)
    if math.isclose(total, 1.0, rel_tol=1e-9) or math.isclose(total, 100.0, rel_tol=1e-9):
        return None

    def written(value: float) -> Number:
        return Number(value, next((p for p in range(5) if round(value, p) == value), 4))

    return Notice.of(
        "weights_normalised",
        total=written(total),
        **{k: written(weights.get(k, 0.0)) for k in INDICATOR_COLUMNS},
        **{f"{k}_pct": Number(100 * normalised[k], 1) for k in INDICATOR_COLUMNS},
    )


def need_shares(indicators: pd.DataFrame, weights: dict[str, float], *, eligible_method: str = "data") -> NeedShares:
    """Apply the need formula to a DataFrame (:func:`shares_of` on its columns).

    ``indicators``: DataFrame indexed by region_code (BPS, str) with columns ``idg_gap``
    (index points, >= 0), ``poverty_rate`` (%, >= 0) and ``eligible`` (persons, >= 0);
    columns whose weight is 0 may hold NaN. ``weights``: raw weights by the same keys.

    Raises :class:`InputError` as :func:`shares_of` does.
    """
    import pandas as pd

    frame = indicators.sort_index()
    codes = [str(c) for c in frame.index]
    columns = {c: frame[c].to_numpy(dtype=float) for c in INDICATOR_COLUMNS if c in frame}
    applied, components, values, notices = _formula(codes, columns, weights, eligible_method)
    frame_components = pd.DataFrame(0.0, index=frame.index, columns=list(INDICATOR_COLUMNS))
    for column, share in components.items():
        frame_components[column] = share
    shares = pd.Series(values, index=frame.index, name="need_share")
    return NeedShares(shares, MappingProxyType(applied), frame_components, tuple(notices))


def shares_of(
    codes, columns: dict[str, np.ndarray], weights: dict[str, float], *, eligible_method: str = "data"
) -> tuple[np.ndarray, MappingProxyType, tuple[Notice, ...]]:
    """Apply the need formula to the regions ``codes`` (BPS codes, any order).

    ``columns``: ``{indicator: float array in the order of codes}`` for ``idg_gap`` (index
    points, >= 0), ``poverty_rate`` (%, >= 0) and ``eligible`` (persons, >= 0); those whose
    weight is 0 may hold NaN or be absent. ``weights``: raw weights by the same keys.
    Sums are taken in BPS-code order. Returns ``(need shares in the order of codes, the
    normalised weights applied, notices)``.

    Raises :class:`InputError` when a weighted column has a missing or negative value, or
    when every weighted indicator totals 0 (no basis to share anything).
    """
    codes = list(codes)
    order = np.array(sorted(range(len(codes)), key=codes.__getitem__), dtype=np.int64)
    ordered = {c: np.asarray(v, dtype=float)[order] for c, v in columns.items()}
    applied, _, values, notices = _formula([codes[i] for i in order.tolist()], ordered, weights, eligible_method)
    shares = np.empty(len(codes))
    shares[order] = values
    return shares, MappingProxyType(applied), tuple(notices)


def _formula(codes: list[str], columns: dict[str, np.ndarray], weights: dict[str, float], eligible_method: str):
    """The checks and :func:`combine` over regions ``codes`` in BPS order (``columns`` in that order)."""
    normalised = normalise_weights(weights)
    notices: list[Notice] = []
    totals: dict[str, float] = {}
    for column in INDICATOR_COLUMNS:
        if normalised[column] == 0:
            continue
        figures = columns[column]
        if np.isnan(figures).any():
            missing = ", ".join(c for c, gap in zip(codes, np.isnan(figures).tolist(), strict=True) if gap)
            raise InputError("need.indicator_every_included_region", column=column, missing=missing)
        if (figures < 0).any():
            negative = ", ".join(c for c, below in zip(codes, (figures < 0).tolist(), strict=True) if below)
            raise InputError("need.indicator_negative", column=column, index=negative)
        totals[column] = math.fsum(figures.tolist())
    applied, components, values, dropped = combine(
        {c: columns[c] for c in totals}, normalised, totals=totals, eligible_method=eligible_method
    )
    notices.extend(dropped)
    if values is None:
        raise InputError("need.every_weighted_indicator_totals")
    return applied, components, values, notices


def combine(
    columns: dict[str, np.ndarray],
    weights: dict[str, float],
    *,
    totals: dict[str, float] | None = None,
    eligible_method: str = "data",
) -> tuple[dict[str, float], dict[str, np.ndarray], np.ndarray | None, list[Notice]]:
    """The need formula over one group of regions (the flat run's included regions, or the
    children of one region in a hierarchy).

    ``columns``: ``{indicator: float array (one entry per region, BPS order)}`` for the
    weighted indicators that have a figure for every region, each >= 0 (the caller checks
    missing and negative figures, with its own message). ``weights``: normalised weights
    (:func:`normalise_weights`). ``totals``: the column sums if already taken.
    ``eligible_method``: how the eligible figures were made (``EligibleCounts.method``), so that
    a notice names them as what they are (a proxy's pool, or counts: :func:`eligible_term`).

    An indicator totalling 0 drops out with a ``weight_dropped`` notice and the others are
    renormalised. Returns ``(applied weights by every key of INDICATOR_COLUMNS, components
    {indicator: share of its total}, need shares (float array summing to 1) or None when no
    indicator is left, notices)``. Sums are :func:`math.fsum` in the given order.
    """
    if totals is None:
        totals = {k: math.fsum(v.tolist()) for k, v in columns.items()}
    used = {k: w for k, w in weights.items() if w > 0 and k in columns and totals[k] > 0}
    notices = [
        Notice.of(
            "weight_dropped",
            indicator=eligible_term(eligible_method) if k == "eligible" else indicator_term(k),
            weight=f"{w:.0%}",
        )
        for k, w in weights.items()
        if w > 0 and k in columns and totals[k] <= 0
    ]
    if not used:
        return {k: 0.0 for k in INDICATOR_COLUMNS}, {}, None, notices
    weight_sum = math.fsum(used.values())
    applied = {k: (used[k] / weight_sum if k in used else 0.0) for k in INDICATOR_COLUMNS}
    components = {k: columns[k] / totals[k] for k in used}
    terms = [applied[k] * components[k] for k in used]
    # math.fsum of each region's terms (one or two terms: IEEE addition is already exact-rounded)
    if len(terms) == 1:
        values = terms[0].copy()
    elif len(terms) == 2:
        values = terms[0] + terms[1]
    else:
        values = np.array(list(map(math.fsum, zip(*(t.tolist() for t in terms), strict=True))), dtype=float)
    return applied, components, values, notices
