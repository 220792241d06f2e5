"""Year choice: the figure of an indicator a scenario asks for, region by region.

A region without a figure for the requested year takes its latest earlier year only when
the scenario allows it (``indicators.allow_fallback``); later years are never used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .dataset import DataSet


@dataclass(frozen=True)
class Selected:
    """Values of one indicator chosen for a set of regions.

    ``frame``: DataFrame indexed by region_code (the requested order) with columns
    ``value`` (float), ``year`` (int, the year actually used), ``status``, ``source``,
    ``fallback`` (bool: an earlier year than requested was used).
    """

    indicator: str
    requested_year: int
    frame: pd.DataFrame


def select(
    data: DataSet, indicator: str, year: int, codes: list[str] | tuple[str, ...], allow_fallback: bool
) -> Selected:
    """Pick ``indicator`` for ``year`` for each region in ``codes``.

    A region without a figure for ``year`` takes its latest earlier year only when
    ``allow_fallback`` is true; the year used is recorded. Later years are never used.

    Raises :class:`InputError` naming the region, the year asked and the years available
    when a value is missing and no fallback is allowed (or none exists).
    """
    codes = list(codes)
    figures = data._figures(indicator)
    years = figures["year"].to_numpy()
    region_codes = figures["region_code"].to_numpy()
    wanted = pd.Index(codes, dtype=object)
    in_year = np.flatnonzero(years == year)
    exact = pd.Series(in_year, index=pd.Index(region_codes[in_year], dtype=object)).reindex(wanted)
    has_exact = exact.notna().to_numpy()
    position = np.where(has_exact, exact.fillna(-1).to_numpy(), -1).astype(np.int64)
    fallback = ~has_exact
    if fallback.any():
        before = np.flatnonzero(years < year)
        latest = pd.Series(before, index=pd.Index(region_codes[before], dtype=object))
        latest = latest[~latest.index.duplicated(keep="last")].reindex(wanted)
        has_earlier = latest.notna().to_numpy()
        problem = fallback if not allow_fallback else fallback & ~has_earlier
        if problem.any():
            code = codes[int(np.argmax(problem))]
            available = ", ".join(str(y) for y in data.series(indicator).years_of(code)) or "none"
            name = _name(data, code)
            if not allow_fallback:
                raise InputError(
                    "inputs.years.indicator_figure_years_available",
                    label=data.label,
                    indicator=indicator,
                    year=year,
                    code=code,
                    name=name,
                    available=available,
                )
            raise InputError(
                "inputs.years.indicator_figure_earlier_years",
                label=data.label,
                indicator=indicator,
                code=code,
                name=name,
                year=year,
                available=available,
            )
        position = np.where(has_exact, position, latest.fillna(-1).to_numpy().astype(np.int64))
    frame = pd.DataFrame(
        {
            "region_code": codes,
            "value": figures["value"].to_numpy(dtype=float)[position],
            "year": years.astype(np.int64)[position],
            "status": figures["status"].to_numpy(dtype=object)[position],
            "source": figures["source"].to_numpy(dtype=object)[position],
            "fallback": fallback,
        },
        columns=["region_code", "value", "year", "status", "source", "fallback"],
    )
    return Selected(indicator, year, frame.set_index("region_code"))


def _name(data: DataSet, code: str) -> str:
    try:
        return data.region(code).name
    except KeyError:
        return ""
