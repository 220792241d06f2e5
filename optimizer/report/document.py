"""The structure of a report, shared by every output format.

A :class:`Report` is a list of numbered :class:`Section` objects, each a list of blocks
(:class:`Paragraph`, :class:`Bullets`, :class:`Facts`, :class:`Formula`, :class:`Table`,
:class:`Figure`), plus the data of its charts. Texts are language-neutral
(:class:`~optimizer.report.text.Msg`); table cells are raw values typed by their column's
kind (:data:`~optimizer.report.text.KINDS`). The HTML, Markdown and DOCX renderers write
every block; the XLSX renderer writes every table as a sheet, so all formats carry the
same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .text import KINDS, Msg

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Column:
    """A table column: stable ``key`` (English, for machines), ``label`` (message), value ``kind``."""

    key: str
    label: Msg
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


REGION_KEY_COLUMNS = (
    Column("region_code", Msg.of("column.region_code"), "text"),
    Column("region_name", Msg.of("column.region_name"), "text"),
)
"""The two columns every per-region table of the report starts with: kode wilayah BPS and name."""


@dataclass(frozen=True)
class Table:
    """A table: ``rows`` (and the optional ``total`` row) hold one raw value per column.

    ``key``: stable identifier (also the XLSX sheet's identity); ``sheet``: a short label
    (message) for the sheet name; ``title``: caption; ``notes``: lines written under it.
    Text cells are plain text (user data) or messages; ``None`` is a blank cell.
    ``sheet_only``: too long to print (the desa of a hierarchical split): written as a sheet of
    the workbook only; the other formats say so in the text before it.
    """

    key: str
    sheet: Msg
    title: Msg
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    total: tuple[object, ...] | None = None
    notes: tuple[object, ...] = ()
    wide: bool = False
    sheet_only: bool = False

    def __post_init__(self) -> None:
        for row in (*self.rows, *((self.total,) if self.total is not None else ())):
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.key}: a row has {len(row)} cells for {len(self.columns)} columns")

    def column(self, key: str) -> int:
        """Position of the column ``key``; KeyError if absent."""
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)


@dataclass(frozen=True)
class Paragraph:
    """Running text: parts (messages or text) written one after another."""

    parts: tuple[object, ...]


@dataclass(frozen=True)
class Bullets:
    """A bulleted list; each item a message or text."""

    items: tuple[object, ...]


@dataclass(frozen=True)
class Facts:
    """Label/value pairs (a definition list): ``items`` of (label message, value)."""

    items: tuple[tuple[Msg, object], ...]


@dataclass(frozen=True)
class Formula:
    """Lines of a formula, written in a fixed-width font."""

    lines: tuple[object, ...]


@dataclass(frozen=True)
class Figure:
    """A chart of the report (``chart`` is a key of :attr:`Report.charts`)."""

    chart: str


@dataclass(frozen=True)
class Series:
    """One data series of a chart: ``style`` ``bar`` or ``point``; one value per category."""

    label: Msg
    values: tuple[float, ...]
    style: str = "bar"


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: categories (region names, top to bottom) and series."""

    key: str
    title: Msg
    axis: Msg
    categories: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Section:
    """A numbered section: ``key`` (stable anchor, e.g. ``allocation``), title, blocks."""

    key: str
    number: int
    title: Msg
    blocks: tuple[object, ...]


@dataclass(frozen=True)
class Memo:
    """A telaahan staf: the staff note that carries the recommendation, before the technical report.

    ``heading``: (label, value) pairs (kepada, dari, tanggal, nomor, sifat, lampiran, perihal);
    a value of None is a field the tool cannot know, printed as a visible blank to fill.
    ``parts``: sections I to VI (persoalan … saran), numbered 1..6; ``recommendation``: the
    one-page table (kabupaten/kota, penerima, Rupiah) with its total; ``amount_in_words``: the
    total in words (*terbilang*); ``place_date``; ``signatory``: (jabatan, nama), None for blanks.
    """

    title: Msg
    heading: tuple[tuple[Msg, object], ...]
    parts: tuple[Section, ...]
    recommendation: Table
    amount_in_words: object
    place_date: object
    signatory: tuple[object, object]
    annex_title: object


@dataclass(frozen=True)
class Report:
    """A whole report. ``fiscal_year`` dates reproducible files; ``slug`` names them;
    ``issued``: the date of issue printed on it (None: not dated); ``front``: the telaahan staf
    that precedes the report in the DOCX (the report is then its lampiran)."""

    title: Msg
    subtitle: object
    fiscal_year: int
    slug: str
    sections: tuple[Section, ...]
    charts: dict[str, Chart] = field(default_factory=dict)
    issued: date | None = None
    front: Memo | None = None
    budget: tuple[int, int] | None = None  # (budget, cost per recipient), integer rupiah: the workbook's live cells
    cost_label: object = None  # the cost cell's label under the dated rule: "Biaya per keluarga (KPM)" for UEP 2026-

    def __repr__(self) -> str:
        return f"<Report {self.slug}: {len(self.sections)} sections, {len(self.tables())} tables>"

    def to_frame(self, key: str = "allocation") -> pd.DataFrame:
        """The table ``key`` (default: the allocation table) as a DataFrame of raw values,
        one column per table column (by its key); KeyError if absent."""
        import pandas as pd

        table = self.table(key)
        return pd.DataFrame(list(table.rows), columns=[c.key for c in table.columns])

    def tables(self) -> list[Table]:
        """Every table, in document order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        """The table ``key``; KeyError if absent."""
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)
