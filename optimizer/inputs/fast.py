"""Fast readers of the long and wide layouts: column by column, in bulk.

Cells in the plain forms (``6403``, ``66.89``, ``2024``) are converted in bulk, the others
one by one with :mod:`optimizer.numbers`. Whenever these readers cannot vouch for a table
they raise :class:`Decline` and the file is read again row by row
(:mod:`optimizer.inputs.layouts`), so an error names the first bad row exactly.
"""

from __future__ import annotations

import re

import numpy as np

from .. import numbers
from ..columnar import text
from ..errors import InputError
from ..regions import BPS_CODE_LENGTHS, KABKOTA_DIGITS, Region, bulk_region, kaltim_registry, resolve_region
from ..tabular import Table, find_column, header_key
from .columns import region_columns, row_columns
from .dataset import RECORD_COLUMNS, STATUSES, records_of
from .layouts import INDICATOR_KEYS, canonical, wide_indicator_columns, year_column_of
from .validate import spec_of, unit_matches

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


class Decline(Exception):
    """The fast reader cannot vouch for this table; read it row by row instead."""


def _column(table: Table, column: str | None) -> np.ndarray | None:
    if column is None:
        return None
    return text(table.column(column))


def _texts(cells: np.ndarray | None, n: int) -> np.ndarray:
    """``" ".join(str(cell).split())`` for every cell (computed once per distinct value)."""
    if cells is None:
        return np.full(n, "", dtype=object)
    values = cells.tolist()
    if _only_text(values) and _tidy("\x00".join(values)):
        return cells  # already tidy: single spaces, nothing at either end
    mapping = {value: " ".join(str(value).split()) for value in set(values)}
    return text(map(mapping.__getitem__, values))


def _all_text(cells: np.ndarray) -> bool:
    return _only_text(cells.tolist())


def _numbers(cells: np.ndarray, kind: str) -> np.ndarray:
    """Parse cells (all non-empty) by unit kind; plain cells in bulk, others one by one.

    Raises :class:`Decline` for any cell the per-cell parser rejects.
    """
    values = cells.tolist()
    convert = float if kind == numbers.DECIMAL else int
    distinct = set(values)
    if 4 * len(distinct) < len(values):  # a few values many times (years): each checked and converted once
        if _all_plain(list(distinct), kind):  # (the same answer as over every cell)
            converted = {value: convert(value) for value in distinct}
            return np.fromiter(map(converted.__getitem__, values), dtype=np.float64, count=len(values))
    elif _all_plain(values, kind):
        return np.fromiter(map(convert, values), dtype=np.float64, count=len(values))
    out = np.empty(len(values), dtype=np.float64)
    plain = _PLAIN_ONE[kind]
    for i, value in enumerate(values):
        if type(value) is str and plain.fullmatch(value):
            out[i] = float(convert(value))
            continue
        try:
            out[i] = float(numbers.parse_by_unit(value, kind))
        except ValueError:
            raise Decline from None
    return out


def _years(cells: np.ndarray) -> np.ndarray:
    values = _numbers(cells, numbers.COUNT)
    if not ((values >= 1900) & (values <= 2100)).all():
        raise Decline
    return values.astype(np.int64)


def _statuses(cells: np.ndarray | None, n: int, default: str | None) -> np.ndarray:
    fallback = default or "published"
    if cells is None:
        return np.full(n, fallback, dtype=object)
    values = cells.tolist()
    mapping = {value: (str(value).strip().lower() or fallback) for value in set(values)}
    if not set(mapping.values()) <= set(STATUSES):  # (every cell is one of these)
        raise Decline
    return text(map(mapping.__getitem__, values))


def _fast_regions(table: Table, code_col, name_col, kem_col, type_col, parent_col):
    """BPS codes of every row and the Region of every code, or :class:`Decline`.

    Only codes written as plain BPS codes are handled here; a row of a Kaltim code (which
    is cross-checked against its name) goes through :func:`resolve_region` like the row
    reader does, and anything else declines.
    """
    n = len(table)
    if code_col is None:
        raise Decline
    codes = _column(table, code_col)
    if not _all_plain(codes.tolist(), "code"):
        raise Decline
    if name_col is not None and not _all_text(_column(table, name_col)):
        raise Decline
    names = _texts(_column(table, name_col), n)
    types = _texts(_column(table, type_col), n)
    parent_codes = _texts(_column(table, parent_col), n)
    registry = kaltim_registry()
    regions: dict[str, Region] = {}
    code_list = codes.tolist()
    lengths = np.fromiter(map(len, code_list), dtype=np.int64, count=n)
    if not np.isin(lengths, BPS_CODE_LENGTHS).all():
        raise Decline  # the row reader names the row and the code
    # A kabupaten/kota code elsewhere whose name is a Kaltim region: the row reader explains it.
    kab_names = set(names[lengths == KABKOTA_DIGITS].tolist())
    if any(registry.find_name(name) is not None for name in kab_names if name):
        kaltim = np.flatnonzero(lengths == KABKOTA_DIGITS).tolist()
    elif "\x0064" in "\x00" + "\x00".join(code_list):  # (one search: is any code one of Kaltim's?)
        kaltim = [i for i, code in enumerate(code_list) if code.startswith("64")]
    else:
        kaltim = []
    for i in kaltim:
        try:
            resolved = resolve_region(codes[i], names[i], source=str(table.path), row=table.row_number(i))
        except InputError:
            raise Decline from None
        if resolved.code != codes[i] or resolved.notice is not None:
            raise Decline
    kinds = {kind: kind.strip().lower() for kind in set(types.tolist())}  # once per distinct cell
    parents = {parent: parent.strip() for parent in set(parent_codes.tolist())}
    for code, name, kind, parent in zip(code_list, names.tolist(), types.tolist(), parent_codes.tolist(), strict=True):
        if code in regions:
            continue
        known = registry.by_code.get(code)
        if known is not None:
            regions[code] = known
            continue
        region_type = kinds[kind] or ("provinsi" if len(code) == 2 else "")
        regions[code] = bulk_region(code, name or code, region_type, parents[parent])
    return codes, regions


def _columns(table: Table):
    """The region columns, the optional row columns and the year column of ``table``;
    :class:`Decline` for a table with Kemendagri codes (the row reader resolves them)."""
    code_col, name_col, kem_col = region_columns(table, required=False)
    if kem_col is not None:
        raise Decline
    return code_col, name_col, kem_col, row_columns(table), find_column(table, "year", "tahun", required=False)


def read_wide_fast(table: Table, default_source, default_status):
    code_col, name_col, kem_col, row, year_col = _columns(table)
    indicator_cols = wide_indicator_columns(table)
    if not indicator_cols:
        raise Decline
    n = len(table)
    codes, regions = _fast_regions(table, code_col, name_col, kem_col, row.type, row.parent)
    if len(set(codes.tolist())) != n:
        raise Decline
    statuses = _statuses(_column(table, row.status), n, default_status)
    notes = _texts(_column(table, row.note), n)
    common_sources = _texts(_column(table, row.source), n)
    columns: dict[str, list[np.ndarray]] = {name: [] for name in RECORD_COLUMNS}
    positions: list[np.ndarray] = []  # the table rows of each indicator column's figures
    indicator_names: list[str] = []
    for column in indicator_cols:
        indicator = canonical(column)
        spec = spec_of(indicator)
        cells = _column(table, column)
        filled = (cells != "") & np.not_equal(cells, None)
        if not filled.any():
            continue
        year_column = year_column_of(table, column) or year_col
        if year_column is None:
            raise Decline
        rows = np.flatnonzero(filled)
        years = _years(_column(table, year_column)[rows])
        values = _numbers(cells[rows], spec.kind)
        if spec.low is not None and (values < spec.low).any():
            raise Decline
        if spec.high is not None and (values > spec.high).any():
            raise Decline
        source_column = find_column(table, f"{column}_source", required=False)
        sources = _texts(_column(table, source_column), n)[rows] if source_column else common_sources[rows]
        sources = np.where(sources == "", default_source or "", sources)
        count = len(rows)
        positions.append(rows)
        indicator_names.append(indicator)
        columns["region_code"].append(codes[rows])
        columns["indicator"].append(np.full(count, indicator, dtype=object))
        columns["year"].append(years)
        columns["value"].append(values)
        columns["unit"].append(np.full(count, spec.unit, dtype=object))
        columns["status"].append(statuses[rows])
        columns["source"].append(sources.astype(object, copy=False))
        columns["note"].append(notes[rows])
    empty = {"year": np.int64, "value": np.float64}
    joined = {
        name: np.concatenate(parts) if parts else np.zeros(0, dtype=empty.get(name, object))
        for name, parts in columns.items()
    }
    records = records_of(joined)
    if records.n:  # in the data set's order (region_code, indicator, year; ties as read): sorted once, here
        table_rows = np.concatenate(positions)
        if bool((codes[1:] > codes[:-1]).all()):  # the file's rows by code already
            code_rank = table_rows
        else:
            code_rank = np.unique(codes.astype(str), return_inverse=True)[1][table_rows]
        ranks = {name: i for i, name in enumerate(sorted(set(indicator_names)))}
        indicator_rank = np.concatenate(
            [np.full(len(r), ranks[i]) for r, i in zip(positions, indicator_names, strict=True)]
        )
        records = records.take(np.lexsort((joined["year"], indicator_rank, code_rank)))
    return records, regions, []


def read_long_fast(table: Table, default_source, default_status):
    code_col, name_col, kem_col, row, year_col = _columns(table)
    ind_col = find_column(table, "indicator", "indikator")
    val_col = find_column(table, "value", "nilai", required=False)
    if year_col is None or val_col is None:
        raise Decline
    unit_col = find_column(table, "unit", "satuan", required=False)
    n = len(table)
    codes, regions = _fast_regions(table, code_col, name_col, kem_col, row.type, row.parent)
    indicators = np.array(
        [INDICATOR_KEYS.get(header_key(t), "") for t in _texts(_column(table, ind_col), n).tolist()], dtype=object
    )
    if (indicators == "").any():
        raise Decline  # an empty or unknown indicator: the row reader names the row
    years = _years(_column(table, year_col))
    values = np.empty(n, dtype=np.float64)
    for name in dict.fromkeys(indicators.tolist()):  # in order of first appearance
        spec = spec_of(name)
        rows = np.flatnonzero(indicators == name)
        chunk = _numbers(_column(table, val_col)[rows], spec.kind)
        if spec.low is not None and (chunk < spec.low).any():
            raise Decline
        if spec.high is not None and (chunk > spec.high).any():
            raise Decline
        values[rows] = chunk
    if len(set(zip(codes.tolist(), indicators.tolist(), years.tolist(), strict=True))) != n:
        raise Decline
    sources = _texts(_column(table, row.source), n)
    sources = np.where(sources == "", default_source or "", sources)
    if (sources == "").any():
        raise Decline
    units = _texts(_column(table, unit_col), n)
    if not all(unit_matches(i, u) for i, u in set(zip(indicators.tolist(), units.tolist(), strict=True))):
        raise Decline  # the row reader names the row whose unit disagrees
    spec_units = np.array([spec_of(i).unit for i in indicators.tolist()], dtype=object)
    units = np.where(units == "", spec_units, units)
    records = {
        "region_code": codes,
        "indicator": indicators,
        "year": years,
        "value": values,
        "unit": units,
        "status": _statuses(_column(table, row.status), n, default_status),
        "source": sources,
        "note": _texts(_column(table, row.note), n),
    }
    return records_of(records), regions, []
