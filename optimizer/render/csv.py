"""CSV: the machine CSV other tools read, and the CSV Indonesian Excel opens as a table.

*Machine CSV* (``--format csv``): comma, ``.`` decimals, UTF-8, stable English column
names, integer rupiah, booleans ``true``/``false``. :func:`frame_csv` writes a data frame
(pandas' number formatting); :func:`columns_csv` is the fast path of the per-region
allocation tables (83.763 desa), with full precision for the named columns and ``:g``
for other decimals.

*CSV for Excel* (``--format csv-excel``): :func:`excel_csv` writes a
:class:`~optimizer.render.table.Table` with ``;`` between cells, decimal comma, no
thousands separators (so Excel reads every number as a number), decimals with the places
of the table (2 unless the column says otherwise), percentages as numbers of percent
(``8,43`` under ``Kebutuhan (%)``), headings in the reader's language, a UTF-8
byte-order mark (so Excel reads ``Rp``, ``Δ`` and names correctly) and CRLF line ends:
Excel with Indonesian settings opens it without an import dialog.

In both, text that a spreadsheet would run as a formula gets a leading ``'``
(:func:`optimizer.render.format.neutralise`, the one place this is decided).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .format import AS_GIVEN, FORMULA_PREFIXES, INTEGER_KINDS, blank, neutralise, places_of
from .table import Table

if TYPE_CHECKING:
    import pandas as pd

BOM = "\ufeff"


def neutralised(values: list) -> list:
    """:func:`~optimizer.render.format.neutralise` over a column; one regex finds whether any cell needs it."""
    if set(map(type, values)) <= {str}:
        joined = "\x00" + "\x00".join(values)
        if not _formula_in(joined):
            return values
    return [neutralise(v) for v in values]


def _formula_in(joined: str) -> bool:
    """Whether a cell of ``joined`` (cells each after a ``\\x00``) starts with a formula mark
    (the mark alone is looked for first: quick, as ``\\x00`` is in every cell)."""
    return any(mark in joined and "\x00" + mark in joined for mark in FORMULA_PREFIXES)


def _is_text(column: pd.Series) -> bool:
    import pandas as pd

    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def frame_csv(frame: pd.DataFrame) -> str:
    """``frame`` as machine CSV: text neutralised, booleans (also in text columns) ``true``/``false``."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == bool:
            out[name] = column.map({True: "true", False: "false"})
        elif _is_text(column):
            out[name] = column.map(lambda v: ("true" if v else "false") if isinstance(v, bool) else neutralise(v))
    return out.to_csv(index=False, lineterminator="\n")


def columns_csv(
    frame: pd.DataFrame, names: Sequence[str], full_precision: Iterable[str] = (), counts: Iterable[str] = ()
) -> str:
    """Columns ``names`` of ``frame`` as machine CSV (the per-region allocation tables).

    Booleans ``true``/``false``; NaN and a year 0 empty; ``full_precision`` floats as
    Python writes them; ``counts`` held as floats (empty in some rows) as integers; other
    decimals with ``:g``; text neutralised.

    Written column by column: each cell becomes text as :mod:`csv` would write it (``str``,
    which for a float is its ``repr``; a cell with ``,``, ``"``, CR or LF quoted by
    :func:`csv.writer` itself), once per distinct value where a column has few of them (its
    cells are then codes into its distinct texts, :func:`_cells`); neighbouring columns of
    few values are joined into one column of their few distinct pairs (:func:`_blocks`), and
    the rows are joined. The same bytes as :func:`csv.writer` over the rows, which still
    writes a single column (where it quotes a lone empty cell).
    """
    full, whole = set(full_precision), set(counts)
    cells = [_cells(name, frame[name], full, whole) for name in names]
    if len(names) > 1:
        quoted = [(codes, _quoted(texts) if kind == "text" else texts) for codes, texts, kind in cells]
        rows = map(",".join, zip(*_blocks(quoted), strict=True))
        return "\n".join([",".join(_quoted(list(names))), *rows]) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(zip(*(_taken(codes, texts) for codes, texts, _ in cells), strict=True))
    return buffer.getvalue()


def _quoted(texts: list[str]) -> list[str]:
    """The cells as :func:`csv.writer` writes them in a row of several: those that need it
    quoted (by the writer, once per distinct value), the others as they are."""
    if not _needs_quotes(texts):
        return texts
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    mapping = {}
    for value in set(texts):
        if value and _needs_quotes([value]):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([value])
            mapping[value] = buffer.getvalue()[:-1]
    return [mapping.get(v, v) for v in texts]


def _needs_quotes(texts: list[str]) -> bool:
    joined = "\x00".join(texts)
    return any(mark in joined for mark in ',"\r\n')


_TRUE_FALSE = ["false", "true"]
_SAMPLE = 1024  # cells looked at to tell a column of few values from one of (nearly) as many as rows
_PAIRS = 1 << 22  # most pairs of codes counted densely when two columns are joined (bytes of a bool array)


def _whole(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _g(value: float) -> str:
    return f"{value:g}"


Coded = tuple[np.ndarray | None, list[str]]
"""A column's cells: ``(None, texts)``, one text per row, or ``(codes, texts)``: row ``i`` is
``texts[codes[i]]`` (``codes`` an ``intp`` array; a text no row uses may be among ``texts``)."""


def _taken(codes: np.ndarray | None, texts: list[str]) -> list[str]:
    """The text of every row of a :data:`Coded` column."""
    if codes is None:
        return texts
    table = np.empty(len(texts), dtype=object)
    table[:] = texts
    return table[codes].tolist()


def _few(values: list) -> bool:
    """Whether a column looks like one of few distinct values (from its first :data:`_SAMPLE` cells)."""
    sample = values[:_SAMPLE]
    try:
        return len(sample) > 0 and 2 * len(set(sample)) <= len(sample)
    except TypeError:  # an unhashable cell
        return False


def _distinct(values: np.ndarray) -> bool:
    """Whether (nearly) every number of ``values`` differs from the others, judged from
    :data:`_SAMPLE` of them spread over the column (a fraction with 17 digits in every row)."""
    sample = values[:: max(1, len(values) // _SAMPLE)]
    return len(values) > _SAMPLE and len(np.unique(sample)) >= 0.97 * len(sample)


def _number_texts(
    values: np.ndarray, write: Callable[[Any], str], empty: Callable[[np.ndarray], np.ndarray] | None = None
) -> Coded:
    """``write(v)`` of every number (a Python ``int`` or ``float``), computed once per distinct
    number (each zero on its own: ``0.0`` and ``-0.0`` are one value to NumPy and written apart)
    unless nearly all differ (:func:`_distinct`: then cell by cell, uncoded); ``""`` where
    ``empty`` (an elementwise test, such as NaN) holds."""
    if _distinct(values):
        texts = list(map(write, values.tolist()))
        if empty is not None:
            for i in np.flatnonzero(empty(values)).tolist():
                texts[i] = ""
        return None, texts
    distinct, where = np.unique(values, return_inverse=True)
    codes = where.reshape(-1).astype(np.intp, copy=False)
    texts = [write(v) for v in distinct.tolist()]
    if values.dtype.kind == "f":
        zero = values == 0
        negative = zero & np.signbit(values)
        if zero.any():
            texts[int(np.flatnonzero(distinct == 0)[0])] = write(0.0)
        if negative.any():
            codes = codes.copy()
            codes[negative] = len(texts)
            texts.append(write(-0.0))
    if empty is not None:
        for i in np.flatnonzero(empty(distinct)).tolist():
            texts[i] = ""
    return codes, texts


def _is_nan(values: np.ndarray) -> np.ndarray:
    return values != values


def _is_zero(values: np.ndarray) -> np.ndarray:
    return values == 0


def _cells(name: str, column: pd.Series, full: set[str], whole: set[str]) -> tuple[np.ndarray | None, list, str]:
    """The cells of one column as text (:data:`Coded`, not yet quoted) and their kind: ``plain``
    (text no cell of which needs quotes: booleans, numbers, text without a separator, quote or
    line end) or ``text`` (text, to be quoted where a cell needs it)."""
    kind = column.dtype.kind
    if kind in "bfiu":
        values = np.asarray(column)
        if kind == "b":
            return values.astype(np.intp), _TRUE_FALSE, "plain"
        if kind == "f":  # NaN empty; as str (repr) writes it, as an integer (counts), else :g
            write = repr if name in full else _whole if name in whole else _g
            return (*_number_texts(values, write, _is_nan), "plain")
        return (*_number_texts(values, str, _is_zero if name.endswith("_year") else None), "plain")
    values = column.tolist()
    if _few(values):
        coded = _coded_text(np.asarray(column, dtype=object), values)
        if coded is not None:
            codes, texts = coded
            return codes, neutralised(texts), "text"
    if set(map(type, values)) <= {str}:
        joined = "\x00" + "\x00".join(values)  # one pass finds whether any cell needs neutralising or quotes
        if not _formula_in(joined) and not any(m in joined for m in ',"\r\n'):
            return None, values, "plain"
        return None, neutralised(values), "text"
    plain = neutralised(["" if v is None else _plain(v) for v in values])
    return None, ["" if v is None else str(v) for v in plain], "text"  # as csv writes them: None empty, others str


def _coded_text(column: np.ndarray, values: list) -> tuple[np.ndarray, list[str]] | None:
    """A text column of few distinct values as codes into them; None when a cell is not ``str``
    or the column has many values after all."""
    try:
        distinct = list(set(values))
    except TypeError:  # an unhashable cell past the first ones
        return None
    if not set(map(type, distinct)) <= {str} or 4 * len(distinct) > len(values):
        return None
    codes = np.zeros(len(values), dtype=np.intp)
    if len(distinct) <= 3:  # a comparison per value is quicker than a look-up per cell
        for i, value in enumerate(distinct[1:], 1):
            codes[column == value] = i
    else:
        number = {value: i for i, value in enumerate(distinct)}
        codes = np.fromiter(map(number.__getitem__, values), dtype=np.intp, count=len(values))
    return codes, distinct


def _blocks(columns: list[Coded]) -> list[list[str]]:
    """The cells of every row, neighbouring coded columns joined (with ``,``) into one coded
    column while the pairs of their codes are few (:func:`_pair`); one list of texts per block."""
    blocks: list[list[str]] = []
    current: Coded | None = None
    for codes, texts in columns:
        joined = _pair(current, (codes, texts)) if current is not None and codes is not None else None
        if joined is not None:
            current = joined
            continue
        if current is not None:
            blocks.append(_taken(*current))
        current = (codes, texts) if codes is not None else None
        if codes is None:
            blocks.append(texts)
    if current is not None:
        blocks.append(_taken(*current))
    return blocks


def _many(values: int, rows: int) -> bool:
    """Whether a column of ``rows`` cells has many distinct ``values``: more than a quarter of the rows and 64."""
    return values > 64 and 4 * values > rows


def _pair(left: Coded, right: Coded) -> Coded | None:
    """Two coded columns as one of their joined texts (``left,right``), coded by the pairs that
    occur; None when there would be many pairs (:func:`_many`) or more than :data:`_PAIRS` possible ones."""
    (a, left_texts), (b, right_texts) = left, right
    assert a is not None and b is not None
    width = len(right_texts)
    if _many(max(len(left_texts), width), len(a)) or len(left_texts) * width > _PAIRS:
        return None  # at least as many pairs as texts of one side; or too many to mark
    pairs = a.astype(np.int64) * width + b
    seen = np.zeros(len(left_texts) * width, dtype=bool)  # the pairs that occur, marked among all
    seen[pairs] = True
    used = np.flatnonzero(seen)
    if _many(len(used), len(a)):
        return None
    number = np.zeros(len(seen), dtype=np.intp)
    number[used] = np.arange(len(used))
    first, second = np.divmod(used, width)
    texts = [left_texts[i] + "," + right_texts[j] for i, j in zip(first.tolist(), second.tolist(), strict=True)]
    return number[pairs], texts


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _excel_number(kind: str, item: object, places: int | None) -> str:
    """A number as Indonesian Excel reads it: integers plain, decimals and percentages with
    the column's ``places`` (default 2) and a decimal comma; a percentage as the number of
    percent (``8,43``: its heading carries the unit, :func:`excel_heading`)."""
    if kind in INTEGER_KINDS:
        return str(int(item)) if kind != "year" or int(item) else ""
    number = float(item)
    digits = 2 if places is None else places_of(number) if places == AS_GIVEN else places
    if kind == "percent":
        number *= 100
    return f"{number:.{digits}f}".replace(".", ",")


def excel_heading(title: str, kind: str) -> str:
    """The heading of a CSV-for-Excel column: a percentage column names its unit, ``Kebutuhan (%)``."""
    return f"{title} (%)" if kind == "percent" and "%" not in title else title


def excel_csv(tables: Sequence[Table], lang: str) -> str:
    """``tables`` as one CSV for Indonesian Excel (see the module docstring), a blank row between tables.

    Returns text starting with the byte-order mark; write it as UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        columns = table.sheet_columns()
        if len(tables) > 1 and table.title:
            writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(excel_heading(c.title(lang), c.kind)) for c in columns])
        for record in [*table.rows, *([table.total] if table.total is not None else [])]:
            row = []
            for c in columns:
                item = record.get(c.key)
                if blank(item):
                    row.append("")
                elif isinstance(item, str) or not c.numeric:
                    row.append(neutralise(str(item)))
                else:
                    row.append(_excel_number(c.kind, item, c.places))
            writer.writerow(row)
    return BOM + buffer.getvalue()
