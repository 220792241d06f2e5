"""Fast readers of the long and wide layouts: column by column, in bulk.

Cells in the plain forms (``6403``, ``66.89``, ``2024``) are converted in bulk, the others
one by one with :mod:`optimizer.numbers`. Whenever these readers cannot vouch for a table
they raise :class:`Decline` and the file is read again row by row
(:mod:`optimizer.inputs.layouts`), so an error names the first bad row exactly.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np

from .. import numbers
from ..errors import InputError
from ..regions import BPS_CODE_LENGTHS, KABKOTA_DIGITS, Region, bulk_regions, kaltim_registry, resolve_region
from ..tabular import Table, find_column, header_key
from .columns import region_columns, row_columns
from .dataset import RECORD_COLUMNS, STATUSES, records_of, status_code
from .layouts import canonical, named_indicators, wide_indicator_columns, year_column_of
from .plain import plain_numbers
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
    return _objects(table.column(column))


def _objects(values: list) -> np.ndarray:
    """``values`` as an ``object`` array (as :func:`optimizer.columnar.text`, faster for a list)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _filled(n: int, value: str) -> np.ndarray:
    """An ``object`` array of ``n`` times ``value``."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _texts(table: Table, column: str | None, n: int) -> list:
    """``" ".join(str(cell).split())`` for every cell of ``column`` (computed once per distinct
    value; ``""`` on each of the ``n`` rows without a column)."""
    if column is None:
        return [""] * n
    cells = table.column(column)
    if (table.texts or _only_text(cells)) and _tidy("\x00".join(cells)):
        return cells  # already tidy: single spaces, nothing at either end
    mapping = {value: " ".join(str(value).split()) for value in set(cells)}
    return list(map(mapping.__getitem__, cells))


def _numbers(cells: np.ndarray | list, kind: str) -> np.ndarray:
    """Parse cells (all non-empty) by unit kind; plain cells in bulk, others one by one.

    Raises :class:`Decline` for any cell the per-cell parser rejects.
    """
    values = cells.tolist() if isinstance(cells, np.ndarray) else cells
    convert = float if kind == numbers.DECIMAL else int
    distinct = set(values)
    if 4 * len(distinct) < len(values):  # a few values many times (years): each checked and converted once
        if _all_plain(list(distinct), kind):  # (the same answer as over every cell)
            converted = {value: convert(value) for value in distinct}
            return np.fromiter(map(converted.__getitem__, values), dtype=np.float64, count=len(values))
    else:
        parsed = plain_numbers(values, decimal=kind == numbers.DECIMAL)
        if parsed is not None:
            return parsed
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


def _statuses(cells: list | None, n: int, default: str | None) -> np.ndarray:
    fallback = default or "published"
    if cells is None:
        return _filled(n, fallback)
    mapping = {value: (status_code(value) if str(value).strip() else fallback) for value in set(cells)}
    if not set(mapping.values()) <= set(STATUSES):  # (every cell is one of these, or its word)
        raise Decline
    if all(value == status for value, status in mapping.items()):
        return _objects(cells)
    return _objects(list(map(mapping.__getitem__, cells)))


def _cells(table: Table, column: str | None) -> list | None:
    """The cells of ``column`` (the table's own list: not to be changed), None without one."""
    return None if column is None else table.column(column)


def _fast_regions(table: Table, code_col, name_col, kem_col, type_col, parent_col):
    """BPS codes of every row (an ``object`` array) and the Region of every code (in order of
    first appearance), or :class:`Decline`.

    Only codes written as plain BPS codes are handled here; a row of a Kaltim code (which
    is cross-checked against its name) goes through :func:`resolve_region` like the row
    reader does, and anything else declines.
    """
    n = len(table)
    if code_col is None:
        raise Decline
    code_list = table.column(code_col)
    if not (table.texts or _only_text(code_list)):
        raise Decline
    lengths = list(map(len, code_list))
    digits = "".join(code_list)
    if not (digits.isascii() and digits.isdigit()) or not set(lengths) <= set(BPS_CODE_LENGTHS):
        raise Decline  # the row reader names the row and the code
    if name_col is not None and not (table.texts or _only_text(table.column(name_col))):
        raise Decline
    names = _texts(table, name_col, n)
    types = _texts(table, type_col, n)
    parent_codes = _texts(table, parent_col, n)
    registry = kaltim_registry()
    # A kabupaten/kota code elsewhere whose name is a Kaltim region: the row reader explains it.
    kab_names = {name for name, length in zip(names, lengths, strict=True) if length == KABKOTA_DIGITS}
    if any(registry.find_name(name) is not None for name in kab_names if name):
        kaltim = [i for i, length in enumerate(lengths) if length == KABKOTA_DIGITS]
    elif "\x0064" in "\x00" + "\x00".join(code_list):  # (one search: is any code one of Kaltim's?)
        kaltim = [i for i, code in enumerate(code_list) if code.startswith("64")]
    else:
        kaltim = []
    for i in kaltim:
        try:
            resolved = resolve_region(code_list[i], names[i], source=str(table.path), row=table.row_number(i))
        except InputError:
            raise Decline from None
        if resolved.code != code_list[i] or resolved.notice is not None:
            raise Decline
    first = _first_rows(code_list)
    if first is not None:  # a code on several rows (the long layout): each region from its first row
        code_list, lengths = [code_list[i] for i in first], [lengths[i] for i in first]
        names, types, parent_codes = ([column[i] for i in first] for column in (names, types, parent_codes))
    kinds = {kind: kind.strip().lower() for kind in set(types)}  # once per distinct cell
    if any(kind != lower for kind, lower in kinds.items()):
        types = list(map(kinds.__getitem__, types))
    if "" in kinds.values():
        types = [kind or ("provinsi" if length == 2 else "") for kind, length in zip(types, lengths, strict=True)]
    if "" in names:
        names = [name or code for name, code in zip(names, code_list, strict=True)]
    # (parent codes are tidy text already: nothing to strip)
    regions: dict[str, Region] = dict(zip(code_list, bulk_regions(code_list, names, types, parent_codes), strict=True))
    for code in registry.by_code.keys() & regions.keys():
        regions[code] = registry.by_code[code]
    return _objects(table.column(code_col)), regions


def _first_rows(codes: list[str]) -> list[int] | None:
    """The row of each code's first appearance, in row order; None when every code is on one row."""
    if len(set(codes)) == len(codes):
        return None
    first = dict(zip(reversed(codes), range(len(codes) - 1, -1, -1), strict=True))
    return sorted(first.values())


def _columns(table: Table):
    """The region columns, the optional row columns and the year column of ``table``;
    :class:`Decline` for a table with Kemendagri codes (the row reader resolves them)."""
    code_col, name_col, kem_col = region_columns(table, required=False)
    if kem_col is not None:
        raise Decline
    return code_col, name_col, kem_col, row_columns(table), find_column(table, "year", "tahun", required=False)


def _filled_rows(cells: list) -> np.ndarray | None:
    """The rows of the cells that are not empty (``""`` or None); None when every one is."""
    if "" not in cells and None not in cells:
        return None
    column = _objects(cells)
    return np.flatnonzero((column != "") & np.not_equal(column, None))


def _sources(cells: list, default: str | None) -> np.ndarray:
    """The source of every row: its cell (tidy text), ``default`` (or ``""``) where empty."""
    if "" in cells:
        cells = [cell or (default or "") for cell in cells]
    return _objects(cells)


def read_wide_fast(table: Table, default_source, default_status):
    """The figures (in the data set's order: region_code, indicator, year, ties as read), the
    regions and the notices of a wide table, or :class:`Decline`."""
    code_col, name_col, kem_col, row, year_col = _columns(table)
    indicator_cols = wide_indicator_columns(table)
    if not indicator_cols:
        raise Decline
    n = len(table)
    codes, regions = _fast_regions(table, code_col, name_col, kem_col, row.type, row.parent)
    if len(regions) != n:  # a code on two rows
        raise Decline
    statuses = _statuses(_cells(table, row.status), n, default_status)
    notes = _objects(_texts(table, row.note, n))
    common_sources = _sources(_texts(table, row.source, n), default_source)
    parts: list[_Part] = []
    all_years: dict[str, np.ndarray] = {}  # year column -> the years of every row, read once
    for column in indicator_cols:
        indicator = canonical(column)
        spec = spec_of(indicator)
        cells = table.column(column)
        values = plain_numbers(cells, decimal=spec.kind == numbers.DECIMAL)  # (all plain: none empty)
        rows = None if values is not None else _filled_rows(cells)
        if rows is not None and not len(rows):
            continue
        year_column = year_column_of(table, column) or year_col
        if year_column is None:
            raise Decline
        if rows is None:
            years = _all_years(table, year_column, all_years)
            values = _numbers(cells, spec.kind) if values is None else values
        else:
            years = _years(_objects(table.column(year_column))[rows])
            values = _numbers(_objects(cells)[rows], spec.kind)
        if spec.low is not None and (values < spec.low).any():
            raise Decline
        if spec.high is not None and (values > spec.high).any():
            raise Decline
        source_column = find_column(table, f"{column}_source", required=False)
        sources = _sources(_texts(table, source_column, n), default_source) if source_column else common_sources
        parts.append(_Part(indicator, spec.unit, rows, years, values, sources))
    return _assemble(parts, codes, statuses, notes), regions, []


def _all_years(table: Table, column: str, known: dict[str, np.ndarray]) -> np.ndarray:
    """The years of every row of ``column``, read once per column (and once for columns of the
    same cells: the years of several indicators are often the same); ``known`` is the cache."""
    if column not in known:
        cells = table.column(column)
        same = next((years for other, years in known.items() if table.column(other) == cells), None)
        known[column] = _years(cells) if same is None else same
    return known[column]


class _Part:
    """The figures of one indicator column: ``rows`` of the table (None: every row), their
    ``years`` and ``values``, the ``sources`` of every row of the table."""

    def __init__(self, indicator: str, unit: str, rows, years: np.ndarray, values: np.ndarray, sources) -> None:
        self.indicator, self.unit, self.rows = indicator, unit, rows
        self.years, self.values, self.sources = years, values, sources

    def __len__(self) -> int:
        return len(self.years)

    def of_rows(self, column: np.ndarray) -> np.ndarray:
        """The cells of a column of every table row at this part's rows."""
        return column if self.rows is None else column[self.rows]

    def table_rows(self, n: int) -> np.ndarray:
        return np.arange(n) if self.rows is None else self.rows


def _assemble(parts: list[_Part], codes: np.ndarray, statuses: np.ndarray, notes: np.ndarray):
    """The figures of ``parts`` as the data set's records, each put straight where the data
    set's order (region_code, indicator, year; ties in part order) has it."""
    total = sum(map(len, parts))
    where = _positions(parts, codes) if total else []
    out = {name: np.empty(total, dtype=object) for name in RECORD_COLUMNS}
    out["year"], out["value"] = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.float64)
    for part, at in zip(parts, where, strict=True):
        for name, values in (
            ("region_code", part.of_rows(codes)),
            ("year", part.years),
            ("value", part.values),
            ("status", part.of_rows(statuses)),
            ("source", part.of_rows(part.sources)),
            ("note", part.of_rows(notes)),
        ):
            out[name][at] = values
        out["indicator"][at] = part.indicator
        out["unit"][at] = part.unit
    return records_of(out)


def _positions(parts: list[_Part], codes: np.ndarray) -> list:
    """Where each part's figures go in the data set's order: a slice or an array of positions
    per part. Rows already by code with one column per indicator (a file as ``wrse synth``
    writes it) need no sort: each figure's place follows from its row and its indicator."""
    n, k = len(codes), len(parts)
    names = [part.indicator for part in parts]
    rank = {name: i for i, name in enumerate(sorted(set(names)))}
    if len(rank) == k and bool((codes[1:] > codes[:-1]).all()):
        if all(part.rows is None for part in parts):  # every cell filled: one figure per row and column
            return [slice(rank[name], None, k) for name in names]
        keys = [part.table_rows(n) * k + rank[part.indicator] for part in parts]
        taken = np.zeros(n * k, dtype=bool)
        for key in keys:
            taken[key] = True
        place = np.cumsum(taken) - 1
        return [place[key] for key in keys]
    table_rows = np.concatenate([part.table_rows(n) for part in parts])
    code_rank = np.unique(codes.astype(str), return_inverse=True)[1][table_rows]
    indicator_rank = np.concatenate([np.full(len(part), rank[part.indicator]) for part in parts])
    years = np.concatenate([part.years for part in parts])
    order = np.lexsort((years, indicator_rank, code_rank))
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    bounds = np.cumsum([0, *map(len, parts)])
    return [place[a:b] for a, b in pairwise(bounds.tolist())]


def read_long_fast(table: Table, default_source, default_status):
    code_col, name_col, kem_col, row, year_col = _columns(table)
    ind_col = find_column(table, "indicator", "indikator")
    val_col = find_column(table, "value", "nilai", required=False)
    if year_col is None or val_col is None:
        raise Decline
    unit_col = find_column(table, "unit", "satuan", required=False)
    n = len(table)
    codes, regions = _fast_regions(table, code_col, name_col, kem_col, row.type, row.parent)
    named = named_indicators()
    indicators = np.array([named.get(header_key(t), "") for t in _texts(table, ind_col, n)], dtype=object)
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
    sources = _sources(_texts(table, row.source, n), default_source)
    if (sources == "").any():
        raise Decline
    units = _objects(_texts(table, unit_col, n))
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
        "status": _statuses(_cells(table, row.status), n, default_status),
        "source": sources,
        "note": _objects(_texts(table, row.note, n)),
    }
    return records_of(records), regions, []
