"""Indicator tables: reading, validating, and picking the year a scenario asks for.

The shipped data set is ``data/kaltim-indicators.csv`` (a copy of
``shared/domain/kaltim-indicators.csv``; every row carries its source and status). A user
file given with ``--data`` replaces it. Two layouts are read:

*long* (as shipped): one figure a row, columns ``region_code, region_name, region_type,
indicator, year, value, unit, status, source, note`` (only ``region_code`` or
``region_name``, ``indicator``, ``year`` and ``value`` are required);

*wide*: one region a row, columns ``region_code``, ``region_name``, optional
``region_type`` and ``parent_code``, one column per indicator (``idg``, ``poverty_rate``,
``poor_population``, ``population``, ``eligible``…), and the year of each either in an
``<indicator>_year`` column or in a common ``year`` column; optional ``source`` and
``status``.

A region whose code is a proper prefix of another region's code (``64`` for ``6401``),
or that another row names in ``parent_code``, is a *parent*; the others are the units an
allocation is made over. Any set of regions and levels can be read this way: BPS codes
have 2 digits for a province, 4 for a kabupaten/kota, 7 for a kecamatan and 10 for a
desa/kelurahan, and a ``parent_code`` must be a prefix of its region's code (so a file
of 38 provinces, 514 kabupaten/kota and 83,763 desa is one table; see
:mod:`optimizer.hierarchy` for allocating level by level).

Speed: files are read column by column (cells in the plain forms ``6403``, ``66.89``,
``2024`` are converted in bulk, the others one by one with :mod:`optimizer.numbers`); a
file with any problem is read again row by row so the error names the first bad row
exactly as before.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from . import numbers
from .errors import InputError, input_error
from .files import sha256_of
from .i18n import Count, Notice
from .privacy import redact
from .regions import BPS_CODE_LENGTHS, Region, Resolved, kaltim_registry, resolve_region
from .tabular import Table, find_column, header_key, read_table


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

RECORD_COLUMNS = ["region_code", "indicator", "year", "value", "unit", "status", "source", "note"]


@dataclass(frozen=True)
class DataSet:
    """A validated indicator table.

    ``records``: DataFrame, one figure a row, columns ``RECORD_COLUMNS``; ``region_code``
    is a BPS code (str), ``year`` an int, ``value`` a float (counts are whole), sorted by
    region_code, indicator, year. ``units``: the regions allocations are made over
    (sorted by code). ``parents``: province-level regions (code -> Region). ``label``:
    where the data came from, for outputs. ``sha256``: hash of the file read.
    ``notices``: translations or checks worth telling the user.
    """

    records: pd.DataFrame
    units: tuple[Region, ...]
    parents: dict[str, Region]
    label: str
    path: Path | None
    sha256: str
    notices: tuple = ()
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    @property
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

    def series(self, indicator: str) -> Mapping[str, dict[int, pd.Series]]:
        """All figures of one indicator: ``{region_code: {year: record row}}``.

        A read-only mapping; each region's ``{year: row}`` dict (rows are Series with the
        :data:`RECORD_COLUMNS`) is built when first looked up.
        """
        if indicator not in self._index:
            self._index[indicator] = _SeriesView(self._figures(indicator))
        return self._index[indicator]

    def _figures(self, indicator: str) -> pd.DataFrame:
        """The records of ``indicator`` (sorted by region_code, year), cached."""
        cache_key = ("figures", indicator)
        if cache_key not in self._index:
            column = self.records["indicator"].to_numpy()
            self._index[cache_key] = self.records[column == indicator].reset_index(drop=True)
        return self._index[cache_key]

    def years(self, indicator: str) -> list[int]:
        """Years for which any region has a figure of ``indicator``, ascending."""
        return sorted({int(y) for y in self._figures(indicator)["year"].unique()})


class _SeriesView(Mapping):
    """``{region_code: {year: record row}}`` over one indicator's records, built lazily."""

    def __init__(self, figures: pd.DataFrame):
        self._figures = figures
        codes = figures["region_code"].to_numpy()
        if len(codes):
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            ends = np.r_[starts[1:], len(codes)]
            spans = zip(starts.tolist(), ends.tolist(), strict=True)
            self._spans = dict(zip(codes[starts].tolist(), spans, strict=True))
        else:
            self._spans = {}
        self._built: dict[str, dict[int, pd.Series]] = {}

    def __getitem__(self, code: str) -> dict[int, pd.Series]:
        if code not in self._built:
            start, end = self._spans[code]
            block = self._figures.iloc[start:end]
            self._built[code] = {int(row["year"]): row for _, row in block.iterrows()}
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
        return [int(y) for y in self._figures["year"].to_numpy()[span[0] : span[1]]]


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
                    f"{data.label}: indicator {indicator!r} has no {year} figure for {code} {name} "
                    f"(years available: {available}); expected a {year} value, or set "
                    f"indicators.allow_fallback = true to use its latest earlier year"
                )
            raise InputError(
                f"{data.label}: indicator {indicator!r} has no figure for {code} {name} in {year} or "
                f"earlier (years available: {available}); expected a value for a year up to {year}"
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


# --------------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def shipped() -> DataSet:
    """The shipped Kalimantan Timur data set (``data/kaltim-indicators.csv``)."""
    ref = resources.files("optimizer.data").joinpath("kaltim-indicators.csv")
    with resources.as_file(ref) as path:
        table = read_table(path)
        return _from_table(
            table, label="kaltim-indicators.csv (shipped)", default_source=None, default_status=None, file_path=path
        )


def load(path: str | Path | None) -> DataSet:
    """Load ``path`` (CSV or XLSX, long or wide layout), or the shipped data when None.

    Raises :class:`InputError` for any unreadable file, unknown region, bad value (with
    file, row, column and value), duplicate figure, or a file with no allocation units.
    """
    if path is None:
        return shipped()
    path = Path(path)
    with _collector_paused():
        table = read_table(
            path,
            expected=("region_code", "kode_bps", "kode_wilayah", "region_name", "nama_wilayah", "indicator", "kode"),
            find_header=True,
            check_formulas=True,
        )
        return _from_table(
            table, label=str(path), default_source=f"file {path.name}", default_status="supplied", file_path=path
        )


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a table is read.

    Reading 83,763 rows allocates millions of small objects, none in reference cycles;
    the collector would otherwise rescan all of them many times (a third of the load
    time). Its previous state is restored afterwards, also on error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _from_table(
    table: Table, *, label: str, default_source: str | None, default_status: str | None, file_path: Path
) -> DataSet:
    if find_column(table, "indicator", "indikator", required=False):
        records, regions, notices = _read_long(table, default_source, default_status)
    else:
        records, regions, notices = _read_wide(table, default_source, default_status)
    if records.empty:
        raise InputError(f"{table.path}: no data rows; expected at least one figure per region")
    codes = sorted(regions)
    parents = _parent_codes(regions, table)
    units = tuple(regions[c] for c in codes if c not in parents)
    if not units:
        raise InputError(f"{table.path}: no kabupaten/kota rows; expected figures for at least one region")
    records = records.sort_values(["region_code", "indicator", "year"], kind="mergesort").reset_index(drop=True)
    if default_source is not None:  # a user's file: a NIK pasted into a free-text cell is never echoed
        for column in ("source", "note"):
            records[column] = records[column].map(redact)
    return DataSet(
        records=records,
        units=units,
        parents={c: regions[c] for c in sorted(parents)},
        label=label,
        path=file_path,
        sha256=sha256_of(file_path),
        notices=tuple(notices),
    )


def region_columns(table: Table, required: bool = True) -> tuple[str | None, str | None, str | None]:
    """The table's region columns as written: BPS code, name, Kemendagri code (each or None).

    Accepted headers: ``region_code``/``kode_bps``/``kode_wilayah``/``kode``;
    ``region_name``/``nama_wilayah``/``kabupaten_kota``; ``kode_kemendagri``. With
    ``required``, a table with none of them raises :class:`InputError`.
    """
    code_col = find_column(table, "region_code", "kode_bps", "kode_wilayah", "kode", required=False)
    name_col = find_column(table, "region_name", "nama_wilayah", "kabupaten_kota", "kabupaten/kota", required=False)
    kem_col = find_column(table, "kode_kemendagri", "kemendagri_code", required=False)
    if required and not (code_col or name_col or kem_col):
        find_column(table, "region_code", "region_name", what="the region")
    return code_col, name_col, kem_col


def resolve_row(table: Table, i: int, code_col, name_col, kemendagri_col) -> Resolved:
    """The BPS code of row ``i`` from its code (or Kemendagri code) and name; see :func:`resolve_region`."""
    frame = table.frame
    code = frame.iat[i, frame.columns.get_loc(code_col)] if code_col else ""
    kemendagri = False
    if (code is None or str(code).strip() == "") and kemendagri_col:
        code = frame.iat[i, frame.columns.get_loc(kemendagri_col)]
        kemendagri = True
    name = frame.iat[i, frame.columns.get_loc(name_col)] if name_col else ""
    return resolve_region(code, name, source=str(table.path), row=table.row_number(i), kemendagri=kemendagri)


def _region_of(
    table: Table, i: int, code_col, name_col, kemendagri_col, regions, notices, type_value="", parent_value=""
) -> str:
    name = table.frame.iat[i, table.frame.columns.get_loc(name_col)] if name_col else ""
    resolved = resolve_row(table, i, code_col, name_col, kemendagri_col)
    if resolved.notice and resolved.notice not in notices:
        notices.append(resolved.notice)
    bps = resolved.code
    if bps not in regions:
        known = kaltim_registry().by_code.get(bps)
        name_text = " ".join(str(name).split()) if name else ""
        if known is not None:
            regions[bps] = known
        else:
            region_type = str(type_value).strip().lower() or ("provinsi" if len(bps) == 2 else "")
            regions[bps] = Region(
                code=bps, name=name_text or bps, type=region_type, parent_code=str(parent_value).strip()
            )
    return bps


def _read_year(table: Table, i: int, column: str) -> int:
    cell = table.frame.iat[i, table.frame.columns.get_loc(column)]
    try:
        year = numbers.parse_count(cell)
    except ValueError:
        year = None
    if year is None or not 1900 <= year <= 2100:
        raise input_error(
            table.path, "a four-digit year such as 2024", row=table.row_number(i), field=column, value=cell
        )
    return year


def _read_value(table: Table, i: int, column: str, spec: IndicatorSpec, cell=None) -> float:
    if cell is None:
        cell = table.frame.iat[i, table.frame.columns.get_loc(column)]
    row = table.row_number(i)
    try:
        value = float(numbers.parse_by_unit(cell, spec.kind))
    except ValueError as exc:
        raise input_error(
            table.path, f"{exc} for {spec.name} ({spec.unit})", row=row, field=column, value=cell
        ) from None
    if spec.low is not None and value < spec.low and spec.high is None:
        raise input_error(
            table.path, f"a value of at least {spec.low:g} ({spec.unit})", row=row, field=column, value=cell
        )
    if spec.high is not None and not spec.low <= value <= spec.high:
        raise input_error(
            table.path,
            f"a value between {spec.low:g} and {spec.high:g} ({spec.unit})",
            row=row,
            field=column,
            value=cell,
        )
    return value


# Words a unit cell must contain for each indicator (the declared unit resolves what a number
# means: 25.280 poor people written in persons is 25,28 thousand, not 25.280 thousand).
UNIT_WORDS = {
    "idg": (("index", "indeks"), ()),
    "ipg": (("index", "indeks"), ()),
    "poverty_rate": (("percent", "persen", "%"), ()),
    "poor_population": (("thousand", "ribu", "000"), ()),
    "population": (("person", "jiwa", "orang", "penduduk"), ("thousand", "ribu")),
    "eligible": (("person", "jiwa", "orang", "perempuan", "women"), ("thousand", "ribu")),
}


def unit_matches(indicator: str, unit: str) -> bool:
    """True when a unit cell (possibly empty) agrees with the indicator's declared unit."""
    words = UNIT_WORDS.get(indicator)
    text = unit.strip().lower()
    if not text or words is None:
        return True
    needed, refused = words
    return any(w in text for w in needed) and not any(w in text for w in refused)


def _spec(indicator: str) -> IndicatorSpec:
    return INDICATORS.get(indicator) or IndicatorSpec(indicator, numbers.DECIMAL, None, None, "", indicator, indicator)


def _status(table: Table, i: int, column: str | None, default: str | None) -> str:
    if column is None:
        return default or "published"
    cell = str(table.frame.iat[i, table.frame.columns.get_loc(column)]).strip().lower()
    if not cell:
        return default or "published"
    if cell not in STATUSES:
        raise input_error(
            table.path, "one of " + ", ".join(STATUSES), row=table.row_number(i), field=column, value=cell
        )
    return cell


def _text(table: Table, i: int, column: str | None) -> str:
    if column is None:
        return ""
    return " ".join(str(table.frame.iat[i, table.frame.columns.get_loc(column)]).split())


def _read_long_rows(table: Table, default_source, default_status):
    """The long layout read row by row (the reference; used when the fast reader declines)."""
    code_col, name_col, kem_col = region_columns(table)
    type_col = find_column(table, "region_type", "jenis_wilayah", required=False)
    parent_col = find_column(table, "parent_code", "kode_induk", required=False)
    ind_col = find_column(table, "indicator", "indikator")
    year_col = find_column(table, "year", "tahun")
    val_col = find_column(table, "value", "nilai")
    unit_col = find_column(table, "unit", "satuan", required=False)
    status_col = find_column(table, "status", required=False)
    source_col = find_column(table, "source", "sumber", required=False)
    note_col = find_column(table, "note", "catatan", required=False)
    regions: dict[str, Region] = {}
    notices: list[str] = []
    records, seen = [], {}
    for i in range(len(table.frame)):
        row = table.row_number(i)
        code = _region_of(
            table,
            i,
            code_col,
            name_col,
            kem_col,
            regions,
            notices,
            _text(table, i, type_col),
            _text(table, i, parent_col),
        )
        written = _text(table, i, ind_col)
        if not written:
            raise input_error(
                table.path, "an indicator name such as idg or poverty_rate", row=row, field=ind_col, value=""
            )
        indicator = _INDICATOR_KEYS.get(header_key(written))
        if indicator is None:
            raise input_error(
                table.path, f"one of the indicators {', '.join(INDICATORS)}", row=row, field=ind_col, value=written
            )
        year = _read_year(table, i, year_col)
        value = _read_value(table, i, val_col, _spec(indicator))
        key = (code, indicator, year)
        if key in seen:
            raise InputError(
                f"{table.path}, row {row}: a second {indicator} {year} figure for region {code} "
                f"(first on row {seen[key]}); expected one figure per region, indicator and year"
            )
        seen[key] = row
        source = _text(table, i, source_col) or (default_source or "")
        if not source:
            raise input_error(table.path, "the source of the figure", row=row, field=source_col or "source", value="")
        unit = _text(table, i, unit_col)
        if not unit_matches(indicator, unit):
            raise input_error(
                table.path, f"the unit of {indicator}: {_spec(indicator).unit}", row=row, field=unit_col, value=unit
            )
        records.append(
            [
                code,
                indicator,
                year,
                value,
                unit or _spec(indicator).unit,
                _status(table, i, status_col, default_status),
                source,
                _text(table, i, note_col),
            ]
        )
    return pd.DataFrame(records, columns=RECORD_COLUMNS), regions, notices


_META = {
    "region_code",
    "kode_bps",
    "kode_wilayah",
    "kode",
    "region_name",
    "nama_wilayah",
    "kabupaten_kota",
    "kabupaten/kota",
    "kode_kemendagri",
    "kemendagri_code",
    "region_type",
    "jenis_wilayah",
    "parent_code",
    "kode_induk",
    "year",
    "tahun",
    "source",
    "sumber",
    "status",
    "note",
    "catatan",
    "unit",
    "satuan",
}


_META_KEYS = {header_key(name) for name in _META}
_INDICATOR_KEYS = {header_key(name): name for name in INDICATORS}


def _canonical(column: str) -> str:
    """The indicator a wide-layout column holds: ``'Poverty Rate'`` -> ``'poverty_rate'``."""
    return _INDICATOR_KEYS[header_key(column)]


def _year_column(table: Table, column: str) -> str | None:
    """The year column of one indicator column: ``idg_year``, ``IDG Year`` or ``Tahun IDG``."""
    indicator = _canonical(column)
    return find_column(table, f"{column}_year", f"{indicator}_year", f"tahun_{indicator}", required=False)


def wide_indicator_columns(table: Table) -> list[str]:
    """The indicator columns of a wide table, as written in its header.

    Region, year (``<indicator>_year``, ``IDG Year``), source, status and note columns are
    not indicators. Any other column must be a known indicator (:data:`INDICATORS`), so a
    misspelt header is an error, never silently ignored. Raises :class:`InputError`.
    """
    columns = []
    for column in table.frame.columns:
        key = header_key(column)
        if key in _META_KEYS or key.endswith(("year", "tahun", "source", "sumber")) or key.startswith("tahun"):
            continue
        if key not in _INDICATOR_KEYS:
            raise InputError(
                f"{table.path}: column {column!r} is not an indicator the tool knows; expected one of "
                f"{', '.join(INDICATORS)} (with '<indicator>_year' columns), or a region, year, source, "
                "status or note column"
            )
        columns.append(column)
    return columns


def _read_wide_rows(table: Table, default_source, default_status):
    """The wide layout read row by row (the reference; used when the fast reader declines)."""
    code_col, name_col, kem_col = region_columns(table)
    type_col = find_column(table, "region_type", "jenis_wilayah", required=False)
    parent_col = find_column(table, "parent_code", "kode_induk", required=False)
    year_col = find_column(table, "year", "tahun", required=False)
    status_col = find_column(table, "status", required=False)
    source_col = find_column(table, "source", "sumber", required=False)
    note_col = find_column(table, "note", "catatan", required=False)
    indicator_cols = wide_indicator_columns(table)
    if not indicator_cols:
        raise InputError(
            f"{table.path}: no indicator columns; expected columns such as idg, poverty_rate, poor_population, "
            "eligible (wide layout) or indicator/year/value columns (long layout)"
        )
    regions: dict[str, Region] = {}
    notices: list[str] = []
    records, seen = [], {}
    for i in range(len(table.frame)):
        row = table.row_number(i)
        code = _region_of(
            table,
            i,
            code_col,
            name_col,
            kem_col,
            regions,
            notices,
            _text(table, i, type_col),
            _text(table, i, parent_col),
        )
        if code in seen:
            raise InputError(
                f"{table.path}, row {row}: region {code} appears again (first on row {seen[code]}); "
                "expected one row per region"
            )
        seen[code] = row
        for column in indicator_cols:
            indicator = _canonical(column)
            cell = table.frame.iat[i, table.frame.columns.get_loc(column)]
            if cell == "" or cell is None:
                continue  # a gap is a gap: selection reports it, nothing is filled
            year_column = _year_column(table, column) or year_col
            if year_column is None:
                raise InputError(
                    f"{table.path}: no year for column {column!r}; expected a '{_canonical(column)}_year' or a "
                    "'year' column"
                )
            year = _read_year(table, i, year_column)
            value = _read_value(table, i, column, _spec(indicator), cell)
            source_column = find_column(table, f"{column}_source", required=False) or source_col
            source = _text(table, i, source_column) or (default_source or "")
            records.append(
                [
                    code,
                    indicator,
                    year,
                    value,
                    _spec(indicator).unit,
                    _status(table, i, status_col, default_status),
                    source,
                    _text(table, i, note_col),
                ]
            )
    return pd.DataFrame(records, columns=RECORD_COLUMNS), regions, notices


def _parent_codes(regions: dict[str, Region], table: Table) -> set[str]:
    """Codes of the regions that are parents: a proper prefix of another code present, a
    ``parent_code`` named by another row, or of type ``provinsi``.

    Raises :class:`InputError` when a ``parent_code`` is not a proper prefix of its
    region's code (BPS codes nest: ``64`` > ``6403`` > ``6403010`` > ``6403010001``).
    """
    codes = set(regions)
    lengths = sorted({len(c) for c in codes})
    prefixes: set[str] = set()
    for length in lengths:
        longer = [c for c in codes if len(c) > length]
        prefixes.update(c[:length] for c in longer)
    parents = codes & prefixes
    for code, region in regions.items():
        parent = region.parent_code
        if parent:
            if not (len(parent) < len(code) and code.startswith(parent)):
                raise InputError(
                    f"{table.path}: region {code} has parent_code {parent!r}; expected the BPS code of the region "
                    f"it belongs to, a proper prefix of its own code (e.g. {code[:2]!r})"
                )
            if parent in codes:
                parents.add(parent)
        if region.type == "provinsi":
            parents.add(code)
    return parents


# --------------------------------------------------------------------------- fast readers

# The plain forms converted in bulk (anything else is parsed cell by cell by optimizer.numbers).
_PLAIN_ONE = {
    "code": r"[0-9]{2,10}",
    numbers.COUNT: r"[0-9]+",
    numbers.DECIMAL: r"[0-9]+(?:\.[0-9]+)?",
}
# A whole column joined with NUL separators, matched by one regex.
_PLAIN = {kind: re.compile(rf"(?:{form}\x00)*{form}") for kind, form in _PLAIN_ONE.items()}
_PLAIN_ONE = {kind: re.compile(form) for kind, form in _PLAIN_ONE.items()}
_ODD_SPACE = ("\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "  ", "\x00 ", " \x00")


def _only_text(values: list) -> bool:
    return set(map(type, values)) <= {str}


def _tidy(joined: str) -> bool:
    """True when ``" ".join(cell.split())`` would change no cell of the NUL-joined column."""
    if not joined.isascii() or joined.startswith(" ") or joined.endswith(" "):
        return False
    return not any(mark in joined for mark in _ODD_SPACE)


def _all_plain(cells: list, kind: str) -> bool:
    """True when every cell is text in the plain form of ``kind`` (one regex over the column)."""
    if not cells:
        return True
    if not _only_text(cells):
        return False
    return _PLAIN[kind].fullmatch("\x00".join(cells)) is not None


class _Decline(Exception):
    """The fast reader cannot vouch for this table; read it row by row instead."""


def _read_long(table: Table, default_source, default_status):
    try:
        return _read_long_fast(table, default_source, default_status)
    except _Decline:
        return _read_long_rows(table, default_source, default_status)


def _read_wide(table: Table, default_source, default_status):
    try:
        return _read_wide_fast(table, default_source, default_status)
    except _Decline:
        return _read_wide_rows(table, default_source, default_status)


def _column(table: Table, column: str | None) -> np.ndarray | None:
    if column is None:
        return None
    return table.frame[column].to_numpy(dtype=object)


def _texts(cells: np.ndarray | None, n: int) -> np.ndarray:
    """``" ".join(str(cell).split())`` for every cell (computed once per distinct value)."""
    if cells is None:
        return np.full(n, "", dtype=object)
    values = cells.tolist()
    if _only_text(values) and _tidy("\x00".join(values)):
        return cells  # already tidy: single spaces, nothing at either end
    mapping = {value: " ".join(str(value).split()) for value in set(values)}
    return np.array([mapping[value] for value in values], dtype=object)


def _all_text(cells: np.ndarray) -> bool:
    return _only_text(cells.tolist())


def _numbers(cells: np.ndarray, kind: str) -> np.ndarray:
    """Parse cells (all non-empty) by unit kind; plain cells in bulk, others one by one.

    Raises :class:`_Decline` for any cell the per-cell parser rejects.
    """
    values = cells.tolist()
    convert = float if kind == numbers.DECIMAL else int
    if _all_plain(values, kind):
        return np.array(list(map(convert, values)), dtype=np.float64)
    out = np.empty(len(values), dtype=np.float64)
    plain = _PLAIN_ONE[kind]
    for i, value in enumerate(values):
        if type(value) is str and plain.fullmatch(value):
            out[i] = float(convert(value))
            continue
        try:
            out[i] = float(numbers.parse_by_unit(value, kind))
        except ValueError:
            raise _Decline from None
    return out


def _years(cells: np.ndarray) -> np.ndarray:
    values = _numbers(cells, numbers.COUNT)
    if not ((values >= 1900) & (values <= 2100)).all():
        raise _Decline
    return values.astype(np.int64)


def _statuses(cells: np.ndarray | None, n: int, default: str | None) -> np.ndarray:
    fallback = default or "published"
    if cells is None:
        return np.full(n, fallback, dtype=object)
    values = cells.tolist()
    mapping = {value: (str(value).strip().lower() or fallback) for value in set(values)}
    text = np.array([mapping[value] for value in values], dtype=object)
    if not np.isin(text, STATUSES).all():
        raise _Decline
    return text


def _fast_regions(table: Table, code_col, name_col, kem_col, type_col, parent_col):
    """BPS codes of every row and the Region of every code, or :class:`_Decline`.

    Only codes written as plain BPS codes are handled here; a row of a Kaltim code (which
    is cross-checked against its name) goes through :func:`resolve_region` like the row
    reader does, and anything else declines.
    """
    n = len(table.frame)
    if code_col is None:
        raise _Decline
    codes = _column(table, code_col)
    if not _all_plain(codes.tolist(), "code"):
        raise _Decline
    if name_col is not None and not _all_text(_column(table, name_col)):
        raise _Decline
    names = _texts(_column(table, name_col), n)
    types = _texts(_column(table, type_col), n)
    parent_codes = _texts(_column(table, parent_col), n)
    registry = kaltim_registry()
    regions: dict[str, Region] = {}
    if any(len(code) not in BPS_CODE_LENGTHS for code in set(codes.tolist())):
        raise _Decline  # the row reader names the row and the code
    # A kabupaten/kota code elsewhere whose name is a Kaltim region: the row reader explains it.
    kab_names = {name for code, name in zip(codes.tolist(), names.tolist(), strict=True) if len(code) == 4}
    if any(registry.find_name(name) is not None for name in kab_names if name):
        kaltim = [i for i, code in enumerate(codes.tolist()) if len(code) == 4]
    else:
        kaltim = [i for i, code in enumerate(codes.tolist()) if code.startswith("64")]
    for i in kaltim:
        try:
            resolved = resolve_region(codes[i], names[i], source=str(table.path), row=table.row_number(i))
        except InputError:
            raise _Decline from None
        if resolved.code != codes[i] or resolved.notice is not None:
            raise _Decline
    code_list = codes.tolist()
    for code, name, kind, parent in zip(code_list, names.tolist(), types.tolist(), parent_codes.tolist(), strict=True):
        if code in regions:
            continue
        known = registry.by_code.get(code)
        if known is not None:
            regions[code] = known
            continue
        region_type = kind.strip().lower() or ("provinsi" if len(code) == 2 else "")
        regions[code] = Region(code=code, name=name or code, type=region_type, parent_code=parent.strip())
    return codes, regions


def _read_wide_fast(table: Table, default_source, default_status):
    code_col, name_col, kem_col = region_columns(table, required=False)
    if kem_col is not None:
        raise _Decline
    type_col = find_column(table, "region_type", "jenis_wilayah", required=False)
    parent_col = find_column(table, "parent_code", "kode_induk", required=False)
    year_col = find_column(table, "year", "tahun", required=False)
    status_col = find_column(table, "status", required=False)
    source_col = find_column(table, "source", "sumber", required=False)
    note_col = find_column(table, "note", "catatan", required=False)
    indicator_cols = wide_indicator_columns(table)
    if not indicator_cols:
        raise _Decline
    n = len(table.frame)
    codes, regions = _fast_regions(table, code_col, name_col, kem_col, type_col, parent_col)
    if pd.Series(codes, dtype=object).duplicated().any():
        raise _Decline
    statuses = _statuses(_column(table, status_col), n, default_status)
    notes = _texts(_column(table, note_col), n)
    common_sources = _texts(_column(table, source_col), n)
    columns: dict[str, list] = {name: [] for name in RECORD_COLUMNS}
    for column in indicator_cols:
        indicator = _canonical(column)
        spec = _spec(indicator)
        cells = _column(table, column)
        filled = (cells != "") & np.not_equal(cells, None)
        if not filled.any():
            continue
        year_column = _year_column(table, column) or year_col
        if year_column is None:
            raise _Decline
        rows = np.flatnonzero(filled)
        years = _years(_column(table, year_column)[rows])
        values = _numbers(cells[rows], spec.kind)
        if spec.low is not None and (values < spec.low).any():
            raise _Decline
        if spec.high is not None and (values > spec.high).any():
            raise _Decline
        source_column = find_column(table, f"{column}_source", required=False)
        sources = _texts(_column(table, source_column), n)[rows] if source_column else common_sources[rows]
        sources = np.where(sources == "", default_source or "", sources)
        count = len(rows)
        columns["region_code"].extend(codes[rows].tolist())
        columns["indicator"].extend([indicator] * count)
        columns["year"].extend(years.tolist())
        columns["value"].extend(values.tolist())
        columns["unit"].extend([spec.unit] * count)
        columns["status"].extend(statuses[rows].tolist())
        columns["source"].extend(sources.tolist())
        columns["note"].extend(notes[rows].tolist())
    return pd.DataFrame(columns, columns=RECORD_COLUMNS), regions, []


def _read_long_fast(table: Table, default_source, default_status):
    code_col, name_col, kem_col = region_columns(table, required=False)
    if kem_col is not None:
        raise _Decline
    type_col = find_column(table, "region_type", "jenis_wilayah", required=False)
    parent_col = find_column(table, "parent_code", "kode_induk", required=False)
    ind_col = find_column(table, "indicator", "indikator")
    year_col = find_column(table, "year", "tahun", required=False)
    val_col = find_column(table, "value", "nilai", required=False)
    if year_col is None or val_col is None:
        raise _Decline
    unit_col = find_column(table, "unit", "satuan", required=False)
    status_col = find_column(table, "status", required=False)
    source_col = find_column(table, "source", "sumber", required=False)
    note_col = find_column(table, "note", "catatan", required=False)
    n = len(table.frame)
    codes, regions = _fast_regions(table, code_col, name_col, kem_col, type_col, parent_col)
    indicators = np.array(
        [_INDICATOR_KEYS.get(header_key(t), "") for t in _texts(_column(table, ind_col), n).tolist()], dtype=object
    )
    if (indicators == "").any():
        raise _Decline  # an empty or unknown indicator: the row reader names the row
    years = _years(_column(table, year_col))
    values = np.empty(n, dtype=np.float64)
    for name in pd.unique(pd.Series(indicators, dtype=object)).tolist():
        spec = _spec(name)
        rows = np.flatnonzero(indicators == name)
        chunk = _numbers(_column(table, val_col)[rows], spec.kind)
        if spec.low is not None and (chunk < spec.low).any():
            raise _Decline
        if spec.high is not None and (chunk > spec.high).any():
            raise _Decline
        values[rows] = chunk
    keys = pd.DataFrame({"c": codes, "i": indicators, "y": years})
    if keys.duplicated().any():
        raise _Decline
    sources = _texts(_column(table, source_col), n)
    sources = np.where(sources == "", default_source or "", sources)
    if (sources == "").any():
        raise _Decline
    units = _texts(_column(table, unit_col), n)
    if not all(unit_matches(i, u) for i, u in set(zip(indicators.tolist(), units.tolist(), strict=True))):
        raise _Decline  # the row reader names the row whose unit disagrees
    spec_units = np.array([_spec(i).unit for i in indicators.tolist()], dtype=object)
    units = np.where(units == "", spec_units, units)
    records = {
        "region_code": codes,
        "indicator": indicators,
        "year": years,
        "value": values,
        "unit": units,
        "status": _statuses(_column(table, status_col), n, default_status),
        "source": sources,
        "note": _texts(_column(table, note_col), n),
    }
    return pd.DataFrame({k: v.tolist() for k, v in records.items()}, columns=RECORD_COLUMNS), regions, []


def consistency_notices(data: DataSet, codes=None, years=None) -> list[Notice]:
    """Plausibility checks worth a warning (not an error), as notices.

    poor_population / (poverty_rate / 100) implies a population; for every region-year
    where both exist, compare it with the nearest ``population`` figure. Outside 80–120 %
    usually means a typo or a wrong year (the shipped data: 84–103 %, except Mahakam Ulu
    2024 at 70 %, which is flagged: Susenas uses its own population base, so check it).
    ``codes``/``years``: only these regions and years (default: every unit, every year).
    """
    columns = ["region_code", "year", "value"]
    poor = data._figures("poor_population")[columns]
    rate = data._figures("poverty_rate")[columns].rename(columns={"value": "rate"})
    population = data._figures("population")[columns].rename(columns={"year": "pop_year", "value": "pop"})
    pairs = poor.merge(rate, on=["region_code", "year"])
    pairs = pairs[pairs["region_code"].isin(set(data.codes if codes is None else codes)) & (pairs["rate"] > 0)]
    if years is not None:
        pairs = pairs[pairs["year"].isin(set(years))]
    candidates = pairs.merge(population, on="region_code")
    if candidates.empty:
        return []
    candidates["distance"] = (candidates["pop_year"] - candidates["year"]).abs()
    candidates["later_first"] = -candidates["pop_year"]
    nearest = candidates.sort_values(["region_code", "year", "distance", "later_first"], kind="mergesort")
    nearest = nearest.drop_duplicates(["region_code", "year"], keep="first")
    implied = nearest["value"].to_numpy() * 1000 / (nearest["rate"].to_numpy() / 100)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = implied / nearest["pop"].to_numpy()
    flagged = ~((ratio >= 0.8) & (ratio <= 1.2)) | np.isnan(ratio)
    notices: list[Notice] = []
    rows = zip(nearest["region_code"], nearest["year"], nearest["pop_year"], implied, ratio, flagged, strict=True)
    for code, year, pop_year, implied_value, ratio_value, flag in rows:
        if flag:
            notices.append(
                Notice.of(
                    "consistency",
                    code=code,
                    name=data.region(code).name,
                    year=int(year),
                    implied=Count(int(np.rint(implied_value))) if np.isfinite(implied_value) else "?",
                    ratio=f"{ratio_value:.0%}" if np.isfinite(ratio_value) else "?",
                    pop_year=int(pop_year),
                )
            )
    return notices


def check_possible(data: DataSet, codes, years) -> None:
    """Refuse figures that cannot be true together: more poor people than people.

    For each region of ``codes`` and each ``poor_population`` year in ``years``, compare
    with the nearest ``population`` figure. Raises :class:`InputError` naming the region,
    the year and both figures (the usual cause: poor population written in persons).
    """
    poor = data._figures("poor_population")[["region_code", "year", "value"]]
    population = data._figures("population")[["region_code", "year", "value"]]
    poor = poor[poor["region_code"].isin(set(codes)) & poor["year"].isin(set(years))]
    if poor.empty or population.empty:
        return
    pairs = poor.merge(population, on="region_code", suffixes=("", "_pop"))
    if pairs.empty:
        return
    pairs["distance"] = (pairs["year_pop"] - pairs["year"]).abs()
    pairs = pairs.sort_values(["region_code", "year", "distance", "year_pop"], ascending=[True, True, True, False])
    pairs = pairs.drop_duplicates(["region_code", "year"], keep="first")
    bad = pairs[pairs["value"] * 1000 > pairs["value_pop"]]
    if not bad.empty:
        row = bad.iloc[0]
        code = str(row["region_code"])
        population = f"{int(row['value_pop']):,}".replace(",", ".")
        raise InputError(
            f"{data.label}: poor_population of {code} {data.region(code).name} in {int(row['year'])} is "
            f"{row['value']:g} thousand persons, more than its population ({population} in "
            f"{int(row['year_pop'])}); expected thousands of persons (e.g. 25,28 for 25.280 people)"
        )


def consistency_warnings(data: DataSet) -> list[str]:
    """:func:`consistency_notices` for every unit and year, as English sentences."""
    return [notice.text("en") for notice in consistency_notices(data)]
