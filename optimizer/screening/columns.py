"""The columns of a candidate list and how their cells are read.

A kabupaten/kota social office sends one row per woman it proposes. Headers are matched
in any case, ignoring spaces and punctuation (``Tanggal Lahir`` = ``tanggal_lahir`` =
``TGL. LAHIR``), against the aliases of :data:`FIELDS`.

Cells are read by the kind of their column, never guessed:

``yes/no``  ``ya``/``tidak``, ``y``/``t`` (Indonesian: **t is tidak**, not true),
            ``1``/``0``, ``true``/``false``, ``yes``/``no``, in any case; also the words
            offices write in these columns (``terdaftar``/``tidak terdaftar``,
            ``sudah``/``belum``, ``ada``/``tidak ada``, ``bukan``) and spreadsheet booleans.
``date``    ``31-12-1980``, ``31/12/1980``, ``31.12.1980`` (day first, as Indonesian offices
            write it; never month first), ``1980-12-31``, ``31 Desember 1980`` /
            ``31 Des 1980`` (Indonesian or English month names), spreadsheet date cells,
            and Excel serial day numbers in numeric cells. A two-digit year is refused
            (the century of a birth date cannot be guessed).

Parsers return ``None`` for an empty cell and raise ``ValueError`` whose text says what
was expected and **never contains the cell's value** (the cells are personal data).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from ..errors import InputError
from ..i18n import Either, Msg
from ..tabular import Table, find_column


@dataclass(frozen=True)
class Field:
    """One column of a candidate list: its canonical name, accepted headers, whether required."""

    name: str
    aliases: tuple[str, ...]
    required: bool
    label: str  # the header the README documents (Indonesian)


FIELDS: tuple[Field, ...] = (
    Field("nik", ("NIK", "Nomor Induk Kependudukan", "No NIK", "Nomor NIK", "NIK KTP", "No KTP"), True, "NIK"),
    Field("name", ("Nama", "Nama Lengkap", "Nama Calon", "Nama Calon Penerima", "name", "full_name"), False, "Nama"),
    Field(
        "birth_date",
        ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tanggal_Lahir", "birth_date", "date_of_birth"),
        True,
        "Tanggal Lahir",
    ),
    Field(
        "region_name",
        ("Kabupaten/Kota", "Kab/Kota", "Kabupaten Kota", "Kabupaten", "Kota", "region_name", "region", "wilayah"),
        False,
        "Kabupaten/Kota",
    ),
    Field("region_code", ("region_code", "Kode BPS", "kode_bps"), False, "Kode BPS"),
    Field("kemendagri_code", ("Kode Kemendagri", "kemendagri_code"), False, "Kode Kemendagri"),
    Field("dtks", ("Status DTKS", "Terdaftar DTKS", "DTKS", "in_dtks"), True, "Status DTKS"),
    Field("p3ke", ("Terdaftar P3KE", "Status P3KE", "P3KE", "in_p3ke"), True, "Terdaftar P3KE"),
    # Since Inpres 4/2025 DTKS and P3KE are merged into DTSEN (desil 1-10): read when the rule is "dtsen"
    Field("dtsen", ("Terdaftar DTSEN", "Status DTSEN", "DTSEN", "in_dtsen"), False, "Terdaftar DTSEN"),
    Field("dtsen_desil", ("Desil DTSEN", "Desil", "dtsen_desil", "dtsen_decile"), False, "Desil DTSEN"),
    Field("pkh", ("Penerima PKH", "PKH", "pkh_recipient"), True, "Penerima PKH"),
    Field("kube", ("Penerima KUBE", "KUBE", "kube_recipient"), True, "Penerima KUBE"),
    Field(
        "has_business",
        ("Memiliki Usaha", "Punya Usaha", "Sudah Memiliki Usaha", "has_business"),
        True,
        "Memiliki Usaha",
    ),
    Field("business_type", ("Jenis Usaha", "Rencana Usaha", "business_type"), False, "Jenis Usaha"),
    Field("marital_status", ("Status Perkawinan", "Status Kawin", "marital_status"), False, "Status Perkawinan"),
    Field(
        "head_of_family",
        (
            "Kepala Keluarga / Pencari Nafkah Utama",
            "Kepala Keluarga/Pencari Nafkah Utama",
            "Pencari Nafkah Utama",
            "Kepala Keluarga",
            "head_of_family",
            "main_breadwinner",
        ),
        True,
        "Kepala Keluarga / Pencari Nafkah Utama",
    ),
)

FIELD_BY_NAME = {f.name: f for f in FIELDS}
CRITERION_FIELDS = ("dtks", "p3ke", "pkh", "kube", "head_of_family")  # the SK's criteria
YES_NO_FIELDS = (*CRITERION_FIELDS, "has_business")  # "Memiliki Usaha" only sets the priority
REGION_FIELDS = ("region_name", "region_code", "kemendagri_code")


def header_names() -> tuple[str, ...]:
    """Every accepted header, lower case (to find the header row below a title)."""
    return tuple(alias.lower() for f in FIELDS for alias in f.aliases)


# Region-code headers that do not name the coding scheme; used only to refuse a guess.
AMBIGUOUS_CODE_HEADERS = ("Kode Wilayah", "Kode Kab/Kota", "Kode Kabupaten/Kota", "kode_wilayah")


DTSEN_REPLACES = ("dtks", "p3ke")  # not required when the data-base criterion is DTSEN


def locate(table: Table, database: str = "dtks_p3ke") -> dict[str, str]:
    """Map each field present in ``table`` to the header as written in the file.

    Returns ``{field name: header}``. Raises :class:`InputError` naming the file, the
    missing field and its accepted headers when a required field (or every region
    column) is absent. The headers found are **not** listed in the message: when the
    header row is missing, the first row holds a woman's data.
    """
    found: dict[str, str] = {}
    taken: set[str] = set()
    for spec in FIELDS:
        header = find_column(table, *spec.aliases, required=False)
        if header is not None and header not in taken:
            found[spec.name] = header
            taken.add(header)
    width = len(table.frame.columns)
    if database == "dtsen" and "dtsen_desil" not in found:
        raise InputError("screening.columns.column_desil_dtsen_header", path=table.path, width=width)
    for spec in FIELDS:
        if database == "dtsen" and spec.name in DTSEN_REPLACES:
            continue
        if spec.required and spec.name not in found:
            raise InputError(
                "screening.columns.no_column",
                path=table.path,
                label=spec.label,
                headers=Either(tuple(repr(a) for a in spec.aliases[:3])),
                width=width,
            )
    ambiguous = find_column(table, *AMBIGUOUS_CODE_HEADERS, required=False)
    if ambiguous is not None and not any(name in found for name in REGION_FIELDS):
        # Offices write Kemendagri codes under these headers as often as BPS codes, and 6402 is
        # Kutai Kartanegara in one scheme and Kutai Barat in the other: never guess.
        raise InputError("screening.columns.column_does_say_whether", path=table.path, ambiguous=ambiguous)
    if not any(name in found for name in REGION_FIELDS):
        raise InputError("screening.columns.column_kabupaten_kota_header", path=table.path, width=width)
    return found


# ---------------------------------------------------------------------- yes / no

_YES = {"ya", "y", "iya", "yes", "1", "1.0", "true", "benar", "terdaftar", "sudah", "ada", "penerima"}
_NO = {
    "tidak",
    "t",
    "tdk",
    "no",
    "n",
    "0",
    "0.0",
    "false",
    "salah",
    "tidak terdaftar",
    "belum",
    "belum ada",
    "tidak ada",
    "bukan",
    "bukan penerima",
    "non dtks",
    "non p3ke",
}
YES_NO_EXPECTED = Msg.of("error.expected.yes_no")
DESIL_EXPECTED = Msg.of("error.expected.desil")


def parse_desil(value: object) -> int | None:
    """A DTSEN desil cell -> 1..10, or None when empty or written as not listed (``tidak``).

    Raises ``ValueError`` for anything else (``11``, ``2,5``, ``abc``).
    """
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(str(DESIL_EXPECTED))
    text = str(value).strip().lower().removeprefix("desil").strip()
    if text in _NO:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(str(DESIL_EXPECTED)) from None
    if not number.is_integer() or not 1 <= number <= 10:
        raise ValueError(str(DESIL_EXPECTED))
    return int(number)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def parse_yes_no(value: object) -> bool | None:
    """Read a yes/no cell (see the module docstring); ``None`` when empty.

    Raises ``ValueError`` (without the value in its text) for anything else.
    """
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
        raise ValueError(str(YES_NO_EXPECTED))
    text = " ".join(str(value).lower().replace("-", " ").split()).rstrip(".")
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(str(YES_NO_EXPECTED))


# ---------------------------------------------------------------------- dates

MONTHS = {
    # Indonesian
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "nopember": 11,
    "november": 11,
    "desember": 12,
    "jan": 1,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "nop": 11,
    "des": 12,
    # English (where different)
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "december": 12,
    "aug": 8,
    "oct": 10,
    "dec": 12,
}
DATE_EXPECTED = Msg.of("error.expected.date")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_NAMED = re.compile(r"^(\d{1,2})[\s\-/]+([a-z]+)\.?[\s\-/]+(\d{2,4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (serial 60 is the fictitious 29-02-1900)


def _make(year: str, month: int, day: int) -> dt.date:
    if len(year) != 4:
        raise ValueError(f"{DATE_EXPECTED}; the year needs four digits")
    try:
        result = dt.date(int(year), month, day)
    except ValueError:
        raise ValueError(f"{DATE_EXPECTED}; the day or month is out of range") from None
    if result.year < 1900:
        raise ValueError(f"{DATE_EXPECTED}; the year is before 1900")
    return result


def parse_date(value: object) -> dt.date | None:
    """Read a date cell (see the module docstring); ``None`` when empty.

    Raises ``ValueError`` (without the value in its text) when the cell is not a date.
    """
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(str(DATE_EXPECTED))
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not 61 <= value < 2958466:
            raise ValueError(str(DATE_EXPECTED))
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = " ".join(str(value).strip().lower().split())
    match = _DMY.match(text)
    if match:
        day, month, year = match.groups()
        return _make(year, int(month), int(day))
    match = _YMD.match(text)
    if match:
        year, month, day = match.groups()
        return _make(year, int(month), int(day))
    match = _NAMED.match(text)
    if match and match.group(2) in MONTHS:
        day, month_name, year = match.groups()
        return _make(year, MONTHS[month_name], int(day))
    raise ValueError(str(DATE_EXPECTED))
