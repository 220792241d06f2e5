"""Year choice: the figure of an indicator a scenario asks for, region by region.

A region without a figure for the requested year takes its latest earlier year only when
the scenario allows it (``indicators.allow_fallback``); later years are never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ..columnar import Columns, text
from ..errors import InputError
from ..i18n import Msg
from .dataset import DataSet

if TYPE_CHECKING:
    import pandas as pd

#: the columns of a selection, after ``region_code``
SELECTED_COLUMNS = ("value", "year", "status", "source", "fallback")


@dataclass(frozen=True)
class Selected:
    """Values of one indicator chosen for a set of regions.

    ``columns``: :class:`~optimizer.columnar.Columns` in the requested order of the regions:
    ``region_code``, ``value`` (float), ``year`` (int, the year actually used; 0 for none),
    ``status``, ``source`` (text), ``fallback`` (bool: an earlier year than requested was
    used). :attr:`frame`: the same as a DataFrame indexed by region_code.
    """

    indicator: str
    requested_year: int | None
    columns: Columns

    def __getitem__(self, name: str) -> np.ndarray:
        """One column (``value``, ``year``, ``status``, ``source``, ``fallback``, ``region_code``)."""
        return self.columns[name]

    @cached_property
    def position(self) -> dict[str, int]:
        """``{region_code: row}``."""
        return {code: i for i, code in enumerate(self.columns["region_code"].tolist())}

    def row(self, code: str) -> dict[str, Any]:
        """The figure chosen for ``code`` as Python values (KeyError if ``code`` is not selected)."""
        i = self.position[code]
        return {name: self.columns[name][i : i + 1].tolist()[0] for name in SELECTED_COLUMNS}

    @property
    def frame(self) -> pd.DataFrame:
        """The selection as a pandas DataFrame indexed by region_code (pandas imported here)."""
        return self.columns.to_frame(index="region_code")


def missing(indicator: str, year: int | None, codes, code_text: np.ndarray | None = None) -> Selected:
    """A selection without figures: NaN values, year 0, empty status and source, no fallback.

    ``code_text``: ``text(codes)`` when the caller already has it (shared, not copied)."""
    n = len(codes)
    return Selected(
        indicator,
        year,
        Columns(
            {
                "region_code": text(codes) if code_text is None else code_text,
                "value": np.full(n, np.nan),
                "year": np.zeros(n, dtype=np.int64),
                "status": text([""] * n),
                "source": text([""] * n),
                "fallback": np.zeros(n, dtype=bool),
            }
        ),
    )


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
    years = figures["year"]
    index = data._lookup(indicator)
    exact, earlier = index.at_or_before(index.groups(codes), year)
    has_exact = exact >= 0
    fallback = ~has_exact
    position = exact
    if fallback.any():
        has_earlier = earlier >= 0
        problem = fallback if not allow_fallback else fallback & ~has_earlier
        if problem.any():
            code = codes[int(np.argmax(problem))]
            years_of = data.series(indicator).years_of(code)
            available = ", ".join(str(y) for y in years_of) if years_of else Msg.of("error.inputs.years.no_year")
            raise InputError(
                "inputs.years.indicator_figure_years_available"
                if not allow_fallback
                else "inputs.years.indicator_figure_earlier_years",
                label=data.label,
                indicator=indicator,
                year=year,
                code=code,
                name=_name(data, code),
                available=available,
            )
        position = np.where(has_exact, exact, earlier)
    columns = Columns(
        {
            "region_code": text(codes),
            "value": figures["value"][position],
            "year": years[position],
            "status": figures["status"][position],
            "source": figures["source"][position],
            "fallback": fallback,
        }
    )
    return Selected(indicator, year, columns)


def select_or_missing(
    data: DataSet, indicator: str, year: int | None, codes: list[str] | tuple[str, ...], allow_fallback: bool
) -> Selected:
    """Like :func:`select`, but a region without a usable figure (none of ``year``, or with
    ``allow_fallback`` none of ``year`` or before; every region when ``year`` is None) gets
    what :func:`missing` gives it (NaN, year 0, ``""``, no fallback) instead of an error."""
    return select_all_or_missing(data, [(indicator, year, allow_fallback)], codes)[0]


def select_all_or_missing(
    data: DataSet, requests: list[tuple[str, int | None, bool]], codes: list[str] | tuple[str, ...]
) -> list[Selected]:
    """:func:`select_or_missing` for each ``(indicator, year, allow_fallback)`` of ``requests``,
    all for the same ``codes``: one ``text(codes)`` (shared by the selections' ``region_code``)
    and one code lookup per region numbering (indicators of the same regions share one)."""
    codes = list(codes)
    code_text = text(codes)
    groups_of: dict[int, tuple[object, np.ndarray]] = {}  # id(numbering) -> (numbering, region numbers)
    out = []
    for indicator, year, allow_fallback in requests:
        figures = data._figures(indicator) if year is not None else None
        if figures is None or figures.n == 0:
            out.append(missing(indicator, year, codes, code_text))
            continue
        index = data._lookup(indicator)
        numbering = index.numbering
        if id(numbering) not in groups_of:
            groups_of[id(numbering)] = (numbering, index.groups(codes))
        exact, earlier = index.at_or_before(groups_of[id(numbering)][1], year)
        has_exact = exact >= 0
        position = np.where(has_exact, exact, earlier) if allow_fallback else exact
        found = position >= 0
        at = np.maximum(position, 0)
        columns = Columns(
            {
                "region_code": code_text,
                "value": np.where(found, figures["value"][at], np.nan),
                "year": np.where(found, figures["year"][at], 0),
                "status": np.where(found, figures["status"][at], ""),
                "source": np.where(found, figures["source"][at], ""),
                "fallback": found & ~has_exact,
            }
        )
        out.append(Selected(indicator, year, columns))
    return out


def _name(data: DataSet, code: str) -> str:
    try:
        return data.region(code).name
    except KeyError:
        return ""
