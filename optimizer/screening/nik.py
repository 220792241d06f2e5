"""NIK (Nomor Induk Kependudukan): reading, checking, masking and redaction.

Structure of the 16 digits as Dukcapil (Kemendagri) issues them (the NIK itself is set by
UU 23/2006 jo. UU 24/2013 on Administrasi Kependudukan):
``PP RR KK DDMMYY SSSS``: province (2), kabupaten/kota (2) and kecamatan (2) **in
Kemendagri coding** where the NIK was issued; birth date ``DDMMYY`` with **40 added to the
day for women**; a serial number (4). A NIK is kept for life, so its region digits name
where it was issued, not where the woman lives now.

The Kemendagri kabupaten/kota code of the digits is translated to the BPS code the tool
uses with ``data/region-codes.csv`` (Kemendagri ``64.02`` is Kutai Kartanegara, BPS
``6403``; BPS ``6402`` is Kutai Barat).

A full NIK never leaves this process: :func:`mask` keeps at most the first 6 and the last
2 digits (``640204********12``) and :func:`redact` masks any long run of digits in a text
(a last safety net for messages); both come from :mod:`optimizer.privacy`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from ..privacy import mask as mask  # re-exported: the screening modules mask through this module
from ..privacy import redact
from ..regions import kaltim_registry

NIK_LENGTH = 16
KALTIM_PROVINCE = "64"  # BPS and Kemendagri agree on the province code

# The 38 provinces and their codes (the first two digits of every NIK), from
# Kepmendagri No. 100.1.1-6117 Tahun 2022 tentang Pemberian dan Pemutakhiran Kode, Data
# Wilayah Administrasi Pemerintahan, dan Pulau. Digits 1-2 of a NIK that are not one of
# these cannot be a NIK (``nik_invalid``).
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}
FEMALE_DAY_OFFSET = 40

_SEPARATORS = re.compile(r"[\s.\-]")
_SCIENTIFIC = re.compile(r"^[0-9](?:[.,][0-9]+)?e\+?[0-9]+$", re.IGNORECASE)


@dataclass(frozen=True)
class NikCell:
    """A NIK cell as read.

    ``digits``: the digits when the cell holds only digits (after removing spaces, dots,
    dashes and a leading apostrophe), else ``None``. ``stored_as_number``: the cell was a
    spreadsheet number (Excel keeps 15 significant digits, so the 16th may be lost).
    ``scientific``: the cell is text like ``6,40204E+15`` (an export that lost the digits).
    ``empty``: the cell is empty.
    """

    digits: str | None
    stored_as_number: bool = False
    scientific: bool = False
    empty: bool = False


def read_cell(value: object) -> NikCell:
    """Read a NIK cell without ever raising; see :class:`NikCell`."""
    if value is None:
        return NikCell(None, empty=True)
    if isinstance(value, bool):
        return NikCell(None)
    if isinstance(value, int):
        return NikCell(str(value) if value >= 0 else None, stored_as_number=True)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and value >= 0:
            return NikCell(str(int(value)), stored_as_number=True)
        return NikCell(None, stored_as_number=True)
    text = str(value).strip().lstrip("'").strip()
    if not text:
        return NikCell(None, empty=True)
    if _SCIENTIFIC.match(text):
        return NikCell(None, scientific=True)
    plain = _SEPARATORS.sub("", text)
    if plain.endswith(".0"):
        plain = plain[:-2]
    return NikCell(plain if plain.isdigit() else None)


@dataclass(frozen=True)
class NikFacts:
    """What the digits of a well-formed NIK say.

    ``valid``: 16 digits with a province code of :data:`PROVINCES`, a kabupaten/kota and
    a kecamatan code other than ``00``, a possible birth date, and a serial other than ``0000``
    (serials are numbered from 0001).
    ``female``: the day digits carry the +40 for women. ``day``, ``month``, ``yy``: the
    encoded birth date (day without the +40; two-digit year). ``kemendagri``: the
    kabupaten/kota code in Kemendagri form (``64.02``); ``bps``: its BPS code when it is one
    of the ten kabupaten/kota of Kalimantan Timur, else ``""``.
    """

    valid: bool
    female: bool = False
    day: int = 0
    month: int = 0
    yy: int = 0
    province: str = ""
    kemendagri: str = ""
    bps: str = ""

    def birth_date(self, as_of: dt.date) -> dt.date | None:
        """The encoded birth date, in the latest century not after ``as_of`` (None if impossible)."""
        for century in (2000, 1900):
            year = century + self.yy
            if year > as_of.year:
                continue
            try:
                born = dt.date(year, self.month, self.day)
            except ValueError:
                continue
            if born <= as_of:
                return born
        return None

    def agrees_with(self, stated: dt.date) -> bool:
        """True when the encoded day, month and two-digit year equal ``stated``'s."""
        return (self.day, self.month, self.yy) == (stated.day, stated.month, stated.year % 100)


def _possible_date(day: int, month: int, yy: int) -> bool:
    for year in (2000 + yy, 1900 + yy):
        try:
            dt.date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def facts(digits: str) -> NikFacts:
    """Decode a NIK's digits; ``valid=False`` when they cannot be a NIK (see :class:`NikFacts`)."""
    if len(digits) != NIK_LENGTH or not digits.isdigit():
        return NikFacts(False)
    province, regency, district, serial = digits[0:2], digits[2:4], digits[4:6], digits[12:16]
    if province not in PROVINCES or regency == "00" or district == "00" or serial == "0000":
        return NikFacts(False)
    raw_day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    female = raw_day > FEMALE_DAY_OFFSET
    day = raw_day - FEMALE_DAY_OFFSET if female else raw_day
    if not _possible_date(day, month, yy):
        return NikFacts(False)
    kemendagri = f"{province}.{regency}"
    region = kaltim_registry().by_kemendagri.get(province + regency) if province == KALTIM_PROVINCE else None
    return NikFacts(True, female, day, month, yy, province, kemendagri, region.code if region else "")


def has_long_digits(text: str) -> bool:
    """True when ``text`` holds a run of 12 or more digits (what :func:`redact` masks)."""
    return redact(text) != text
