"""Workbooks a planner edits: a :class:`~optimizer.render.table.Table` as an Excel worksheet.

The small API (also for :mod:`optimizer.report`):

* :func:`write_table` ``(ws, table, lang, row=1) -> next free row``: one table on a sheet;
* :func:`workbook` ``(tables, lang, title) -> bytes``: one sheet per table, ready to save;
* :func:`number_format` ``(kind, places, lang)``: the Excel number format of a kind;
* :func:`put_text` ``(cell, text)``: a text cell that is never run as a formula;
* :func:`long_sheet` ``(headings, records, widths, numeric) -> bytes``: a one-sheet list of many rows
  (a screened candidate list), streamed, its headings as :func:`write_table`'s
  (:func:`style_heading`, :func:`filter_range`).

On a sheet: the title, the parameter cells (budget, cost per recipient) and check cells
(left-over budget, a budget check that turns red when an edited count breaks the budget),
the headings (frozen, wrapped, bold), the rows, the total row (``SUM`` formulas), notes.
Numbers are numbers with Indonesian number formats (``[$-421]#,##0``: ``1.234`` whatever
the computer's own settings, ``"Rp "#,##0`` for rupiah); cells a planner may edit drive
formulas (Rupiah = penerima × biaya per penerima). Column widths fit the longest
formatted value, so no cell shows ``###``; pages are A4, fitted to the page width, with
the headings repeated on every page.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import tempfile
import textwrap
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .format import AS_GIVEN, FORMULA_PREFIXES, INTEGER_KINDS, blank, places_of
from .format import value as format_value
from .table import Column, Table

HEADER_FILL = PatternFill("solid", fgColor="DCE6EE")
TOTAL_FILL = PatternFill("solid", fgColor="F2F5F7")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")  # cells a planner may edit
BAD_FILL = PatternFill("solid", fgColor="F4B6B6")
MAX_WIDTH = 60
LINE_HEIGHT = 15.0  # points per line of 11-point text
TEXT_RATIO = 0.9  # width of a character of text in column-width units (a digit is 1)
LOCALE = {"id": "[$-421]", "en": ""}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_REF = re.compile(r"\{(@|sum:|range:)?([A-Za-z0-9_]+)\}")


def number_format(kind: str, places: int | None, lang: str) -> str:
    """Excel number format of ``kind`` (:data:`optimizer.render.format.KINDS`) for ``lang``."""
    decimals = "." + "0" * (2 if places is None else places) if places != 0 else ""
    code = {
        "count": "#,##0",
        "rupiah": '"Rp "#,##0',
        "percent": f"0{decimals}%",
        "decimal": f"#,##0{decimals}",
        "signed_count": "+#,##0;-#,##0;0",
        "signed_rupiah": '+"Rp "#,##0;-"Rp "#,##0;"Rp "0',
        "year": "0",
    }.get(kind)
    if code is None:
        return "@"
    return LOCALE.get(lang, "") + code


def put_text(cell, text: str) -> None:
    """Store ``text`` in ``cell`` as a string, never as a formula (``=HYPERLINK(…)`` stays text)."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name from ``text`` (at most 31 characters, no ``[]:*?/\\``)."""
    base = _SHEET_FORBIDDEN.sub("-", " ".join(text.split())).strip("'") or "Sheet"
    name = base[:31]
    i = 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(name.lower())
    return name


def _put(cell, column: Column, item: object, lang: str) -> str:
    """Write one value; return its text as shown (for the column width)."""
    if blank(item):
        return ""
    # one character of indent on the side a value is aligned to, so that a right-aligned amount
    # and the left-aligned text of the next column never touch ("Rp 635.000.000-" in LibreOffice)
    if isinstance(item, str):
        put_text(cell, item)
        cell.alignment = Alignment(horizontal="right" if column.numeric else "left", indent=1)
        return item
    if column.numeric:
        if hasattr(item, "item"):
            item = item.item()
        cell.value = int(item) if column.kind in INTEGER_KINDS else float(item)
        places = places_of(item) if column.places == AS_GIVEN else column.places  # (AS_GIVEN: per value)
        cell.number_format = number_format(column.kind, places, lang)
        cell.alignment = Alignment(horizontal="right", indent=1)
        return format_value(column.kind, item, lang, column.places)
    text = str(item)
    put_text(cell, text)
    cell.alignment = Alignment(horizontal="left", indent=1)
    return text


# Widths of letters in column-width units (the width of a digit is 1), as LibreOffice and Excel draw
# them in the default sans font (Calibri, or Carlito/DejaVu Sans where it is missing); a wrapped
# heading breaks a word that is wider than its column ("Mahaka / m Ulu"), so a heading's longest
# word is measured letter by letter, in bold.
_WIDE_LETTERS = frozenset("MWmw")
_NARROW_LETTERS = frozenset("fijlrtI.,;:'()[]|!/ ")
BOLD_RATIO = 1.1  # a bold letter against a regular one


def word_width(word: str, bold: bool = False) -> float:
    """The width of ``word`` in column-width units (a digit is 1): wide letters ``M``/``W``/``m``/``w``
    1,5, narrow ones (``i``, ``l``, ``t``, punctuation…) 0,6, upper case 1,2, the rest 1; × :data:`BOLD_RATIO`
    in bold."""
    width = sum(
        1.5 if ch in _WIDE_LETTERS else 0.6 if ch in _NARROW_LETTERS else 1.2 if ch.isupper() else 1.0 for ch in word
    )
    return width * (BOLD_RATIO if bold else 1.0)


def heading_lines(heading: str, width: float) -> int:
    """Lines the bold ``heading`` takes in a wrapped column ``width`` units wide: words kept whole,
    measured letter by letter (:func:`word_width`), a margin of 2 units; so the heading row is tall
    enough and no third line runs into the first value."""
    room, lines, used = max(1.0, width - 2), 1, 0.0
    space = word_width(" ", bold=True)
    for word in heading.split():
        size = word_width(word, bold=True)
        if used and used + space + size > room:
            lines, used = lines + 1, size
        else:
            used += (space if used else 0.0) + size
    return lines


def style_heading(cell, numeric: bool = False) -> None:
    """A heading cell as on every sheet the tool writes: bold, shaded, wrapped at the top; the
    heading of a number column right-aligned (over its numbers), others left-aligned."""
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if numeric else "left", indent=1)


def filter_range(header: int, columns: int, last: int) -> str:
    """The autofilter range of a table whose headings are in row ``header``, ``columns`` wide,
    its rows down to row ``last`` (a total row below ``last`` stays out of the sorting)."""
    return f"A{header}:{get_column_letter(columns)}{last}"


def _width(texts: Sequence[str], heading: str) -> float:
    """A column's width: its longest value (+ 3: the value, its one-character indent, a margin) and the
    longest word of its bold ``heading``, measured letter by letter (:func:`word_width`), so that no
    heading word is broken; at least 6, at most :data:`MAX_WIDTH`."""
    longest = max([len(t) for t in texts], default=0) + 3
    word = max((word_width(w, bold=True) for w in heading.split()), default=0.0) + 3
    return float(min(MAX_WIDTH, max(6, longest, math.ceil(word))))


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped column ``width`` characters wide: words kept whole where
    they fit; a word longer than the column (an address) is broken letter by letter, as Excel and
    LibreOffice wrap it, counted at a full column unit per letter (its letters may be wide ones)."""
    chars = max(1, int((width - 2) / TEXT_RATIO))
    widest = max(1, int(width - 2))

    def taken(line: str) -> int:  # a word alone on its line, wider than the column, runs on
        return math.ceil(len(line) / widest) if len(line) > widest and " " not in line else 1

    return sum(
        max(1, sum(map(taken, textwrap.wrap(part, chars, break_long_words=False)))) for part in str(text).split("\n")
    )


def _wrapped_heights(ws, columns, widths, texts, first: int) -> None:
    """Row heights for the rows whose wrapped text cells take more than one line: without them
    LibreOffice printed the second line of a cell over the next row."""
    wrapped = [j for j, (c, w) in enumerate(zip(columns, widths, strict=True)) if c.kind == "text" and w >= MAX_WIDTH]
    if not wrapped:
        return
    rows = len(texts[columns[0].key])
    for i in range(rows):
        lines = max(_lines(texts[columns[j].key][i] or "", widths[j]) for j in wrapped)
        if lines > 1:
            ws.row_dimensions[first + i].height = LINE_HEIGHT * lines
            for cell in ws[first + i]:  # the row's other values beside the wrapped text's first line
                a = cell.alignment
                cell.alignment = Alignment(
                    horizontal=a.horizontal, vertical="top", wrap_text=a.wrap_text, indent=a.indent
                )


def write_table(ws, table: Table, lang: str, row: int = 1) -> int:
    """Write ``table`` on worksheet ``ws`` from ``row`` down; return the next free row.

    Freezes the headings (and the code and name columns when the table starts with them),
    sets column widths, the print titles and an A4 page that fits the width. Formulas
    (``Column.formula``, totals with ``total="sum"``, :class:`~optimizer.render.table.Check`)
    refer to the cells they name; each formula cell is written as a formula, so Excel and
    LibreOffice compute it when the workbook is opened.
    """
    from ..i18n import t

    columns = table.sheet_columns()
    letters = {c.key: get_column_letter(j) for j, c in enumerate(columns, start=1)}
    texts: dict[str, list[str]] = {c.key: [] for c in columns}
    label_texts: list[str] = []
    title_row = row if table.title else None
    if table.title:
        cell = ws.cell(row=row, column=1)
        put_text(cell, table.title)
        cell.font = Font(bold=True, size=12)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 2
    params: dict[str, str] = {}
    param_rows = []
    for p in table.parameters:
        label = p.label if p.literal else t(p.label, lang)
        put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        label_texts.append(label)
        cell = ws.cell(row=row, column=2, value=p.value)
        cell.number_format = number_format(p.kind, None, lang)
        cell.fill = INPUT_FILL
        param_rows.append(format_value(p.kind, p.value, lang))
        params[p.name] = f"$B${row}"
        row += 1
    check_row = row
    row += len(table.checks)
    if table.parameters or table.checks:
        row += 1
    header = row
    first, last = header + 1, header + len(table.rows)
    total_row = last + 1 if table.total is not None else None

    def ref(match: re.Match, current: int) -> str:
        prefix, name = match.group(1), match.group(2)
        if prefix == "@":
            return params[name]
        if prefix == "sum:":
            if total_row is not None and _column(columns, name).total == "sum":
                return f"{letters[name]}{total_row}"
            return f"SUM({letters[name]}{first}:{letters[name]}{last})"
        if prefix == "range:":
            return f"${letters[name]}${first}:${letters[name]}${last}"
        return f"{letters[name]}{current}"

    for j, c in enumerate(columns, start=1):
        cell = ws.cell(row=header, column=j)
        put_text(cell, c.title(lang))
        style_heading(cell, c.numeric)
    for i, record in enumerate(table.rows):
        r = first + i
        for j, c in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=j)
            shown = _put(cell, c, record.get(c.key), lang)
            texts[c.key].append(shown)
            if c.formula and not isinstance(record.get(c.key), str) and not blank(record.get(c.key)):
                cell.value = "=" + _REF.sub(lambda m, r=r: ref(m, r), c.formula)
    if total_row is not None:
        for j, c in enumerate(columns, start=1):
            cell = ws.cell(row=total_row, column=j)
            item = table.total.get(c.key)
            shown = _put(cell, c, item, lang)
            texts[c.key].append(shown)
            if c.total == "sum" and table.rows:
                cell.value = f"=SUM({letters[c.key]}{first}:{letters[c.key]}{last})"
                cell.number_format = number_format(c.kind, c.places, lang)
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL
    for k, check in enumerate(table.checks):
        r = check_row + k
        label = check.label if check.literal else t(check.label, lang)
        put_text(ws.cell(row=r, column=1), label)
        ws.cell(row=r, column=1).font = Font(bold=True)
        label_texts.append(label)
        cell = ws.cell(row=r, column=2, value="=" + _REF.sub(lambda m, r=r: ref(m, r), check.formula))
        cell.font = Font(bold=True)
        if check.kind != "text":
            cell.number_format = number_format(check.kind, None, lang)
        if check.flag:
            ws.conditional_formatting.add(
                f"B{r}", FormulaRule(formula=[f'B{r}="{check.flag}"'], fill=BAD_FILL, font=Font(bold=True))
            )
            param_rows.append(check.flag)
    end = (total_row or last) + 1
    if table.rows:
        ws.auto_filter.ref = filter_range(header, len(columns), last)
    widths = []
    for j, c in enumerate(columns, start=1):
        width = _width(texts[c.key], c.title(lang))
        if j == 1 and label_texts:  # the labels of the parameter and check cells
            width = max(width, min(MAX_WIDTH, max(len(x) for x in label_texts) + 2))
        if j == 2 and param_rows:  # the parameter values and check results
            width = max(width, min(MAX_WIDTH, max(len(x) for x in param_rows) + 2))
        ws.column_dimensions[get_column_letter(j)].width = width
        widths.append(width)
        if c.kind == "text" and width >= MAX_WIDTH:
            for r in range(first, (total_row or last) + 1):
                ws.cell(row=r, column=j).alignment = Alignment(wrap_text=True, vertical="top")
    _wrapped_heights(ws, columns, widths, texts, first)
    depth = max(heading_lines(c.title(lang), w) for c, w in zip(columns, widths, strict=True))
    ws.row_dimensions[header].height = LINE_HEIGHT * max(1, depth)
    span = max(1.0, sum(widths))
    if title_row is not None:  # across the table's width, wrapped, so it never runs off the page
        if len(columns) > 1:
            ws.merge_cells(start_row=title_row, start_column=1, end_row=title_row, end_column=len(columns))
        ws.row_dimensions[title_row].height = (
            1.3 * LINE_HEIGHT * max(1, math.ceil(len(table.title) * 1.2 * TEXT_RATIO / span))
        )
    if table.notes:  # below the table, each across the table's width, wrapped
        end += 1
        for note in table.notes:
            cell = ws.cell(row=end, column=1)
            put_text(cell, note)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if len(columns) > 1:
                ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=len(columns))
            ws.row_dimensions[end].height = LINE_HEIGHT * max(1, math.ceil(len(note) * TEXT_RATIO / span))
            end += 1
    keys = [c.key for c in columns]
    ws.freeze_panes = f"C{header + 1}" if keys[:2] == ["region_code", "region_name"] else f"A{header + 1}"
    ws.print_title_rows = f"{header}:{header}"
    _print_setup(ws, sum(widths))
    if table.read_only:
        ws.protection.sheet = True
    return end


def _print_setup(ws, width: float) -> None:
    """A4, landscape when the columns are wider than a portrait page (``width`` in column
    units, 95 fit), every column on one page's width, pages numbered ``1 / 3`` in the footer."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # (a write-only sheet lacks the class's constants)
    ws.page_setup.orientation = "landscape" if width > 95 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.oddFooter.center.text = "&P / &N"


def _column(columns: Sequence[Column], key: str) -> Column:
    for c in columns:
        if c.key == key:
            return c
    raise KeyError(f"no column {key!r} in the table")


def workbook(tables: Sequence[Table], lang: str, title: str = "") -> bytes:
    """``tables`` as an XLSX file, one sheet each (named by ``Table.sheet``), in ``lang``."""
    from .. import __version__

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables:
        write_table(book.create_sheet(sheet_name(table.sheet, taken)), table, lang)
    book.calculation.fullCalcOnLoad = True  # Excel computes the formulas on opening
    props = book.properties
    props.title = title or (tables[0].title if tables else "")
    props.creator = f"wrse-optimizer {__version__}"
    props.language = lang
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def long_sheet(
    headings: Sequence[str],
    records: Iterable[Sequence[object]],
    widths: Sequence[float],
    numeric: Sequence[bool] = (),
    sheet_title: str = "data",
    lang: str = "id",
) -> bytes:
    """A one-sheet workbook of many rows, streamed with openpyxl's write-only mode (2-3 times
    faster than ``DataFrame.to_excel`` on a 100.000-row candidate list): ``headings`` in row 1,
    styled as every other sheet's headings (:func:`style_heading`; ``numeric`` says which columns
    hold numbers), frozen, with an autofilter over the rows (:func:`filter_range`); ``widths``
    (characters, one per column, widened to the longest word of the bold heading) set before any
    row, as write-only mode requires; each record a sequence of plain values, None an empty cell.
    Text that looks like a formula is stored as a string cell, unchanged: the cell keeps exactly
    what the list said.

    Write-only mode streams the sheet through a temporary file (``openpyxl.*``) that holds the
    cells, personal data included. It is made in a private folder of this call, removed with
    everything in it when the call ends, however it ends (error, Ctrl-C, SIGTERM).
    """
    from openpyxl.cell import WriteOnlyCell

    whole, fraction = number_format("count", 0, lang), number_format("decimal", 2, lang)

    def cell_value(sheet, value):
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        if isinstance(value, int | float) and not isinstance(value, bool):  # a number, formatted as everywhere
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = whole if float(value).is_integer() else fraction
            return cell
        return value

    def heading_cell(sheet, text: str, j: int):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        style_heading(cell, j < len(numeric) and numeric[j])
        return cell

    texts = [str(h) for h in headings]
    sized = [
        float(min(MAX_WIDTH, max(w, math.ceil(max((word_width(x, bold=True) for x in h.split()), default=0.0) + 3))))
        for w, h in zip(widths, texts, strict=True)
    ]
    with _private_tempdir():
        book = Workbook(write_only=True)
        sheet = book.create_sheet(sheet_name(sheet_title, set()))
        for n, width in enumerate(sized, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        depth = max((heading_lines(h, w) for h, w in zip(texts, sized, strict=True)), default=1)
        sheet.row_dimensions[1].height = LINE_HEIGHT * max(1, depth)
        sheet.freeze_panes = "A2"
        _print_setup(sheet, sum(sized))  # printed as every other sheet: A4, one page wide, the heading on each page
        sheet.print_title_rows = "1:1"
        try:
            sheet.append([heading_cell(sheet, h, j) for j, h in enumerate(texts)])
            last = 1
            for record in records:
                sheet.append([cell_value(sheet, v) for v in record])
                last += 1
            if texts and last > 1:  # written with the sheet's tail, when the book is saved
                sheet.auto_filter.ref = filter_range(1, len(texts), last)
            buffer = io.BytesIO()
            book.save(buffer)
        except BaseException:
            _close_streams(sheet)
            raise
    return buffer.getvalue()


@contextlib.contextmanager
def _private_tempdir() -> Iterator[None]:
    """Point :mod:`tempfile` at a new private folder for the block; remove it afterwards.

    openpyxl registers its temporary file only after creating it, so an interruption in
    between would leave an unregistered file behind; a folder of our own leaves nothing.
    (The process-wide ``tempfile.tempdir`` is set for the block: the CLI is single-threaded.)
    """
    previous = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="wrse-xlsx-") as folder:
        tempfile.tempdir = folder
        try:
            yield
        finally:
            tempfile.tempdir = previous


def _close_streams(sheet) -> None:
    """Close an interrupted write-only sheet's generators quietly, so that Python does not
    print "Exception ignored in ... Traceback" when it collects them at exit."""
    writer = getattr(sheet, "_writer", None)
    for stream in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.close()
