"""The report as a Word document (python-docx) that staff can edit.

A4 pages; Word headings for the title and the nine sections; tables with a repeated
header row, numbers right-aligned and the total row in bold (sections with wide tables on
landscape pages); the charts as PNG images; core properties dated by
:func:`~optimizer.report.reproducible.fixed_datetime` and the container normalised, so two
runs give the same bytes.
"""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import __version__
from . import charts
from .document import Report, Table
from .reproducible import fixed_datetime, normalise_zip
from .text import Msg, resolve
from .view import BlockView, TableView, report_view

A4 = (Mm(210), Mm(297))
MARGIN = Mm(18)


def _page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _write_cell(cell, text: str, *, numeric: bool, bold: bool, size: Pt) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document, t: TableView) -> None:
    caption = document.add_paragraph()
    caption.add_run(t.title).bold = True
    size = Pt(7) if t.wide or len(t.headers) > 8 else Pt(8.5)
    rows = len(t.rows) + 1 + (1 if t.total is not None else 0)
    table = document.add_table(rows=rows, cols=len(t.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric_column = [k not in ("text", "year") for k in t.kinds]
    table_rows = list(table.rows)  # python-docx's table.cell(i, j) rescans the table: use row.cells once per row
    for cell, header, numeric in zip(table_rows[0].cells, t.headers, numeric_column, strict=True):
        _write_cell(cell, header, numeric=numeric, bold=True, size=size)
    _repeat_header(table_rows[0])
    body = [(row, False) for row in t.rows] + ([(t.total, True)] if t.total is not None else [])
    for table_row, (row, bold) in zip(table_rows[1:], body, strict=True):
        for cell, c in zip(table_row.cells, row, strict=True):
            _write_cell(cell, c.text, numeric=c.numeric, bold=bold, size=size)
    for note in t.notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(note)
        run.italic = True
        run.font.size = Pt(8)


def _block(document, b: object, pngs: dict[str, bytes], landscape: bool) -> None:
    if isinstance(b, TableView):
        _table(document, b)
        return
    assert isinstance(b, BlockView)
    if b.kind == "paragraph":
        document.add_paragraph(b.text)
    elif b.kind == "bullets":
        for item in b.items:
            document.add_paragraph(item, style="List Bullet")
    elif b.kind == "formula":
        paragraph = document.add_paragraph()
        for i, line in enumerate(b.items):
            run = paragraph.add_run(line)
            run.font.name = "Consolas"
            run.font.size = Pt(9)
            if i < len(b.items) - 1:
                run.add_break()
    elif b.kind == "facts":
        table = document.add_table(rows=len(b.pairs), cols=2)
        table.style = "Table Grid"
        for row, (label, value) in zip(table.rows, b.pairs, strict=True):
            left, right = row.cells
            _write_cell(left, label, numeric=False, bold=True, size=Pt(9))
            _write_cell(right, value, numeric=False, bold=False, size=Pt(9))
    elif b.kind == "figure":
        document.add_picture(io.BytesIO(pngs[b.chart]), width=Mm(230 if landscape else 170))
    else:
        raise TypeError(b.kind)


def render(report: Report, lang: str, when: datetime | None = None) -> bytes:
    """The DOCX file of ``report`` in ``lang``, dated ``when`` (default :func:`fixed_datetime`)."""
    when = when or fixed_datetime(report.fiscal_year)
    view = report_view(report, lang)
    pngs = {key: charts.png(chart, lang) for key, chart in report.charts.items()}
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    _page(document.sections[0], landscape=False)
    document.add_heading(view.title, 0)
    document.add_paragraph(view.subtitle)
    landscape = False
    for section, source in zip(view.sections, report.sections, strict=True):
        wide = any(isinstance(b, Table) and b.wide for b in source.blocks)
        if wide != landscape:
            _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=wide)
            landscape = wide
        document.add_heading(f"{section.number}. {section.title}", 1)
        for block in section.blocks:
            _block(document, block, pngs, landscape)
    footer = document.add_paragraph()
    footer.add_run(resolve(Msg.of("report.generated", version=__version__), lang)).italic = True
    props = document.core_properties
    props.title = view.title
    props.subject = view.subtitle
    props.author = f"wrse-optimizer {__version__}"
    props.last_modified_by = props.author
    props.comments = ""
    props.language = lang
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), when)
