"""Reading indicator tables: the shipped data set or a user's file (CSV or XLSX).

The shipped data set is ``data/kaltim-indicators.csv`` (a copy of
``shared/domain/kaltim-indicators.csv``; every row carries its source and status). A user
file given with ``--data`` replaces it. Two layouts are read:

*long* (as shipped): one figure a row, columns ``region_code, region_name, region_type,
indicator, year, value, unit, status, source, note`` (the shipped table also ``note_id``: the
note in Indonesian, :func:`shipped_notes`; only ``region_code`` or
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

Speed: files are read column by column (:mod:`optimizer.inputs.fast`); a file with any
problem is read again row by row (:mod:`optimizer.inputs.layouts`) so the error names the
first bad row exactly as before.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from importlib import resources
from itertools import compress, filterfalse, repeat
from operator import eq
from pathlib import Path

import numpy as np

from ..columnar import Columns, text
from ..errors import InputError
from ..files import sha256_of
from ..gc_pause import collector_paused
from ..i18n import ByLanguage, Label
from ..privacy import redact
from ..tabular import Table, find_column, read_table
from . import fast, layouts
from .dataset import DataSet


@lru_cache(maxsize=1)
def shipped() -> DataSet:
    """The shipped Kalimantan Timur data set (``data/kaltim-indicators.csv``)."""
    ref = resources.files("optimizer.data").joinpath("kaltim-indicators.csv")
    with resources.as_file(ref) as path:
        table = read_table(path)
        return _from_table(
            table,
            label=Label("kaltim-indicators.csv (shipped)", "data.shipped_file"),
            default_source=None,
            default_status=None,
            file_path=path,
        )


@cache
def shipped_notes() -> dict[tuple[str, str, int], ByLanguage]:
    """The notes of the shipped figures in both languages: ``{(region_code, indicator, year): note}``.

    The shipped table's ``note`` is English (its first words name an estimate's method, which
    :func:`optimizer.data_output.data_status_block` reads) and ``note_id`` the same note in
    Indonesian; a figure without a note is left out.
    """
    ref = resources.files("optimizer.data").joinpath("kaltim-indicators.csv")
    with resources.as_file(ref) as path, open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        (r["region_code"], r["indicator"], int(r["year"])): ByLanguage(r["note_id"], r["note"])
        for r in rows
        if r["note"].strip()
    }


#: the tab of the input sheet in the workbook ``wrse data`` writes (Indonesian, English): a
#: workbook with one of them is read from that sheet, so the tool's own workbook reads back
INPUT_SHEETS = ("Masukan (--data)", "Input (--data)")


def load(path: str | Path | None = None) -> DataSet:
    """Load ``path`` (CSV or XLSX, long or wide layout), or the shipped data when None. A
    workbook is read from its first sheet, or from its :data:`INPUT_SHEETS` sheet when it has
    one (the workbook of ``wrse data``, edited).

    Raises :class:`InputError` for any unreadable file, unknown region, bad value (with
    file, row, column and value), duplicate figure, or a file with no allocation units.
    """
    if path is None:
        return shipped()
    path = Path(path)
    with collector_paused():
        table = read_table(
            path,
            expected=("region_code", "kode_bps", "kode_wilayah", "region_name", "nama_wilayah", "indicator", "kode"),
            find_header=True,
            check_formulas=True,
            sheets=INPUT_SHEETS,
        )
        try:
            return _from_table(
                table, label=str(path), default_source=f"file {path.name}", default_status="supplied", file_path=path
            )
        except InputError:
            if table.sheet is not None and table.sheet not in INPUT_SHEETS and _view_sheet(table.sheet):
                # wrse data's workbook without its input sheet (renamed or deleted): its first sheet is a
                # view of one indicator, regions by year, which no layout reads; say so, not the layout's error
                raise InputError(
                    "inputs.data.view_sheet_only", path=path, sheet=table.sheet, input=INPUT_SHEETS[0]
                ) from None
            raise


def _view_sheet(name: str) -> bool:
    """Whether a sheet is named as ``wrse data`` names the sheet of one indicator (``P0``,
    ``Penduduk miskin``, ``Poor population``: the catalogues' ``[data.sheet]``)."""
    from ..i18n import words

    return name.lower() in words("data.sheet")


def _from_table(
    table: Table, *, label: str, default_source: str | None, default_status: str | None, file_path: Path
) -> DataSet:
    if find_column(table, "indicator", "indikator", required=False):
        records, regions, notices = _read_long(table, default_source, default_status)
        ordered = False
    else:
        records, regions, notices, ordered = _read_wide(table, default_source, default_status)
    if records.n == 0:
        raise InputError("inputs.data.data_rows_least_figure", path=table.path)
    parents = layouts.parent_codes(regions, table)
    unit_codes = list(filterfalse(parents.__contains__, sorted(regions)))
    units = tuple(map(regions.__getitem__, unit_codes))
    if not units:
        raise InputError("inputs.data.kabupaten_kota_rows_figures", path=table.path)
    order = None if ordered else _sorted(records)
    if order is not None:
        records = records.take(order)
    if default_source is not None:  # a user's file: a NIK pasted into a free-text cell is never echoed
        masked_columns = {}
        for column in ("source", "note"):
            values = records[column].tolist()
            masked = {value: redact(value) for value in set(values)}  # once per distinct cell
            if any(masked[value] != value for value in masked):
                masked_columns[column] = text([masked[value] for value in values])
        if masked_columns:
            records = records.with_columns(**masked_columns)
    return DataSet(
        figures=records,
        units=units,
        parents={c: regions[c] for c in sorted(parents)},
        label=label,
        path=file_path,
        sha256=sha256_of(file_path),
        notices=tuple(notices),
        region_rows=_foreign_rows(table, unit_codes),
    )


def _sorted(records: Columns) -> np.ndarray | None:
    """The stable order of ``records`` by region_code, indicator, year (rows that tie keep
    their file order, as a stable sort of the table does); None when they are in that order
    already (as the wide reader gives a table sorted by code)."""
    if _in_order(records):
        return None
    codes = np.unique(records["region_code"].astype(str), return_inverse=True)[1]
    indicators = np.unique(records["indicator"].astype(str), return_inverse=True)[1]
    return np.lexsort((records["year"], indicators, codes))


def _in_order(records: Columns) -> bool:
    """True when ``records`` are sorted by region_code, indicator, year (text compared as str)."""
    if records.n < 2:
        return True
    keys = [records["region_code"], records["indicator"]]
    if not all(set(map(type, column.tolist())) <= {str} for column in keys):
        return False  # compared as astype(str) would compare them: sort
    later = np.zeros(records.n - 1, dtype=bool)  # row i + 1 comes strictly after row i on an earlier key
    tied = np.ones(records.n - 1, dtype=bool)
    for column in keys:
        before, after = column[:-1], column[1:]
        later |= tied & (after > before)
        tied &= after == before
        if not (later | tied).all():
            return False
    years = records["year"]
    return bool((later | (tied & (years[1:] >= years[:-1]))).all())


def _foreign_rows(table: Table, unit_codes: list[str]) -> dict[str, int]:
    """``{code: first row}`` for the kabupaten/kota of another province than the tool's own,
    when the file also holds the tool's own (the rows a Kaltim run must refuse, by row)."""
    from ..regions import KABKOTA_DIGITS, kaltim_registry

    home = set(kaltim_registry().provinces)
    kabkota = list(compress(unit_codes, map(eq, map(len, unit_codes), repeat(KABKOTA_DIGITS))))
    if not any(c[:2] in home for c in kabkota):
        return {}
    foreign = {c for c in kabkota if c[:2] not in home}
    if not foreign:
        return {}
    rows: dict[str, int] = {}
    column = find_column(table, "region_code", "kode_bps", "kode_wilayah", "kode", required=False)
    if column is not None:
        for i, cell in enumerate(table.column(column)):
            text = str(cell).strip().removesuffix(".0")
            if text in foreign and text not in rows:
                rows[text] = table.row_number(i)
    return rows


def _read_long(table: Table, default_source, default_status):
    try:
        return fast.read_long_fast(table, default_source, default_status)
    except fast.Decline:
        return layouts.read_long_rows(table, default_source, default_status)


def _read_wide(table: Table, default_source, default_status):
    """The figures, regions and notices of a wide table, and whether the figures are in the data
    set's order already (the fast reader sorts them: region_code, indicator, year, ties as read)."""
    try:
        return (*fast.read_wide_fast(table, default_source, default_status), True)
    except fast.Decline:
        return (*layouts.read_wide_rows(table, default_source, default_status), False)
