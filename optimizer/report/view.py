"""A report resolved for one language: every message turned into text, every cell into its
display text (keeping the raw value), ready for the HTML, Markdown and DOCX layouts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Bullets, Facts, Figure, Formula, Paragraph, Report, Table
from .text import NUMERIC_KINDS, Msg, Val, blank, fmt, resolve


@dataclass(frozen=True)
class CellView:
    """One cell: ``text`` as displayed, ``value`` raw (int, float, or None), ``numeric`` for right alignment."""

    text: str
    value: object
    numeric: bool


@dataclass(frozen=True)
class TableView:
    """A table in one language: ``columns`` (stable keys), ``headers`` (labels), ``kinds``;
    ``rows`` and ``total`` are lists of :class:`CellView`."""

    key: str
    title: str
    columns: list[str]
    headers: list[str]
    kinds: list[str]
    rows: list[list[CellView]]
    total: list[CellView] | None
    notes: list[str]
    wide: bool


@dataclass(frozen=True)
class BlockView:
    """A non-table block: ``kind`` is ``paragraph``, ``bullets``, ``facts``, ``formula`` or ``figure``.

    ``text`` (paragraph), ``items`` (bullets and formula lines), ``pairs`` (facts: label, value)
    and ``chart``/``title`` (figure) are filled by kind.
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    chart: str = ""


@dataclass(frozen=True)
class SectionView:
    """A numbered section with its blocks (:class:`BlockView` or :class:`TableView`)."""

    key: str
    number: int
    title: str
    blocks: list[object]


@dataclass(frozen=True)
class ReportView:
    """The whole report in ``lang``."""

    lang: str
    title: str
    subtitle: str
    sections: list[SectionView]
    chart_titles: dict[str, str]
    issued: str = ""


def cell(kind: str, value: object, lang: str) -> CellView:
    """A cell of ``kind`` in ``lang``; text cells keep their text as value."""
    numeric = kind in NUMERIC_KINDS and not blank(value) and kind != "year"
    text = fmt(kind, value, lang)
    raw = None if blank(value) else (value if kind in NUMERIC_KINDS else text)
    return CellView(text, raw, numeric)


def table_view(table: Table, lang: str) -> TableView:
    """:class:`TableView` of ``table`` in ``lang``."""
    kinds = [c.kind for c in table.columns]
    rows = [[cell(k, v, lang) for k, v in zip(kinds, row, strict=True)] for row in table.rows]
    total = [cell(k, v, lang) for k, v in zip(kinds, table.total, strict=True)] if table.total is not None else None
    return TableView(
        key=table.key,
        title=resolve(table.title, lang),
        columns=[c.key for c in table.columns],
        headers=[resolve(c.label, lang) for c in table.columns],
        kinds=kinds,
        rows=rows,
        total=total,
        notes=[resolve(n, lang) for n in table.notes],
        wide=table.wide,
    )


def _block(block: object, lang: str) -> object:
    if isinstance(block, Table):
        return table_view(block, lang)
    if isinstance(block, Paragraph):
        return BlockView("paragraph", text=" ".join(t for t in (resolve(p, lang) for p in block.parts) if t))
    if isinstance(block, Bullets):
        return BlockView("bullets", items=tuple(resolve(i, lang) for i in block.items))
    if isinstance(block, Formula):
        return BlockView("formula", items=tuple(resolve(i, lang) for i in block.lines))
    if isinstance(block, Facts):
        return BlockView("facts", pairs=tuple((resolve(k, lang), resolve(v, lang)) for k, v in block.items))
    if isinstance(block, Figure):
        return BlockView("figure", chart=block.chart)
    raise TypeError(f"unknown block {type(block).__name__}")


def _printed(block: object) -> bool:
    """False for a table written to the workbook only (:attr:`~.document.Table.sheet_only`)."""
    return not (isinstance(block, Table) and block.sheet_only)


def report_blocks(section, lang: str) -> list[object]:
    """The blocks of one :class:`~.document.Section` resolved for ``lang`` (not the workbook-only tables)."""
    return [_block(b, lang) for b in section.blocks if _printed(b)]


def report_view(report: Report, lang: str) -> ReportView:
    """Resolve ``report`` for ``lang`` (``id`` or ``en``); KeyError on a missing message."""
    sections = [SectionView(s.key, s.number, resolve(s.title, lang), report_blocks(s, lang)) for s in report.sections]
    return ReportView(
        lang=lang,
        title=resolve(report.title, lang),
        subtitle=resolve(report.subtitle, lang),
        sections=sections,
        chart_titles={key: resolve(chart.title, lang) for key, chart in report.charts.items()},
        issued=resolve(Msg.of("report.issued_line", date=Val("date", report.issued)), lang) if report.issued else "",
    )
