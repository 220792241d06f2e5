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

A region whose code is a proper prefix of another region's code (``64`` for ``6401``)
is a *parent* (the province); the others are the units an allocation is made over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from . import numbers
from .errors import InputError, input_error
from .files import sha256_of
from .regions import Region, kaltim_registry, resolve_region
from .tabular import Table, find_column, read_table


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
            None,
            "thousand persons",
            "Jumlah penduduk miskin (ribu jiwa)",
            "Poor population (thousand persons)",
        ),
        IndicatorSpec("population", numbers.COUNT, 0, None, "persons", "Jumlah penduduk", "Population"),
        IndicatorSpec(
            "eligible",
            numbers.COUNT,
            0,
            None,
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

    def region(self, code: str) -> Region:
        """The unit or parent region with BPS ``code``; KeyError if absent."""
        for region in self.units:
            if region.code == code:
                return region
        return self.parents[code]

    def parent_of(self, code: str) -> str | None:
        """BPS code of the parent (province) of unit ``code`` in this data set, or None."""
        unit = next((r for r in self.units if r.code == code), None)
        if unit is not None and unit.parent_code in self.parents:
            return unit.parent_code
        for parent in sorted(self.parents, key=len, reverse=True):
            if code.startswith(parent) and code != parent:
                return parent
        return None

    def series(self, indicator: str) -> dict[str, dict[int, pd.Series]]:
        """All figures of one indicator: ``{region_code: {year: record row}}``."""
        if indicator not in self._index:
            table: dict[str, dict[int, pd.Series]] = {}
            subset = self.records[self.records["indicator"] == indicator]
            for _, row in subset.iterrows():
                table.setdefault(row["region_code"], {})[int(row["year"])] = row
            self._index[indicator] = table
        return self._index[indicator]

    def years(self, indicator: str) -> list[int]:
        """Years for which any region has a figure of ``indicator``, ascending."""
        subset = self.records[self.records["indicator"] == indicator]
        return sorted({int(y) for y in subset["year"]})


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
    series = data.series(indicator)
    rows = []
    for code in codes:
        by_year = series.get(code, {})
        if year in by_year:
            chosen, fallback = by_year[year], False
        else:
            earlier = [y for y in by_year if y < year]
            available = ", ".join(str(y) for y in sorted(by_year)) or "none"
            name = _name(data, code)
            if not allow_fallback:
                raise InputError(
                    f"{data.label}: indicator {indicator!r} has no {year} figure for {code} {name} "
                    f"(years available: {available}); expected a {year} value, or set "
                    f"indicators.allow_fallback = true to use its latest earlier year"
                )
            if not earlier:
                raise InputError(
                    f"{data.label}: indicator {indicator!r} has no figure for {code} {name} in {year} or "
                    f"earlier (years available: {available}); expected a value for a year up to {year}"
                )
            chosen, fallback = by_year[max(earlier)], True
        rows.append(
            {
                "region_code": code,
                "value": float(chosen["value"]),
                "year": int(chosen["year"]),
                "status": chosen["status"],
                "source": chosen["source"],
                "fallback": fallback,
            }
        )
    frame = pd.DataFrame(rows, columns=["region_code", "value", "year", "status", "source", "fallback"])
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
    table = read_table(path, expected=("region_code", "kode_bps", "region_name", "indicator", "kode"))
    return _from_table(
        table, label=str(path), default_source=f"file {path.name}", default_status="supplied", file_path=path
    )


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
    parents = {c for c in codes if any(o != c and o.startswith(c) for o in codes)}
    parents |= {c for c in codes if regions[c].type == "provinsi"}
    units = tuple(regions[c] for c in codes if c not in parents)
    if not units:
        raise InputError(f"{table.path}: no kabupaten/kota rows; expected figures for at least one region")
    records = records.sort_values(["region_code", "indicator", "year"], kind="mergesort").reset_index(drop=True)
    return DataSet(
        records=records,
        units=units,
        parents={c: regions[c] for c in sorted(parents)},
        label=label,
        path=file_path,
        sha256=sha256_of(file_path),
        notices=tuple(notices),
    )


def _region_of(
    table: Table, i: int, code_col, name_col, kemendagri_col, regions, notices, type_value="", parent_value=""
) -> str:
    frame, row = table.frame, table.row_number(i)
    code = frame.iat[i, frame.columns.get_loc(code_col)] if code_col else ""
    kemendagri = False
    if (code is None or str(code).strip() == "") and kemendagri_col:
        code = frame.iat[i, frame.columns.get_loc(kemendagri_col)]
        kemendagri = True
    name = frame.iat[i, frame.columns.get_loc(name_col)] if name_col else ""
    resolved = resolve_region(code, name, source=str(table.path), row=row, kemendagri=kemendagri)
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


def _read_long(table: Table, default_source, default_status):
    code_col = find_column(table, "region_code", "kode_bps", "kode_wilayah", "kode", required=False)
    name_col = find_column(table, "region_name", "nama_wilayah", "kabupaten_kota", "kabupaten/kota", required=False)
    kem_col = find_column(table, "kode_kemendagri", "kemendagri_code", required=False)
    if not (code_col or name_col or kem_col):
        find_column(table, "region_code", "region_name", what="the region")
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
        indicator = _text(table, i, ind_col).lower()
        if not indicator:
            raise input_error(
                table.path, "an indicator name such as idg or poverty_rate", row=row, field=ind_col, value=""
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
        records.append(
            [
                code,
                indicator,
                year,
                value,
                _text(table, i, unit_col) or _spec(indicator).unit,
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


def _read_wide(table: Table, default_source, default_status):
    code_col = find_column(table, "region_code", "kode_bps", "kode_wilayah", "kode", required=False)
    name_col = find_column(table, "region_name", "nama_wilayah", "kabupaten_kota", "kabupaten/kota", required=False)
    kem_col = find_column(table, "kode_kemendagri", "kemendagri_code", required=False)
    if not (code_col or name_col or kem_col):
        find_column(table, "region_code", "region_name", what="the region")
    type_col = find_column(table, "region_type", "jenis_wilayah", required=False)
    parent_col = find_column(table, "parent_code", "kode_induk", required=False)
    year_col = find_column(table, "year", "tahun", required=False)
    status_col = find_column(table, "status", required=False)
    source_col = find_column(table, "source", "sumber", required=False)
    note_col = find_column(table, "note", "catatan", required=False)
    indicator_cols = [
        c
        for c in table.frame.columns
        if c.lower() not in _META and not c.lower().endswith("_year") and not c.lower().endswith("_source")
    ]
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
            indicator = column.strip().lower()
            cell = table.frame.iat[i, table.frame.columns.get_loc(column)]
            if cell == "" or cell is None:
                continue  # a gap is a gap: selection reports it, nothing is filled
            year_column = find_column(table, f"{column}_year", required=False) or year_col
            if year_column is None:
                raise InputError(
                    f"{table.path}: no year for column {column!r}; expected a '{column}_year' or a 'year' column"
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


def consistency_warnings(data: DataSet) -> list[str]:
    """Plausibility checks worth a warning (not an error).

    poor_population / (poverty_rate / 100) implies a population; for every region-year
    where both exist, compare it with the nearest ``population`` figure. Outside 80–120 %
    usually means a typo or a wrong year (the shipped data: 84–103 %, except Mahakam Ulu
    2024 at 70 %, which is flagged: Susenas uses its own population base, so check it).
    """
    warnings: list[str] = []
    poor, rate, population = data.series("poor_population"), data.series("poverty_rate"), data.series("population")
    for code in data.codes:
        for year, row in sorted(poor.get(code, {}).items()):
            rate_row = rate.get(code, {}).get(year)
            pops = population.get(code, {})
            if rate_row is None or not pops or float(rate_row["value"]) <= 0:
                continue
            nearest = min(pops, key=lambda y: (abs(y - year), -y))
            implied = float(row["value"]) * 1000 / (float(rate_row["value"]) / 100)
            ratio = implied / float(pops[nearest]["value"])
            if not 0.8 <= ratio <= 1.2 or math.isnan(ratio):
                warnings.append(
                    f"{code} {data.region(code).name} {year}: poor population / P0 implies "
                    f"{implied:,.0f} persons, {ratio:.0%} of the {nearest} population figure; check the values"
                )
    return warnings
