"""Reading one candidate list (CSV or XLSX) into parsed candidates.

The list is read with :func:`optimizer.tabular.read_table` (title rows above the header
are skipped), its columns found by :mod:`~optimizer.screening.columns`, and every row's
kabupaten/kota resolved to a BPS code with :func:`optimizer.regions.resolve_region`
(names, the usual short names and prefixes; a ``Kode Kemendagri`` column is translated
with a notice; a BPS code that contradicts the name is an error). Each distinct region
cell is resolved once, so a 100.000-row list costs ten look-ups.

Cells that are personal data (NIK, name, birth date) are never quoted in an error: the
message names the file, the row (spreadsheet numbering) and the column. A name cell that
holds a run of 12 or more digits (a NIK typed in the name column, or the NIK and Nama
columns swapped) is flagged (``name_holds_nik``) and the digits are masked, so a kept name
never carries a full NIK.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, location
from ..i18n import Notice, Term
from ..regions import kaltim_registry, resolve_region
from ..tabular import read_table
from . import columns as cols
from .nik import has_long_digits, read_cell, redact
from .rules import Candidate

_REGION_CODE = re.compile(r"^[0-9]{2}(?:\.?[0-9]{2}){1,2}$")


@dataclass(frozen=True)
class CandidateList:
    """One list as read.

    ``rows``: spreadsheet row number of each candidate; ``candidates``: parsed rows;
    ``names``: the names (only when asked for, else empty strings; runs of 12 or more
    digits masked); ``columns``: field ->
    header found; ``notices``: Kemendagri codes translated.
    """

    path: Path
    rows: tuple[int, ...]
    candidates: tuple[Candidate, ...]
    names: tuple[str, ...]
    columns: dict[str, str]
    notices: tuple[Notice, ...]


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a code in a numeric spreadsheet cell
        text = text[:-2]
    return " ".join(text.split())


class _RegionResolver:
    """Resolve (code, name, Kemendagri code) cells to a BPS code, once per distinct triple."""

    def __init__(self, path: Path, headers: dict[str, str]):
        self.path = path
        self.headers = headers
        self.cache: dict[tuple[str, str, str], str] = {}
        self.notices: list[Notice] = []
        self.registry = kaltim_registry()

    def __call__(self, code: str, name: str, kemendagri: str, row: int) -> str:
        key = (code, name, kemendagri)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        # the cells are not shown: a row shifted by one column puts a person's name or NIK there
        if code and not _REGION_CODE.match(code):
            raise InputError(
                "screening.reading.region_code_not_bps",
                location=location(self.path, row=row, field=self.headers["region_code"]),
            )
        if kemendagri and not _REGION_CODE.match(kemendagri):
            raise InputError(
                "screening.reading.kemendagri_code_not_code",
                location=location(self.path, row=row, field=self.headers["kemendagri_code"]),
            )
        if name and self.registry.find_name(name) is None:
            raise InputError(
                "screening.reading.region_name_unknown",
                location=location(self.path, row=row, field=self.headers["region_name"]),
            )
        if not (code or name or kemendagri):
            field = next(f for f in cols.REGION_FIELDS if f in self.headers)
            raise InputError(
                "screening.reading.kabupaten_kota_missing_name",
                location=location(self.path, row=row, field=self.headers[field]),
            )
        resolved = resolve_region(
            code or kemendagri,
            name,
            source=str(self.path),
            row=row,
            registry=self.registry,
            kemendagri=not code and bool(kemendagri),
        )
        if code and kemendagri:  # both schemes given: they must name the same region
            other = resolve_region(
                kemendagri, name, source=str(self.path), row=row, registry=self.registry, kemendagri=True
            )
            if other.code != resolved.code:
                raise InputError(
                    "screening.reading.columns_bps_bps_name",
                    location=location(self.path, row=row),
                    region_code=self.headers["region_code"],
                    code=resolved.code,
                    kemendagri_code=self.headers["kemendagri_code"],
                    code2=other.code,
                )
        if resolved.code not in self.registry.by_code:
            raise InputError(
                "screening.reading.code_ten_kabupaten_kota", location=location(self.path, row=row), code=resolved.code
            )
        if resolved.notice is not None:
            self.notices.append(resolved.notice)
        self.cache[key] = resolved.code
        return resolved.code


def _memo(parser: Callable[[object], object]) -> Callable[[object], tuple[object, str | None]]:
    """``parser`` applied once per distinct cell value: returns ``(value, problem)`` with
    problem ``None``, ``'missing'`` (empty cell) or ``'unreadable'`` (``ValueError``)."""
    cache: dict[tuple[type, object], tuple[object, str | None]] = {}

    def read(value: object) -> tuple[object, str | None]:
        key = (type(value), value)
        hit = cache.get(key)
        if hit is None:
            try:
                result = parser(value)
                hit = (result, "missing" if result is None else None)
            except ValueError:
                hit = (None, "unreadable")
            cache[key] = hit
        return hit

    return read


def _refuse(path: Path, row: int, headers: dict[str, str], problems: dict[str, str]) -> None:
    """``--strict``: raise for an unreadable birth date or an empty/unreadable yes/no cell (row and column only)."""
    if problems.get("birth_date") == "unreadable":
        raise InputError(
            "screening.reading.date_readable_shown_personal",
            location=location(path, row=row, field=headers["birth_date"]),
            date_expected=cols.DATE_EXPECTED,
        )
    for field in cols.CRITERION_FIELDS:  # --strict is about the SK's criteria; "Memiliki Usaha" only sets priority
        if field in problems:
            state = Term(
                "error.screening.reading.missing"
                if problems[field] == "missing"
                else "error.screening.reading.unreadable"
            )
            raise InputError(
                "screening.reading.error",
                location=location(path, row=row, field=headers[field]),
                state=state,
                yes_no_expected=cols.YES_NO_EXPECTED,
            )


def read_list(
    path: str | Path, *, strict: bool = False, include_names: bool = False, database: str = "dtks_p3ke"
) -> CandidateList:
    """Read a candidate list; see the module docstring.

    ``strict``: an empty or unreadable criterion cell is an error instead of a
    rejection reason. ``include_names``: keep the names (for ``--include-names``).
    ``database``: the data-base criterion (``dtks_p3ke``, the SK's wording, or ``dtsen``);
    with ``dtsen`` the DTKS/P3KE columns are not required and the Desil DTSEN column is.
    Raises :class:`InputError` for an unreadable file, a missing column, an unknown
    kabupaten/kota and (with ``strict``) an unusable cell, naming row and column only.
    """
    path = Path(path)
    table = read_table(path, expected=cols.header_names(), find_header=True)
    headers = cols.locate(table, database)
    frame = table.frame

    def column(field: str) -> list[object]:
        header = headers.get(field)
        return frame[header].tolist() if header is not None else [""] * len(frame)

    data = {field: column(field) for field in (f.name for f in cols.FIELDS)}
    resolver = _RegionResolver(path, headers)
    read_date, read_flag = _memo(cols.parse_date), _memo(cols.parse_yes_no)
    read_desil = _memo(cols.parse_desil)
    candidates: list[Candidate] = []
    names: list[str] = []
    has_type = "business_type" in headers
    for i in range(len(frame)):
        row = table.row_number(i)
        current = "region_name"
        try:
            region = resolver(
                _text(data["region_code"][i]), _text(data["region_name"][i]), _text(data["kemendagri_code"][i]), row
            )
            problems: dict[str, str] = {}
            current = "birth_date"
            born, problem = read_date(data["birth_date"][i])
            if problem:
                problems["birth_date"] = problem
            flags: dict[str, bool | None] = {}
            for field in cols.YES_NO_FIELDS:
                current = field
                flags[field], problem = read_flag(data[field][i])
                if problem:
                    problems[field] = problem
            desil = None
            if database == "dtsen":
                current = "dtsen"
                if "dtsen" in headers:
                    flags["dtsen"], problem = read_flag(data["dtsen"][i])
                    if problem and problem != "missing":
                        problems["dtsen"] = problem
                current = "dtsen_desil"
                desil, problem = read_desil(data["dtsen_desil"][i])
                if problem == "unreadable":  # an empty desil means: not in DTSEN
                    problems["dtsen_desil"] = problem
            current = "nik"
            nik = read_cell(data["nik"][i])
            business_type_missing = has_type and not _text(data["business_type"][i])
            current = "name"
            name = _text(data["name"][i])
            name_holds_nik = has_long_digits(name)
            if include_names:
                names.append(redact(name) if name_holds_nik else name)
            else:
                names.append("")
        except InputError:
            raise
        except Exception as exc:  # never let a parser's message (which may quote a cell) escape
            header = headers.get(current, current)
            raise InputError(
                "screening.reading.cell_could_read_shown",
                location=location(path, row=row, field=header),
                name=type(exc).__name__,
            ) from None
        if strict:
            _refuse(path, row, headers, problems)
        candidates.append(
            Candidate(nik, born, region, flags, problems, business_type_missing, name_holds_nik, dtsen_desil=desil)
        )
    return CandidateList(path, table.rows, tuple(candidates), tuple(names), headers, tuple(resolver.notices))
