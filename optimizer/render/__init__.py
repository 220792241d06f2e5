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

FORMATS = ("table", "csv", "csv-excel", "json", "xlsx")
BINARY_FORMATS = frozenset({"xlsx"})


def sheets_output(tables, fmt: str, lang: str, title: str = "") -> str | bytes:
    """``tables`` as a workbook (``xlsx``, bytes) or a CSV for Indonesian Excel (``csv-excel``, text)."""
    if fmt == "xlsx":
        from .xlsx import workbook

        return workbook(tables, lang, title)
    if fmt == "csv-excel":
        from .csv import excel_csv

        return excel_csv(tables, lang)
    raise ValueError(f"unknown sheet format {fmt!r}; expected xlsx or csv-excel")
