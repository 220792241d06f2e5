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

from .format import FORMULA_PREFIXES, INTEGER_KINDS, blank, neutralise
from .table import Table

if TYPE_CHECKING:
    import pandas as pd

BOM = "\ufeff"


def neutralised(values: list) -> list:
    """:func:`~optimizer.render.format.neutralise` over a column; one regex finds whether any cell needs it."""
    if set(map(type, values)) <= {str}:
        joined = "\x00" + "\x00".join(values)
        if not any("\x00" + mark in joined for mark in FORMULA_PREFIXES):
            return values
    return [neutralise(v) for v in values]


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
    which for a float is its ``repr``, once per distinct number; a cell with ``,``, ``"``, CR
    or LF quoted by :func:`csv.writer` itself, once per distinct value) and the rows are
    joined; the same bytes as :func:`csv.writer` over the rows, which still writes a single
    column (where it quotes a lone empty cell).
    """
    full, whole = set(full_precision), set(counts)
    cells = [_cells(name, frame[name], full, whole) for name in names]
    if len(names) > 1:
        columns = [_quoted(texts) if kind == "text" else texts for texts, kind in cells]
        rows = map(",".join, zip(*columns, strict=True))
        return "\n".join([",".join(_quoted(list(names))), *rows]) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(zip(*(texts for texts, _ in cells), strict=True))
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


_TRUE_FALSE = np.array(["false", "true"], dtype=object)


def _whole(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _g(value: float) -> str:
    return f"{value:g}"


def _number_texts(values: np.ndarray, write: Callable[[Any], str], empty: np.ndarray | None = None) -> list[str]:
    """``write(v)`` of every number (a Python ``int`` or ``float``), computed once per distinct
    number (each zero on its own: ``0.0`` and ``-0.0`` are written apart); ``""`` where
    ``empty`` (a bool mask) is set."""
    if not len(values):
        return []
    distinct, where = np.unique(values, return_inverse=True)
    texts = np.array([write(v) for v in distinct.tolist()], dtype=object)[where.reshape(-1)]
    if values.dtype.kind == "f":
        zero = values == 0
        if zero.any():
            texts[zero] = [write(v) for v in values[zero].tolist()]
    if empty is not None and empty.any():
        texts[empty] = ""
    return texts.tolist()


def _cells(name: str, column: pd.Series, full: set[str], whole: set[str]) -> tuple[list, str]:
    """The cells of one column as text and their kind: ``plain`` (text no cell of which needs
    quotes: booleans, numbers, text without a separator, quote or line end) or ``text`` (text,
    quoted where a cell needs it)."""
    kind = column.dtype.kind
    if kind in "bfiu":
        values = np.asarray(column)
        if kind == "b":
            return _TRUE_FALSE[values.astype(np.intp)].tolist(), "plain"
        if kind == "f":  # NaN empty; as str (repr) writes it, as an integer (counts), else :g
            write = repr if name in full else _whole if name in whole else _g
            return _number_texts(values, write, values != values), "plain"
        return _number_texts(values, str, values == 0 if name.endswith("_year") else None), "plain"
    values = column.tolist()
    if set(map(type, values)) <= {str}:
        joined = "\x00" + "\x00".join(values)  # one pass finds whether any cell needs neutralising or quotes
        if not any("\x00" + mark in joined for mark in FORMULA_PREFIXES) and not any(m in joined for m in ',"\r\n'):
            return values, "plain"
        return neutralised(values), "text"
    plain = neutralised(["" if v is None else _plain(v) for v in values])
    return ["" if v is None else str(v) for v in plain], "text"  # as csv writes them: None empty, others str


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
    digits = 2 if places is None else places
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
