"""The two layouts of an indicator table, read row by row (the reference readers).

*long*: one figure a row (``region_code, indicator, year, value, unit, status, source,
note``); *wide*: one region a row, one column per indicator and its year. See
:mod:`optimizer.inputs.data` for the layouts in full; :mod:`optimizer.inputs.fast` reads
the same layouts column by column and falls back to these readers on any doubt.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import compress, repeat
from operator import attrgetter, eq, itemgetter, lt

from ..columnar import Columns
from ..errors import InputError, input_error
from ..regions import Region, Resolved, kaltim_registry, resolve_region
from ..tabular import Table, find_column, header_key
from .columns import META_HEADERS, RowColumns, region_columns, row_columns
from .dataset import INDICATORS, RECORD_COLUMNS, records_of
from .validate import cell_text, read_status, read_value, read_year, spec_of, unit_matches, unit_term


def resolve_row(table: Table, i: int, code_col, name_col, kemendagri_col) -> Resolved:
    """The BPS code of row ``i`` from its code (or Kemendagri code) and name; see :func:`resolve_region`."""
    code = table.cell(i, code_col) if code_col else ""
    kemendagri = False
    if (code is None or str(code).strip() == "") and kemendagri_col:
        code = table.cell(i, kemendagri_col)
        kemendagri = True
    name = table.cell(i, name_col) if name_col else ""
    return resolve_region(code, name, source=str(table.path), row=table.row_number(i), kemendagri=kemendagri)


def region_of(
    table: Table, i: int, code_col, name_col, kemendagri_col, regions, notices, type_value="", parent_value=""
) -> str:
    name = table.cell(i, name_col) if name_col else ""
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


def region_rows(table: Table, columns: RowColumns, regions: dict[str, Region], notices: list[str]) -> Iterator:
    """``(i, row, code)`` for every row of ``table``: its index, its row number in the file and
    its region's BPS code; every region met is added to ``regions`` (from the Kaltim registry
    when known, else from the row), every notice of the region's resolution to ``notices``.

    The region columns are looked up at once (a table without any raises
    :class:`InputError` before its other columns are checked), the rows when iterated.
    """
    code_col, name_col, kem_col = region_columns(table)

    def rows() -> Iterator:
        for i in range(len(table)):
            type_value, parent_value = cell_text(table, i, columns.type), cell_text(table, i, columns.parent)
            code = region_of(table, i, code_col, name_col, kem_col, regions, notices, type_value, parent_value)
            yield i, table.row_number(i), code

    return rows()


def read_long_rows(table: Table, default_source, default_status):
    """The long layout read row by row (the reference; used when the fast reader declines)."""
    regions: dict[str, Region] = {}
    notices: list[str] = []
    columns = row_columns(table)
    rows = region_rows(table, columns, regions, notices)
    ind_col = find_column(table, "indicator", "indikator")
    year_col = find_column(table, "year", "tahun")
    val_col = find_column(table, "value", "nilai")
    unit_col = find_column(table, "unit", "satuan", required=False)
    records, seen = [], {}
    for i, row, code in rows:
        written = cell_text(table, i, ind_col)
        if not written:
            raise input_error(table.path, "indicator_name", row=row, field=ind_col, value="")
        indicator = named_indicators().get(header_key(written))
        if indicator is None:
            raise input_error(
                table.path, "indicator_known", indicators=", ".join(INDICATORS), row=row, field=ind_col, value=written
            )
        year = read_year(table, i, year_col)
        value = read_value(table, i, val_col, spec_of(indicator))
        key = (code, indicator, year)
        if key in seen:
            raise InputError(
                "inputs.layouts.row_second_figure_region",
                path=table.path,
                row=row,
                indicator=indicator,
                year=year,
                code=code,
                seen=seen[key],
            )
        seen[key] = row
        source = cell_text(table, i, columns.source) or (default_source or "")
        if not source:
            raise input_error(table.path, "figure_source", row=row, field=columns.source or "source", value="")
        unit = cell_text(table, i, unit_col)
        if not unit_matches(indicator, unit):
            raise input_error(
                table.path,
                "indicator_unit",
                indicator=indicator,
                unit=unit_term(spec_of(indicator)),
                row=row,
                field=unit_col,
                value=unit,
            )
        records.append(
            [
                code,
                indicator,
                year,
                value,
                unit or spec_of(indicator).unit,
                read_status(table, i, columns.status, default_status),
                source,
                cell_text(table, i, columns.note),
            ]
        )
    return _records(records), regions, notices


def _records(rows: list[list]) -> Columns:
    """Rows of :data:`RECORD_COLUMNS` values as the data set's figures."""
    return records_of({name: [row[k] for row in rows] for k, name in enumerate(RECORD_COLUMNS)})


_META_KEYS = {header_key(name) for name in META_HEADERS}
INDICATOR_KEYS = {header_key(name): name for name in INDICATORS}


@cache
def named_indicators() -> dict[str, str]:
    """The long layout's indicator cells: :data:`INDICATOR_KEYS`, and each indicator's short
    name in either language as ``wrse data`` writes it (the catalogues' ``[data.sheet]``:
    *Penduduk miskin*, *KK perempuan*, *P0*, *Poor population*), by :func:`header_key`."""
    from ..i18n import words

    return {**INDICATOR_KEYS, **{header_key(word): name for word, name in words("data.sheet").items()}}


def canonical(column: str) -> str:
    """The indicator a wide-layout column holds: ``'Poverty Rate'`` -> ``'poverty_rate'``."""
    return INDICATOR_KEYS[header_key(column)]


def year_column_of(table: Table, column: str) -> str | None:
    """The year column of one indicator column: ``idg_year``, ``IDG Year`` or ``Tahun IDG``."""
    indicator = canonical(column)
    return find_column(table, f"{column}_year", f"{indicator}_year", f"tahun_{indicator}", required=False)


def wide_indicator_columns(table: Table) -> list[str]:
    """The indicator columns of a wide table, as written in its header.

    Region, year (``<indicator>_year``, ``IDG Year``), source, status and note columns are
    not indicators. Any other column must be a known indicator (:data:`INDICATORS`), so a
    misspelt header is an error, never silently ignored. Raises :class:`InputError`.
    """
    columns = []
    for column in table.columns:
        key = header_key(column)
        if key in _META_KEYS or key.endswith(("year", "tahun", "source", "sumber")) or key.startswith("tahun"):
            continue
        if key not in INDICATOR_KEYS:
            raise InputError(
                "inputs.layouts.column_indicator_tool_knows",
                path=table.path,
                column=column,
                indicators=", ".join(INDICATORS),
            )
        columns.append(column)
    return columns


def read_wide_rows(table: Table, default_source, default_status):
    """The wide layout read row by row (the reference; used when the fast reader declines)."""
    regions: dict[str, Region] = {}
    notices: list[str] = []
    columns = row_columns(table)
    rows = region_rows(table, columns, regions, notices)
    year_col = find_column(table, "year", "tahun", required=False)
    indicator_cols = wide_indicator_columns(table)
    if not indicator_cols:
        raise InputError("inputs.layouts.indicator_columns_columns_such", path=table.path)
    records, seen = [], {}
    for i, row, code in rows:
        if code in seen:
            raise InputError(
                "inputs.layouts.row_region_appears_again", path=table.path, row=row, code=code, seen=seen[code]
            )
        seen[code] = row
        for column in indicator_cols:
            indicator = canonical(column)
            cell = table.cell(i, column)
            if cell == "" or cell is None:
                continue  # a gap is a gap: selection reports it, nothing is filled
            year_column = year_column_of(table, column) or year_col
            if year_column is None:
                raise InputError(
                    "inputs.layouts.year_column_year_year", path=table.path, column=column, canonical=canonical(column)
                )
            year = read_year(table, i, year_column)
            value = read_value(table, i, column, spec_of(indicator), cell)
            source_column = find_column(table, f"{column}_source", required=False) or columns.source
            source = cell_text(table, i, source_column) or (default_source or "")
            records.append(
                [
                    code,
                    indicator,
                    year,
                    value,
                    spec_of(indicator).unit,
                    read_status(table, i, columns.status, default_status),
                    source,
                    cell_text(table, i, columns.note),
                ]
            )
    return _records(records), regions, notices


def parent_codes(regions: dict[str, Region], table: Table) -> set[str]:
    """Codes of the regions that are parents: a proper prefix of another code present, a
    ``parent_code`` named by another row, or of type ``provinsi``.

    Raises :class:`InputError` when a ``parent_code`` is not a proper prefix of its
    region's code (BPS codes nest: ``64`` > ``6403`` > ``6403010`` > ``6403010001``); the
    first such region in ``regions``' order is named.
    """
    codes = list(regions)
    lengths = list(map(len, codes))
    prefixes: set[str] = set()
    longer: set[str] = set()  # the codes longer than the current length, each cut to the length above it
    for length in sorted(set(lengths), reverse=True):
        cut = set(map(itemgetter(slice(0, length)), longer))  # the prefixes of this length of every longer code
        prefixes |= cut
        longer = cut.union(compress(codes, map(eq, lengths, repeat(length))))
    present = set(codes)
    parents = present & prefixes
    stated = list(map(attrgetter("parent_code"), regions.values()))
    nested = all(map(str.startswith, codes, stated)) and all(map(lt, map(len, stated), lengths))
    if not nested:  # ("" nests in every code: only a stated parent_code can fail)
        for code, parent in zip(codes, stated, strict=True):
            if parent and not (len(parent) < len(code) and code.startswith(parent)):
                raise InputError(
                    "inputs.layouts.region_parent_code_bps", path=table.path, code=code, parent=parent, code2=code[:2]
                )
    parents.update(present.intersection(stated))
    types = map(attrgetter("type"), regions.values())
    parents.update(compress(codes, map(eq, types, repeat("provinsi"))))
    return parents
