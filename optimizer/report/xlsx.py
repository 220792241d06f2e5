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

import math
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .. import __version__
from ..render.xlsx import put_text, sheet_name  # the shared workbook primitives
from .document import Bullets, Facts, Formula, Paragraph, Report, Table
from .reproducible import fixed_datetime, saved
from .text import NUMERIC_KINDS, Msg, Val, blank, resolve

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
LINE_HEIGHT = 15.0  # points per line of 11-point text
# The report-text sheet's column in characters: 80 ran past an A4 portrait page in LibreOffice Calc (its font
# metrics), with the TA 2027 UEP proposal's longer sentences.
TEXT_WIDTH = 68
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


# report kinds -> (kind, places) of optimizer.render (one number formatter for every workbook)
RENDER_KINDS = {
    "count": ("count", None),
    "rp": ("rupiah", None),
    "share": ("percent", 2),
    "share4": ("percent", 4),
    "weight": ("percent", 1),
    "dec2": ("decimal", 2),
    "dec4": ("decimal", 4),
    "number": ("decimal", 2),
    "year": ("year", None),
    "signed_count": ("signed_count", None),
    "signed_rp": ("signed_rupiah", None),
    "signed_dec2": ("decimal", 2),
    "date": ("text", None),
    "text": ("text", None),
}
LIVE = ("allocation", "recommendation")  # sheets whose Rupiah and totals are formulas a planner can edit


def _cell_value(kind: str, value: object, lang: str) -> object:
    if blank(value):
        return None
    if kind in NUMERIC_KINDS:
        return value
    return resolve(value, lang)


def render_table(table: Table, lang: str, report: Report | None = None):
    """``table`` as a :class:`optimizer.render.table.Table` in ``lang``; on the allocation and
    recommendation sheets Rupiah = penerima × biaya per penerima and the totals are live ``SUM``
    formulas, under the budget and cost cells, the left-over budget and the budget check."""
    from ..output import budget_cells, localise_checks
    from ..render.table import Column as SheetColumn
    from ..render.table import Table as SheetTable

    live = table.key in LIVE and report is not None and report.budget is not None
    keys = [c.key for c in table.columns]
    columns = []
    for c in table.columns:
        kind, places = RENDER_KINDS[c.kind]
        formula = total = None
        if live and c.key == "cost_rp" and "recipients" in keys:
            formula = "{recipients}*{@cost}"
        if live and c.kind in ("count", "rp") and table.total is not None:
            total = "sum"
        columns.append(
            SheetColumn(c.key, resolve(c.label, lang), kind, places, formula=formula, total=total, literal=True)
        )
    rows = [
        {c.key: _cell_value(c.kind, v, lang) for c, v in zip(table.columns, row, strict=True)} for row in table.rows
    ]
    total = None
    if table.total is not None:
        total = {c.key: _cell_value(c.kind, v, lang) for c, v in zip(table.columns, table.total, strict=True)}
    parameters, checks = ([], [])
    if live:
        budget, cost = report.budget
        label = resolve(report.cost_label, lang) if report.cost_label is not None else None
        parameters, checks = budget_cells(budget, cost, cost_label=label)
        checks = localise_checks(checks, lang)
    return SheetTable(
        columns,
        rows,
        total=total,
        title=resolve(table.title, lang),
        sheet=resolve(table.sheet, lang),
        notes=[resolve(n, lang) for n in table.notes],
        parameters=parameters,
        checks=checks,
    )


def _table_sheet(wb: Workbook, table: Table, lang: str, taken: set[str], report: Report | None = None) -> None:
    from ..render.xlsx import write_table

    ws = wb.create_sheet(sheet_name(resolve(table.sheet, lang), taken))
    write_table(ws, render_table(table, lang, report), lang)
    _whole_numbers(ws, table, lang)
    _signed_decimals(ws, table, lang)
    for dimension in ws.column_dimensions.values():  # room for a bold heading word in a substituted font
        if dimension.width:
            dimension.width = round(dimension.width * 1.15 + 1, 1)


def _whole_numbers(ws, table: Table, lang: str) -> None:
    """A ``number`` column mixes indicators (an index, a P0 in %, a count of persons): its whole
    values get the count format, as every other format writes them (the worked example showed
    ``37.110,00`` persons)."""
    from ..render.xlsx import number_format

    for j, c in enumerate(table.columns, start=1):
        if c.kind != "number":
            continue
        for (cell,) in ws.iter_rows(min_col=j, max_col=j):
            value = cell.value
            if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
                cell.number_format = number_format("count", None, lang)


def _signed_decimals(ws, table: Table, lang: str) -> None:
    """A ``signed_dec2`` column (``Penerima - kuota``) keeps its ``+`` on positive values, as the
    report's text writes it (``+0,46``): the render model has no signed decimal kind, so its
    cells get ``+#,##0.00;-#,##0.00;0.00`` here (the value keeps its full precision)."""
    from ..render.xlsx import LOCALE

    code = LOCALE.get(lang, "") + "+#,##0.00;-#,##0.00;0.00"
    for j, c in enumerate(table.columns, start=1):
        if c.kind != "signed_dec2":
            continue
        for (cell,) in ws.iter_rows(min_col=j, max_col=j):
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = code


def _page_setup(ws, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.oddFooter.center.text = "&P / &N"


def _wrapped_height(text: str, width: float) -> float:
    lines = sum(max(1, math.ceil(len(part) * 1.1 / max(1.0, width - 1))) for part in text.split("\n"))
    return LINE_HEIGHT * lines


def _facts_sheet(wb: Workbook, name: str, title: str, facts: list[Facts], lang: str, taken: set[str]) -> None:
    from ..render.xlsx import number_format

    ws = wb.create_sheet(sheet_name(name, taken))
    put_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=12)
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    ws.row_dimensions[1].height = _wrapped_height(title, 42 + 90) * 1.3
    r = 2
    for block in facts:
        for label, value in block.items:
            put_text(ws.cell(row=r, column=1), resolve(label, lang))
            ws.cell(row=r, column=1).font = Font(bold=True)
            ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            cell = ws.cell(row=r, column=2)
            if isinstance(value, Val) and value.kind in NUMERIC_KINDS and not blank(value.value):
                kind, places = RENDER_KINDS[value.kind]
                cell.value = value.value
                cell.number_format = number_format(kind, places, lang)
                cell.alignment = Alignment(horizontal="left", vertical="top")
                text = resolve(value, lang)
            else:
                text = resolve(value, lang)
                put_text(cell, text)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = max(_wrapped_height(text, 90), _wrapped_height(resolve(label, lang), 42))
            r += 1
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = "A2"
    _page_setup(ws, landscape=True)


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
                ws.row_dimensions[r].height = _wrapped_height(line, TEXT_WIDTH)
                r += 1
        r += 1
    ws.column_dimensions["A"].width = TEXT_WIDTH
    _page_setup(ws)


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
    if report.front is not None:
        _table_sheet(wb, report.front.recommendation, lang, taken, report)
    for table in report.tables():
        _table_sheet(wb, table, lang, taken, report)
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
    return saved(wb, when)
