"""Rendering for people and tools: one table model, one number formatter, one writer per format.

* :mod:`.format`: every number a person reads (counts, rupiah, percentages, decimals) per
  language (CLDR separators through Babel), and CSV formula neutralising;
* :mod:`.table`: :class:`~.table.Table` and :class:`~.table.Column`: values with kinds,
  headings as message keys, priorities for narrow terminals, workbook formulas;
* writers: :mod:`.text` (fits the terminal), :mod:`.xlsx` (numbers, formats, formulas),
  :mod:`.csv` (machine CSV; CSV for Indonesian Excel), :mod:`.json`.

:data:`FORMATS` are the ``--format`` values of the commands that print tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FORMATS = ("table", "csv", "csv-excel", "json", "xlsx")
BINARY_FORMATS = frozenset({"xlsx"})
SHEET_FORMATS = ("xlsx", "csv-excel")  # written from optimizer.render.table.Table objects


@dataclass(frozen=True)
class Renderings:
    """The renderings of one kind of result, one per ``--format``: ``json(result, lang)`` and
    ``csv(result)`` for other tools, ``sheets(result, lang)`` (a list of
    :class:`~optimizer.render.table.Table`) for the workbook and the CSV for Excel, and
    ``table(result, lang, width, wide)`` for the terminal."""

    json: Callable[[Any, str], str]
    csv: Callable[[Any], str]
    sheets: Callable[[Any, str], list]
    table: Callable[[Any, str, int | None, bool], str]

    def as_format(self, result: Any, fmt: str, lang: str, width: int | None = None, wide: bool = False) -> str | bytes:
        """``result`` in ``fmt`` (one of :data:`FORMATS`): text, or bytes for a workbook."""
        if fmt == "json":
            return self.json(result, lang)
        if fmt == "csv":
            return self.csv(result)
        if fmt in SHEET_FORMATS:
            return sheets_output(self.sheets(result, lang), fmt, lang)
        return self.table(result, lang, width, wide)


def sheets_output(tables, fmt: str, lang: str, title: str = "") -> str | bytes:
    """``tables`` as a workbook (``xlsx``, bytes) or a CSV for Indonesian Excel (``csv-excel``, text)."""
    if fmt == "xlsx":
        from .xlsx import workbook

        return workbook(tables, lang, title)
    if fmt == "csv-excel":
        from .csv import excel_csv

        return excel_csv(tables, lang)
    raise ValueError(f"unknown sheet format {fmt!r}; expected xlsx or csv-excel")
