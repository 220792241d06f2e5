"""The report as an Excel workbook (openpyxl): one sheet per table, real numbers.

Sheets: the summary facts, the report text (every paragraph, list and formula, in order,
so the workbook carries the same facts as the other formats), then one sheet per table
in document order (inputs with sources, worked example, allocation, why, baseline
comparison, provisions, sensitivity, audit files) and the audit facts.

Each table sheet: the title in row 1, column headers in row 2 (frozen, with the region
code and name columns when present), data from row 3, the total row in bold, notes below.
Numbers are stored as numbers with a number format per kind (rupiah ``"Rp" #,##0``,
shares ``0.00%``, counts ``#,##0``…); Excel shows them with the user's own separators.
Every text cell is stored as text (an inline string), never as a formula: a region name
or source such as ``=HYPERLINK(...)``, ``+62…``, ``-`` or ``@x`` stays the text it was,
and text starting with one of those characters also gets Excel's quote prefix.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..render.xlsx import put_text, sheet_name  # the shared workbook primitives
from .document import Bullets, Facts, Formula, Paragraph, Report, Table
from .reproducible import fixed_datetime, normalise_zip
from .text import NUMERIC_KINDS, Msg, blank, resolve

NUMBER_FORMATS = {
    "count": "#,##0",
    "rp": '"Rp" #,##0',
    "share": "0.00%",
    "share4": "0.0000%",
    "weight": "0.0%",
    "dec2": "0.00",
    "dec4": "0.0000",
    "number": "General",
    "year": "0",
    "signed_count": "+#,##0;-#,##0;0",
    "signed_rp": '+"Rp" #,##0;-"Rp" #,##0;"Rp" 0',
    "signed_dec2": "+0.00;-0.00;0.00",
    "text": "@",
}
HEADER_FILL = PatternFill("solid", fgColor="DCE6EE")
TOTAL_FILL = PatternFill("solid", fgColor="F2F5F7")


def _put(cell, kind: str, value: object, lang: str) -> None:
    if blank(value):
        return
    if kind in NUMERIC_KINDS:
        cell.value = int(value) if kind in ("count", "rp", "year", "signed_count", "signed_rp") else float(value)
        cell.number_format = NUMBER_FORMATS[kind]
        return
    put_text(cell, resolve(value, lang))


def _width(texts: list[str]) -> float:
    longest = max((len(t) for t in texts), default=8)
    return float(min(60, max(8, longest + 2)))


def _table_sheet(wb: Workbook, table: Table, lang: str, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_name(resolve(table.sheet, lang), taken))
    title = ws.cell(row=1, column=1)
    put_text(title, resolve(table.title, lang))
    title.font = Font(bold=True, size=12)
    headers = [resolve(c.label, lang) for c in table.columns]
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=j)
        put_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number = 3
    texts: list[list[str]] = [[h] for h in headers]
    for row in table.rows:
        for j, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            _put(ws.cell(row=row_number, column=j), column.kind, value, lang)
            if column.kind == "text" and not blank(value):
                texts[j - 1].append(resolve(value, lang))
        row_number += 1
    if table.rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{row_number - 1}"
    if table.total is not None:
        for j, (column, value) in enumerate(zip(table.columns, table.total, strict=True), start=1):
            cell = ws.cell(row=row_number, column=j)
            _put(cell, column.kind, value, lang)
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL
        row_number += 1
    row_number += 1
    for note in table.notes:
        put_text(ws.cell(row=row_number, column=1), resolve(note, lang))
        row_number += 1
    for j, column in enumerate(table.columns, start=1):
        width = _width(texts[j - 1]) if column.kind == "text" else max(12.0, min(24.0, len(headers[j - 1]) + 2.0))
        ws.column_dimensions[get_column_letter(j)].width = width
        if column.kind == "text" and width >= 60:
            for r in range(3, row_number):
                ws.cell(row=r, column=j).alignment = Alignment(wrap_text=True, vertical="top")
    keys = [c.key for c in table.columns]
    ws.freeze_panes = "C3" if keys[:2] == ["region_code", "region_name"] else "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if table.wide or len(headers) > 8 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _facts_sheet(wb: Workbook, name: str, title: str, facts: list[Facts], lang: str, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_name(name, taken))
    put_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=12)
    r = 2
    for block in facts:
        for label, value in block.items:
            put_text(ws.cell(row=r, column=1), resolve(label, lang))
            ws.cell(row=r, column=1).font = Font(bold=True)
            put_text(ws.cell(row=r, column=2), resolve(value, lang))
            r += 1
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = "A2"


def _text_sheet(wb: Workbook, report: Report, lang: str, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_name(resolve(Msg.of("report.sheet.text"), lang), taken))
    put_text(ws.cell(row=1, column=1), resolve(report.title, lang))
    ws.cell(row=1, column=1).font = Font(bold=True, size=12)
    put_text(ws.cell(row=2, column=1), resolve(report.subtitle, lang))
    r = 4
    for section in report.sections:
        cell = ws.cell(row=r, column=1)
        put_text(cell, f"{section.number}. {resolve(section.title, lang)}")
        cell.font = Font(bold=True, size=11)
        r += 1
        for block in section.blocks:
            lines: list[str] = []
            if isinstance(block, Paragraph):
                lines = [" ".join(t for t in (resolve(p, lang) for p in block.parts) if t)]
            elif isinstance(block, Bullets):
                lines = ["• " + resolve(i, lang) for i in block.items]
            elif isinstance(block, Formula):
                lines = [resolve(i, lang) for i in block.lines]
            elif isinstance(block, Table):
                lines = [resolve(block.title, lang) + " → " + resolve(block.sheet, lang)]
            for line in lines:
                cell = ws.cell(row=r, column=1)
                put_text(cell, line)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                r += 1
        r += 1
    ws.column_dimensions["A"].width = 140


def render(report: Report, lang: str, when: datetime | None = None) -> bytes:
    """The XLSX file of ``report`` in ``lang``, dated ``when`` (default :func:`fixed_datetime`)."""
    when = when or fixed_datetime(report.fiscal_year)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    summary = [b for b in report.sections[0].blocks if isinstance(b, Facts)]
    _facts_sheet(
        wb,
        resolve(Msg.of("report.sheet.summary"), lang),
        resolve(report.title, lang) + ": " + resolve(report.subtitle, lang),
        summary,
        lang,
        taken,
    )
    _text_sheet(wb, report, lang, taken)
    for table in report.tables():
        _table_sheet(wb, table, lang, taken)
    audit = [b for s in report.sections[1:] for b in s.blocks if isinstance(b, Facts)]
    if audit:
        _facts_sheet(wb, resolve(Msg.of("report.sheet.audit"), lang), resolve(report.title, lang), audit, lang, taken)
    props = wb.properties
    props.title = resolve(report.title, lang)
    props.subject = resolve(report.subtitle, lang)
    props.creator = f"wrse-optimizer {__version__}"
    props.lastModifiedBy = props.creator
    props.language = lang
    props.created = when
    props.modified = when
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalise_zip(buffer.getvalue(), when)
