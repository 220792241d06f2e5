"""The report as a Word document (python-docx) that staff can edit.

The document opens with the telaahan staf (:mod:`.telaahan`: heading fields, I–VI, the
recommendation table with the total in words, the signature block with blanks to fill), then
the technical report as its lampiran. A4 pages; Word headings; tables with a repeated header
row, numbers right-aligned, the total row in bold, and column widths set from the content
(:func:`column_widths`: no column narrower than its longest word or number, so Word and
LibreOffice never break "Kabupaten/Kota" or "Rp 51.000.000" inside a cell; sections with wide
tables on landscape pages, with a smaller font when the widest words still do not fit); the
charts as PNG images; core properties dated by
:func:`~optimizer.report.reproducible.fixed_datetime` and the container normalised, so two
runs give the same bytes.
"""

from __future__ import annotations

import io
import math
import re
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
from .document import Memo, Report, Table
from .reproducible import fixed_datetime, saved
from .text import Msg, Val, is_command, resolve
from .view import BlockView, TableView, report_blocks, report_view, table_view

A4 = (Mm(210), Mm(297))
MARGIN = Mm(18)
FONT = "Arial"  # in Word; LibreOffice draws it with the metric-compatible Liberation Sans, so widths agree
KEEP_TOGETHER_ROWS = 16  # a table of at most this many rows (heading and total included) is kept on one page
CELL_PADDING_MM = 4.4  # the default cell margins (0,19 cm left and right in Word and LibreOffice) and a little air
EM_MM = 0.3528  # one point in millimetres
CHAR_EM = 0.62  # an Arial character (bold capitals and digits included) in em: a safe upper bound
BLANK = "…………………………"


def _text_mm(text: str, size_pt: float) -> float:
    return len(text) * CHAR_EM * size_pt * EM_MM


def text_width_mm(landscape: bool = False) -> float:
    """The width (mm) between the margins of an A4 page, upright (174) or landscape (261):
    the page less :data:`MARGIN` on each side."""
    return (297.0 if landscape else 210.0) - 2 * MARGIN.mm


def column_widths(t: TableView, page_mm: float, size_pt: float) -> tuple[list[float], float]:
    """Column widths (mm) summing to at most ``page_mm`` and the font size (pt) to use.

    Each column gets at least its longest unbreakable token (a word, a number, a Rupiah
    amount) plus padding; what is left of the page goes to the columns with long text, in
    proportion to their longest cell. When even the minimum does not fit, the font shrinks
    (down to 6 pt) until it does.
    """
    cells = [
        [t.headers[j]] + [row[j].text for row in t.rows] + ([t.total[j].text] if t.total else [])
        for j in range(len(t.headers))
    ]
    while True:
        minimum = []
        wanted = []
        for j, texts in enumerate(cells):
            tokens = [token for text in texts for token in (text.replace("/", "/ ").split() if j else text.split())]
            numeric = t.kinds[j] not in ("text",)
            if numeric:  # numbers and Rupiah stay on one line
                tokens = [text for text in texts[1:]] + tokens
            longest = max((_text_mm(token, size_pt) for token in tokens), default=5.0)
            minimum.append(longest + CELL_PADDING_MM)
            wanted.append(max((_text_mm(text, size_pt) for text in texts[1:]), default=0.0) + CELL_PADDING_MM)
        if sum(minimum) <= page_mm or size_pt <= 6.0:
            break
        size_pt -= 0.5
    spare = max(0.0, page_mm - sum(minimum))
    extra = [max(0.0, w - lo) for w, lo in zip(wanted, minimum, strict=True)]
    if sum(extra) > 0:
        scale = min(1.0, spare / sum(extra))
        widths = [lo + e * scale for lo, e in zip(minimum, extra, strict=True)]
    else:
        widths = list(minimum)
    return widths, size_pt


def _fixed_layout(table) -> None:
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/>: the widths below hold


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


SIGNED = re.compile(r"(?<![\w-])-(?=\d)")
"""A minus sign before a digit (``(-13)``, ``-6``): Writer broke a line after it, leaving ``(-`` and ``13)``."""
NON_BREAKING_HYPHEN = "\u2011"
COMMAND_FONT = "Courier New"  # LibreOffice draws it with the metric-compatible Liberation Mono
MONO_EM = 0.6  # every Courier New character is 0,6 em wide
COMMAND_MIN_PT = 6.0


def unbroken(text: str) -> str:
    """``text`` with each minus before a digit (:data:`SIGNED`) made non-breaking in prose.

    A ``wrse`` command line is left as it is, plain ASCII, so that a reader who copies it gets
    a command that runs (non-breaking hyphens made ``‑‑baseline`` an unknown option); it is kept
    on one line by its size instead (:func:`command_size`)."""
    if is_command(text):
        return text
    return SIGNED.sub(NON_BREAKING_HYPHEN, text)


def command_size(text: str, width_mm: float, size_pt: float) -> float:
    """The font size (pt, at most ``size_pt``) at which the command line ``text`` in
    :data:`COMMAND_FONT` fits on one line ``width_mm`` wide, so that Word and Writer never break
    it (they would break after a hyphen: ``--`` / ``baseline``); never below
    :data:`COMMAND_MIN_PT` (a longer command then wraps)."""
    fitting = width_mm / (len(text) * MONO_EM * EM_MM) if text else size_pt
    return max(COMMAND_MIN_PT, min(size_pt, math.floor(fitting * 4) / 4))


def _write_cell(cell, text: str, *, numeric: bool, bold: bool, size: Pt, width_mm: float | None = None) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(unbroken(text))
    run.bold = bold
    run.font.size = size
    if is_command(text) and width_mm is not None:
        run.font.name = COMMAND_FONT
        run.font.size = Pt(command_size(text, width_mm - CELL_PADDING_MM, size.pt))
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document, t: TableView, page_mm: float | None = None) -> None:
    caption = document.add_paragraph()
    caption.add_run(t.title).bold = True
    caption.paragraph_format.keep_with_next = True
    page_mm = text_width_mm() if page_mm is None else page_mm
    widths, size_pt = column_widths(t, page_mm, 7.5 if t.wide or len(t.headers) > 8 else 9.0)
    size = Pt(size_pt)
    rows = len(t.rows) + 1 + (1 if t.total is not None else 0)
    table = document.add_table(rows=rows, cols=len(t.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    numeric_column = [k not in ("text", "year") for k in t.kinds]
    table_rows = list(table.rows)  # python-docx's table.cell(i, j) rescans the table: use row.cells once per row
    for cell, header, numeric in zip(table_rows[0].cells, t.headers, numeric_column, strict=True):
        _write_cell(cell, header, numeric=numeric, bold=True, size=size)
    _repeat_header(table_rows[0])
    body = [(row, False) for row in t.rows] + ([(t.total, True)] if t.total is not None else [])
    for table_row, (row, bold) in zip(table_rows[1:], body, strict=True):
        _no_split(table_row)
        for cell, c, width in zip(table_row.cells, row, widths, strict=True):
            _write_cell(cell, c.text, numeric=c.numeric, bold=bold, size=size, width_mm=width)
    if len(table_rows) <= KEEP_TOGETHER_ROWS:
        # a short table moves to the next page whole instead of leaving its heading and one row
        # at the foot of a page (Writer did so with the inputs table)
        for table_row in table_rows[:-1]:
            for cell in table_row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    for table_row in table_rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = Mm(width)
    for note in t.notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(note)
        run.italic = True
        run.font.size = Pt(8)
    if not t.notes:
        _gap(document)


def _gap(document) -> None:
    """A small empty paragraph after a table: the text or chart that follows does not touch its last row
    (a chart right after a table covered the total row's bottom border in Writer)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run().font.size = Pt(4)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _block(document, b: object, pngs: dict[str, bytes], landscape: bool) -> None:
    if isinstance(b, TableView):
        _table(document, b, text_width_mm(landscape))
        return
    assert isinstance(b, BlockView)
    if b.kind == "paragraph":
        document.add_paragraph(b.text)
    elif b.kind == "bullets":
        for item in b.items:
            document.add_paragraph(item, style="List Bullet")
    elif b.kind == "formula":
        paragraph = document.add_paragraph()
        page = text_width_mm(landscape)
        for i, line in enumerate(b.items):
            run = paragraph.add_run(line)
            run.font.name = COMMAND_FONT
            run.font.size = Pt(command_size(line, page, 9.0) if is_command(line) else 9.0)
            if i < len(b.items) - 1:
                run.add_break()
    elif b.kind == "facts":
        table = document.add_table(rows=len(b.pairs), cols=2)
        table.style = "Table Grid"
        _fixed_layout(table)
        page = text_width_mm(landscape)
        # the labels' column as wide as the longest label (bold), so that a command has room
        label_mm = min(62.0, max(35.0, max(_text_mm(label, 9.0) for label, _ in b.pairs) + CELL_PADDING_MM))
        widths = (Mm(label_mm), Mm(page - label_mm))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid too: Writer lays a fixed table out by its grid
        for row, (label, value) in zip(table.rows, b.pairs, strict=True):
            left, right = row.cells
            left.width, right.width = widths
            _write_cell(left, label, numeric=False, bold=True, size=Pt(9))
            _write_cell(right, value, numeric=False, bold=False, size=Pt(9), width_mm=page - label_mm)
        _gap(document)
    elif b.kind == "figure":
        document.add_picture(
            io.BytesIO(pngs[b.chart]), width=Mm(200 if landscape else 170)
        )  # 230 mm made a chart taller than a landscape page: legend cut
        document.paragraphs[-1].paragraph_format.space_before = Pt(6)
    else:
        raise TypeError(b.kind)


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _memo(document, memo: Memo, lang: str) -> None:
    """The telaahan staf: heading fields, parts I–VI, signature, then the recommendation page."""
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(resolve(memo.title, lang))
    run.bold = True
    run.font.size = Pt(14)
    heading = document.add_table(rows=len(memo.heading), cols=3)
    _fixed_layout(heading)
    widths = (Mm(32), Mm(6), Mm(136))
    for column, width in zip(heading.columns, widths, strict=True):
        column.width = width
    for row, (label, value) in zip(heading.rows, memo.heading, strict=True):
        cells = row.cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        _write_cell(cells[0], resolve(label, lang), numeric=False, bold=False, size=Pt(11))
        _write_cell(cells[1], ":", numeric=False, bold=False, size=Pt(11))
        _write_cell(
            cells[2], resolve(value, lang) if value is not None else BLANK, numeric=False, bold=False, size=Pt(11)
        )
    rule = document.add_paragraph()
    rule.add_run("_" * 78)
    for part in memo.parts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(f"{ROMAN[part.number - 1]}. {resolve(part.title, lang)}")
        run.bold = True
        for block in report_blocks(part, lang):
            _block(document, block, {}, False)
    document.add_paragraph()
    _signature(document, memo, lang)
    document.add_page_break()
    table_view_ = table_view(memo.recommendation, lang)
    _table(document, table_view_)
    words = document.add_paragraph()
    words.add_run(resolve(memo.amount_in_words, lang)).italic = True
    _signature(document, memo, lang)


def _signature(document, memo: Memo, lang: str) -> None:
    title, name = memo.signatory
    lines = [
        resolve(memo.place_date, lang),
        title if title else BLANK,
        "",
        "",
        "",
        name if name else BLANK,
        resolve(Msg.of("report.memo.nip"), lang) + " " + BLANK,
    ]
    for i, line in enumerate(lines):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(95)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = i < len(lines) - 1
        run = paragraph.add_run(line)
        if i == 5:
            run.bold = True
            run.underline = True


# The proofing language Word and LibreOffice check the text in (BCP 47 tags, as w:lang takes them).
PROOFING = {"id": "id-ID", "en": "en-US"}


def _proofing_language(document, lang: str) -> None:
    """Mark the whole document as written in ``lang`` (``id`` -> ``id-ID``), so Word's spelling
    and grammar check works in the reader's language: python-docx's template says ``en-US`` in
    the default run properties (styles.xml) and the theme font language (settings.xml)."""
    tag = PROOFING[lang]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for element in (*defaults.iter(qn("w:lang")), *document.settings.element.iter(qn("w:themeFontLang"))):
        element.set(qn("w:val"), tag)


def render(report: Report, lang: str, when: datetime | None = None) -> bytes:
    """The DOCX file of ``report`` in ``lang``, dated ``when`` (default :func:`fixed_datetime`)."""
    when = when or fixed_datetime(report.fiscal_year)
    view = report_view(report, lang)
    pngs = {key: charts.png(chart, lang) for key, chart in report.charts.items()}
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    _page(document.sections[0], landscape=False)
    _proofing_language(document, lang)
    if report.front is not None:
        _memo(document, report.front, lang)
        document.add_page_break()
        annex = document.add_paragraph()
        annex.add_run(resolve(report.front.annex_title, lang)).bold = True
    document.add_heading(view.title, 0)
    document.add_paragraph(view.subtitle)
    if report.issued is not None:
        document.add_paragraph(resolve(Msg.of("report.issued_line", date=Val("date", report.issued)), lang))
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
    return saved(document, when)
