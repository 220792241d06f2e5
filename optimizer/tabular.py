"""Reading tables people send: CSV (any usual encoding and separator) and XLSX.

A table is returned as a :class:`Table`: its columns (plain lists of cells, kept as read:
text from CSV; numbers, dates and text from XLSX; no type guessing) plus, for every row,
its row number as a spreadsheet shows it, so errors can name ``row 12``. Reading a table
imports no pandas (``wrse run`` does not need it); :attr:`Table.frame` gives the cells as a
DataFrame to code that wants one.

CSV: UTF-8 (with or without BOM), else cp1252; separator ``,``, ``;`` (Excel in an
Indonesian locale) or tab, sniffed from the header line. XLSX: the first sheet (or the
one named), header row found by the expected column names, so title rows and merged
header cells above the table are skipped; numbers stored as text stay text and are read
by the column's declared unit later.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .i18n import Either, Msg

if TYPE_CHECKING:
    import pandas as pd

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass(frozen=True)
class Table:
    """Cells of a table with their spreadsheet row numbers.

    ``cells``: ``{header: list of cells}``, the file's header names (stripped) in file order,
    every list one cell per row; an empty cell is ``""``. ``rows``: spreadsheet row number
    of each row. ``path``: the file, for messages. ``sheet``: the XLSX sheet read (None for
    a CSV). ``texts``: every cell is a ``str`` (a CSV's; readers then need not check).
    """

    cells: dict[str, list]
    rows: tuple[int, ...]
    path: Path
    sheet: str | None = None
    texts: bool = False

    @property
    def columns(self) -> list[str]:
        """The header names, in file order."""
        return list(self.cells)

    def __len__(self) -> int:
        """Number of rows (header excluded)."""
        return len(self.rows)

    def column(self, name: str) -> list:
        """The cells of column ``name``, one per row (the list itself: do not change it)."""
        return self.cells[name]

    def cell(self, position: int, name: str) -> object:
        """The cell of column ``name`` in the row at ``position``."""
        return self.cells[name][position]

    def row_number(self, position: int) -> int:
        """Spreadsheet row number of the row at ``position``."""
        return self.rows[position]

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The cells as a pandas DataFrame (object cells, columns in file order), for code that
        works on frames (screening); pandas is imported here, not to read a table."""
        import pandas as pd

        return pd.DataFrame(self.cells, columns=self.columns, dtype=object)


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("tabular.file_text_utf_cp", path=path)  # pragma: no cover


def header_key(name: object) -> str:
    """A header reduced to lower-case letters and digits: ``'Kode BPS'`` and ``'kode_bps'`` match."""
    return "".join(ch for ch in str(name if name is not None else "").lower() if ch.isalnum())


def _sniff_delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _normalise_header(name: object) -> str:
    return " ".join(str(name if name is not None else "").replace("\ufeff", "").split())


def _lines(text: str) -> Iterator[str]:
    """``text.splitlines()``, one by one: the first lines without splitting the whole text."""
    head = text[:65536]
    lines = head.splitlines()
    if len(head) < len(text):
        lines.pop()  # (perhaps cut short: it comes again below, whole)
    yield from lines
    if len(head) < len(text):
        yield from text.splitlines()[len(lines) :]


def read_csv(path: Path, expected: Iterable[str] = (), find_header: bool = False) -> Table:
    """Read a CSV file; see the module docstring. Raises :class:`InputError`.

    With ``find_header=True`` the header is the first row holding one of the lower-case
    names ``expected`` (title rows above it are skipped, as for XLSX); when no row holds
    one, the first non-empty row is the header as usual.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("tabular.cannot_read_file_readable", path=path, value=exc.strerror or exc) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text": UTF-16 with a BOM
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError("tabular.file_starts_utf_but", path=path) from None
    if b"\x00" in data[:4096]:
        raise InputError("tabular.file_holds_binary_data", path=path)
    text = _decode(data, path)
    if "\r" in text and "\n" not in text:  # old Mac line ends (CR only), as Excel for Mac 2011 saves "CSV (Mac)"
        text = text.replace("\r", "\n")
    first = next((line for line in _lines(text) if line.strip()), None)
    if first is None:
        raise InputError("tabular.file_empty_header_row", path=path)
    delimiter = _sniff_delimiter(first)
    wanted = {header_key(e) for e in expected}
    if find_header:  # the header's own separator: a title row above it has none
        for line in _lines(text):
            sep = _sniff_delimiter(line)
            if {header_key(c) for c in next(csv.reader([line], delimiter=sep), [])} & wanted:
                delimiter = sep
                break
    fast = _read_csv_fast(text, delimiter, path, wanted if find_header else None)
    if fast is not None:
        return fast
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        if "new-line character" in str(exc):
            raise InputError("tabular.file_mixes_old_mac", path=path) from None
        raise InputError("tabular.file_valid_csv_comma", path=path, exc=exc) from None
    header_index = next((i for i, rec in enumerate(records) if any(cell.strip() for cell in rec)), None)
    if header_index is None:
        raise InputError("tabular.file_header_row_only", path=path)
    if find_header:
        header_index = next((i for i, rec in enumerate(records) if {header_key(c) for c in rec} & wanted), header_index)
    header = [_normalise_header(h) for h in records[header_index]]
    body, rows = [], []
    for offset, record in enumerate(records[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
            raise InputError(
                "tabular.row_cells_but_header", path=path, offset=offset, n_record=len(record), n_header=len(header)
            )
        body.append([cell.strip() for cell in record[: len(header)]] + [""] * (len(header) - len(record)))
        rows.append(offset)
    return Table(_columns(header, body, path), tuple(rows), path, texts=True)


def _kept_columns(header: list[str], path: Path) -> list[int]:
    """Positions of the named header cells; :class:`InputError` for a name given twice."""
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name.lower() in seen:
            raise InputError("tabular.column_appears_twice_header", path=path, name=name)
        seen.add(name.lower())
    return [i for i, name in enumerate(header) if name]


_SPACE = (" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0")


_ASCII_SPACE = tuple(mark for mark in _SPACE if mark.isascii())


def _ends_in_space(joined: str) -> bool:
    """True when a cell of the NUL-joined ASCII column starts or ends with white space (what
    ``str.strip`` would remove)."""
    present = [mark for mark in _ASCII_SPACE if mark in joined]  # (one character: a fast search)
    if not present:
        return False
    if joined[:1] in present or joined[-1:] in present:
        return True
    return any("\x00" + mark in joined or mark + "\x00" in joined for mark in present)


def _read_csv_fast(text: str, delimiter: str, path: Path, wanted: set[str] | None = None) -> Table | None:
    """The table as :func:`read_csv` reads it, column by column (several times faster), or None.

    Declines (returns None, so the row-by-row reader runs and names the problem) for anything
    it would not read identically: a row with more or fewer cells than the first, a blank
    row, a parser complaint, or (``wanted``, when the header is searched for) a first row
    without any of the ``wanted`` names.
    """
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone carriage return: the csv module decides (it rejects it)
    split = _split(text, delimiter)
    columns, tidy = split if split is not None else (None, False)
    if columns is None:
        try:
            records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error:  # the reader below names the problem
            return None
        if len(records) < 1:
            return None
        width = len(records[0])
        if any(len(record) != width for record in records):
            return None  # ragged rows, or a blank line (an empty record)
        columns = list(zip(*records, strict=True))
    n_records = len(columns[0])
    stripped = []
    for column in columns:
        if tidy:
            stripped.append(column)
            continue
        joined = "\x00".join(column)
        if joined.isascii() and not _ends_in_space(joined):
            stripped.append(column if isinstance(column, list) else list(column))
        else:
            stripped.append([cell.strip() for cell in column])
    if all("" in column for column in stripped) and any(not any(cells) for cells in zip(*stripped, strict=True)):
        return None  # blank rows (the header search and row numbers): the reader below handles them
    header = [_normalise_header(h) for h in (column[0] for column in stripped)]
    if wanted is not None and not {header_key(h) for h in header} & wanted:
        return None
    keep = _kept_columns(header, path)
    return Table({header[i]: stripped[i][1:] for i in keep}, tuple(range(2, n_records + 1)), path, texts=True)


def _tidy(marked: str, quoted: list[str], delimiter: str) -> bool:
    """True when no cell starts or ends with white space (``str.strip`` would change none), all
    of it ASCII: ``marked`` is the text with line ends ``\\n`` and each quoted cell replaced by a
    ``\\x01`` mark (next to a separator or a line end only, as :func:`_split` checks), ``quoted``
    the contents of those cells. One pass over the text's bytes (no white space character next
    to a separator or a line end) instead of one per column; False for a white-space separator
    (a tab), so each column is checked."""
    if delimiter in _ASCII_SPACE or not marked.isascii():
        return False
    if not all(cell.isascii() and cell == cell.strip() for cell in set(quoted)):
        return False
    present = [ord(mark) for mark in _ASCII_SPACE if mark != "\n" and mark in marked]
    if not present:
        return True
    last = marked[-8:].rstrip("\n")[-1:]  # the last cell's last character (none: blank lines, say no)
    if not last or ord(last) in present or ord(marked[0]) in present:
        return False
    import numpy as np

    chars = np.frombuffer(marked.encode("ascii"), dtype=np.uint8)
    space = chars == present[0] if len(present) == 1 else np.isin(chars, present)
    edge = (chars == ord(delimiter)) | (chars == ord("\n"))
    return not ((space[1:] & edge[:-1]).any() or (space[:-1] & edge[1:]).any())


def _split_columns(text: str, delimiter: str) -> list[list[str]] | None:
    """The columns of ``text`` (header cell first) as :func:`csv.reader` reads them, by splitting
    the text at line ends and separators (several times faster); None for anything it would not
    read identically, so :mod:`csv` reads it: a row with more or fewer cells than the first, a
    blank line, a single column, a quote inside a cell or doubled (``""``), a quoted cell over
    two lines, a cell longer than the csv module's limit, or a NUL or ``\\x01`` character.

    Quoted cells (``"a, b"``, a whole cell between quotes) are taken out first: splitting the
    text at quotes gives, in turn, the text between quoted cells and their contents; each
    content is put back, in order, where a ``\\x01`` marks it.
    """
    split = _split(text, delimiter)
    return None if split is None else split[0]


def _split(text: str, delimiter: str) -> tuple[list[list[str]], bool] | None:
    """:func:`_split_columns`, and whether the columns are tidy (:func:`_tidy`)."""
    if "\x00" in text or "\x01" in text:
        return None
    text = text.replace("\r\n", "\n")  # (no lone CR: read_csv's caller checks)
    quoted: list[str] = []
    if '"' in text:
        parts = text.split('"')
        if len(parts) % 2 == 0:
            return None  # an odd number of quotes
        quoted = parts[1::2]
        text = "\x01".join(parts[0::2])
        if any("\n" in cell for cell in set(quoted)):
            return None  # a quoted line end
    tidy = _tidy(text, quoted, delimiter)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines:
        return None
    width = lines[0].count(delimiter) + 1
    if width < 2 or set(map(str.count, lines, repeat(delimiter))) != {width - 1}:
        return None  # one column, ragged rows or a blank line
    limit = csv.field_size_limit()
    if max(map(len, lines)) > limit or (quoted and max(map(len, quoted)) > limit):
        return None  # the csv module refuses the long cell: its message is given
    cells = delimiter.join(lines).split(delimiter)
    columns = [cells[i::width] for i in range(width)]
    if quoted:
        at = text.index("\x01")
        likely = text.count(delimiter, text.rfind("\n", 0, at) + 1, at)  # the first mark's column
        if not _put_back(columns, quoted, likely):
            return None  # a quote inside a cell, or a doubled quote
    return columns, tidy


def _put_back(columns: list[list[str]], quoted: list[str], likely: int = 0) -> bool:
    """Put the ``quoted`` contents, in order (row by row, each row's cells left to right), in
    the cells of ``columns`` that are a ``\\x01`` mark; in bulk when they are all in one column
    on consecutive rows (a quoted source on every row; ``likely``: the column to try first). False
    (nothing put back) when a mark is not a whole cell (a quote inside a cell, or a doubled quote
    ``""``)."""
    if columns[likely].count("\x01") == len(quoted):  # every mark a cell of this column
        counts = [len(quoted) if i == likely else 0 for i in range(len(columns))]
    else:
        counts = [column.count("\x01") for column in columns]
    if sum(counts) != len(quoted):
        return False
    marked = [column for column, count in zip(columns, counts, strict=True) if count]
    first = marked[0].index("\x01")
    if len(marked) == 1 and marked[0][first : first + len(quoted)].count("\x01") == len(quoted):
        marked[0][first : first + len(quoted)] = quoted
        return True
    contents = iter(quoted)
    for row in range(len(columns[0])):  # row by row, each row's cells left to right
        for column in marked:
            if column[row] == "\x01":
                column[row] = next(contents)
    return True


def _columns(header: list[str], body: list[list[object]], path: Path) -> dict[str, list]:
    """``{header: cells}`` of the named header cells (``body``: rows padded to the header's width)."""
    keep = _kept_columns(header, path)
    return {header[i]: [row[i] for row in body] for i in keep}


def _refuse_unsaved_formulas(path: Path, sheet: str | None, records: list[list]) -> None:
    """A formula cell whose value was never saved reads as empty: name it instead of treating it as a gap."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        for row_number, (values, formulas) in enumerate(
            zip(records, worksheet.iter_rows(values_only=True), strict=False), start=1
        ):
            for column, (value, formula) in enumerate(zip(values, formulas, strict=False), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    from openpyxl.utils import get_column_letter

                    raise InputError(
                        "tabular.row_cell_formula_whose",
                        path=path,
                        row_number=row_number,
                        get_column_letter=get_column_letter(column),
                    )
    finally:
        workbook.close()


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .xls, or an encrypted .xlsx
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def _refuse_compound_file(path: Path) -> None:
    """Name the cause when an .xlsx is really an OLE compound file: a workbook encrypted with
    a password (Office keeps it in an ``EncryptedPackage`` stream, [MS-OFFCRYPTO] 2.3.4), or an
    old .xls renamed. Raises :class:`InputError`; returns for anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
    except OSError as exc:
        raise InputError("tabular.cannot_read_file_readable", path=path, value=exc.strerror or exc) from None
    if not head.startswith(_OLE_MAGIC):
        return
    if any(name in head for name in _ENCRYPTED_STREAMS):
        raise InputError("tabular.workbook_protected_password_encrypted", path=path)
    raise InputError("tabular.old_excel_workbook_xls", path=path)


def read_xlsx(
    path: Path,
    expected: Iterable[str] = (),
    sheet: str | None = None,
    check_formulas: bool = False,
    prefer: tuple[str, ...] = (),
) -> Table:
    """Read the first (or named) sheet of a workbook; see the module docstring. ``prefer``:
    sheet names read instead of the first sheet when the workbook has one (the first present).

    ``expected``: lower-case column names of which at least one must be on the header
    row; the first row holding one of them is taken as the header (rows above it, e.g.
    a merged title, are skipped). ``check_formulas``: refuse formula cells without a saved
    value (they would read as empty). Raises :class:`InputError`.
    """
    from openpyxl import load_workbook

    _refuse_compound_file(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file; the message names none of them
        raise InputError("tabular.cannot_open_workbook_xlsx", path=path) from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputError(
                "tabular.sheet_named_workbook", path=path, sheet=sheet, sheetnames=", ".join(workbook.sheetnames)
            )
        if sheet is None:
            sheet = next((name for name in prefer if name in workbook.sheetnames), None)
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        sheet_read = worksheet.title
        records = [list(r) for r in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if check_formulas and any(cell is None for record in records for cell in record):
        _refuse_unsaved_formulas(path, sheet, records)
    expected = tuple(expected)
    wanted = {header_key(e) for e in expected}
    header_index = None
    for i, record in enumerate(records):
        names = {header_key(c) for c in record if c is not None}
        if (wanted and names & wanted) or (not wanted and names):
            header_index = i
            break
    if header_index is None:
        raise InputError("tabular.header_row_found_row", path=path, value=", ".join(expected) or "of the table")
    header = [_normalise_header(c) for c in records[header_index]]
    body, rows = [], []
    for offset, record in enumerate(records[header_index + 1 :], start=header_index + 2):
        cells = ["" if c is None else (c.strip() if isinstance(c, str) else c) for c in record]
        if not any(c != "" for c in cells):
            continue
        cells = cells[: len(header)] + [""] * (len(header) - len(cells))
        body.append(cells)
        rows.append(offset)
    return Table(_columns(header, body, path), tuple(rows), path, sheet_read)


def read_table(
    path: str | Path,
    expected: Iterable[str] = (),
    find_header: bool = False,
    check_formulas: bool = False,
    sheets: tuple[str, ...] = (),
) -> Table:
    """Read a CSV or XLSX file by its suffix; see the module docstring.

    ``find_header=True`` also skips title rows above the header in a CSV (see :func:`read_csv`);
    ``check_formulas=True`` refuses XLSX formula cells without a saved value (small tables only:
    it reads the workbook twice when a cell is empty); ``sheets``: names of the sheet to read
    in a workbook that has one of them (the first present), else its first sheet.

    Raises :class:`InputError` when the file is missing, unreadable or of another kind.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("tabular.such_file_csv_xlsx", path=path)
    if path.is_dir():
        raise InputError("tabular.folder_csv_xlsx_file", path=path)
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, expected, check_formulas=check_formulas, prefer=sheets)
    if suffix in CSV_SUFFIXES or suffix == "":
        return read_csv(path, expected, find_header)
    if suffix == ".xls":
        raise InputError("tabular.old_xls_workbooks_read", path=path)
    raise InputError("tabular.unknown_file_type_csv", path=path, suffix=suffix)


def find_column(table: Table, *names: str, required: bool = True, what: str = "") -> str | None:
    """The table's column whose header matches one of ``names`` (any case, spaces or ``_``).

    Returns the header as written in the file, or None when absent and not ``required``.
    Raises :class:`InputError` naming the file and the accepted names when required.
    """

    def key(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    columns = {key(c): c for c in table.columns}
    for name in names:
        if key(name) in columns:
            return columns[key(name)]
    if required:
        label = what or repr(names[0])
        found = ", ".join(map(repr, table.columns))
        raise InputError(
            "tabular.no_column",
            path=table.path,
            label=label,
            headers=Either(tuple(repr(n) for n in names)),
            found=found or Msg.of("error.tabular.none"),
        )
    return None
