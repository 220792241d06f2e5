"""The table model every output is written from: columns that know their kind, rows of raw values.

A :class:`Table` holds *values* (numbers as numbers, integer rupiah, fractions for shares),
never formatted text; each writer formats them for its reader:

* :mod:`optimizer.render.text`: an aligned table that fits the terminal (``--wide``: all columns);
* :mod:`optimizer.render.xlsx`: a worksheet with numbers, number formats and formulas;
* :mod:`optimizer.render.csv`: a CSV for Indonesian Excel (``;``, decimal comma, UTF-8 BOM).

A new column is one :class:`Column` in the function that builds the table; a new format is
one writer over :class:`Table`. Headings are message keys of ``optimizer/messages/*.toml``
(or literal text such as a year), resolved in the reader's language by the writer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .format import KINDS, NUMERIC_KINDS


@dataclass(frozen=True)
class Column:
    """One column.

    ``key``: the field of each row dict. ``heading``: a message key (``column.quota``), or
    with ``literal=True`` the heading text itself (``2027``). ``kind``: one of
    :data:`optimizer.render.format.KINDS`; ``places``: decimals of a ``decimal`` or ``percent``.
    ``priority``: 0 is always shown; when the terminal is too narrow the text writer drops
    the column with the highest priority first. ``wide``: only in the ``--wide`` text view
    (workbooks always have it). ``screen`` / ``sheet``: whether text tables / workbooks and
    CSV for Excel have it. ``note``: a row field appended to the value in text tables (a
    year and marks such as `` (2019)*``). ``formula``: the workbook formula of the cell, with
    ``{key}`` for this row's cell of column ``key`` and ``{@name}`` for the parameter cell
    ``name`` (see :class:`Parameter`), e.g. ``"{recipients}*{@cost}"``. ``total``: ``"sum"``
    makes the workbook's total cell a ``SUM`` over the column. ``panel``: in a narrow
    terminal, columns that do not fit go into a further panel below instead of being left
    out (the columns of each region in a sweep).
    """

    key: str
    heading: str
    kind: str = "text"
    places: int | None = None
    priority: int = 0
    wide: bool = False
    screen: bool = True
    sheet: bool = True
    note: str | None = None
    formula: str | None = None
    total: str | None = None
    literal: bool = False
    params: tuple[tuple[str, object], ...] = ()
    panel: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r}; expected one of {', '.join(KINDS)}")

    @property
    def numeric(self) -> bool:
        """True for number kinds (right-aligned, stored as numbers in workbooks)."""
        return self.kind in NUMERIC_KINDS

    def title(self, lang: str) -> str:
        """The heading in ``lang`` (KeyError when the message key is missing)."""
        if self.literal:
            return self.heading
        from ..i18n import t

        params = dict(self.params)
        return t(self.heading, lang, **params) if params else t(self.heading, lang)


@dataclass(frozen=True)
class Parameter:
    """A named input cell above a workbook table (the budget, the cost per recipient).

    ``name`` is what formulas call it (``{@cost}``); ``label`` a message key (or literal
    text with ``literal=True``); ``value`` the number; ``kind`` its format.
    """

    name: str
    label: str
    value: object
    kind: str = "rupiah"
    literal: bool = False


@dataclass(frozen=True)
class Check:
    """A computed cell above a workbook table that says whether the edited table still holds.

    ``label``: message key (literal text with ``literal=True``). ``formula``: Excel formula
    without ``=``; ``{@name}`` is a parameter cell, ``{sum:key}`` the total cell of column
    ``key``, ``{range:key}`` the absolute range of column ``key``'s rows. ``kind``: its format
    (``text`` for an OK / over-budget flag). ``flag``: text the formula returns when the
    check fails; the cell is then filled red.
    """

    label: str
    formula: str
    kind: str = "text"
    flag: str | None = None
    literal: bool = False


@dataclass
class Table:
    """Rows of values under :class:`Column` headings, with what surrounds them.

    ``rows``: one dict per row (``column.key`` -> value; a ``str`` in a numeric column is
    shown as text, e.g. *tidak layak*). ``total``: the total row (its label under a text
    column), or None. ``title``: a line above the table (already in the reader's language).
    ``sheet``: the worksheet name. ``notes``: lines below. ``parameters`` and ``checks``:
    workbook cells above the table that formulas use and that flag a broken budget.
    ``read_only``: the worksheet is protected (no password: Excel's *Unprotect Sheet* lifts
    it), for a sheet that shows what another sheet holds, so an edit is not made where it is
    never read.
    """

    columns: Sequence[Column]
    rows: list[Mapping[str, object]]
    total: Mapping[str, object] | None = None
    title: str = ""
    sheet: str = "Tabel"
    notes: list[str] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    read_only: bool = False

    def screen_columns(self, wide: bool) -> list[Column]:
        """The columns of the text view (``wide``: also those marked ``wide``)."""
        return [c for c in self.columns if c.screen and (wide or not c.wide)]

    def sheet_columns(self) -> list[Column]:
        """The columns of workbooks and of the CSV for Excel."""
        return [c for c in self.columns if c.sheet]
