"""The indicator table in memory: what each indicator is, and the validated data set.

:class:`DataSet` is what :func:`optimizer.inputs.data.load` returns; :data:`INDICATORS`
says how each indicator is read and checked (unit kind, valid range, label).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import numbers
from ..columnar import Columns, text
from ..regions import Region

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class IndicatorSpec:
    """How an indicator is read and checked: unit kind, valid range, label."""

    name: str
    kind: str  # numbers.COUNT or numbers.DECIMAL
    low: float | None
    high: float | None
    unit: str
    label_id: str
    label_en: str


INDICATORS: dict[str, IndicatorSpec] = {
    s.name: s
    for s in (
        IndicatorSpec(
            "idg",
            numbers.DECIMAL,
            0,
            100,
            "index 0-100",
            "Indeks Pemberdayaan Gender (IDG)",
            "Gender Empowerment Index (IDG)",
        ),
        IndicatorSpec(
            "ipg",
            numbers.DECIMAL,
            0,
            100,
            "index 0-100",
            "Indeks Pembangunan Gender (IPG)",
            "Gender Development Index (IPG)",
        ),
        IndicatorSpec(
            "poverty_rate",
            numbers.DECIMAL,
            0,
            100,
            "% of population (P0)",
            "Persentase penduduk miskin (P0)",
            "Poverty rate (P0)",
        ),
        IndicatorSpec(
            "poor_population",
            numbers.DECIMAL,
            0,
            10_000,  # thousand persons: no province has 10 million poor (BPS, March 2024: Jawa Barat 3,9 million)
            "thousand persons",
            "Jumlah penduduk miskin (ribu jiwa)",
            "Poor population (thousand persons)",
        ),
        # persons: no province has 100 million people (BPS 2023: Jawa Barat about 50 million)
        IndicatorSpec("population", numbers.COUNT, 0, 100_000_000, "persons", "Jumlah penduduk", "Population"),
        IndicatorSpec(
            "female_headed_families",
            numbers.COUNT,
            0,
            10_000_000,  # families (KK headed by a woman, Dukcapil): Kaltim 2023 has 238.596
            "families",
            "Keluarga dengan kepala keluarga perempuan (Dukcapil)",
            "Female-headed families (Dukcapil)",
        ),
        IndicatorSpec(
            "eligible",
            numbers.COUNT,
            0,
            10_000_000,  # persons: more than any kabupaten/kota's women (a typo or a pasted NIK)
            "persons",
            "Perempuan memenuhi syarat WRSE",
            "Eligible women (WRSE criteria)",
        ),
    )
}

STATUSES = ("published", "estimate", "supplied")


# How a figure's note names its estimate's method or a check, in English or in Indonesian (a
# note written by wrse data in either language reads back the same) -> messages [data.method].
NOTE_METHODS = (
    (
        ("derived estimate, residual method", "derived estimate (residual)", "estimasi turunan, metode residu"),
        "residual",
    ),
    (("derived estimate", "estimasi turunan"), "derived"),
    (("approximate", "angka pembulatan"), "approximate"),
    (("survey base:", "basis survei:"), "survey_base"),
    (("competing values", "nilai yang bersaing"), "competing"),
)


def note_method(note: object) -> str | None:
    """The method or check a note begins with (:data:`NOTE_METHODS`: ``residual``, ``derived``,
    ``approximate``, ``survey_base``, ``competing``), any case; None for any other note."""
    text = str(note).strip().lower()
    return next((key for prefixes, key in NOTE_METHODS if text.startswith(prefixes)), None)


def status_code(cell: str) -> str | None:
    """The status a cell names: a code of :data:`STATUSES` or its word in either language as
    ``wrse data`` writes it (the catalogues' ``[data.status]``: *dipublikasikan*, *estimasi*,
    *dari pengguna*), any case; None for anything else."""
    word = " ".join(str(cell).split()).lower()
    if word in STATUSES:
        return word
    from ..i18n import words

    return words("data.status").get(word)


RECORD_COLUMNS = ["region_code", "indicator", "year", "value", "unit", "status", "source", "note"]
_TEXT_COLUMNS = ("region_code", "indicator", "unit", "status", "source", "note")


def records_of(columns: Mapping) -> Columns:
    """The figures of a data set as :class:`~optimizer.columnar.Columns` (:data:`RECORD_COLUMNS`):
    text columns as ``object`` arrays, ``year`` ``int64``, ``value`` ``float64``. ``columns``:
    any mapping of the columns to sequences (a dict of lists, or a DataFrame)."""
    out: dict[str, np.ndarray] = {}
    for name in RECORD_COLUMNS:
        values = columns[name]
        if name == "year":
            out[name] = np.asarray(values, dtype=np.int64)
        elif name == "value":
            out[name] = np.asarray(values, dtype=np.float64)
        elif isinstance(values, np.ndarray) and values.dtype == object:
            out[name] = values  # already text cells (the fast readers' columns)
        else:
            out[name] = text(values.tolist() if hasattr(values, "tolist") else values)
    return Columns(out)


@dataclass(frozen=True)
class DataSet:
    """A validated indicator table.

    ``figures``: :class:`~optimizer.columnar.Columns`, one figure a row, columns
    ``RECORD_COLUMNS`` (:func:`records_of`); ``region_code`` is a BPS code (str), ``year`` an
    int, ``value`` a float (counts are whole), sorted by region_code, indicator, year
    (:attr:`records`: the same as a pandas DataFrame). ``units``: the regions allocations are made over
    (sorted by code). ``parents``: province-level regions (code -> Region). ``label``:
    where the data came from, for outputs. ``sha256``: hash of the file read.
    ``notices``: translations or checks worth telling the user. ``region_rows``: the first
    row of the file naming each region of another province than Kalimantan Timur (so an
    error can name it; see :func:`optimizer.inputs.validate.check_province`).
    """

    figures: Columns
    units: tuple[Region, ...]
    parents: dict[str, Region]
    label: str
    path: Path | None
    sha256: str
    notices: tuple = ()
    _index: dict = field(default_factory=dict, repr=False, compare=False)
    # First file row naming each region outside the tool's province (Kalimantan Timur), for errors.
    region_rows: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def records(self) -> pd.DataFrame:
        """The figures as a pandas DataFrame (columns :data:`RECORD_COLUMNS`, index 0..n-1), built
        when first asked for (pandas is imported then: a run does not need it)."""
        return self.figures.to_frame()

    def with_records(self, records: Mapping) -> DataSet:
        """A copy with the figures ``records`` (a DataFrame or mapping of :data:`RECORD_COLUMNS`,
        in the order of :attr:`figures`), e.g. edited from :attr:`records`."""
        return dataclasses.replace(self, figures=records_of(records), _index={})

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """BPS codes of the allocation units, sorted."""
        return tuple(r.code for r in self.units)

    @cached_property
    def regions_by_code(self) -> dict[str, Region]:
        """Every unit and parent region by BPS code."""
        return {**{r.code: r for r in self.units}, **self.parents}

    @cached_property
    def _parent_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(c) for c in self.parents}, reverse=True))

    def region(self, code: str) -> Region:
        """The unit or parent region with BPS ``code``; KeyError if absent."""
        return self.regions_by_code[code]

    def parent_of(self, code: str) -> str | None:
        """BPS code of the parent of unit ``code`` in this data set, or None.

        The region's ``parent_code`` when that region is in the data set, else the longest
        proper prefix of ``code`` that is a parent region (``6403`` -> ``64``).
        """
        region = self.regions_by_code.get(code)
        if region is not None and region.parent_code in self.parents and region.parent_code != code:
            return region.parent_code
        for length in self._parent_lengths:
            if length < len(code) and code[:length] in self.parents:
                return code[:length]
        return None

    def series(self, indicator: str) -> Mapping[str, dict[int, dict]]:
        """All figures of one indicator: ``{region_code: {year: record}}``.

        A read-only mapping; each region's ``{year: record}`` dict (records are dicts of the
        :data:`RECORD_COLUMNS`, Python values) is built when first looked up.
        """
        if indicator not in self._index:
            self._index[indicator] = _SeriesView(self._figures(indicator))
        return self._index[indicator]

    def _figures(self, indicator: str) -> Columns:
        """The figures of ``indicator`` (sorted by region_code, year), cached."""
        cache_key = ("figures", indicator)
        if cache_key not in self._index:
            self._index[cache_key] = self.figures.take(self.figures["indicator"] == indicator)
        return self._index[cache_key]

    def _lookup(self, indicator: str) -> FigureIndex:
        """The :class:`FigureIndex` of ``indicator``'s figures, cached."""
        cache_key = ("lookup", indicator)
        if cache_key not in self._index:
            known = self._index.setdefault(("region numbers",), [])  # shared by indicators of the same regions
            self._index[cache_key] = FigureIndex(self._figures(indicator), known)
        return self._index[cache_key]

    def years(self, indicator: str) -> list[int]:
        """Years for which any region has a figure of ``indicator``, ascending."""
        return sorted(set(self._figures(indicator)["year"].tolist()))


class FigureIndex:
    """Where the figures of one indicator are, region by region and year by year, found for
    many regions at once (array searches instead of a dict per call).

    ``figures``: one indicator's rows (:meth:`DataSet._figures`), sorted by region_code and
    year as a data set keeps them (a table given unsorted is searched in that stable order).
    Positions returned are rows of ``figures``; -1 where there is none.
    """

    def __init__(self, figures: Columns, known: list[tuple[list, dict]] | None = None) -> None:
        codes = figures["region_code"]
        years = np.asarray(figures["year"], dtype=np.int64)
        n = len(codes)
        self._order: np.ndarray | None = None
        if n:
            new = np.r_[True, codes[1:] != codes[:-1]]
            runs = codes[new]
            ordered = bool((runs[1:] > runs[:-1]).all()) and bool((np.diff(years)[~new[1:]] >= 0).all())
            runs = runs.tolist()
            if not ordered:  # by region_code, then year (stable: equal rows as given)
                rank = {code: i for i, code in enumerate(sorted(set(codes.tolist())))}
                self._order = np.lexsort((years, np.array([rank[c] for c in codes.tolist()], dtype=np.int64)))
                codes, years = codes[self._order], years[self._order]
                new = np.r_[True, codes[1:] != codes[:-1]]
                runs = codes[new].tolist()
            group = np.cumsum(new) - 1
            self._low = int(years.min())
            self._span = int(years.max()) - self._low + 2  # a key between two regions' years is never a row's
        else:
            runs, group = [], np.zeros(0, dtype=np.int64)
            self._low, self._span = 0, 2
        self._group_of = _numbered(runs, known if known is not None else [])
        self._group = group
        self._years = years
        self._keys = group * self._span + (years - self._low)

    def sorted_rows(self) -> np.ndarray:
        """The rows of ``figures`` in region_code and year order (equal rows as given)."""
        return np.arange(len(self._keys)) if self._order is None else self._order

    @property
    def numbering(self) -> dict:
        """The region numbering (code -> number) :meth:`groups` reads; indexes over the same regions share
        one object, so a caller can number a list of codes once for all of them."""
        return self._group_of

    def groups(self, codes) -> np.ndarray:
        """The region number of each of ``codes`` in this index (int64; -1: no figure)."""
        return np.fromiter(map(self._group_of.get, codes, repeat(-1)), dtype=np.int64, count=len(codes))

    def _key(self, groups: np.ndarray, years) -> np.ndarray:
        offset = np.clip(np.asarray(years, dtype=np.int64) - self._low, -1, self._span - 1)
        return groups * self._span + offset

    def _rows(self, positions: np.ndarray, found: np.ndarray) -> np.ndarray:
        rows = np.where(found, positions, -1)
        if self._order is not None:
            rows = np.where(found, self._order[np.maximum(rows, 0)], -1)
        return rows

    def at_or_before(self, groups: np.ndarray, year) -> tuple[np.ndarray, np.ndarray]:
        """``(exact, earlier)``: for each region, the row of its figure of ``year`` (one year
        for all, or one per region; the last of equal rows) and the row of its latest figure
        before that year (-1 where none)."""
        valid = groups >= 0
        target = self._key(groups, np.broadcast_to(np.asarray(year, dtype=np.int64), groups.shape))
        n = len(self._keys)
        last = np.searchsorted(self._keys, target, side="right") - 1
        at = np.maximum(last, 0)
        exact = valid & (last >= 0) & (self._keys[at] == target) if n else np.zeros(len(groups), dtype=bool)
        before = np.searchsorted(self._keys, target, side="left") - 1
        at_before = np.maximum(before, 0)
        earlier = valid & (before >= 0) & (self._group[at_before] == groups) if n else exact
        return self._rows(last, exact), self._rows(before, earlier)

    def nearest(self, groups: np.ndarray, years) -> np.ndarray:
        """For each region and year, the row of its figure nearest that year, the later of two
        as near (the first of equal rows); -1 for a region without figures."""
        n = len(self._keys)
        if not n:
            return np.full(len(groups), -1, dtype=np.int64)
        valid = groups >= 0
        years = np.asarray(years, dtype=np.int64)
        target = self._key(groups, years)
        above = np.searchsorted(self._keys, target, side="left")
        at_above = np.minimum(above, n - 1)
        has_above = valid & (above < n) & (self._group[at_above] == groups)
        below = above - 1
        at_below = np.maximum(below, 0)
        has_below = valid & (below >= 0) & (self._group[at_below] == groups)
        below = np.searchsorted(self._keys, self._keys[at_below], side="left")  # the first of equal rows
        gap_above = self._years[at_above] - years
        gap_below = years - self._years[np.maximum(below, 0)]
        take_above = has_above & (~has_below | (gap_above <= gap_below))
        position = np.where(take_above, at_above, below)
        return self._rows(position, take_above | has_below)


def _numbered(runs: list, known: list[tuple[list, dict]]) -> dict:
    """``{code: position}`` of ``runs``; the one of an equal list in ``known`` when there is one
    (the indicators of a data set mostly cover the same regions: one dict of 83,763 codes, not
    one per indicator), else built and added to ``known``."""
    for other, positions in known:
        if other == runs:
            return positions
    positions = {code: g for g, code in enumerate(runs)}
    known.append((runs, positions))
    return positions


class _SeriesView(Mapping):
    """``{region_code: {year: record}}`` over one indicator's figures, built lazily."""

    def __init__(self, figures: Columns):
        self._figures = figures
        codes = figures["region_code"]
        if len(codes):
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            ends = np.r_[starts[1:], len(codes)]
            spans = zip(starts.tolist(), ends.tolist(), strict=True)
            self._spans = dict(zip(codes[starts].tolist(), spans, strict=True))
        else:
            self._spans = {}
        self._built: dict[str, dict[int, dict]] = {}

    def __getitem__(self, code: str) -> dict[int, dict]:
        if code not in self._built:
            start, end = self._spans[code]
            block = self._figures.take(np.arange(start, end))
            self._built[code] = {int(row["year"]): row for row in block.records()}
        return self._built[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, code: object) -> bool:
        return code in self._spans

    def years_of(self, code: str) -> list[int]:
        """Years with a figure for ``code``, ascending (without building the rows)."""
        span = self._spans.get(code)
        if span is None:
            return []
        return self._figures["year"][span[0] : span[1]].tolist()
